import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { blockClientCounts, clientAuthors, paragraphAuthorship } from "../../server/documents/authorship";
import { initialContentUpdate, readParagraphs, replaceContent } from "../../server/documents/lexical-content";

/** A document log as the server stores it: each update with the user and organisation it came from. */
function logOf(doc: Y.Doc) {
  const rows: { update: Uint8Array; user_id: number | null; organisation_id: string | null }[] = [];
  let author: { user_id: number | null; organisation_id: string | null } = { user_id: null, organisation_id: null };
  doc.on("update", (update: Uint8Array) => rows.push({ update, ...author }));
  return {
    rows,
    as<T>(who: typeof author, fn: () => T): T {
      author = who;
      try {
        return fn();
      } finally {
        author = { user_id: null, organisation_id: null };
      }
    },
  };
}

describe("who wrote this", () => {
  it("credits imported text to nobody and each later edit to its author, per paragraph", () => {
    const doc = new Y.Doc();
    const log = logOf(doc);
    Y.applyUpdate(doc, initialContentUpdate(["First paragraph from the Corporate Plan.", "Second paragraph."]));
    const imported = paragraphAuthorship(doc, clientAuthors(log.rows));
    expect(imported.map((p) => p.authors.map((a) => a.userId))).toEqual([[null], [null]]);

    // Typing into the second paragraph, as a browser would: its own Yjs client (Rahul, NHS).
    const browser = new Y.Doc();
    Y.applyUpdate(browser, Y.encodeStateAsUpdate(doc));
    browser.on("update", (u: Uint8Array) => log.as({ user_id: 9, organisation_id: "nhs-bury-ccg" }, () => Y.applyUpdate(doc, u)));
    const block = (i: number) => (browser.get("root", Y.XmlText) as Y.XmlText).toDelta()[i].insert as Y.XmlText;
    block(1).insert(block(1).length, " NHS adds.");

    const mixed = paragraphAuthorship(doc, clientAuthors(log.rows));
    expect(mixed.map((p) => p.text)).toEqual(["First paragraph from the Corporate Plan.", "Second paragraph. NHS adds."]);
    expect(mixed[0].authors).toEqual([{ userId: null, organisationId: null, characters: 40 }]);
    expect(mixed[1].authors).toEqual([
      { userId: null, organisationId: null, characters: "Second paragraph.".length },
      { userId: 9, organisationId: "nhs-bury-ccg", characters: " NHS adds.".length },
    ]);

    // A server-side rewrite (a restored version) re-creates every block: it is credited to whoever made it.
    log.as({ user_id: 7, organisation_id: "bury-council" }, () => replaceContent(doc, ["Restored text.", "Second."]));
    const restored = paragraphAuthorship(doc, clientAuthors(log.rows));
    expect(restored).toEqual([
      { text: "Restored text.", authors: [{ userId: 7, organisationId: "bury-council", characters: 14 }] },
      { text: "Second.", authors: [{ userId: 7, organisationId: "bury-council", characters: 7 }] },
    ]);
    expect(readParagraphs(doc)).toEqual(["Restored text.", "Second."]);
  });

  it("lists the creator of an empty paragraph", () => {
    const doc = new Y.Doc();
    const log = logOf(doc);
    log.as({ user_id: 3, organisation_id: "bury-college" }, () => Y.applyUpdate(doc, initialContentUpdate([""])));
    const blocks = blockClientCounts(doc);
    expect(blocks).toHaveLength(1);
    const result = paragraphAuthorship(doc, clientAuthors(log.rows));
    expect(result).toEqual([{ text: "", authors: [{ userId: 3, organisationId: "bury-college", characters: 0 }] }]);
  });
});
