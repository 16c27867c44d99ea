import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { loadStoredDocument } from "../../db/queries/documents";
import {
  DOCS,
  SyncHarness,
  sleep,
  syncStep1Frame,
  syncUpdateFrame,
  textInsertUpdate,
  waitFor,
  type ServerOverrides,
} from "../helpers/sync-harness";

let h: SyncHarness;
async function start(overrides: ServerOverrides = {}) {
  h = await SyncHarness.start(overrides);
  return h;
}
afterEach(async () => {
  await h?.close();
});

describe("editing together", () => {
  it("two editors of different organisations converge, and each update is stored with its author", async () => {
    await start();
    const a = await h.provider("alice", DOCS.one);
    const b = await h.provider("bob", DOCS.one);
    a.text.insert(0, "Reduce loneliness ");
    await waitFor(() => b.text.toString() === "Reduce loneliness ", "bob to see alice's text");
    b.text.insert(b.text.length, "in Northshire");
    await waitFor(() => a.text.toString() === "Reduce loneliness in Northshire", "alice to see bob's text");

    await h.sync.flush();
    expect(await h.storedText(DOCS.one)).toBe("Reduce loneliness in Northshire");
    const rows = await h.updateRows(DOCS.one);
    expect(rows.map((r) => [r.user_id, r.organisation_id])).toEqual([
      [h.users.alice.id, "org-a"],
      [h.users.bob.id, "org-b"],
    ]);
    const doc = await h.db.selectFrom("documents").select("updated_at").where("id", "=", DOCS.one).executeTakeFirstOrThrow();
    const created = await h.db.selectFrom("plans").select("created_at").executeTakeFirstOrThrow();
    expect(doc.updated_at > created.created_at).toBe(true);
  });

  it("sends an update to everyone else in the room, not back to its sender", async () => {
    await start();
    const b = await h.provider("bob", DOCS.one);
    const sender = await h.raw("alice", DOCS.one);
    await waitFor(() => sender.frames.length > 0, "the greeting");
    sender.send(syncUpdateFrame(textInsertUpdate("from a raw client")));
    await waitFor(() => b.text.toString() === "from a raw client", "bob to receive it");
    await sleep(100);
    // Frames are [messageSync=0, syncType, ...]; an echo would be an update (2) frame.
    expect(sender.frames.filter((f) => f[0] === 0 && f[1] === 2)).toEqual([]);
  });

  it("keeps rooms apart", async () => {
    await start();
    const a1 = await h.provider("alice", DOCS.one);
    const b2 = await h.provider("bob", DOCS.two);
    a1.text.insert(0, "only in one");
    await h.waitForStoredText(DOCS.one, "only in one");
    await sleep(100);
    expect(b2.text.toString()).toBe("");
    expect(await h.storedText(DOCS.two)).toBe("");
  });

  it("keeps the content across a restart of the server and a reopened database", async () => {
    await start();
    const a = await h.provider("alice", DOCS.one);
    a.text.insert(0, "Survives a restart");
    await h.waitForStoredText(DOCS.one, "Survives a restart");
    await h.restart();
    const b = await h.provider("bob", DOCS.one);
    expect(b.text.toString()).toBe("Survives a restart");
  });
});

