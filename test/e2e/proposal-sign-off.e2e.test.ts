// Issue 16, acceptance 2: two partners sign off a section of an engagement proposal in their own
// browsers; it shows agreed on both pages; an edit of its words re-opens it live; axe is clean.
import type { Page } from "playwright-core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { launchBrowser, axeViolations, signedInPage } from "../helpers/browser";

const PROPOSAL = "community-engagement-strategy";
// Its power-sharing record names Bury Council and the VCF Alliance (both agreed levels in the seed).
const SECTION = "act-ces-co-design-with-vcf";

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

const panelOf = (page: Page) => page.locator(`#commitment-${SECTION} [data-testid="agreement"]`);
const statusOf = (page: Page) => panelOf(page).getAttribute("data-agreement-status");

async function open(page: Page) {
  await page.goto(`${server.url}/proposals/${PROPOSAL}`);
  await expect.poll(() => page.locator("[data-connection]").first().getAttribute("data-connection"), { timeout: 15_000 }).toBe("live");
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
}

describe("signing off a proposal section on equal terms", () => {
  it("is agreed when both partners in its power-sharing record have signed the same words, and an edit re-opens it live", async () => {
    const council = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    const vcf = await signedInPage(browser, server.url, ACCOUNTS.vcfAllianceEditor);
    await open(council.page);
    await open(vcf.page);

    expect(await statusOf(council.page)).toBe("draft");
    const summary = council.page.getByTestId("section-agreement-summary");
    expect(await summary.innerText()).toMatch(/0 of 3 sections agreed/);
    expect(await panelOf(council.page).innerText()).toMatch(/Bury Voluntary, Community and Faith Alliance[\s\S]*not signed off this text/);

    // The council signs for itself: proposed, on both pages, without a reload of the other.
    await panelOf(council.page).getByRole("button", { name: /Sign off this text for Bury Council/ }).click();
    await expect.poll(() => statusOf(council.page), { timeout: 10_000 }).toBe("proposed");
    await expect.poll(() => statusOf(vcf.page), { timeout: 10_000 }).toBe("proposed");
    expect(await panelOf(vcf.page).innerText()).toContain("Waiting for Bury Voluntary, Community and Faith Alliance");

    // The VCF Alliance signs the same words: agreed, on both pages.
    await panelOf(vcf.page).getByRole("button", { name: /Sign off this text for Bury Voluntary, Community and Faith Alliance/ }).click();
    await expect.poll(() => statusOf(vcf.page), { timeout: 10_000 }).toBe("agreed");
    await expect.poll(() => statusOf(council.page), { timeout: 10_000 }).toBe("agreed");
    await expect.poll(() => summary.innerText(), { timeout: 10_000 }).toMatch(/1 of 3 sections agreed/);
    expect(await summary.innerText()).toMatch(/Bury Council: signed 1 of the 2 sections it is named on/);
    expect(await axeViolations(council.page)).toEqual([]);

    // The council changes a word of the section in the live editor: sign-off opens again, live.
    const editor = council.page.locator(`[contenteditable][data-doc-id="doc-${SECTION}"]`);
    await expect.poll(() => editor.count(), { timeout: 15_000 }).toBe(1);
    await editor.click();
    await council.page.keyboard.press("Control+End");
    await council.page.keyboard.type(" Reviewed with the VCF Alliance each quarter.");
    await expect.poll(() => statusOf(vcf.page), { timeout: 15_000 }).toBe("changed");
    await expect.poll(() => statusOf(council.page), { timeout: 15_000 }).toBe("changed");
    expect(await panelOf(vcf.page).getByTestId("agreement-status").innerText()).toBe("Changed since agreed");
    expect(await panelOf(vcf.page).getByTestId("comparison").innerText()).toContain("Reviewed with the VCF Alliance each quarter.");
    await expect.poll(() => vcf.page.getByTestId("section-agreement-summary").innerText()).toMatch(/0 of 3 sections agreed/);
    expect(await vcf.page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await axeViolations(vcf.page)).toEqual([]);
    await council.context.close();
    await vcf.context.close();
  }, 120_000);

  it("follows the live words: a partner types and the other's sign-off button offers the new version, which it then signs", async () => {
    const council = await signedInPage(browser, server.url, ACCOUNTS.councilEditor);
    const vcf = await signedInPage(browser, server.url, ACCOUNTS.vcfAllianceEditor);
    await open(council.page);
    await open(vcf.page);
    // Editors start when their text comes into view.
    for (const page of [council.page, vcf.page]) await page.locator(`#commitment-${SECTION}`).scrollIntoViewIfNeeded();
    const version = panelOf(vcf.page).getByTestId("signoff-version");
    const before = await version.innerText();
    const editor = council.page.locator(`[contenteditable][data-doc-id="doc-${SECTION}"]`);
    await expect.poll(() => editor.count(), { timeout: 15_000 }).toBe(1);
    await editor.click();
    await council.page.keyboard.press("Control+End");
    await council.page.keyboard.type(" Grants are co-designed too.");
    const seen = vcf.page.locator(`[contenteditable][data-doc-id="doc-${SECTION}"]`);
    await expect.poll(() => seen.innerText(), { timeout: 15_000 }).toContain("Grants are co-designed too.");
    // Without a reload, the VCF Alliance's button offers the words now on screen, and signs them.
    await expect.poll(() => version.innerText(), { timeout: 10_000 }).not.toBe(before);
    await panelOf(vcf.page).getByRole("button", { name: /Sign off this text for Bury Voluntary, Community and Faith Alliance/ }).click();
    // Accepted at once (not refused for words that moved on): the VCF Alliance's sign-off is listed.
    await expect.poll(() => panelOf(vcf.page).innerText(), { timeout: 10_000 }).toMatch(/Faith Alliance[^\n]*signed off by/);
    expect(await vcf.page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await axeViolations(vcf.page)).toEqual([]);
    await council.context.close();
    await vcf.context.close();
  }, 120_000);

  it("shows a partner's one-page statement with its power-sharing commitments; axe is clean", async () => {
    const vcf = await signedInPage(browser, server.url, ACCOUNTS.vcfAllianceEditor);
    await vcf.page.goto(`${server.url}/my-organisation/statement`);
    const statement = vcf.page.getByTestId("partner-statement");
    expect(await statement.getByRole("heading", { level: 1 }).innerText()).toBe("Bury Voluntary, Community and Faith Alliance: partner statement");
    expect(await statement.innerText()).toMatch(/Power-sharing commitments \(\d+\)/);
    expect(await vcf.page.getByRole("link", { name: /Download this statement \(Word/ }).count()).toBe(1);
    expect(await axeViolations(vcf.page)).toEqual([]);
    await vcf.context.close();
    // The facilitator's form for the words of the board report, on the Reports page.
    const facilitator = await signedInPage(browser, server.url, ACCOUNTS.facilitator);
    await facilitator.page.goto(`${server.url}/plans/lets-do-it-action-plan/reports`);
    expect(await facilitator.page.getByLabel("Recommendations", { exact: true }).count()).toBe(1);
    expect(await facilitator.page.getByRole("link", { name: /OpenDocument text/ }).count()).toBe(1);
    expect(await axeViolations(facilitator.page)).toEqual([]);
    await facilitator.context.close();
  }, 60_000);
});
