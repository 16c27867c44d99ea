import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser, axeViolations, signedInPage } from "../helpers/browser";

const PROPOSAL = "community-engagement-strategy";
const OVERVIEW = `doc-${PROPOSAL}-overview`;

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

async function openProposal(page: Page) {
  await page.goto(`${server.url}/proposals/${PROPOSAL}`);
  await expect.poll(() => editorOf(page).count(), { timeout: 15_000 }).toBe(1);
  await expect.poll(() => page.locator("[data-connection]").getAttribute("data-connection"), { timeout: 15_000 }).toBe("live");
  await expect.poll(() => editorOf(page).innerText(), { timeout: 10_000 }).toContain("meaningful voice");
  // A full reload would wipe this marker; Remix's own revalidation keeps it.
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
}

const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);

/** Selects `words` in the text the way a mouse drag does: a DOM selection inside the editor. */
async function selectWords(page: Page, words: string) {
  const found = await page.evaluate(
    ({ docId, words }) => {
      const root = document.querySelector(`[contenteditable][data-doc-id="${docId}"]`);
      if (!root) return false;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(words) ?? -1;
        if (at >= 0) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + words.length);
          const selection = window.getSelection()!;
          selection.removeAllRanges();
          selection.addRange(range);
          return true;
        }
      }
      return false;
    },
    { docId: OVERVIEW, words },
  );
  expect(found).toBe(true);
}

const threadCard = (page: Page, quote: string) => page.locator("li.thread", { has: page.locator("q.thread__quote", { hasText: quote }) });