describe("read-only access", () => {
  it("a commenter's and a viewer's edits through the official client reach nobody and are not stored", async () => {
    await start();
    const a = await h.provider("alice", DOCS.one);
    const c = await h.provider("carol", DOCS.one);
    const v = await h.provider("victor", DOCS.one);
    a.text.insert(0, "Editor text. ");
    await waitFor(() => c.text.toString() === "Editor text. " && v.text.toString() === "Editor text. ", "readers to see it");

    c.text.insert(0, "COMMENTER ");
    v.text.insert(0, "VIEWER ");
    await sleep(150);
    await h.sync.flush();
    expect(a.text.toString()).toBe("Editor text. ");
    expect(await h.storedText(DOCS.one)).toBe("Editor text. ");
    // A fresh reader sees only what the server holds.
    const b = await h.provider("bob", DOCS.one);
    expect(b.text.toString()).toBe("Editor text. ");
    const authors = new Set((await h.updateRows(DOCS.one)).map((r) => r.user_id));
    expect(authors).toEqual(new Set([h.users.alice.id]));
    expect(h.logs.some((l) => l.msg === "dropped a document change from a read-only connection" && l.level === "info")).toBe(true);
  });

  it("hand-made update and sync-step-2 frames from read-only connections are dropped, sync-step-1 is answered", async () => {
    await start();
    const a = await h.provider("alice", DOCS.one);
    a.text.insert(0, "Seed. ");
    await h.sync.flush();
    for (const user of ["carol", "victor"] as const) {
      const raw = await h.raw(user, DOCS.one);
      raw.send(syncUpdateFrame(textInsertUpdate(`${user} update`), "update"));
      raw.send(syncUpdateFrame(textInsertUpdate(`${user} step2`), "step2"));
      raw.send(syncStep1Frame(new Y.Doc()));
      await waitFor(() => raw.doc.getText("t").toString() === "Seed. ", `${user} to get the answer to sync-step-1`);
      expect(raw.ws.readyState).toBe(raw.ws.OPEN);
    }
    await sleep(100);
    await h.sync.flush();
    expect(a.text.toString()).toBe("Seed. ");
    expect(await h.storedText(DOCS.one)).toBe("Seed. ");
    expect((await h.updateRows(DOCS.one)).every((r) => r.user_id === h.users.alice.id)).toBe(true);
  });
});

describe("loading", () => {
  it("concurrent connections to one document share one load, and nobody is answered before it", async () => {
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await start();
    // Something stored before the room exists, to prove it is loaded before the first answer.
    h.sqlite
      .prepare(`insert into document_updates (document_id, "update", user_id, organisation_id, created_at) values (?, ?, ?, ?, ?)`)
      .run(DOCS.one, textInsertUpdate("Stored earlier"), h.users.alice.id, "org-a", new Date().toISOString());
    await h.restart({
      loadDocument: async (id) => {
        loads++;
        await gate;
        return loadStoredDocument(h.db, id);
      },
    });
    const clients = await Promise.all(
      (["alice", "bob", "carol", "victor", "alice"] as const).map((u) => h.raw(u, DOCS.one)),
    );
    for (const c of clients) c.send(syncStep1Frame(new Y.Doc()));
    await sleep(150);
    expect(loads).toBe(1);
    expect(clients.every((c) => c.frames.length === 0)).toBe(true);
    release();
    for (const c of clients) {
      await waitFor(() => c.doc.getText("t").toString() === "Stored earlier", "the stored text");
    }
    expect(loads).toBe(1);
    expect(h.logCount("document loaded")).toBe(1);
  });

  it("a failed load closes the connections with 1011 and writes nothing; the next connection loads afresh", async () => {
    let fail = true;
    await start({
      loadDocument: async (id) => {
        if (fail) throw new Error("disk unavailable");
        return loadStoredDocument(h.db, id);
      },
    });
    const raw = await h.raw("alice", DOCS.one);
    raw.send(syncUpdateFrame(textInsertUpdate("never stored")));
    expect(await raw.closed).toEqual({ code: 1011, reason: "could not load document" });
    await h.sync.flush();
    expect(await h.updateRows(DOCS.one)).toEqual([]);
    expect(await h.db.selectFrom("document_snapshots").selectAll().execute()).toEqual([]);
    expect(h.sync.stats()).toEqual({ rooms: 0, connections: 0 });

    fail = false;
    const a = await h.provider("alice", DOCS.one);
    a.text.insert(0, "now it works");
    await h.waitForStoredText(DOCS.one, "now it works");
  });

  it("a stored update that Yjs cannot read fails the load instead of serving a partial document", async () => {
    await start();
    const good = textInsertUpdate("good");
    h.sqlite
      .prepare(`insert into document_updates (document_id, "update", created_at) values (?, ?, ?), (?, ?, ?)`)
      .run(DOCS.two, good, "2024-01-01", DOCS.two, good.slice(0, good.length - 2), "2024-01-01");
    const raw = await h.raw("alice", DOCS.two);
    expect((await raw.closed).code).toBe(1011);
    expect((await h.updateRows(DOCS.two)).length).toBe(2);
  });
});

