/**
 * A comment thread on an engagement proposal follows the words live, in another browser: while an
 * editor types inside the commented words the commenter's thread says "The words now read …", and
 * when the editor deletes them it says "Detached", with no reload and no change of record (typing
 * publishes no plan event: the open editor reads its own marks).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser, axeViolations, signedInPage } from "../helpers/browser";

const PROPOSAL = "community-engagement-strategy";
const OVERVIEW = `doc-${PROPOSAL}-overview`;
// A seeded open thread (Tom Fielding, Radcliffe Community Food Network) on these words.
const QUOTE = "Given the 1,200 VCF organisations active in Bury";

let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  server = await startAppServer();
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const editorOf = (page: Page) => page.locator(`[contenteditable][data-doc-id="${OVERVIEW}"]`);
const threadCard = (page: Page, quote: string) => page.locator("li.thread", { has: page.locator("q.thread__quote", { hasText: quote }) });

async function openProposal(page: Page) {
  await page.goto(`${server.url}/proposals/${PROPOSAL}`);
  await expect.poll(() => editorOf(page).count(), { timeout: 15_000 }).toBe(1);
  await expect.poll(() => page.locator("[data-connection]").getAttribute("data-connection"), { timeout: 15_000 }).toBe("live");
  await expect.poll(() => editorOf(page).innerText(), { timeout: 10_000 }).toContain(QUOTE);
  // A full reload would wipe this marker.
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
}

const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);

/** Puts the caret selection on `words` in the editable text, as a mouse drag would. */
async function selectWords(page: Page, words: string) {
  const found = await page.evaluate(
    async ({ docId, words }) => {
      const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const root = document.querySelector<HTMLElement>(`[contenteditable][data-doc-id="${docId}"]`);
      if (!root) return false;
      // Focusing lets the editor put back its own last selection, a moment later on a busy
      // machine: that must happen before the words are selected, not over them.
      root.focus();
      await frames();
      // The words may span several text nodes (a mark and the text after it): find them in the
      // concatenated text and map both ends back to their nodes.
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const nodes: { node: Node; from: number }[] = [];
      let all = "";
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        nodes.push({ node, from: all.length });
        all += node.textContent ?? "";
      }
      const at = all.indexOf(words);
      if (at < 0) return false;
      const locate = (offset: number, end: boolean) => {
        const hit = [...nodes].reverse().find((n) => (end ? n.from < offset : n.from <= offset))!;
        return { node: hit.node, offset: offset - hit.from };
      };
      const start = locate(at, false);
      const finish = locate(at + words.length, true);
      const range = document.createRange();
      range.setStart(start.node, start.offset);
      range.setEnd(finish.node, finish.offset);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      // The editor takes the selection on "selectionchange": let it, and check it still holds.
      await frames();
      return window.getSelection()?.toString() === words;
    },
    { docId: OVERVIEW, words },
  );
  expect(found).toBe(true);
}

describe("a proposal thread follows its words live", () => {
  it("shows “The words now read …” as an editor types inside them, then “Detached” when they are deleted; axe clean", async () => {
    const tom = await signedInPage(browser, server.url, ACCOUNTS.vcfCommenter);
    const rahul = await signedInPage(browser, server.url, ACCOUNTS.nhsEditor);
    await openProposal(tom.page);
    await openProposal(rahul.page);
    const tomThread = threadCard(tom.page, QUOTE);
    expect(await tomThread.getAttribute("data-detached")).toBe("false");
    expect(await tomThread.locator(".thread__now").count()).toBe(0);

    // Rahul (NHS Bury CCG, editor) changes a word inside the commented words.
    await selectWords(rahul.page, "1,200");
    await rahul.page.keyboard.type("1,250");
    await expect.poll(() => editorOf(tom.page).innerText(), { timeout: 10_000 }).toContain("Given the 1,250 VCF organisations");
    await expect
      .poll(() => tomThread.locator(".thread__now").innerText().catch(() => ""), { timeout: 10_000 })
      .toBe("The words now read: Given the 1,250 VCF organisations active in Bury");
    expect(await tomThread.getAttribute("data-detached")).toBe("false");

    // He deletes them: Tom's thread says it is detached, and keeps its original quote.
    await selectWords(rahul.page, "Given the 1,250 VCF organisations active in Bury, ");
    await rahul.page.keyboard.press("Backspace");
    await expect.poll(() => editorOf(tom.page).innerText(), { timeout: 10_000 }).not.toContain("VCF organisations active in Bury");
    await expect.poll(() => tomThread.getAttribute("data-detached"), { timeout: 10_000 }).toBe("true");
    expect(await tomThread.innerText()).toContain("Detached: its words were deleted");
    expect(await tomThread.locator("q.thread__quote").innerText()).toBe(QUOTE);
    expect(await tomThread.locator(".thread__now").count()).toBe(0);
    // The editor's own page says the same.
    await expect.poll(() => threadCard(rahul.page, QUOTE).getAttribute("data-detached"), { timeout: 10_000 }).toBe("true");

    expect(await stillSamePage(tom.page)).toBe(true);
    expect(await stillSamePage(rahul.page)).toBe(true);
    expect(await axeViolations(tom.page)).toEqual([]);
    // A fresh load (the server's reading) agrees.
    await tom.page.reload();
    await expect.poll(() => threadCard(tom.page, QUOTE).getAttribute("data-detached"), { timeout: 10_000 }).toBe("true");
    await tom.context.close();
    await rahul.context.close();
  }, 90_000);
});
