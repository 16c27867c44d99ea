import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, PLAN_ID, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { launchBrowser, axeViolations, signedInPage } from "../helpers/browser";

const ACTION_ID = "act-p-bgi-1-2";
const DOC_ID = `doc-${ACTION_ID}`;

let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function editorOf(page: Page, docId: string) {
  return page.locator(`[contenteditable][data-doc-id="${docId}"]`);
}

async function openPlan(page: Page) {
  await page.goto(`${server.url}/plans/${PLAN_ID}`);
  const card = page.locator(`#action-${ACTION_ID}`);
  await card.scrollIntoViewIfNeeded();
  await expect.poll(() => editorOf(page, DOC_ID).count(), { timeout: 15_000 }).toBe(1);
  await expect.poll(() => page.locator("[data-connection]").getAttribute("data-connection"), { timeout: 15_000 }).toBe("live");
}

describe("co-drafting a plan in two browsers", () => {
  it("says which action each present person is in, live, from their caret (“Rahul Mistry is in BGI-1.2”)", async () => {
    const a = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    const b = await signedInPage(browser, server.url, ACCOUNTS.nhsEditor);
    await openPlan(a.page);
    await openPlan(b.page);
    const code = await a.page.locator(`#action-${ACTION_ID} [data-testid="action-code"]`).innerText();
    expect(code).toMatch(/^BGI-1\.\d+$/);
    await expect.poll(() => a.page.getByTestId("presence-list").innerText(), { timeout: 10_000 }).toContain("Rahul Mistry");
    expect(await a.page.getByTestId("presence-place").count()).toBe(0);

    // Rahul puts his caret in the action's text: Sarah's page says where he is.
    await editorOf(b.page, DOC_ID).click();
    await expect.poll(() => a.page.getByTestId("presence-place").allInnerTexts(), { timeout: 10_000 }).toEqual([`Rahul Mistry is in ${code}`]);
    // He leaves the text: he is still here, in no action.
    await b.page.getByRole("heading", { level: 1 }).click();
    await b.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await expect.poll(() => a.page.getByTestId("presence-place").count(), { timeout: 10_000 }).toBe(0);
    expect(await a.page.getByTestId("presence-list").innerText()).toContain("Rahul Mistry");
    expect(await axeViolations(a.page)).toEqual([]);
    await a.context.close();
    await b.context.close();
  }, 90_000);

  it("shows each partner's typing to the other, live", async () => {
    const a = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    const b = await signedInPage(browser, server.url, ACCOUNTS.nhsEditor);
    await openPlan(a.page);
    await openPlan(b.page);

    const editorA = editorOf(a.page, DOC_ID);
    const editorB = editorOf(b.page, DOC_ID);
    await editorA.click();
    await a.page.keyboard.press("Control+End");
    await a.page.keyboard.type(" Council adds: consult market traders.");
    await expect.poll(() => editorB.innerText(), { timeout: 10_000 }).toContain("Council adds: consult market traders.");

    await editorB.click();
    await b.page.keyboard.press("Control+End");
    await b.page.keyboard.type(" NHS adds: health stall.");
    await expect.poll(() => editorA.innerText(), { timeout: 10_000 }).toContain("NHS adds: health stall.");
    await expect.poll(() => editorB.innerText()).toContain("Council adds: consult market traders.");

    // Presence shows the other person, named by the server.
    await expect.poll(() => a.page.getByTestId("presence-list").innerText(), { timeout: 10_000 }).toContain("Rahul Mistry");

    await a.context.close();
    await b.context.close();
  }, 90_000);

  it("keeps another person's caret label on their text when the page above it moves", async () => {
    const a = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    const b = await signedInPage(browser, server.url, ACCOUNTS.nhsEditor);
    await openPlan(a.page);
    await openPlan(b.page);
    await editorOf(a.page, DOC_ID).click();
    await a.page.keyboard.press("Control+End");
    await a.page.keyboard.type(" Sarah is here.");
    // Rahul's page shows Sarah's caret inside this editor's box.
    const editorBox = b.page.locator(".editor").filter({ has: editorOf(b.page, DOC_ID) });
    const caret = editorBox.locator(".editor-cursors span", { hasText: "Sarah Whitworth" }).first();
    await expect.poll(() => caret.count(), { timeout: 10_000 }).toBe(1);
    const offset = async () => {
      const [c, e] = await Promise.all([caret.boundingBox(), editorOf(b.page, DOC_ID).boundingBox()]);
      return { dy: Math.round(c!.y - e!.y), editorY: Math.round(e!.y) };
    };
    const before = await offset();
    // Something above the text opens (the previous card's partners): the text moves down, and the
    // caret with it.
    await b.page.locator("#action-act-p-bgi-1-1 details.ownership > summary").click();
    await expect.poll(async () => (await offset()).editorY).toBeGreaterThan(before.editorY + 50);
    expect((await offset()).dy).toBe(before.dy);
    await a.context.close();
    await b.context.close();
  }, 90_000);

  it("shows an ownership change made in one browser in the other without reload", async () => {
    const a = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    const b = await signedInPage(browser, server.url, ACCOUNTS.collegeEditor);
    await openPlan(a.page);
    await openPlan(b.page);
    const cardA = a.page.locator(`#action-${ACTION_ID}`);
    const cardB = b.page.locator(`#action-${ACTION_ID}`);
    // A full reload would wipe this marker; Remix's own client-side updates keep it.
    await b.page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    const stillSamePage = () => b.page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);
    // What B's page asks the server for when the event arrives: only this card, not the whole plan.
    const requestsB: string[] = [];
    b.page.on("request", (r) => requestsB.push(new URL(r.url()).pathname));

    await cardA.getByText("Partners and history").click();
    await cardA.getByLabel("Partner organisation").selectOption("bury-college");
    await cardA.getByLabel("Role").selectOption("support");
    await cardA.getByRole("button", { name: "Name partner" }).click();

    // B sees the pending request appear, live.
    await expect.poll(() => cardB.getByTestId("owners").innerText(), { timeout: 10_000 }).toMatch(/Bury College\s*Supporting · pending/);
    expect(await stillSamePage()).toBe(true);
    expect(requestsB).toContain(`/plans/${PLAN_ID}/cards/${ACTION_ID}`);
    expect(requestsB.filter((p) => p.endsWith(".data"))).toEqual([]);
    // B (Bury College) accepts; A sees it confirmed, live.
    await cardB.getByText("Partners and history").click();
    await cardB.getByRole("button", { name: "Accept for Bury College" }).click();
    await expect.poll(() => cardA.getByTestId("owners").innerText(), { timeout: 10_000 }).not.toContain("pending");
    await expect.poll(() => cardA.getByTestId("owners").innerText()).toContain("Bury College");
    await expect.poll(() => cardA.locator("table").innerText()).toContain("Bury College confirmed as supporting partner");

    await a.context.close();
    await b.context.close();
  }, 90_000);

  it("gives a viewer the live text but no way to change it", async () => {
    const v = await signedInPage(browser, server.url, ACCOUNTS.viewer);
    await openPlan(v.page);
    const editor = editorOf(v.page, DOC_ID);
    expect(await editor.getAttribute("contenteditable")).toBe("false");
    await expect.poll(() => editor.innerText(), { timeout: 10_000 }).toContain("RIBA Stage 4");
    const before = await editor.innerText();
    await editor.click();
    await v.page.keyboard.type("viewer typing");
    expect(await editor.innerText()).toBe(before);
    expect(await v.page.getByRole("button", { name: "Name partner" }).count()).toBe(0);
    await v.context.close();
  }, 60_000);

  it("has no serious or critical accessibility violations on login, dashboard and plan pages", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();

    const a = await signedInPage(browser, server.url, ACCOUNTS.nhsEditor);
    expect(await axeViolations(a.page)).toEqual([]);
    await openPlan(a.page);
    await a.page.locator(`#action-${ACTION_ID}`).getByText("Partners and history").click();
    expect(await axeViolations(a.page)).toEqual([]);
    await a.context.close();
  }, 150_000);
});
