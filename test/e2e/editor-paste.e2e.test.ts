import fs from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ACCOUNTS, PLAN_ID } from "../helpers/app-server";
import { seededAppAndBrowser, axeViolations, signedInPage } from "../helpers/browser";

/**
 * Issue 14: pasting from Word or Google Docs keeps lists and emphasis and drops the rest (fonts,
 * colours, images), and a read-only partner sees the same. The paste is a real paste event with
 * the HTML those programs put on the clipboard.
 */
const ACTION_ID = "act-p-bgi-1-3";
const DOC_ID = `doc-${ACTION_ID}`;
const WORD = fs.readFileSync(new URL("../fixtures/word-list.html", import.meta.url), "utf8");
// As Google Docs copies it: a <b> wrapper that is not bold, spans with inline styles, real lists.
const GOOGLE_DOCS =
  '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-0a1b2c3d"><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:700;">Funding</span><span style="font-size:11pt;font-family:Arial,sans-serif;color:#ff0000;"> from the </span><span style="font-size:11pt;font-family:Arial,sans-serif;font-style:italic;">towns fund</span></p><ol style="margin-top:0;margin-bottom:0;"><li dir="ltr" style="list-style-type:decimal;font-size:11pt;"><p dir="ltr" role="presentation"><span style="font-size:11pt;">Bid in June</span></p></li><li dir="ltr" style="list-style-type:decimal;font-size:11pt;"><p dir="ltr" role="presentation"><span style="font-size:11pt;">Decision in <span style="text-decoration:underline;">September</span></span></p></li></ol></b>';

const app = seededAppAndBrowser();

const poll = <T,>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000, interval: 100 });
const editorOf = (page: Page) => page.locator(`[contenteditable][data-doc-id="${DOC_ID}"]`);

async function openPlan(page: Page) {
  await page.goto(`${app.server.url}/plans/${PLAN_ID}`);
  await page.locator(`#action-${ACTION_ID}`).scrollIntoViewIfNeeded();
  await poll(() => editorOf(page).count()).toBe(1);
  await poll(() => page.locator("[data-connection]").getAttribute("data-connection")).toBe("live");
}

/** A paste event carrying `html` (and its words as plain text), as the browser fires one. */
async function paste(page: Page, html: string) {
  await editorOf(page).evaluate((element, markup) => {
    const data = new DataTransfer();
    data.setData("text/html", markup);
    data.setData("text/plain", new DOMParser().parseFromString(markup.replace(/<style[\s\S]*?<\/style>/gi, ""), "text/html").body.textContent ?? "");
    element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, html);
}

describe("pasting into the editor", () => {
  it("keeps Word's and Google Docs' lists, emphasis and links, drops fonts, colours and images, and a read-only partner sees the same", async () => {
    const a = await signedInPage(app.browser, app.server.url, ACCOUNTS.councilEditor);
    const b = await signedInPage(app.browser, app.server.url, ACCOUNTS.viewer);
    await openPlan(a.page);
    await openPlan(b.page);
    const page = a.page;
    await poll(() => editorOf(page).innerText()).not.toBe("");
    await editorOf(page).focus();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");

    await paste(page, WORD);
    const editor = editorOf(page);
    await poll(() => editor.locator("ul > li").count()).toBeGreaterThanOrEqual(2);
    // Word's bullets are a real list, the nested item nested, the numbered list numbered.
    await poll(() => editor.locator("ul ul li").allInnerTexts()).toEqual(["Ask the market office"]);
    expect(await editor.locator("ol > li").allInnerTexts()).toEqual(["First agree the budget", "Then read the guide"]);
    expect(await editor.locator("ol a").getAttribute("href")).toBe("https://example.org/guide");
    expect(await editor.locator("ul > li").first().locator(".editor-bold").innerText()).toBe("stall");
    // No markers left as text, no image, no font or colour.
    expect(await editor.innerText()).not.toMatch(/·|\u00b7/);
    expect(await editor.locator("img").count()).toBe(0);
    expect(await editor.evaluate((e) => [...e.querySelectorAll<HTMLElement>("[style]")].map((s) => s.getAttribute("style")).filter((s) => /font|color/.test(s ?? "")))).toEqual([]);

    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await paste(page, GOOGLE_DOCS);
    await poll(() => editor.locator("ol > li").allInnerTexts()).toEqual(["First agree the budget", "Then read the guide", "Bid in June", "Decision in September"]);
    expect(await editor.locator(".editor-bold", { hasText: "Funding" }).count()).toBe(1);
    expect(await editor.locator(".editor-italic", { hasText: "towns fund" }).count()).toBe(1);
    expect(await editor.locator(".editor-underline", { hasText: "September" }).count()).toBe(1);
    // Google Docs' <b style="font-weight:normal"> wrapper does not make everything bold.
    expect(await editor.locator(".editor-bold", { hasText: "Bid in June" }).count()).toBe(0);

    // The read-only partner sees the same structure, live.
    const seen = editorOf(b.page);
    await poll(() => seen.locator("ul ul li").allInnerTexts()).toEqual(["Ask the market office"]);
    await poll(() => seen.locator("ol > li").count()).toBe(await editor.locator("ol > li").count());
    expect(await seen.locator(".editor-bold", { hasText: "Funding" }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await a.context.close();
    await b.context.close();
  }, 120_000);
});
