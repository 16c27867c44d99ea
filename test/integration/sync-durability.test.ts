import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { DOCS, SyncHarness, sleep, waitFor } from "../helpers/sync-harness";

let h: SyncHarness;
afterEach(async () => {
  await h?.close();
});

function countRows(db: SQLite.Database, documentId: string): number {
  return db.prepare("select count(*) from document_updates where document_id = ?").pluck().get(documentId) as number;
}

describe("an update is on disk before anyone else receives it", () => {
  it("while another process holds the write lock, nobody receives the update; after the lock is released it is stored, then delivered", async () => {
    h = await SyncHarness.start({ writeBusyTimeoutMs: 20 });
    const a = await h.provider("alice", DOCS.one);
    const b = await h.provider("bob", DOCS.one);
    a.text.insert(0, "Agreed");
    await waitFor(() => b.text.toString() === "Agreed", "bob to see the first edit");

    const other = new SQLite(h.file);
    other.exec("BEGIN IMMEDIATE");
    try {
      a.text.insert(6, " while locked");
      await waitFor(() => h.logCount("could not store document updates; retrying") >= 2, "failed, retried writes");
      // A client that connects now must not be served the unstored update either.
      const c = await h.provider("carol", DOCS.one, { waitForSync: false });
      await sleep(600);
      expect(b.text.toString()).toBe("Agreed");
      expect(c.provider.synced).toBe(false);
      expect(c.text.toString()).toBe("");
      expect(countRows(other, DOCS.one)).toBe(1);
      expect(h.logs.find((l) => l.msg === "could not store document updates; retrying")?.level).toBe("error");
      other.exec("ROLLBACK");

      await waitFor(() => b.text.toString() === "Agreed while locked", "bob to receive it after the commit", 8000);
      await waitFor(() => c.provider.synced && c.text.toString() === "Agreed while locked", "carol's first sync", 8000);
      expect(countRows(other, DOCS.one)).toBe(2);
    } finally {
      if (other.inTransaction) other.exec("ROLLBACK");
      other.close();
    }
  });

  it("does not write inside another transaction open on the shared connection, whose rollback would undo it", async () => {
    h = await SyncHarness.start();
    const a = await h.provider("alice", DOCS.one);
    const b = await h.provider("bob", DOCS.one);
    let inside = false;
    const rolledBack = h.db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable("plans").set({ title: "renamed, then rolled back" }).execute();
        inside = true;
        await sleep(400);
        throw new Error("roll back");
      })
      .catch(() => "rolled back");
    await waitFor(() => inside, "the transaction to be open");
    a.text.insert(0, "Outside the transaction");
    await sleep(200);
    expect(b.text.toString()).toBe("");
    expect(await rolledBack).toBe("rolled back");
    await waitFor(() => b.text.toString() === "Outside the transaction", "bob to receive it");
    await h.sync.flush();
    expect(await h.storedText(DOCS.one)).toBe("Outside the transaction");
  });

  it("a room whose updates can never be stored (its document was deleted) is closed without holding up other rooms", async () => {
    h = await SyncHarness.start({ writeBusyTimeoutMs: 20 });
    const a = await h.provider("alice", DOCS.one);
    const b = await h.provider("bob", DOCS.two);
    const reader = await h.provider("carol", DOCS.one);
    await h.db.deleteFrom("documents").where("id", "=", DOCS.two).execute();

    // Hold the lock so both rooms' updates meet in one batch.
    const other = new SQLite(h.file);
    other.exec("BEGIN IMMEDIATE");
    a.text.insert(0, "kept");
    b.text.insert(0, "for a deleted document");
    await waitFor(() => h.logCount("could not store document updates; retrying") >= 1, "a failed write");
    await sleep(50);
    other.exec("ROLLBACK");
    other.close();

    await waitFor(() => reader.text.toString() === "kept", "carol to receive alice's update", 8000);
    expect(await h.storedText(DOCS.one)).toBe("kept");
    await waitFor(() => b.closes.length > 0, "bob's socket to close");
    expect(b.closes[0].code).toBe(1011);
    expect(h.logCount("document updates can never be stored; closing the document so clients resync")).toBe(1);
    expect(await h.db.selectFrom("document_updates").select("id").where("document_id", "=", DOCS.two).execute()).toEqual([]);
    b.provider.destroy();
  });
});
