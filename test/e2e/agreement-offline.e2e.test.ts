import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { readParagraphs } from "../../server/documents/lexical-content";
import { ACCOUNTS, type AppServer, PLAN_ID, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import AxeBuilder from "@axe-core/playwright";
import { launchBrowser, signedInPage } from "../helpers/browser";
import { planActionHref } from "../../app/utils/plan-filters";

const OFFLINE_ACTION = "act-p-bgi-1-1";
const STORED_ACTION = "act-p-bgi-1-4";
const VIEWER_ACTION = "act-p-bgi-2-1";
// Led by Bury Council, supported by the VCF Alliance.
const AGREED_ACTION = "act-p-ops-2-1";

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

const docOf = (actionId: string) => `doc-${actionId}`;
const editorOf = (page: Page, actionId: string) => page.locator(`[contenteditable][data-doc-id="${docOf(actionId)}"]`);
const connection = (page: Page) => page.locator("[data-connection]");

function stored(actionId: string): { paragraphs: string[]; authors: (number | null)[] } {
  const db = new Database(server.dbFile, { readonly: true });
  try {
    const rows = db
      .prepare('select "update", user_id from document_updates where document_id = ? order by id')
      .all(docOf(actionId)) as { update: Buffer; user_id: number | null }[];
    const doc = new Y.Doc();
    for (const r of rows) Y.applyUpdate(doc, r.update);
    return { paragraphs: readParagraphs(doc), authors: rows.map((r) => r.user_id) };
  } finally {
    db.close();
  }
}

function userId(email: string): number {
  const db = new Database(server.dbFile, { readonly: true });
  try {
    return (db.prepare("select id from users where email = ?").get(email) as { id: number }).id;
  } finally {
    db.close();
  }
}

async function openAction(page: Page, actionId: string) {
  // The plan page shows one priority at a time (issue 14): open the view that holds the card.
  if (!page.url().includes(`/plans/${PLAN_ID}`) || (await page.locator(`#action-${actionId}`).count()) === 0) {
    await page.goto(`${server.url}${planActionHref(PLAN_ID, actionId)}`);
  }
  await page.locator(`#action-${actionId}`).scrollIntoViewIfNeeded();
  await expect.poll(() => editorOf(page, actionId).count(), { timeout: 15_000 }).toBe(1);
  await expect.poll(() => connection(page).getAttribute("data-connection"), { timeout: 15_000 }).toBe("live");
}

async function typeAtEnd(page: Page, actionId: string, text: string) {
  await editorOf(page, actionId).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

/**
 * axe (WCAG 2.2 AA, serious and critical findings) on what this feature adds: the presence bar
 * with its offline state and one action card with its agreement and suggestion panels. The whole
 * plan page is scanned by plan-collaboration.e2e.test.ts and plan-filters.e2e.test.ts; scanning it
 * again per state here would cost seconds each.
 */
async function violationsIn(page: Page, actionId: string | null) {
  const builder = new AxeBuilder({ page }).include(".presence");
  if (actionId) builder.include(`#action-${actionId}`);
  const results = await builder
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
}

/** How many updates the browser's offline store of a document holds (y-indexeddb's "updates" store). */
function storedUpdateCount(page: Page, name: string): Promise<number> {
  return page.evaluate(
    async (dbName) => {
      // Never create the store ourselves (that would race y-indexeddb's own creation of it).
      if (!(await indexedDB.databases()).some((d) => d.name === dbName)) return -1;
      return new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("updates")) {
            db.close();
            resolve(0);
            return;
          }
          const count = db.transaction("updates", "readonly").objectStore("updates").count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
      });
    },
    name,
  );
}