describe("compaction", () => {
  it("writes a snapshot after N stored updates without deleting any, and snapshot + later updates equal the live doc", async () => {
    await start({ compactAfterUpdates: 5, plainText: (doc) => doc.getText("t").toString() });
    const a = await h.provider("alice", DOCS.one);
    const b = await h.provider("bob", DOCS.one);
    let expected = "";
    for (let i = 0; i < 7; i++) {
      a.text.insert(a.text.length, `a${i} `);
      expected += `a${i} `;
      // One stored row per edit, so the threshold is crossed at a known point.
      await h.waitForStoredText(DOCS.one, expected);
    }
    await waitFor(() => h.logCount("document snapshot written") === 1, "a snapshot");
    const snapshots = await h.db.selectFrom("document_snapshots").selectAll().where("document_id", "=", DOCS.one).execute();
    expect(snapshots).toHaveLength(1);
    const rowsAtSnapshot = await h.updateRows(DOCS.one);
    expect(snapshots[0].last_update_id).toBeGreaterThanOrEqual(rowsAtSnapshot[4].id);
    const plain = await h.db.selectFrom("documents").select("plain_text").where("id", "=", DOCS.one).executeTakeFirstOrThrow();
    expect(plain.plain_text.startsWith("a0 a1 a2 a3 a4")).toBe(true);

    b.text.insert(0, "B: ");
    await waitFor(() => a.text.toString().startsWith("B: "), "alice to see bob");
    await h.sync.flush();
    const stored = await loadStoredDocument(h.db, DOCS.one);
    expect(stored.snapshot).not.toBeNull();
    expect(stored.updates.length).toBeGreaterThan(0);
    expect(stored.updates.every((u) => u.id > snapshots[0].last_update_id)).toBe(true);
    const reloaded = await h.storedDoc(DOCS.one);
    expect(reloaded.getText("t").toString()).toBe(a.text.toString());
    expect(Y.encodeStateVector(reloaded)).toEqual(Y.encodeStateVector(a.doc));
    // The audit trail of who wrote what is complete.
    expect((await h.updateRows(DOCS.one)).length).toBe(8);
  });

  it("snapshots and unloads a document when its last client leaves", async () => {
    await start({ plainText: (doc) => doc.getText("t").toString() });
    const a = await h.provider("alice", DOCS.one);
    a.text.insert(0, "Unload me");
    await h.waitForStoredText(DOCS.one, "Unload me");
    expect(h.sync.stats().rooms).toBe(1);
    a.provider.destroy();
    await waitFor(() => h.sync.stats().rooms === 0, "the room to unload");
    const snap = await h.db.selectFrom("document_snapshots").selectAll().where("document_id", "=", DOCS.one).executeTakeFirstOrThrow();
    const rows = await h.updateRows(DOCS.one);
    expect(snap.last_update_id).toBe(rows.at(-1)!.id);
    const fromSnapshot = new Y.Doc();
    Y.applyUpdate(fromSnapshot, snap.state);
    expect(fromSnapshot.getText("t").toString()).toBe("Unload me");
    const doc = await h.db.selectFrom("documents").select("plain_text").where("id", "=", DOCS.one).executeTakeFirstOrThrow();
    expect(doc.plain_text).toBe("Unload me");
    // And it comes back from the snapshot.
    const b = await h.provider("bob", DOCS.one);
    expect(b.text.toString()).toBe("Unload me");
  });
});

describe("updates whose dependencies are missing", () => {
  it("are stored before any sync answer can include them", async () => {
    await start();
    const author = new Y.Doc();
    const updates: Uint8Array[] = [];
    author.on("update", (u: Uint8Array) => updates.push(u));
    author.getText("t").insert(0, "first ");
    author.getText("t").insert(6, "second");
    const raw = await h.raw("alice", DOCS.one);
    // Only the second: Yjs keeps it pending on the server, and yet serves it in sync-step-2.
    raw.send(syncUpdateFrame(updates[1]));
    let rows = 0;
    const started = Date.now();
    while ((rows = (await h.updateRows(DOCS.one)).length) === 0 && Date.now() - started < 5000) await sleep(10);
    expect(rows).toBe(1);
    expect(await h.storedText(DOCS.one)).toBe("");

    await h.restart();
    const fixer = await h.raw("alice", DOCS.one);
    fixer.send(syncUpdateFrame(updates[0]));
    const b = await h.provider("bob", DOCS.one);
    await waitFor(() => b.text.toString() === "first second", "the whole text after a restart");
  });
});
