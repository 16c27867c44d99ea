/**
 * Lists, headings and links (the toolbar's nodes) through every server-side reader: the shape
 * rules, the lines read by agreement, CSV and reports, comment anchors, suggestions and restores.
 */
import { $createLinkNode } from "@lexical/link";
import { $createListItemNode, $createListNode, $isListNode } from "@lexical/list";
import { $createHeadingNode } from "@lexical/rich-text";
import JSZip from "jszip";
import { Packer } from "docx";
import { $createParagraphNode, $createTextNode, $getRoot, type LexicalNode } from "lexical";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { fingerprintOf } from "../../server/documents/agreement-text";
import {
  addMark,
  initialContentUpdate,
  readContent,
  readMarks,
  readParagraphs,
  replaceContent,
  replaceStructure,
} from "../../server/documents/lexical-content";
import { editWithLexical, locateQuote, replaceQuotedRange } from "../../server/documents/lexical-range-edit";
import { documentShapeProblem, lexicalDocumentGuard, measureDocument } from "../../server/documents/lexical-shape";
import { exportActionsCsv } from "../../server/accountability/csv";
import { documentFromModel } from "../../server/accountability/report-docx";

const item = (...children: LexicalNode[]) => $createListItemNode().append(...children);
const text = (t: string) => $createTextNode(t);

/** A document the toolbar could make: a heading, a paragraph with a link, a nested bulleted list and a numbered list. */
function richDoc(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initialContentUpdate([""]));
  editWithLexical(doc, () => {
    const root = $getRoot();
    root.clear();
    const bold = text("Market");
    bold.toggleFormat("bold");
    root.append(
      $createHeadingNode("h2").append(text("Next steps")),
      $createParagraphNode().append(text("See "), $createLinkNode("https://example.org/guide").append(text("the guide")), text(".")),
      $createListNode("bullet").append(
        item(bold, text(" stall")),
        item(text("Health checks")),
        item($createListNode("bullet").append(item(text("Blood pressure")))),
      ),
      $createListNode("number").append(item(text("Book the hall")), item(text("Invite partners"))),
    );
  });
  return doc;
}

describe("the shape rules accept the toolbar's nodes, nested as Lexical nests them", () => {
  it("reads a document with headings, links and nested lists", () => {
    const doc = richDoc();
    expect(documentShapeProblem(doc)).toBeNull();
    const content = readContent(doc);
    expect(content.readable).toBe(true);
  });

  /** The XmlText of the root's block `i`, and so on down. */
  const blockAt = (doc: Y.Doc, ...path: number[]) => {
    let t = doc.get("root", Y.XmlText);
    for (const i of path) t = (t.toDelta() as { insert: unknown }[]).filter((d) => d.insert instanceof Y.XmlText)[i].insert as Y.XmlText;
    return t;
  };

  it.each([
    ["a list item straight under the root", [2], "listitem", /“listitem” where it cannot stand \(inside the root\)/],
    ["a list holding text (a paragraph turned into a list)", [1], "list", /characters where a “list” cannot hold them|text node where a “list” cannot hold one/],
    ["a paragraph inside a list", [2, 0], "paragraph", /“paragraph” where it cannot stand \(inside “list”\)/],
    ["a heading inside a list item", [2, 2, 0], "heading", /“heading” where it cannot stand \(inside “listitem”\)/],
    ["a node type the editor does not have", [0], "table", /“table”/],
  ])("refuses %s, in the sync server's guard and in the whole-document check", (_what, path, type, message) => {
    const doc = richDoc();
    const tally = measureDocument(doc);
    let refused: string | null = null;
    doc.transact((tr) => {
      blockAt(doc, ...(path as number[])).setAttribute("__type", type as string);
      refused = lexicalDocumentGuard.check(doc, tr, tally);
    });
    expect(refused).toMatch(message as RegExp);
    expect(documentShapeProblem(doc)).toMatch(message as RegExp);
  });
});