/** Text as shown on screen: without the screen-reader-only markers. */
async function visibleTexts(locator: ReturnType<Page["locator"]>): Promise<string[]> {
  return locator.evaluateAll((nodes) =>
    nodes.map((n) => {
      const copy = n.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(".visually-hidden").forEach((h) => h.remove());
      return (copy.textContent ?? "").trim();
    }),
  );
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe("drafting offline", () => {
  it("keeps editing offline, merges on reconnect with a partner's online edit, without duplicates", async () => {
    const a = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    const b = await signedInPage(browser, server.url, ACCOUNTS.nhsEditor);
    await openAction(a.page, OFFLINE_ACTION);
    await openAction(b.page, OFFLINE_ACTION);
    await expect.poll(() => b.page.getByTestId("presence-list").innerText(), { timeout: 10_000 }).toContain("Sarah Whitworth");

    await a.context.setOffline(true);
    await expect.poll(() => connection(a.page).getAttribute("data-connection")).toBe("offline");
    expect(await connection(a.page).innerText()).toContain("You are offline. Keep working: your changes are kept in this browser and will sync");
    expect(await violationsIn(a.page, null)).toEqual([]);
    await typeAtEnd(a.page, OFFLINE_ACTION, " Council offline: confirm the acquisition list.");
    await typeAtEnd(b.page, OFFLINE_ACTION, " NHS online: add a health impact check.");
    await expect.poll(() => stored(OFFLINE_ACTION).paragraphs.join("\n"), { timeout: 10_000 }).toContain("NHS online");
    expect(stored(OFFLINE_ACTION).paragraphs.join("\n")).not.toContain("Council offline");
    expect(await editorOf(a.page, OFFLINE_ACTION).innerText()).not.toContain("NHS online");

    await a.context.setOffline(false);
    await expect.poll(() => connection(a.page).getAttribute("data-connection"), { timeout: 15_000 }).toBe("live");
    for (const page of [a.page, b.page]) {
      await expect
        .poll(() => editorOf(page, OFFLINE_ACTION).innerText(), { timeout: 10_000 })
        .toMatch(/Council offline: confirm the acquisition list\.[\s\S]*NHS online|NHS online: add a health impact check\.[\s\S]*Council offline/);
      const text = await editorOf(page, OFFLINE_ACTION).innerText();
      expect(occurrences(text, "Council offline: confirm the acquisition list.")).toBe(1);
      expect(occurrences(text, "NHS online: add a health impact check.")).toBe(1);
      expect(await editorOf(page, OFFLINE_ACTION).locator("p").count()).toBe(1);
    }
    const { paragraphs } = stored(OFFLINE_ACTION);
    expect(paragraphs).toHaveLength(1);
    expect(occurrences(paragraphs[0], "RIBA Stage 3")).toBe(1);
    expect(paragraphs[0]).toContain("Council offline: confirm the acquisition list.");
    expect(paragraphs[0]).toContain("NHS online: add a health impact check.");
    // When A's connection drops for good, B's page keeps A in view as offline (a silent network
    // loss reaches the server within its 30 s keepalive; a closed browser at once).
    await a.context.close();
    await expect.poll(() => b.page.getByTestId("presence-away").innerText(), { timeout: 10_000 }).toMatch(
      /Sarah Whitworth \(Bury Council\) offline or left, last seen \d\d:\d\d/,
    );
    expect(await b.page.getByTestId("presence-list").count()).toBe(0);
    await b.context.close();
  }, 120_000);

  it("keeps offline edits in the browser when the tab is closed, and sends them when it is opened again", async () => {
    const a = await signedInPage(browser, server.url, ACCOUNTS.collegeEditor);
    await openAction(a.page, STORED_ACTION);
    await a.context.setOffline(true);
    await expect.poll(() => connection(a.page).getAttribute("data-connection")).toBe("offline");
    const storeName = `codesign:u${userId(ACCOUNTS.collegeEditor)}:${docOf(STORED_ACTION)}`;
    await expect.poll(() => storedUpdateCount(a.page, storeName)).toBeGreaterThan(0);
    const before = await storedUpdateCount(a.page, storeName);
    await typeAtEnd(a.page, STORED_ACTION, " College: students design the kiosks.");
    // Once IndexedDB holds every keystroke (the count stops growing), close the tab while still offline.
    let last = -1;
    await expect
      .poll(
        async () => {
          const now = await storedUpdateCount(a.page, storeName);
          const settled = now === last && now > before;
          last = now;
          return settled;
        },
        { timeout: 10_000, interval: 250 },
      )
      .toBe(true);
    await a.page.close();
    expect(stored(STORED_ACTION).paragraphs.join("")).not.toContain("College: students");

    await a.context.setOffline(false);
    const again = await a.context.newPage();
    await openAction(again, STORED_ACTION);
    await expect.poll(() => stored(STORED_ACTION).paragraphs.join(""), { timeout: 10_000 }).toContain("College: students design the kiosks.");
    expect(stored(STORED_ACTION).authors.at(-1)).toBe(userId(ACCOUNTS.collegeEditor));
    // The reopened editor renders what the server and the browser store hold; exactly once.
    await expect
      .poll(async () => occurrences(await editorOf(again, STORED_ACTION).innerText(), "College: students design the kiosks."), {
        timeout: 10_000,
      })
      .toBe(1);
    await a.context.close();
  }, 60_000);

  it("gives a viewer no way to produce edits offline", async () => {
    const v = await signedInPage(browser, server.url, ACCOUNTS.viewer);
    await openAction(v.page, VIEWER_ACTION);
    const before = stored(VIEWER_ACTION);
    await v.context.setOffline(true);
    await expect.poll(() => connection(v.page).getAttribute("data-connection")).toBe("offline");
    expect(await connection(v.page).innerText()).toContain("The text shown may be out of date");
    const editor = editorOf(v.page, VIEWER_ACTION);
    expect(await editor.getAttribute("contenteditable")).toBe("false");
    const shown = await editor.innerText();
    await editor.click();
    await v.page.keyboard.type("viewer typing offline");
    expect(await editor.innerText()).toBe(shown);
    // Nothing is kept in this browser that could be replayed later in the viewer's name.
    const stores = await v.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ""));
    expect(stores.filter((n) => n.startsWith("codesign:"))).toEqual([]);

    await v.context.setOffline(false);
    await expect.poll(() => connection(v.page).getAttribute("data-connection"), { timeout: 15_000 }).toBe("live");
    expect(stored(VIEWER_ACTION)).toEqual(before);
    expect(stored(VIEWER_ACTION).authors).not.toContain(userId(ACCOUNTS.viewer));
    await v.context.close();
  }, 60_000);
});

