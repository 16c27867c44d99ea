import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  AnchorMismatchError,
  SERVER_CONTENT_ORIGIN,
  addMark,
  initialContentUpdate,
  markRangeUpdate,
  plainText,
  readMarks,
  readParagraphs,
  replaceContent,
} from "../../server/documents/lexical-content";
import { findQuote, textOfRange } from "../../server/documents/text-anchors";
import { createLexicalClient, syncDocs } from "../helpers/lexical-client";

const PARAGRAPHS = [
  "Work with others to co-design the Community Engagement Strategy.",
  "How far the Council is willing to share space and power in the plan, do and review stages.",
  "Review dates are agreed by each partner.",
];

function docFrom(...updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
}

/** The range of the first occurrence of `words`. */
function rangeOf(paragraphs: string[], words: string) {
  const [found] = findQuote(paragraphs, words);
  if (!found) throw new Error(`"${words}" not found`);
  return found;
}

describe("textOfRange and findQuote", () => {
  it("reads ranges in one block and across blocks, and refuses out-of-bounds ranges", () => {
    expect(textOfRange(["abc", "def"], { start: { block: 0, offset: 1 }, end: { block: 0, offset: 3 } })).toBe("bc");
    expect(textOfRange(["abc", "def", "ghi"], { start: { block: 0, offset: 2 }, end: { block: 2, offset: 1 } })).toBe(
      "c\n\ndef\n\ng",
    );
    expect(textOfRange(["abc"], { start: { block: 0, offset: 2 }, end: { block: 0, offset: 9 } })).toBeNull();
    expect(textOfRange(["abc"], { start: { block: 1, offset: 0 }, end: { block: 1, offset: 1 } })).toBeNull();
    expect(textOfRange(["abc"], { start: { block: 0, offset: 2 }, end: { block: 0, offset: 1 } })).toBeNull();
  });

  it("finds every occurrence inside blocks", () => {
    expect(findQuote(["a plan, a plan", "plan"], "plan")).toEqual([
      { start: { block: 0, offset: 2 }, end: { block: 0, offset: 6 } },
      { start: { block: 0, offset: 10 }, end: { block: 0, offset: 14 } },
      { start: { block: 1, offset: 0 }, end: { block: 1, offset: 4 } },
    ]);
    expect(findQuote(["abc"], "")).toEqual([]);
  });
});

