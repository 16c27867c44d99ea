import { $createLineBreakNode, $createParagraphNode, $createTextNode, $getRoot, $isTextNode, type ElementNode } from "lexical";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { initialContentUpdate, readParagraphs } from "../../server/documents/lexical-content";
import {
  editWithLexical,
  locateQuote,
  QuoteMovedError,
  replaceQuotedRange,
} from "../../server/documents/lexical-range-edit";

function docWith(paragraphs: string[]): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initialContentUpdate(paragraphs));
  return doc;
}

function replica(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function syncBoth(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** Text nodes of each block with their formats, to see that formatting outside the range stays. */
function runs(doc: Y.Doc): { text: string; format: number }[][] {
  return editWithLexical(doc, () =>
    $getRoot()
      .getChildren()
      .map((block) =>
        (block as ElementNode)
          .getChildren()
          .filter($isTextNode)
          .map((t) => ({ text: t.getTextContent(), format: t.getFormat() })),
      ),
  );
}

describe("locateQuote", () => {
  const paragraphs = ["The cat sat on the mat.", "A second cat."];
  it("keeps the remembered place while the quote is still there", () => {
    expect(locateQuote(paragraphs, { quote: "cat", blockIndex: 1, start: 9 })).toEqual({ blockIndex: 1, start: 9, end: 12, quote: "cat" });
  });
  it("finds the quote again in its block after an edit earlier in the paragraph", () => {
    expect(locateQuote(["Now the cat sat on the mat."], { quote: "sat on", blockIndex: 0, start: 8 })).toEqual({
      blockIndex: 0,
      start: 12,
      end: 18,
      quote: "sat on",
    });
  });
  it("refuses to guess between several places", () => {
    expect(locateQuote(paragraphs, { quote: "cat" })).toBe("ambiguous");
    expect(locateQuote(paragraphs, { quote: "dog" })).toBe("not-found");
    expect(locateQuote(paragraphs, { quote: "" })).toBe("not-found");
  });
});

describe("replaceQuotedRange", () => {
  it("replaces exactly the range and nothing else", () => {
    const doc = docWith(["The cat sat on the mat.", "Second paragraph stays."]);
    const at = replaceQuotedRange(doc, { blockIndex: 0, start: 4, end: 7, quote: "cat" }, "small dog");
    expect(at).toEqual({ blockIndex: 0, start: 4, end: 7, quote: "cat" });
    expect(readParagraphs(doc)).toEqual(["The small dog sat on the mat.", "Second paragraph stays."]);
  });

  it("keeps formatting outside the range and gives the new words the first replaced character's format", () => {
    const doc = docWith([""]);
    editWithLexical(doc, () => {
      const p = $createParagraphNode();
      p.append($createTextNode("Plain start, "), $createTextNode("bold middle").toggleFormat("bold"), $createTextNode(", plain end."));
      $getRoot().clear().append(p);
    });
    // Range spans the end of the first run and the start of the bold run.
    replaceQuotedRange(doc, { blockIndex: 0, start: 6, end: 18, quote: "start, bold " }, "opening, strong ");
    expect(readParagraphs(doc)).toEqual(["Plain opening, strong middle, plain end."]);
    const [first] = runs(doc);
    expect(first[0]).toEqual({ text: "Plain opening, strong ", format: 0 });
    expect(first.find((r) => r.text.includes("middle"))?.format).toBe(1);
    expect(first.at(-1)).toEqual({ text: ", plain end.", format: 0 });
  });

  it("counts a line break as one character, as readParagraphs does", () => {
    const doc = docWith([""]);
    editWithLexical(doc, () => {
      const p = $createParagraphNode();
      p.append($createTextNode("Line one"), $createLineBreakNode(), $createTextNode("line two here"));
      $getRoot().clear().append(p);
    });
    expect(readParagraphs(doc)).toEqual(["Line one\nline two here"]);
    replaceQuotedRange(doc, { blockIndex: 0, start: 14, end: 17, quote: "two" }, "2");
    expect(readParagraphs(doc)).toEqual(["Line one\nline 2 here"]);
  });

  it("deletes when the replacement is empty", () => {
    const doc = docWith(["Keep this, drop this."]);
    replaceQuotedRange(doc, { blockIndex: 0, start: 9, end: 20, quote: ", drop this" }, "");
    expect(readParagraphs(doc)).toEqual(["Keep this."]);
  });

  it("makes a small update that merges with a concurrent edit elsewhere in the same paragraph", () => {
    const server = docWith(["Deliver the market hall by March."]);
    const browser = replica(server);
    // A browser types at the end while the server applies the suggestion.
    editWithLexical(browser, () => {
      const text = $getRoot().getFirstDescendant();
      if ($isTextNode(text)) text.setTextContent(`${text.getTextContent()} With traders.`);
    });
    const before = Y.encodeStateVector(server);
    replaceQuotedRange(server, { blockIndex: 0, start: 19, end: 23, quote: "hall" }, "square");
    const delta = Y.encodeStateAsUpdate(server, before);
    expect(delta.byteLength).toBeLessThan(120);
    syncBoth(server, browser);
    expect(readParagraphs(server)).toEqual(["Deliver the market square by March. With traders."]);
    expect(readParagraphs(browser)).toEqual(readParagraphs(server));
  });

  it("throws and changes nothing when the quote has gone", () => {
    const doc = docWith(["The words moved on."]);
    const before = Y.encodeStateAsUpdate(doc);
    let updates = 0;
    doc.on("update", () => (updates += 1));
    expect(() => replaceQuotedRange(doc, { blockIndex: 0, start: 4, end: 9, quote: "cat" }, "dog")).toThrow(QuoteMovedError);
    expect(updates).toBe(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it("applies the change in one transaction with the given origin", () => {
    const doc = docWith(["One two three."]);
    const origins: unknown[] = [];
    doc.on("update", (_u: Uint8Array, origin: unknown) => origins.push(origin));
    replaceQuotedRange(doc, { blockIndex: 0, start: 4, end: 7, quote: "two" }, "2", { origin: "mine" });
    expect(origins).toEqual(["mine"]);
  });
});