describe("agreement in the browser", () => {
  it("shows 'changed since agreed' on every open page, without reload, with exactly the changed words", async () => {
    const council = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    const vcf = await signedInPage(browser, server.url, ACCOUNTS.vcfAllianceEditor);
    const nhs = await signedInPage(browser, server.url, ACCOUNTS.nhsEditor);
    for (const p of [council, vcf, nhs]) await openAction(p.page, AGREED_ACTION);
    const status = (page: Page) => page.locator(`#action-${AGREED_ACTION} [data-agreement-status]`).getAttribute("data-agreement-status");
    for (const p of [council, vcf]) await p.page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    const card = (page: Page) => page.locator(`#action-${AGREED_ACTION}`);
    await card(council.page).getByRole("button", { name: /Sign off this text for Bury Council/ }).click();
    await expect.poll(() => status(vcf.page), { timeout: 10_000 }).toBe("proposed");
    // The NHS is not named on this action: it has no sign-off button.
    expect(await card(nhs.page).getByRole("button", { name: /Sign off/ }).count()).toBe(0);
    await card(vcf.page).getByRole("button", { name: /Sign off this text for Bury Voluntary/ }).click();
    await expect.poll(() => status(council.page), { timeout: 10_000 }).toBe("agreed");

    await typeAtEnd(nhs.page, AGREED_ACTION, " Prioritise flood resilience.");
    for (const p of [council, vcf]) {
      await expect.poll(() => status(p.page), { timeout: 10_000 }).toBe("changed");
      const comparison = card(p.page).getByTestId("comparison");
      expect(await visibleTexts(comparison.locator("ins"))).toEqual(["Prioritise flood resilience."]);
      expect(await comparison.locator("del").count()).toBe(0);
      expect(await card(p.page).getByTestId("agreement-status").innerText()).toBe("Changed since agreed");
      expect(await p.page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    }

    // A partner suggests different words from the page; a named partner's page offers the decision.
    await card(nhs.page).getByText("Suggest different words").click();
    await card(nhs.page).getByLabel("Words to replace").fill("flood resilience");
    await card(nhs.page).getByLabel("Your replacement words").fill("flood and heat resilience");
    await card(nhs.page).getByRole("button", { name: "Send suggestion" }).click();
    await expect.poll(() => card(council.page).getByTestId("suggestion").count(), { timeout: 10_000 }).toBe(1);
    expect(await card(council.page).getByRole("button", { name: /Accept Rahul Mistry's suggestion/ }).count()).toBe(1);

    // The card touched here is accessible in its new state, with every panel open.
    await card(council.page).getByText("Read the last agreed text").click();
    await card(council.page).getByText("Suggest different words").click();
    await card(council.page).getByText("Who wrote this").click();
    expect(await violationsIn(council.page, AGREED_ACTION)).toEqual([]);
    for (const p of [council, vcf, nhs]) await p.context.close();
  }, 120_000);
});
