import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ACCOUNTS, PLAN_ID } from "../helpers/app-server";
import { seededAppAndBrowser, axeViolations, signedInPage } from "../helpers/browser";

/**
 * Issue 14: the sign-off button follows the live words. While a partner types, the version the
 * button offers changes; a sign-off that races a change is refused beside the button, which then
 * offers the new words; signing again signs the words on screen.
 */
// Led by Bury Council, supported by the VCF Alliance (both accepted in the seed data).
const ACTION_ID = "act-p-ops-2-1";
const DOC_ID = `doc-${ACTION_ID}`;
const app = seededAppAndBrowser();

const cardOf = (page: Page) => page.locator(`#action-${ACTION_ID}`);
const editorOf = (page: Page) => page.locator(`[contenteditable][data-doc-id="${DOC_ID}"]`);
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000 });

async function open(page: Page) {
  await page.goto(`${app.server.url}/plans/${PLAN_ID}?action=${ACTION_ID}#action-${ACTION_ID}`);
  await poll(() => editorOf(page).count()).toBe(1);
  await poll(() => page.locator("[data-connection]").getAttribute("data-connection")).toBe("live");
}

describe("signing off while a partner types", () => {
  it("follows the live words, refuses a sign-off that raced a change beside the button, then signs the words on screen", async () => {
    const council = await signedInPage(app.browser, app.server.url, ACCOUNTS.councilEditor);
    const vcf = await signedInPage(app.browser, app.server.url, ACCOUNTS.vcfAllianceEditor);
    await open(council.page);
    await open(vcf.page);
    const card = cardOf(vcf.page);
    // The card the page lands on has its agreement open.
    const details = card.getByTestId("agreement-details");
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator(":scope > summary").click();
    const version = card.getByTestId("signoff-version");

    // With the agreement panel closed, a partner's typing costs the server no request from this
    // page; opening the panel shows the new words.
    const cardFetches: string[] = [];
    vcf.page.on("request", (r) => {
      if (r.url().includes("/cards/")) cardFetches.push(r.url());
    });
    await details.locator(":scope > summary").click();
    const closedAt = await version.textContent();
    await editorOf(council.page).click();
    await council.page.keyboard.press("Control+End");
    await council.page.keyboard.type(" Funding rules agreed.");
    await poll(() => editorOf(vcf.page).innerText()).toContain("Funding rules agreed.");
    await vcf.page.waitForTimeout(1500);
    expect(cardFetches).toEqual([]);
    await details.locator(":scope > summary").click();
    await poll(() => version.textContent()).not.toBe(closedAt);
    const first = await version.innerText();

    // The council types: the VCF Alliance's button offers the new version, without a reload.
    await editorOf(council.page).click();
    await council.page.keyboard.press("Control+End");
    await council.page.keyboard.type(" Grants open in May.");
    await poll(() => editorOf(vcf.page).innerText()).toContain("Grants open in May.");
    await poll(() => version.innerText()).not.toBe(first);
    const second = await version.innerText();

    // A change reaches the text between the click and the server: the page has not heard of it
    // yet (its card fetch is held back), so the click sends the version it showed.
    await vcf.page.route("**/cards/**", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await route.continue().catch(() => {});
    });
    await council.page.keyboard.type(" Apply online.");
    await poll(() => editorOf(vcf.page).innerText()).toContain("Apply online.");
    expect(await version.innerText()).toBe(second);
    await vcf.page.unroute("**/cards/**");
    await card.getByRole("button", { name: /^Sign off this text for/ }).click();
    const refusal = card.locator(`[data-feedback-for="signoff:${ACTION_ID}"][role="alert"]`);
    await poll(() => refusal.innerText()).toMatch(/changed while you were signing/);
    // Beside the button, and the button now offers the new words.
    await poll(() => version.innerText()).not.toBe(second);
    const third = await version.innerText();
    expect(await vcf.page.locator(".notice--error").count()).toBe(0);
    expect(await axeViolations(vcf.page)).toEqual([]);

    // Signing again signs the words on screen.
    await card.getByRole("button", { name: /^Sign off this text for/ }).click();
    await poll(() => card.locator(`[data-feedback-for="signoff:${ACTION_ID}"][role="status"]`).innerText()).not.toBe("");
    const vcfRow = card.locator("li[data-signed]", { hasText: "Bury Voluntary, Community and Faith Alliance" });
    await poll(() => vcfRow.getAttribute("data-signed")).toBe("yes");
    // A sign-off counts only for the words it signed: these are the ones the button offered.
    expect((await card.getByTestId("agreement").getAttribute("data-fingerprint"))!.startsWith(third)).toBe(true);
    expect(await editorOf(vcf.page).innerText()).toContain("Apply online.");
    await council.context.close();
    await vcf.context.close();
  }, 120_000);
});
