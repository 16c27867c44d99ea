/**
 * Issue 10, part 1: an update Yjs accepts but after which the document would no longer be a tree
 * of the editor's registered Lexical nodes within bounds is refused (4400 with a reason) before
 * it is committed: nothing of it is stored, nothing is relayed, and the room forgets it, so the
 * document still loads and reads as before. Official y-websocket clients over real sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { nowIso } from "../../db/connection";
import { initialContentUpdate, readContent } from "../../server/documents/lexical-content";
import { documentShapeProblem, lexicalDocumentGuard } from "../../server/documents/lexical-shape";
import { appendParagraph, BAD_EDITS } from "../helpers/bad-documents";
import { DOCS, SyncHarness, waitFor, type ProviderClient } from "../helpers/sync-harness";

let h: SyncHarness;
const FIRST = ["Agreed overview.", "Second paragraph."];

beforeAll(async () => {
  h = await SyncHarness.start({ documentGuard: lexicalDocumentGuard });
  await h.db
    .insertInto("document_updates")
    .values({ document_id: DOCS.one, update: initialContentUpdate(FIRST), user_id: null, organisation_id: null, created_at: nowIso() })
    .execute();
});
afterAll(async () => {
  await h?.close();
});

const paragraphs = (doc: Y.Doc) => {
  const content = readContent(doc);
  return content.readable ? content.paragraphs : [`unreadable: ${content.reason}`];
};

async function storedParagraphs(): Promise<string[]> {
  const doc = await h.storedDoc(DOCS.one);
  try {
    return paragraphs(doc);
  } finally {
    doc.destroy();
  }
}

let round = 0;

describe("updates after which the editor could not read the document", () => {
  it.each(BAD_EDITS)("$name: refused with 4400, nothing stored or relayed, the document still loads", async ({ edits }) => {
    round += 1;
    const expected = await storedParagraphs();
    expect(expected.slice(0, 2)).toEqual(FIRST);
    const attacker = await h.provider("alice", DOCS.one);
    const watcher = await h.provider("bob", DOCS.one);
    const rowsBefore = (await h.updateRows(DOCS.one)).length;

    // All but the last edit may be valid on their own (a per-document bound is crossed by the last).
    for (const edit of edits) edit(attacker.doc);
    await waitFor(() => attacker.closes.length > 0, "the attacker's socket to be closed", 10_000);
    expect(attacker.closes[0].code).toBe(4400);
    expect(attacker.closes[0].reason.length).toBeGreaterThan(10);
    attacker.provider.destroy();

    // The watcher gets a later honest edit, and nothing of the refused one before it.
    const honest = await h.provider("bob", DOCS.one);
    const mark = `Honest edit ${round}.`;
    appendParagraph(honest.doc, mark);
    await waitFor(() => paragraphs(watcher.doc).includes(mark), "the watcher to receive the honest edit");
    const stored = await storedParagraphs();
    expect(paragraphs(watcher.doc)).toEqual(stored);
    expect(paragraphs(honest.doc)).toEqual(stored);
    // (The harness's clients create an empty "t"; no content may stand outside the root.)
    expect(documentShapeProblem(watcher.doc)).toBeNull();
    const rows = (await h.updateRows(DOCS.one)).length;
    if (edits.length === 1) {
      expect(stored).toEqual([...expected, mark]);
      expect(rows).toBe(rowsBefore + 1);
    } else {
      // Edits valid on their own may have been committed before the bound was crossed.
      expect(stored.slice(0, expected.length)).toEqual(expected);
      expect(stored.length).toBeLessThan(expected.length + edits.length + 1);
      expect(rows).toBeLessThan(rowsBefore + edits.length + 1);
    }
    const storedDoc = await h.storedDoc(DOCS.one);
    expect([...storedDoc.share.keys()]).toEqual(["root"]);
    storedDoc.destroy();

    // A client connecting now is served the document without the refused content.
    const late = await h.provider("bob", DOCS.one);
    expect(paragraphs(late.doc)).toEqual(stored);
    for (const c of [watcher, honest, late] as ProviderClient[]) c.provider.destroy();
  }, 60_000);

  it("after a restart every stored document still loads and reads", async () => {
    const before = await storedParagraphs();
    await h.restart();
    const client = await h.provider("bob", DOCS.one);
    expect(paragraphs(client.doc)).toEqual(before);
    expect(before.slice(0, 2)).toEqual(FIRST);
    client.provider.destroy();
  });
});
