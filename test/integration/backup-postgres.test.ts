/**
 * `npm run backup` and `npm run restore` on PostgreSQL (DATABASE_URL), as an operator runs them,
 * against databases the production build made: the dump (pg_dump --format=custom) is verified in a
 * scratch database before it counts, a restore keeps the database it replaces, and a damaged dump
 * or a document that does not load is refused with a sentence, changing nothing.
 * PostgreSQL only (vitest.config.ts); the SQLite backup is tested in hardening-operations.test.ts.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "../../db/connection";
import { loadStoredDocument } from "../../db/queries/documents";
import { docFromStored } from "../../server/documents/stored-state";
import { ACCOUNTS, login, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { typingParagraph } from "../helpers/bad-documents";
import { createTestDatabase, postgresServerUrl, type TestPostgres } from "../helpers/postgres";
import { connectClient, eventually, waitForSync, type Client } from "../helpers/yjs-client";

const DOC_ID = "doc-act-p-bgi-1-3";
const EDIT = "typed before the PostgreSQL backup;";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdw-pg-backup-"));
const made: TestPostgres[] = [];
let source: TestPostgres;
let dump: string;
let countsAtBackup: Record<string, number>;

function run(script: "backup" | "restore", args: string[], databaseUrl: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    proc.stdout.on("data", (d) => (out += d));
    proc.stderr.on("data", (d) => (out += d));
    proc.on("exit", (code) => resolve({ code, out }));
  });
}

async function onServer<T>(work: (c: pg.Client) => Promise<T>, url = postgresServerUrl()): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** Every table's row count: a restore must bring back all of them, not only the documents. */
function rowCounts(url: string): Promise<Record<string, number>> {
  return onServer(async (c) => {
    const { rows: tables } = await c.query<{ name: string }>("select tablename as name from pg_tables where schemaname = 'public' order by 1");
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const { rows } = await c.query<{ n: number }>(`select count(*)::int as n from ${pg.escapeIdentifier(name)}`);
      counts[name] = rows[0]!.n;
    }
    return counts;
  }, url);
}

/** Databases on the server whose names start with `prefix` (what a backup or restore left behind). */
function databasesNamed(prefix: string): Promise<string[]> {
  return onServer(async (c) => {
    const { rows } = await c.query<{ datname: string }>("select datname from pg_database where starts_with(datname, $1) order by 1", [prefix]);
    return rows.map((r) => r.datname);
  });
}

async function storedText(url: string): Promise<string> {
  const { db } = openPostgres(url, 1);
  try {
    const doc = docFromStored(await loadStoredDocument(db, DOC_ID));
    try {
      return typingParagraph(doc).toString();
    } finally {
      doc.destroy();
    }
  } finally {
    await db.destroy();
  }
}

async function database(): Promise<TestPostgres> {
  const d = await createTestDatabase();
  made.push(d);
  return d;
}

beforeAll(async () => {
  source = await database();
  const server = await startAppServer({ dbFile: source.url });
  const clients: Client[] = [];
  try {
    await reopenSeededPlan(server.url);
    const a = connectClient(server.url, DOC_ID, await login(server.url, ACCOUNTS.councilEditor));
    const b = connectClient(server.url, DOC_ID, await login(server.url, ACCOUNTS.nhsEditor));
    clients.push(a, b);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    typingParagraph(a.doc).insert(0, EDIT);
    // Received by another client means committed (stored before sent).
    await eventually(() => typingParagraph(b.doc).toString(), (t) => t === EDIT);

    // The node keeps running, its people connected, while the backup is taken. Nobody types
    // meanwhile, so the counts before and after are the dump's (a node writes snapshots when it
    // stops, which is why they are not read after that).
    countsAtBackup = await rowCounts(source.url);
    dump = path.join(dir, "codesign.dump");
    const backup = await run("backup", [dump], source.url);
    expect(backup.code, backup.out).toBe(0);
    expect(backup.out).toMatch(/pg_dump --format=custom/);
    expect(backup.out).toMatch(/Restored into a scratch database, \d+ documents load .*scratch database dropped/);
    expect(await rowCounts(source.url)).toEqual(countsAtBackup);
  } finally {
    for (const c of clients) c.destroy();
    await server.stop();
  }
}, 120_000);