describe("addMark", () => {
  it("wraps exactly the range, keeps the text, and reads back as a mark", () => {
    const doc = docFrom(initialContentUpdate(PARAGRAPHS));
    const range = rangeOf(PARAGRAPHS, "share space and power");
    const origins: unknown[] = [];
    doc.on("update", (_u: Uint8Array, origin: unknown) => origins.push(origin));
    addMark(doc, range, "thr-1", { expectedText: "share space and power" });
    expect(origins).toEqual([SERVER_CONTENT_ORIGIN]);
    expect(readParagraphs(doc)).toEqual(PARAGRAPHS);
    expect(plainText(doc)).toBe(PARAGRAPHS.join("\n\n"));
    expect(readMarks(doc)).toEqual(new Map([["thr-1", "share space and power"]]));
  });

  it("changes nothing when the text no longer matches, or the range is empty or out of bounds", () => {
    const doc = docFrom(initialContentUpdate(PARAGRAPHS));
    let updates = 0;
    doc.on("update", () => updates++);
    const range = rangeOf(PARAGRAPHS, "share space and power");
    expect(() => addMark(doc, range, "thr-1", { expectedText: "share space and control" })).toThrow(AnchorMismatchError);
    expect(() => addMark(doc, { start: range.start, end: range.start }, "thr-2")).toThrow(AnchorMismatchError);
    expect(() => addMark(doc, { start: { block: 7, offset: 0 }, end: { block: 7, offset: 3 } }, "thr-3")).toThrow(
      AnchorMismatchError,
    );
    expect(updates).toBe(0);
    expect(readMarks(doc).size).toBe(0);
  });

  it("is a minimal change: a concurrent edit elsewhere in the same block and in another block survives", () => {
    const update = initialContentUpdate(PARAGRAPHS);
    const server = docFrom(update);
    const client = createLexicalClient();
    Y.applyUpdate(client.doc, update, "remote");
    // The client edits before the mark reaches it ...
    client.insertText({ block: 1, offset: 0 }, "Decide: ");
    client.insertText({ block: 2, offset: PARAGRAPHS[2].length - 1 }, " in writing");
    // ... while the server marks words in block 1.
    addMark(server, rangeOf(PARAGRAPHS, "willing to share"), "thr-1");
    syncDocs(server, client.doc);
    const expected = [
      PARAGRAPHS[0],
      `Decide: ${PARAGRAPHS[1]}`,
      "Review dates are agreed by each partner in writing.",
    ];
    expect(readParagraphs(server)).toEqual(expected);
    expect(client.paragraphs()).toEqual(expected);
    expect(readMarks(server).get("thr-1")).toBe("willing to share");
    expect(client.marks().get("thr-1")).toBe("willing to share");
    expect(client.errors).toEqual([]);

    // For contrast, replaceContent rewrites every block and the same concurrent edit is lost.
    const other = docFrom(update);
    const otherClient = createLexicalClient();
    Y.applyUpdate(otherClient.doc, update, "remote");
    otherClient.insertText({ block: 1, offset: 0 }, "Decide: ");
    replaceContent(other, PARAGRAPHS);
    syncDocs(other, otherClient.doc);
    expect(readParagraphs(other)[1]).toBe(PARAGRAPHS[1]);
  });

  it("keeps pointing at the right words while two clients edit before, inside and after it", () => {
    const server = docFrom(initialContentUpdate(PARAGRAPHS));
    const words = "co-design the Community Engagement Strategy";
    addMark(server, rangeOf(PARAGRAPHS, words), "thr-1", { expectedText: words });
    const a = createLexicalClient({ id: "a" });
    const b = createLexicalClient({ id: "b" });
    syncDocs(server, a.doc);
    syncDocs(server, b.doc);

    // Concurrent: neither has seen the other's edits.
    a.insertText({ block: 0, offset: 0 }, "Together, ");
    const afterEnd = PARAGRAPHS[0].indexOf(words) + words.length;
    a.insertText({ block: 0, offset: "Together, ".length + afterEnd }, " by March");
    b.insertText({ block: 0, offset: PARAGRAPHS[0].indexOf("Engagement") }, "and Participation ");

    syncDocs(a.doc, server);
    syncDocs(b.doc, server);
    syncDocs(a.doc, server);
    const expectedBlock = "Together, Work with others to co-design the Community and Participation Engagement Strategy by March.";
    for (const paragraphs of [readParagraphs(server), a.paragraphs(), b.paragraphs()]) {
      expect(paragraphs[0]).toBe(expectedBlock);
    }
    const now = "co-design the Community and Participation Engagement Strategy";
    expect(readMarks(server).get("thr-1")).toBe(now);
    expect(a.marks().get("thr-1")).toBe(now);
    expect(b.marks().get("thr-1")).toBe(now);
    expect([...a.errors, ...b.errors]).toEqual([]);

    // Deleting the marked words removes the mark: the thread becomes detached.
    const paragraphs = a.paragraphs();
    a.deleteRange(rangeOf(paragraphs, now));
    syncDocs(a.doc, server);
    syncDocs(b.doc, server);
    expect(readMarks(server).has("thr-1")).toBe(false);
    expect(b.marks().has("thr-1")).toBe(false);
    expect(readParagraphs(server)[0]).toBe("Together, Work with others to  by March.");
  });

  it("keeps edits made concurrently with the comment where they were typed", () => {
    const P = ["Work with others to co-design the Community Engagement Strategy by March."];
    const update = initialContentUpdate(P);
    const server = docFrom(update);
    const a = createLexicalClient({ id: "a" });
    const b = createLexicalClient({ id: "b" });
    Y.applyUpdate(a.doc, update, "remote");
    Y.applyUpdate(b.doc, update, "remote");
    // In flight when the comment is made: A types after the words and before them, B inside them.
    a.insertText({ block: 0, offset: P[0].indexOf(" by March") }, " (draft)");
    a.insertText({ block: 0, offset: P[0].indexOf("co-design") }, "jointly ");
    b.insertText({ block: 0, offset: P[0].indexOf("Engagement") }, "and Participation ");
    addMark(server, rangeOf(P, "Community Engagement Strategy"), "thr-1");
    syncDocs(a.doc, server);
    syncDocs(b.doc, server);
    syncDocs(a.doc, server);
    const expected = [
      "Work with others to jointly co-design the and Participation Community Engagement Strategy (draft) by March.",
    ];
    for (const c of [a, b]) {
      expect(c.paragraphs()).toEqual(expected);
      expect(c.marks()).toEqual(new Map([["thr-1", "Community Engagement Strategy"]]));
    }
    expect(readParagraphs(server)).toEqual(expected);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it.each([
    ["at the start of a block", "Work with others"],
    ["at the end of a block", "Engagement Strategy."],
    ["a whole block", PARAGRAPHS[0]],
    ["inside an existing mark", "Community"],
  ])("wraps a range %s", (_case, words) => {
    const doc = docFrom(initialContentUpdate(PARAGRAPHS));
    addMark(doc, rangeOf(PARAGRAPHS, "the Community Engagement"), "thr-outer");
    const client = createLexicalClient();
    syncDocs(doc, client.doc);
    const events: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => events.push(u));
    addMark(doc, rangeOf(PARAGRAPHS, words), "thr-new", { expectedText: words });
    for (const u of events) Y.applyUpdate(client.doc, u, "remote");
    const expected = new Map([
      ["thr-outer", "the Community Engagement"],
      ["thr-new", words],
    ]);
    if (words === PARAGRAPHS[0]) expected.set("thr-outer", "the Community Engagement");
    expect(readMarks(doc)).toEqual(expected);
    expect(client.marks()).toEqual(expected);
    expect(readParagraphs(doc)).toEqual(PARAGRAPHS);
    expect(client.paragraphs()).toEqual(PARAGRAPHS);
    expect(client.errors).toEqual([]);
  });

  it("wraps a range across blocks and nests an overlapping mark", () => {
    const doc = docFrom(initialContentUpdate(PARAGRAPHS));
    const range = {
      start: { block: 0, offset: PARAGRAPHS[0].indexOf("Strategy") },
      end: { block: 1, offset: "How far".length },
    };
    addMark(doc, range, "thr-multi", { expectedText: "Strategy.\n\nHow far" });
    addMark(doc, rangeOf(PARAGRAPHS, "Community Engagement Strategy"), "thr-overlap");
    const marks = readMarks(doc);
    expect(marks.get("thr-multi")).toBe("Strategy.\n\nHow far");
    expect(marks.get("thr-overlap")).toBe("Community Engagement Strategy");
    expect(readParagraphs(doc)).toEqual(PARAGRAPHS);
  });

  it("produces an update a browser-like client renders as a mark", () => {
    const doc = docFrom(initialContentUpdate(PARAGRAPHS));
    const client = createLexicalClient();
    syncDocs(doc, client.doc);
    const update = markRangeUpdate(doc, rangeOf(PARAGRAPHS, "Review dates"), "thr-9");
    // A small update, not a rewrite of the document.
    expect(update.byteLength).toBeLessThan(Y.encodeStateAsUpdate(doc).byteLength / 2);
    Y.applyUpdate(client.doc, update, "remote");
    expect(client.marks()).toEqual(new Map([["thr-9", "Review dates"]]));
    expect(client.paragraphs()).toEqual(PARAGRAPHS);
  });
});
