/**
 * "Stored before sent" on PostgreSQL (server/sync/persistence-postgres.ts), against a real server:
 * while another session holds the document's row, the writer's transaction cannot commit, and
 * nobody (neither the room nor a client connecting meanwhile) receives the update; a connection
 * cut mid-commit is retried, with everything kept queued, and nothing is lost or doubled.
 * PostgreSQL only (vitest.config.ts); the SQLite write path has sync-durability.test.ts.
 */
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { nowIso } from "../../db/connection";
import { commitDocumentUpdates } from "../../db/queries/documents";
import { DOCS, SyncHarness, sleep, waitFor } from "../helpers/sync-harness";
import { openTestDatabase } from "../helpers/app-server";

let h: SyncHarness;
let other: pg.Client | null = null;
afterEach(async () => {
  await other?.end().catch(() => {});
  other = null;
  await h?.close();
});

async function committedRows(client: pg.Client, documentId: string): Promise<number> {
  const { rows } = await client.query("select count(*)::int as n from document_updates where document_id = $1", [documentId]);
  return rows[0].n;
}

/** Another session takes the document's row, so the writer's `update documents …` must wait. */
async function holdDocumentRow(documentId: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: h.file });
  await client.connect();
  await client.query("begin");
  await client.query("select id from documents where id = $1 for update", [documentId]);
  return client;
}

async function writerBlocked(client: pg.Client): Promise<number | null> {
  const { rows } = await client.query(
    "select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()",
  );
  return rows[0]?.pid ?? null;
}

describe("on PostgreSQL an update is committed before anyone receives it", () => {
  it("while its commit waits, nobody receives the update, a new client is not served it, and it is not yet stored", async () => {
    h = await SyncHarness.start();
    expect(h.onPostgres).toBe(true);
    const a = await h.provider("alice", DOCS.one);
    const b = await h.provider("bob", DOCS.one);
    a.text.insert(0, "Agreed");
    await waitFor(() => b.text.toString() === "Agreed", "bob to see the first edit");

    other = await holdDocumentRow(DOCS.one);
    const watcher = new pg.Client({ connectionString: h.file });
    await watcher.connect();
    try {
      const before = await committedRows(watcher, DOCS.one);
      a.text.insert(6, " while locked");
      for (const deadline = Date.now() + 5000; (await writerBlocked(watcher)) === null && Date.now() < deadline; ) await sleep(20);
      expect(await writerBlocked(watcher)).not.toBeNull();
      const c = await h.provider("carol", DOCS.one, { waitForSync: false });
      await sleep(600);
      expect(b.text.toString()).toBe("Agreed");
      expect(c.provider.synced).toBe(false);
      expect(c.text.toString()).toBe("");
      expect(await committedRows(watcher, DOCS.one)).toBe(before);

      await other.query("rollback");
      await waitFor(() => b.text.toString() === "Agreed while locked", "bob to receive it after the commit", 8000);
      await waitFor(() => c.provider.synced && c.text.toString() === "Agreed while locked", "carol's first sync", 8000);
      expect(await committedRows(watcher, DOCS.one)).toBe(before + 1);
    } finally {
      await watcher.end();
    }
  });

  it("retries a commit whose connection was cut, keeping the update queued, and stores it once", async () => {
    h = await SyncHarness.start();
    const a = await h.provider("alice", DOCS.one);
    const b = await h.provider("bob", DOCS.one);
    other = await holdDocumentRow(DOCS.one);
    const watcher = new pg.Client({ connectionString: h.file });
    await watcher.connect();
    try {
      a.text.insert(0, "Kept");
      let pid: number | null = null;
      for (const deadline = Date.now() + 5000; (pid = await writerBlocked(watcher)) === null && Date.now() < deadline; ) await sleep(20);
      expect(pid).not.toBeNull();
      // As if PostgreSQL restarted under the writer: its session ends mid-transaction.
      await watcher.query("select pg_terminate_backend($1)", [pid]);
      await waitFor(() => h.logCount("could not store document updates; retrying") >= 1, "a failed, retried commit");
      expect(b.text.toString()).toBe("");
      await other.query("rollback");
      await waitFor(() => b.text.toString() === "Kept", "bob to receive it after the retried commit", 8000);
      await h.sync.flush();
      const { rows } = await watcher.query(
        "select count(*)::int as n from document_updates where document_id = $1 and user_id = $2",
        [DOCS.one, h.users.alice.id],
      );
      expect(rows[0].n).toBe(1);
      expect(h.logCount("document updates stored after retrying")).toBeGreaterThanOrEqual(1);
    } finally {
      await watcher.end();
    }
  });

  it("names, for every committed update, the one stored just before it, when two nodes commit the same documents at once", async () => {
    h = await SyncHarness.start();
    // Two pools, as two nodes have: each commit reads "the update before" in its own transaction.
    const nodes = [openTestDatabase(h.file), openTestDatabase(h.file)];
    try {
      const update = { update: new Uint8Array([0, 0]), userId: null, organisationId: null };
      const told = new Map<number, number>(); // id -> the previous id its commit reported
      for (let round = 0; round < 20; round++) {
        // Opposite document orders: a writer that locked in batch order could deadlock here.
        const results = await Promise.all(
          nodes.map((node, i) => {
            const docs = i === 0 ? [DOCS.one, DOCS.two] : [DOCS.two, DOCS.one];
            return commitDocumentUpdates(node.db, docs.map((documentId) => ({ documentId, updates: [update, update] })), nowIso());
          }),
        );
        for (const perDocument of results) {
          for (const { previous, ids } of perDocument) ids.forEach((id, j) => told.set(id, j === 0 ? previous : ids[j - 1]));
        }
      }
      for (const documentId of [DOCS.one, DOCS.two]) {
        const stored = await nodes[0].db.selectFrom("document_updates").select("id").where("document_id", "=", documentId).orderBy("id").execute();
        const ids = stored.map((r) => Number(r.id)).filter((id) => told.has(id));
        expect(ids.length).toBe(80);
        const firstOfOurs = stored.findIndex((r) => Number(r.id) === ids[0]);
        const before = firstOfOurs > 0 ? Number(stored[firstOfOurs - 1].id) : 0;
        expect(ids.map((id) => told.get(id))).toEqual([before, ...ids.slice(0, -1)]);
      }
    } finally {
      await Promise.all(nodes.map((n) => n.db.destroy()));
    }
  });

  it("writes one snapshot at a time per document while edits keep coming, never refusing itself", async () => {
    h = await SyncHarness.start({ compactAfterUpdates: 5 });
    const a = await h.provider("alice", DOCS.one);
    for (let i = 0; i < 120; i++) {
      a.text.insert(a.text.length, "x");
      await sleep(3);
    }
    await h.sync.flush();
    await waitFor(() => h.logCount("document snapshot written") >= 1, "a snapshot");
    await sleep(200);
    // Before: each commit past the threshold started another snapshot while one was being written,
    // and its own advisory lock refused them ("another node is compacting this document").
    expect(h.logCount("could not write document snapshot")).toBe(0);
    const snapshots = await h.db.selectFrom("document_snapshots").select("id").where("document_id", "=", DOCS.one).execute();
    expect(snapshots.length).toBeGreaterThanOrEqual(1);
    expect(snapshots.length).toBeLessThanOrEqual(25);
  });
});