describe("commenting on an engagement proposal in two browsers", () => {
  it("a VCF group comments on a selection; an editor sees it live, replies and resolves; the VCF group sees the resolution live", async () => {
    const vcf = await signedInPage(browser, server.url, ACCOUNTS.vcfCommenter);
    const council = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    await openProposal(vcf.page);
    await openProposal(council.page);
    expect(await editorOf(vcf.page).getAttribute("contenteditable")).toBe("false");

    // Tom (Radcliffe Community Food Network, comment-only) selects words and comments.
    await selectWords(vcf.page, "meaningful voice");
    const commentOnSelection = vcf.page.getByRole("button", { name: "Comment on “meaningful voice”" });
    await commentOnSelection.click();
    const proposalText = vcf.page.locator("section.proposal-text");
    await expect.poll(() => proposalText.getByLabel("Words you are commenting on").inputValue()).toBe("meaningful voice");
    await vcf.page.keyboard.type("What does a meaningful voice look like for groups run by volunteers? @VCF Alliance");
    await proposalText.getByRole("button", { name: "Add comment" }).click();
    await expect.poll(() => proposalText.locator(".notice--success").count(), { timeout: 10_000 }).toBe(1);

    // Sarah (Bury Council, editor) sees the thread and the highlighted words appear without reloading.
    const councilThread = threadCard(council.page, "meaningful voice");
    await expect.poll(() => councilThread.count(), { timeout: 10_000 }).toBe(1);
    await expect
      .poll(() => editorOf(council.page).locator("mark.comment-mark--open", { hasText: "meaningful voice" }).count(), { timeout: 10_000 })
      .toBe(1);
    expect(await councilThread.innerText()).toContain("Tom Fielding");

    // She replies, then resolves the thread.
    await councilThread.getByLabel("Reply to the thread on “meaningful voice”").fill("Evening sessions in each township, run with the Alliance.");
    await councilThread.getByRole("button", { name: "Reply", exact: true }).click();
    const vcfThread = threadCard(vcf.page, "meaningful voice");
    await expect.poll(() => vcfThread.innerText(), { timeout: 10_000 }).toContain("Evening sessions in each township");
    await councilThread.getByRole("button", { name: /^Resolve/ }).click();

    // Tom sees the resolution live: the thread is resolved, its words no longer highlighted.
    await expect.poll(() => threadCard(vcf.page, "meaningful voice").getAttribute("data-status"), { timeout: 10_000 }).toBe("resolved");
    await expect.poll(() => editorOf(vcf.page).locator("mark.comment-mark--open", { hasText: "meaningful voice" }).count()).toBe(0);
    expect(await stillSamePage(vcf.page)).toBe(true);
    expect(await stillSamePage(council.page)).toBe(true);

    await vcf.context.close();
    await council.context.close();
  }, 60_000);

  it("lets an editor select words and start a comment with the keyboard alone", async () => {
    const council = await signedInPage(browser, server.url, ACCOUNTS.nhsEditor);
    await openProposal(council.page);
    const editor = editorOf(council.page);
    await editor.click();
    await council.page.keyboard.press("Control+Home");
    for (let i = 0; i < "The 2021".length; i++) await council.page.keyboard.press("Shift+ArrowRight");
    await council.page.keyboard.press("Tab");
    await expect.poll(() => council.page.evaluate(() => document.activeElement?.textContent ?? "")).toBe("Comment on “The 2021”");
    await council.page.keyboard.press("Enter");
    await expect.poll(() => council.page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("body");
    await council.page.keyboard.type("Name the report in full for readers new to it.");
    await council.page.keyboard.press("Tab"); // Mention an organisation
    await council.page.keyboard.press("Tab"); // Insert mention (disabled: skipped) -> Add comment
    const focused = await council.page.evaluate(() => document.activeElement?.textContent ?? "");
    expect(focused).toBe("Add comment");
    await council.page.keyboard.press("Enter");
    await expect.poll(() => threadCard(council.page, "The 2021").count(), { timeout: 10_000 }).toBe(1);
    // The text itself is unchanged by commenting.
    expect(await editor.innerText()).toContain("The 2021 peer challenge asked the Council");
    await council.context.close();
  }, 45_000);

  it("renders the power-sharing matrix and has no serious or critical accessibility violations", async () => {
    const vcf = await signedInPage(browser, server.url, ACCOUNTS.vcfAllianceEditor);
    await openProposal(vcf.page);
    const matrix = vcf.page.getByTestId("power-sharing-matrix").first();
    const headers = await matrix.locator("thead th").allInnerTexts();
    expect(headers).toEqual(["Stage", "Bury Council", "Bury Voluntary, Community and Faith Alliance"]);
    expect(await matrix.locator("tbody th[scope=row]").allInnerTexts()).toEqual(["Plan", "Do", "Review"]);
    const doForVcf = matrix.locator('td[data-stage="do"][data-organisation="bury-vcf-alliance"]');
    expect(await doForVcf.innerText()).toContain("Asked · pending");
    expect(await doForVcf.innerText()).toContain("Empower (5 of 5)");
    // The VCF Alliance answers its own request, live in the matrix.
    await doForVcf.getByRole("button", { name: /^Accept for Bury Voluntary, Community and Faith Alliance/ }).click();
    await expect.poll(() => doForVcf.innerText(), { timeout: 10_000 }).not.toContain("pending");
    expect(await doForVcf.innerText()).toContain("Empower (5 of 5)");

    expect(await axeViolations(vcf.page)).toEqual([]);
    // ... also with the forms and history opened.
    const first = vcf.page.locator("li.commitment").first();
    for (const summary of [/^Record a level/, /^Power-sharing history/, /^Comments on this commitment/]) {
      await first.locator("summary", { hasText: summary }).click();
    }
    await vcf.page.locator("summary", { hasText: /^Resolved comments/ }).first().click();
    expect(await axeViolations(vcf.page)).toEqual([]);
    await vcf.context.close();

    const tom = await signedInPage(browser, server.url, ACCOUNTS.vcfCommenter);
    await openProposal(tom.page);
    expect(await axeViolations(tom.page)).toEqual([]);
    await tom.page.goto(`${server.url}/proposals`);
    expect(await axeViolations(tom.page)).toEqual([]);
    await tom.page.goto(`${server.url}/notifications`);
    expect(await axeViolations(tom.page)).toEqual([]);
    await tom.context.close();
  }, 60_000);
});
