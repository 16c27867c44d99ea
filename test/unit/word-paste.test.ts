import fs from "node:fs";
import { Window } from "happy-dom";
import { describe, expect, it } from "vitest";
import { isFromWord, wordListsToHtmlLists } from "../../app/components/editor/word-paste";

/** Word's clipboard HTML for two lists (one nested), emphasis, a link and an image. */
const WORD = fs.readFileSync(new URL("../fixtures/word-list.html", import.meta.url), "utf8");

function pasted(html: string): Document {
  const window = new Window();
  const doc = new window.DOMParser().parseFromString(html, "text/html") as unknown as Document;
  wordListsToHtmlLists(doc);
  return doc;
}

const texts = (doc: Document, selector: string) => [...doc.querySelectorAll(selector)].map((e) => (e.textContent ?? "").replace(/\s+/g, " ").trim());

describe("pasting from Word", () => {
  it("knows Word's HTML from other HTML", () => {
    expect(isFromWord(WORD)).toBe(true);
    expect(isFromWord('<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1"><ul><li>Item</li></ul></b>')).toBe(false);
  });

  it("turns Word's list paragraphs into real lists, nested by level, without their markers", () => {
    const doc = pasted(WORD);
    const body = doc.body;
    // One bulleted list of two items, the first holding a nested bulleted list; one numbered list.
    expect(body.querySelectorAll(":scope > ul, :scope > ol").length).toBe(2);
    const bullets = body.querySelector(":scope > ul")!;
    // (An item's text runs into its nested list's: textContent has no gap between them.)
    expect(texts(doc, "body > ul > li")).toEqual(["Book the stallAsk the market office", "Health checks"]);
    expect(texts(doc, "body > ul > li > ul > li")).toEqual(["Ask the market office"]);
    expect(texts(doc, "body > ol > li")).toEqual(["First agree the budget", "Then read the guide"]);
    // Emphasis and the link stay for Lexical to import; the markers ("·", "o", "1.") are gone.
    expect(bullets.querySelector("b")?.textContent).toBe("stall");
    expect(body.querySelector("ol u")?.textContent).toBe("agree");
    expect(body.querySelector("ol a")?.getAttribute("href")).toBe("https://example.org/guide");
    expect(body.textContent).not.toMatch(/·|\bo\s+Ask|1\.\s+First/);
    // The paragraphs that held the items are gone; the ordinary ones stay.
    expect(body.querySelectorAll("p[style*='mso-list']").length).toBe(0);
    expect(texts(doc, "body > p")[0]).toBe("Next steps for the market stall");
  });

  it("leaves HTML without Word lists as it was", () => {
    const html = "<p><b>Bold</b> and <i>italic</i></p><ul><li>One</li><li>Two</li></ul>";
    expect(pasted(html).body.innerHTML).toBe(html);
  });
});
