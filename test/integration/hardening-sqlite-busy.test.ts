/**
 * Hardening 14: another process holds SQLite's write lock for longer than the 5 s busy timeout.
 * The server does not crash or freeze, keeps serving reads, never shows anyone an update that is
 * not on disk, retries, and stores and delivers everything once the lock is gone. A load that
 * fails never replaces stored content with an empty document.
 */
import { spawn } from "node:child_process";
import readline from "node:readline";
import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { DOCS, SyncHarness, waitFor } from "../helpers/sync-harness";

let h: SyncHarness;
afterEach(async () => {
  await h?.close();
});

/** A separate process that takes the write lock and keeps it for `ms`. */
async function holdWriteLock(file: string, ms: number) {
  const proc = spawn(
    process.execPath,
    [
      "-e",
      `const S = require("better-sqlite3"); const db = new S(${JSON.stringify(file)});
       db.exec("BEGIN IMMEDIATE"); console.log("locked");
       setTimeout(() => { db.exec("ROLLBACK"); db.close(); console.log("released"); }, ${ms});`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const lines = readline.createInterface({ input: proc.stdout! });
  const seen: string[] = [];
  lines.on("line", (l) => seen.push(l));
  await waitFor(() => seen.includes("locked"), "the other process to take the lock", 10_000);
  const released = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  return { released, isReleased: () => seen.includes("released") };
}

function rows(file: string, documentId: string): number {
  const db = new SQLite(file, { readonly: true });
  try {
    return db.prepare("select count(*) from document_updates where document_id = ?").pluck().get(documentId) as number;
  } finally {
    db.close();
  }
}

describe("SQLite busy for longer than its busy timeout", () => {
  it("keeps serving, shows nothing unstored, retries, then stores and delivers every edit", async () => {
    h = await SyncHarness.start();
    const a = await h.provider("alice", DOCS.one);
    const b = await h.provider("bob", DOCS.one);
    a.text.insert(0, "Acknowledged.");
    await waitFor(() => b.text.toString() === "Acknowledged.", "the first edit");
    const before = rows(h.file, DOCS.one);

    const lock = await holdWriteLock(h.file, 6000);
    a.text.insert(a.text.length, " Typed while locked.");
    const serverChange = h.sync.applyServerChange(DOCS.one, null, (doc) => doc.getText("t").insert(0, "> "));
    let serverChangeDone = false;
    serverChange.then(() => (serverChangeDone = true));

    // Meanwhile another document opens and syncs: reads are not blocked, the process is not frozen.
    const elsewhere = await h.provider("bob", DOCS.two);
    expect(elsewhere.provider.synced).toBe(true);
    await waitFor(() => h.logCount("could not store document updates; retrying") >= 3, "retries with back-off", 10_000);
    expect(lock.isReleased()).toBe(false);
    expect(b.text.toString()).toBe("Acknowledged.");
    expect(serverChangeDone).toBe(false);
    expect(rows(h.file, DOCS.one)).toBe(before);

    await lock.released;
    await waitFor(() => b.text.toString() === "> Acknowledged. Typed while locked.", "delivery after the commit", 10_000);
    await serverChange;
    expect(rows(h.file, DOCS.one)).toBe(before + 2);
    expect(await h.storedText(DOCS.one)).toBe("> Acknowledged. Typed while locked.");
    expect(h.logCount("document updates stored after retrying")).toBe(1);
  }, 30_000);

  it("a load that fails with SQLITE_BUSY closes the connection (1011) and writes nothing; the content is intact afterwards", async () => {
    h = await SyncHarness.start();
    const a = await h.provider("alice", DOCS.three);
    a.text.insert(0, "Stored content that must survive.");
    await h.waitForStoredText(DOCS.three, "Stored content that must survive.");
    a.provider.destroy();
    await waitFor(() => h.sync.stats().rooms === 0, "the document to unload");
    const before = rows(h.file, DOCS.three);

    let failures = 1;
    await h.restart({
      loadDocument: async (id) => {
        if (failures-- > 0) throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
        const { loadStoredDocument } = await import("../../db/queries/documents");
        return loadStoredDocument(h.db, id);
      },
    });
    const b = await h.provider("bob", DOCS.three, { waitForSync: false });
    await waitFor(() => b.closes.some((c) => c.code === 1011), "the failed load to close the socket");
    expect(rows(h.file, DOCS.three)).toBe(before);
    // The provider reconnects by itself; the next load succeeds with everything.
    await waitFor(() => b.provider.synced && b.text.toString() === "Stored content that must survive.", "a full load", 10_000);
    expect(await h.storedText(DOCS.three)).toBe("Stored content that must survive.");
    expect(rows(h.file, DOCS.three)).toBe(before);
  }, 30_000);
});
