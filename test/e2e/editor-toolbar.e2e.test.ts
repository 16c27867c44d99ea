import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, PLAN_ID, reopenSeededPlan, startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser, axeViolations, signedInPage } from "../helpers/browser";

const ACTION_ID = "act-p-bgi-1-2";
const DOC_ID = `doc-${ACTION_ID}`;

let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  server = await startAppServer();
  // The seeded 2022-23 plan is archived in the demo; this test edits it.
  await reopenSeededPlan(server.url);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

// A shared, busy machine: waits are generous.
const poll = <T,>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000, interval: 100 });

function editorOf(page: Page) {
  return page.locator(`[contenteditable][data-doc-id="${DOC_ID}"]`);
}

async function openPlan(page: Page) {
  await page.goto(`${server.url}/plans/${PLAN_ID}`);
  await page.locator(`#action-${ACTION_ID}`).scrollIntoViewIfNeeded();
  await poll(() => editorOf(page).count()).toBe(1);
  await poll(() => page.locator("[data-connection]").getAttribute("data-connection")).toBe("live");
}

describe("the editor's toolbar, by keyboard only", () => {
  it("makes a bulleted list, a heading and a link that a read-only partner sees live, with the same formatting", async () => {
    const a = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    const b = await signedInPage(browser, server.url, ACCOUNTS.viewer);
    await openPlan(a.page);
    await openPlan(b.page);
    const page = a.page;
    const card = page.locator(`#action-${ACTION_ID}`);
    const toolbar = card.getByRole("toolbar");
    expect(await toolbar.getAttribute("aria-label")).toMatch(/^Formatting: /);
    // Roving tabindex: the toolbar is one tab stop.
    expect(await toolbar.locator('button[tabindex="0"]').count()).toBe(1);
    // Read-only people get no toolbar.
    expect(await b.page.locator(`#action-${ACTION_ID}`).getByRole("toolbar").count()).toBe(0);

    // Type only once the stored text has arrived (the caret must land after it).
    for (const p of [page, b.page]) await poll(() => editorOf(p).innerText()).toContain("RIBA Stage 4");
    // The caret after the stored text, checked: on a busy machine the text can still be settling
    // into the editor when the key is pressed, and the list would then be typed in front of it.
    // Checked a moment after the key: on a loaded machine the caret was sometimes back at the
    // start of the text by the time Enter arrived (the editor applying, late, the selection it
    // took on focus, or a sync update landing just after the key: not pinned down), and the list
    // was typed in front of the text: CI saw an empty paragraph, then the list, with the stored
    // text as its last item. 3 failures in 9 loaded runs before, none in 12 after.
    await poll(async () => {
      await editorOf(page).focus();
      await page.keyboard.press("Control+End");
      await page.waitForTimeout(300);
      return page.evaluate(() => {
        const s = window.getSelection();
        const text = s?.anchorNode?.textContent ?? "";
        return s?.isCollapsed === true && text.endsWith("September 2022") && s.anchorOffset === (s.anchorNode?.nodeType === Node.TEXT_NODE ? text.length : s.anchorOffset);
      });
    }).toBe(true);
    await page.keyboard.press("Enter");
    // Markdown shortcut: "- " starts a bulleted list.
    await page.keyboard.type("- Market stall");
    await page.keyboard.press("Enter");
    await page.keyboard.type("Health checks");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter"); // an empty item leaves the list
    await poll(() => editorOf(page).locator("ul > li").allInnerTexts()).toEqual(["Market stall", "Health checks"]);

    // Heading from the toolbar: Alt+F10 reaches it, arrows move, Enter presses.
    await page.keyboard.type("Next steps");
    await page.keyboard.press("Alt+F10");
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Bold");
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Heading");
    await page.keyboard.press("End");
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Redo");
    await page.keyboard.press("ArrowRight"); // wraps round
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Bold");
    await page.keyboard.press("ArrowLeft");
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowLeft");
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Heading");
    await page.keyboard.press("Enter");
    // Back in the text, the heading button shows it is on.
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-doc-id"))).toBe(DOC_ID);
    await poll(() => toolbar.getByRole("button", { name: "Heading", exact: true }).getAttribute("aria-pressed")).toBe("true");
    await poll(() => editorOf(page).locator("h2").innerText()).toBe("Next steps");

    // A link: Ctrl+K opens the form with the address field focused.
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("Read the guide");
    await page.keyboard.press("Shift+Home");
    await page.keyboard.press("Control+K");
    await poll(() => page.evaluate(() => document.activeElement?.closest("form")?.getAttribute("aria-label"))).toBe("Link");
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.type("not an address");
    await page.keyboard.press("Enter");
    await poll(() => card.getByRole("alert").innerText()).toMatch(/web address/);
    await page.keyboard.press("Control+A");
    await page.keyboard.type("example.org/guide");
    await page.keyboard.press("Enter");
    // The words stay the selected ones after an address was first refused (issue 14: the saved
    // selection was lost and the address became the linked words).
    await poll(() => editorOf(page).locator('a[href="https://example.org/guide"]').innerText()).toBe("Read the guide");

    // The read-only partner sees all of it, live, as the same elements.
    const seen = editorOf(b.page);
    await poll(() => seen.locator("ul > li").allInnerTexts()).toEqual(["Market stall", "Health checks"]);
    await poll(() => seen.locator("h2").innerText()).toBe("Next steps");
    await poll(() => seen.locator('a[href="https://example.org/guide"]').innerText()).toBe("Read the guide");

    expect(await axeViolations(b.page)).toEqual([]);
    await a.context.close();
    await b.context.close();
  }, 240_000);
});