describe("lines: what agreement, search, CSV and reports read", () => {
  it("reads each list item as a line with its marker, nested items indented, links with their address", () => {
    const content = readContent(richDoc());
    if (!content.readable) throw new Error("unreadable");
    expect(content.lines).toEqual([
      "Next steps",
      "See the guide (https://example.org/guide).",
      "• Market stall",
      "• Health checks",
      "  • Blood pressure",
      "1. Book the hall",
      "2. Invite partners",
    ]);
    // Anchors still index blocks: the list is one block, its items joined as Lexical joins them.
    expect(content.paragraphs[2]).toBe("Market stall\n\nHealth checks\n\nBlood pressure");
  });

  it("reads a document without lists or links exactly as its paragraphs, so earlier fingerprints hold", () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, initialContentUpdate(["First paragraph.", "Second\nwith a line break."]));
    const content = readContent(doc);
    if (!content.readable) throw new Error("unreadable");
    expect(content.lines).toEqual(content.paragraphs);
  });

  it("fingerprints the list's words and markers: bulleted to numbered, or a new address, re-opens agreement; bold does not", () => {
    const fingerprint = (doc: Y.Doc) => {
      const c = readContent(doc);
      if (!c.readable) throw new Error("unreadable");
      return fingerprintOf({ title: "Action", paragraphs: c.lines });
    };
    const doc = richDoc();
    const before = fingerprint(doc);
    editWithLexical(doc, () => {
      const list = $getRoot().getChildAtIndex(3);
      if ($isListNode(list)) list.setListType("bullet");
    });
    expect(fingerprint(doc)).not.toBe(before);

    const other = richDoc();
    const same = fingerprint(other);
    editWithLexical(other, () => {
      for (const t of $getRoot().getAllTextNodes()) t.setFormat(0);
    });
    expect(fingerprint(other)).toBe(same);
  });

  it("exports lists to CSV as text, one item a line with its marker", () => {
    const content = readContent(richDoc());
    if (!content.readable) throw new Error("unreadable");
    const priority = { code: "P1", title: "Priority", actions: [{ id: "a1", title: "Action", lead: null, supporting: [], dueLabel: "", milestones: [], kpis: [], recommendations: [], rag: { status: "green", reasons: [] }, latest: null }] };
    const csv = exportActionsCsv([priority] as never, new Map([["a1", content.lines.join("\n\n")]]));
    expect(csv).toContain("• Market stall\n\n• Health checks\n\n  • Blood pressure\n\n1. Book the hall");
  });

  it("writes the list markers into the Word report", async () => {
    const content = readContent(richDoc());
    if (!content.readable) throw new Error("unreadable");
    const report = {
      title: "Report",
      description: "",
      author: "Test",
      header: "",
      footer: "",
      blocks: content.lines.map((line) => ({ kind: "paragraph" as const, style: "quote" as const, runs: [{ text: line }] })),
    };
    const buffer = await Packer.toBuffer(documentFromModel(report as never, { cover: false }));
    const xml = await (await JSZip.loadAsync(buffer)).file("word/document.xml")!.async("string");
    for (const line of ["• Market stall", "1. Book the hall", "See the guide (https://example.org/guide)."]) expect(xml).toContain(line.trim());
  });
});

describe("comment anchors and suggestions inside lists", () => {
  it("anchors a comment on words of the second list item, and the list stays a list", () => {
    const doc = richDoc();
    const blocks = readParagraphs(doc);
    const at = blocks[2].indexOf("Health");
    addMark(doc, { start: { block: 2, offset: at }, end: { block: 2, offset: at + "Health checks".length } }, "thread-1", { expectedText: "Health checks" });
    expect(readMarks(doc).get("thread-1")).toBe("Health checks");
    const content = readContent(doc);
    if (!content.readable) throw new Error("unreadable");
    expect(content.lines.slice(2, 5)).toEqual(["• Market stall", "• Health checks", "  • Blood pressure"]);
    expect(documentShapeProblem(doc)).toBeNull();
  });

  it("applies a suggestion to words of a nested list item", () => {
    const doc = richDoc();
    const range = locateQuote(readParagraphs(doc), { quote: "Blood pressure" });
    if (typeof range === "string") throw new Error(range);
    replaceQuotedRange(doc, range, "Blood pressure and sugar");
    const content = readContent(doc);
    if (!content.readable) throw new Error("unreadable");
    expect(content.lines[4]).toBe("  • Blood pressure and sugar");
    expect(content.lines[3]).toBe("• Health checks");
  });
});

describe("versions and restore keep lists, headings and links", () => {
  it("restores the saved structure over flattened text, without the comment marks", () => {
    const doc = richDoc();
    addMark(doc, { start: { block: 3, offset: 0 }, end: { block: 3, offset: 4 } }, "thread-2", { expectedText: "Book" });
    const saved = readContent(doc);
    if (!saved.readable) throw new Error("unreadable");
    expect(JSON.stringify(saved.structure)).not.toContain('"mark"');

    replaceContent(doc, ["Everything flattened."]);
    replaceStructure(doc, saved.structure);

    const restored = readContent(doc);
    if (!restored.readable) throw new Error("unreadable");
    expect(restored.lines).toEqual(saved.lines);
    expect(restored.structure).toEqual(saved.structure);
    expect(documentShapeProblem(doc)).toBeNull();
    // A replica receiving the restore as an update reads the same.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const seen = readContent(replica);
    expect(seen.readable && seen.lines).toEqual(saved.lines);
    expect(readMarks(doc).size).toBe(0);
  });
});