afterAll(async () => {
  const leftovers = (await Promise.all(made.map((d) => databasesNamed(`${d.name}_`)))).flat();
  for (const name of leftovers) await onServer((c) => c.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));
  for (const d of made) await d.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("npm run backup / restore on PostgreSQL", () => {
  it("backs up a live workspace to a verified dump, leaving no scratch database behind", async () => {
    expect(fs.existsSync(dump)).toBe(true);
    expect(fs.existsSync(`${dump}.partial`)).toBe(false);
    expect(await databasesNamed(`${source.name}_`)).toEqual([]);
    expect(await storedText(source.url)).toBe(EDIT);
  });

  it("restores into a database, keeping the one it replaces: the edit and every table's rows are back, and a node serves it", async () => {
    const target = await database();
    const restored = await run("restore", [dump], target.url);
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toMatch(/documents load\. The database that was there is kept, renamed to "[a-z0-9_]+_before_restore_\d{8}_\d{6}"/);
    const aside = await databasesNamed(`${target.name}_`);
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/_before_restore_/);

    expect(await rowCounts(target.url)).toEqual(countsAtBackup);
    expect(countsAtBackup.document_updates).toBeGreaterThan(0);
    expect(await storedText(target.url)).toBe(EDIT);

    const server = await startAppServer({ dbFile: target.url });
    try {
      const c = connectClient(server.url, DOC_ID, await login(server.url, ACCOUNTS.collegeEditor));
      try {
        await waitForSync(c);
        expect(typingParagraph(c.doc).toString()).toBe(EDIT);
      } finally {
        c.destroy();
      }
    } finally {
      await server.stop();
    }
  }, 120_000);

  it("refuses a damaged dump with a sentence and leaves the target as it was", async () => {
    const before = await rowCounts(source.url);
    const whole = fs.readFileSync(dump);
    const truncated = path.join(dir, "truncated.dump");
    fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 3)));
    // Bytes changed inside the compressed table data: the archive's listing still reads.
    const damaged = path.join(dir, "damaged.dump");
    const copy = Buffer.from(whole);
    const at = Math.floor(copy.length * 0.7);
    for (let i = at; i < at + 64; i++) copy[i] = copy[i]! ^ 0x5a;
    fs.writeFileSync(damaged, copy);

    for (const [file, reason] of [
      [truncated, /is not a readable pg_dump custom-format file/],
      [damaged, /the dump does not restore \(pg_restore exited with 1: .*\)/],
    ] as const) {
      const r = await run("restore", [file], source.url);
      expect(r.code, r.out).toBe(1);
      expect(r.out).toMatch(/^Restore failed: /);
      expect(r.out).toMatch(reason);
      expect(r.out).toMatch(/was not changed\.|not a readable/);
    }
    expect(await databasesNamed(`${source.name}_`)).toEqual([]);
    expect(await rowCounts(source.url)).toEqual(before);
    expect(await storedText(source.url)).toBe(EDIT);
  }, 60_000);

  it("refuses to restore over a database a node is connected to", async () => {
    const held = new pg.Client({ connectionString: source.url });
    await held.connect();
    try {
      const r = await run("restore", [dump], source.url);
      expect(r.code, r.out).toBe(1);
      expect(r.out).toMatch(/1 session\(s\) are connected to database "codesign_test_\w+" .*: stop every node .*was not changed\./);
    } finally {
      await held.end();
    }
    expect(await databasesNamed(`${source.name}_`)).toEqual([]);
  }, 60_000);

  it("fails a backup whose dump holds a document that does not load, and writes no file", async () => {
    await onServer(
      (c) =>
        c.query("insert into document_updates (document_id, \"update\", created_at) values ($1, $2, $3)", [
          DOC_ID,
          Buffer.from("not a Yjs update at all"),
          new Date().toISOString(),
        ]),
      source.url,
    );
    const destination = path.join(dir, "broken.dump");
    const r = await run("backup", [destination], source.url);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(new RegExp(`^Backup failed: document ${DOC_ID} does not load: .+ No backup was written\\.`));
    expect(fs.existsSync(destination)).toBe(false);
    expect(fs.existsSync(`${destination}.partial`)).toBe(false);
    expect(await databasesNamed(`${source.name}_`)).toEqual([]);
  }, 60_000);
});
