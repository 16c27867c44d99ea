/**
 * Comment anchors through the real sync server: two Lexical clients (official y-websocket providers)
 * edit before, inside and after a commented range, concurrently; the thread must still point at the
 * right words, and a thread whose words are deleted is detached but keeps its quote.
 */
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { afterEach, describe, expect, it } from "vitest";
import { readParagraphs, replaceContent } from "../../server/documents/lexical-content";
import { findQuote } from "../../server/documents/text-anchors";
import { anchorStates, startThread } from "../../server/domain/comments";
import type { Actor } from "../../server/policy";
import { createLexicalClient, type LexicalClient } from "../helpers/lexical-client";
import { DOCS, PLAN_ID, SyncHarness, sleep, waitFor, type UserKey } from "../helpers/sync-harness";

const PARAGRAPHS = [
  "Partners agree how far they share space and power in the plan, do and review stages.",
  "Each partner says what it will do, with defined review stages.",
];
const WORDS = "share space and power";

let h: SyncHarness;
afterEach(async () => {
  await h?.close();
});

interface Editor extends LexicalClient {
  provider: WebsocketProvider;
}

/** A browser-like Lexical editor connected to the harness's sync server as `user`. */
async function editor(user: UserKey, documentId: string): Promise<Editor> {
  const headers = h.headersFor(user);
  class WebSocketWithSession extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${h.wsBase}/sync`, documentId, doc, {
    WebSocketPolyfill: WebSocketWithSession as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: false,
    maxBackoffTime: 100,
  });
  // Bound before the first sync, as Lexical's CollaborationPlugin binds before it connects. The binding
  // gets a provider without presence: remote carets need a DOM to draw in.
  const client = createLexicalClient({ doc, id: `${user}-${documentId}` });
  provider.connect();
  await waitFor(() => provider.synced, `${user} to sync`);
  return Object.assign(client, { provider });
}

async function setUp() {
  h = await SyncHarness.start();
  await h.db.updateTable("plans").set({ kind: "engagement_proposal" }).where("id", "=", PLAN_ID).execute();
  await h.sync.applyServerChange(DOCS.one, null, (doc) => replaceContent(doc, PARAGRAPHS));
  const carol: Actor = { userId: h.users.carol.id, organisationId: h.users.carol.organisationId, systemRole: "member" };
  return { carol };
}

async function anchorOf(threadId: string): Promise<string | null> {
  const states = await anchorStates(h.sync, [{ id: threadId, document_id: DOCS.one }]);
  return states.get(threadId) ?? null;
}

describe("comment anchors under concurrent editing", () => {
  it("keep pointing at the right words while two clients edit before, inside and after them", async () => {
    const { carol } = await setUp();
    const alice = await editor("alice", DOCS.one);
    const bob = await editor("bob", DOCS.one);
    // Carol's organisation only comments: the server adds the mark for her.
    const [range] = findQuote(PARAGRAPHS, WORDS);
    const { threadId } = await startThread(h.db, h.sync, carol, PLAN_ID, {
      documentId: DOCS.one,
      quote: WORDS,
      anchor: JSON.stringify(range),
      body: "Which partners will share power, and at which stage?",
    });
    await waitFor(() => alice.marks().get(threadId) === WORDS && bob.marks().get(threadId) === WORDS, "both editors to show the mark");

    // Concurrent edits: Bob is cut off while both type, then reconnects.
    bob.provider.disconnect();
    const start = PARAGRAPHS[0].indexOf(WORDS);
    alice.insertText({ block: 0, offset: start + WORDS.length }, " fairly"); // just after the range
    alice.insertText({ block: 0, offset: 0 }, "All "); // before it
    bob.insertText({ block: 0, offset: start + "share space".length }, ", time"); // inside it
    bob.insertText({ block: 1, offset: PARAGRAPHS[1].length - 1 }, " each year"); // elsewhere
    bob.provider.connect();

    const expected = [
      "All Partners agree how far they share space, time and power fairly in the plan, do and review stages.",
      "Each partner says what it will do, with defined review stages each year.",
    ];
    await waitFor(
      () => alice.paragraphs().join("\n") === expected.join("\n") && bob.paragraphs().join("\n") === expected.join("\n"),
      "both editors to converge",
    );
    await h.sync.flush();
    expect(await h.sync.readDocument(DOCS.one, (doc) => readParagraphs(doc))).toEqual(expected);
    expect(await anchorOf(threadId)).toBe("share space, time and power");
    expect(alice.marks().get(threadId)).toBe("share space, time and power");
    expect(bob.marks().get(threadId)).toBe("share space, time and power");
    expect([...alice.errors, ...bob.errors]).toEqual([]);

    // The stored document, as the next page load reads it, agrees.
    const stored = await h.storedDoc(DOCS.one);
    expect(readParagraphs(stored)).toEqual(expected);
  });

  it("keeps an edit made while the comment is being created where it was typed", async () => {
    const { carol } = await setUp();
    const alice = await editor("alice", DOCS.one);
    alice.provider.disconnect();
    // Alice's keystrokes are still in flight when Carol's comment lands.
    alice.insertText({ block: 0, offset: PARAGRAPHS[0].indexOf(" in the plan") }, " equally");
    const { threadId } = await startThread(h.db, h.sync, carol, PLAN_ID, {
      documentId: DOCS.one,
      quote: WORDS,
      body: "Say who decides.",
    });
    alice.provider.connect();
    const expected = "Partners agree how far they share space and power equally in the plan, do and review stages.";
    await waitFor(() => alice.paragraphs()[0] === expected && alice.marks().get(threadId) === WORDS, "alice to see both");
    // Alice sends her offline edit in her answer to the server's sync step 1, so she can hold the
    // mark before the server holds her edit (a slower commit, as on PostgreSQL, widens the gap).
    const serverFirst = async () => (await h.sync.readDocument(DOCS.one, (doc) => readParagraphs(doc)))[0];
    for (const deadline = Date.now() + 5000; (await serverFirst()) !== expected && Date.now() < deadline; ) await sleep(10);
    await h.sync.flush();
    expect((await h.sync.readDocument(DOCS.one, (doc) => readParagraphs(doc)))[0]).toBe(expected);
    expect(await anchorOf(threadId)).toBe(WORDS);
  });

  it("detaches a thread whose words are deleted, and the thread keeps its quote", async () => {
    const { carol } = await setUp();
    const alice = await editor("alice", DOCS.one);
    const bob = await editor("bob", DOCS.one);
    const { threadId } = await startThread(h.db, h.sync, carol, PLAN_ID, {
      documentId: DOCS.one,
      quote: "with defined review stages",
      body: "When is the first review?",
    });
    await waitFor(() => bob.marks().has(threadId), "bob to show the mark");
    const [range] = findQuote(alice.paragraphs(), ", with defined review stages");
    alice.deleteRange(range);
    await waitFor(() => bob.paragraphs()[1] === "Each partner says what it will do.", "bob to see the deletion");
    await waitFor(() => !bob.marks().has(threadId), "the mark to go");
    await h.sync.flush();
    expect(await anchorOf(threadId)).toBeNull();
    const thread = await h.db.selectFrom("comment_threads").select(["quote", "status"]).where("id", "=", threadId).executeTakeFirstOrThrow();
    expect(thread).toEqual({ quote: "with defined review stages", status: "open" });
  });
});
