/**
 * Hardening 13, 15, 16 and 17 against the production build, as `npm start` runs it:
 * a demotion while connected; kill -9 in the middle of a compaction; `npm run backup` while
 * people edit, then restore; health, metrics, JSON logs and a graceful SIGTERM.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { restore } from "../../scripts/restore";
import { verifyDatabase } from "../../scripts/backup";
import { ACCOUNTS, type AppServer, login, PLAN_ID, postForm, reopenSeededPlan, startAppServer, tempDbFile } from "../helpers/app-server";
import { typingParagraph } from "../helpers/bad-documents";
import { connectClient, eventually, waitForSync, type Client } from "../helpers/yjs-client";

const DOC_ID = "doc-act-p-bgi-1-3";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let servers: AppServer[] = [];
let clients: Client[] = [];
afterEach(async () => {
  for (const c of clients) c.destroy();
  clients = [];
  // A server stopped at a failpoint cannot handle SIGTERM: kill it if it does not stop.
  await Promise.all(servers.map((s) => Promise.race([s.stop(), sleep(5000).then(() => s.kill9())])));
  servers = [];
}, 30_000);

async function start(opts: Parameters<typeof startAppServer>[0] = {}) {
  const s = await startAppServer(opts);
  if (!opts.dbFile) await reopenSeededPlan(s.url);
  servers.push(s);
  return s;
}

function client(server: AppServer, cookie: string, doc = DOC_ID) {
  const c = connectClient(server.url, doc, cookie);
  clients.push(c);
  return c;
}

function storedText(dbFile: string, doc = DOC_ID): string {
  const db = new Database(dbFile, { readonly: true });
  try {
    const d = new Y.Doc();
    for (const row of db.prepare('select "update" from document_updates where document_id = ? order by id').all(doc) as { update: Buffer }[]) {
      Y.applyUpdate(d, row.update);
    }
    return typingParagraph(d).toString();
  } finally {
    db.close();
  }
}


describe("a demotion while connected (13)", () => {
  it("makes an editor read-only at once when an administrator sets them to commenter", async () => {
    const server = await start();
    const sarahCookie = await login(server.url, ACCOUNTS.councilEditor);
    const sarah = client(server, sarahCookie);
    const rahul = client(server, await login(server.url, ACCOUNTS.nhsEditor));
    await Promise.all([waitForSync(sarah), waitForSync(rahul)]);
    typingParagraph(sarah.doc).insert(0, "before ");
    await eventually(() => typingParagraph(rahul.doc).toString(), (t) => t === "before ");

    const admin = await login(server.url, ACCOUNTS.admin);
    const res = await postForm(server.url, "/admin", admin, {
      intent: "set-grant",
      planId: PLAN_ID,
      userEmail: ACCOUNTS.councilEditor,
      role: "commenter",
    });
    expect(res.status).toBeLessThan(400);
    // The action answered after the live connection was re-checked: the next edit is dropped.
    typingParagraph(sarah.doc).insert(7, "after");
    await eventually(
      () => server.logs.filter((l) => l.msg === "dropped a document change from a read-only connection").length,
      (n) => n > 0,
    );
    typingParagraph(rahul.doc).insert(0, ">");
    await eventually(() => typingParagraph(sarah.doc).toString(), (t) => t.startsWith(">"));
    expect(typingParagraph(rahul.doc).toString()).toBe(">before ");
    expect(storedText(server.dbFile)).toBe(">before ");
    expect(server.logs.some((l) => l.msg === "sync access changed" && l.to === "read")).toBe(true);
  }, 60_000);
});

describe("kill -9 during compaction (15)", () => {
  it("leaves the document exactly as it was before the compaction started", async () => {
    const first = await start({ env: { SYNC_FAILPOINT: "compaction", SYNC_COMPACT_AFTER_UPDATES: "20" } });
    const a = client(first, await login(first.url, ACCOUNTS.councilEditor));
    const b = client(first, await login(first.url, ACCOUNTS.nhsEditor));
    await Promise.all([waitForSync(a), waitForSync(b)]);
    // One stored update per character: each waits until the other client has it.
    const words = "partners agree together";
    for (let i = 0; i < words.length && !first.logs.some((l) => l.msg === "failpoint reached"); i++) {
      typingParagraph(a.doc).insert(i, words[i]);
      const expected = words.slice(0, i + 1);
      await Promise.race([
        eventually(() => typingParagraph(b.doc).toString(), (t) => t === expected, 5000),
        eventually(() => first.logs.some((l) => l.msg === "failpoint reached"), (x) => x, 5000),
      ]);
    }
    await eventually(() => first.logs.some((l) => l.msg === "failpoint reached"), (x) => x);
    // The server is stopped inside the snapshot transaction: kill it there.
    const acknowledged = typingParagraph(b.doc).toString();
    expect(acknowledged.length).toBeGreaterThanOrEqual(15);
    await first.kill9();
    servers = servers.filter((s) => s !== first);

    const db = new Database(first.dbFile, { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    // The snapshot the killed compaction wrote was never committed.
    expect(db.prepare("select count(*) as n from document_snapshots where document_id = ?").get(DOC_ID)).toEqual({ n: 0 });
    db.close();

    const second = await start({ dbFile: first.dbFile });
    const c = client(second, await login(second.url, ACCOUNTS.collegeEditor));
    await waitForSync(c);
    expect(typingParagraph(c.doc).toString()).toBe(acknowledged);
    expect(storedText(first.dbFile)).toBe(acknowledged);
  }, 60_000);
});

describe("backup while people edit (16)", () => {
  it("npm run backup makes a consistent copy; restored, it passes integrity_check and every document loads", async () => {
    const server = await start();
    const a = client(server, await login(server.url, ACCOUNTS.councilEditor));
    const b = client(server, await login(server.url, ACCOUNTS.nhsEditor));
    await Promise.all([waitForSync(a), waitForSync(b)]);
    typingParagraph(a.doc).insert(0, "typed before the backup;");
    await eventually(() => typingParagraph(b.doc).toString(), (t) => t === "typed before the backup;");
    // Someone keeps typing throughout.
    let typing = true;
    const typist = (async () => {
      for (let i = 0; typing; i++) {
        const t = typingParagraph(a.doc);
        t.insert(t.length, String(i % 10));
        await sleep(5);
      }
    })();
    const destination = path.join(path.dirname(tempDbFile("backup")), "copy.sqlite");
    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const proc = spawn(process.execPath, ["--import", "tsx", "scripts/backup.ts", destination], {
        env: { ...process.env, DATABASE_FILE: server.dbFile },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      proc.stdout.on("data", (d) => (out += d));
      proc.stderr.on("data", (d) => (out += d));
      proc.on("exit", (code) => resolve({ code, out }));
    });
    typing = false;
    await typist;
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/integrity_check ok/);

    const target = tempDbFile("restored");
    const restored = await restore(destination, target);
    const source = new Database(server.dbFile, { readonly: true });
    const documents = (source.prepare("select count(*) as n from documents").get() as { n: number }).n;
    source.close();
    expect(restored.documents).toBe(documents);
    expect((await verifyDatabase(target)).documents).toBe(documents);

    // The copy is the database as of one moment: what was typed before, then a prefix of the rest.
    const copied = storedText(target);
    const final = typingParagraph(b.doc).toString();
    expect(copied.startsWith("typed before the backup;")).toBe(true);
    expect(final.startsWith(copied)).toBe(true);

    const again = await start({ dbFile: target });
    const c = client(again, await login(again.url, ACCOUNTS.collegeEditor));
    await waitForSync(c);
    expect(typingParagraph(c.doc).toString()).toBe(copied);
  }, 90_000);
});

describe("operations (17)", () => {
  it("answers /healthz and /metrics, logs JSON lines, and on SIGTERM closes sockets with a reason after storing everything", async () => {
    const server = await start();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", rooms: 0, connections: 0 });

    const a = client(server, await login(server.url, ACCOUNTS.councilEditor));
    const b = client(server, await login(server.url, ACCOUNTS.nhsEditor));
    await Promise.all([waitForSync(a), waitForSync(b)]);
    typingParagraph(a.doc).insert(0, "stored before the restart");
    await eventually(() => typingParagraph(b.doc).toString(), (t) => t === "stored before the restart");

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(metrics)?.[1]);
    expect(value("codesign_sync_connections")).toBe(2);
    expect(value("codesign_sync_rooms")).toBe(1);
    expect(value("codesign_sync_updates_stored_total")).toBeGreaterThanOrEqual(1);
    expect(value("codesign_sync_persistence_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(/^codesign_sync_updates_per_second/m);
    expect(metrics).toMatch(/^process_cpu_seconds_total/m);
    expect(metrics).toMatch(/^# TYPE codesign_sync_persistence_seconds histogram$/m);

    // Every line of output is a JSON log entry with a level, a time and a message.
    expect(server.logs.length).toBeGreaterThan(5);
    for (const entry of server.logs) {
      expect(typeof entry.level).toBe("number");
      expect(typeof entry.time).toBe("number");
      expect(typeof entry.msg).toBe("string");
    }
    expect(server.logs.some((l) => l.msg === "http" && l.path === "/login" && l.status === 302)).toBe(true);

    const closes = [a.closed, b.closed];
    const exit = new Promise<number | null>((resolve) => server.proc.once("exit", (code) => resolve(code)));
    server.proc.kill("SIGTERM");
    // New connections are no longer accepted once the shutdown has begun: wait until the process
    // has handled the signal (delivery is asynchronous, so a request sent at once can beat it).
    await eventually(() => server.logs.some((l) => l.msg === "shutting down"), (seen) => seen, 5000);
    const late = await fetch(`${server.url}/healthz`).then(
      (r) => r.status,
      () => "refused" as const,
    );
    expect([503, "refused"]).toContain(late);
    for (const closed of await Promise.all(closes)) {
      expect(closed.code).toBe(1012);
      expect(closed.reason).toMatch(/restarting.*saved/i);
    }
    expect(await exit).toBe(0);
    servers = servers.filter((s) => s !== server);
    expect(server.logs.at(-1)?.msg).toBe("stopped");
    expect(storedText(server.dbFile)).toBe("stored before the restart");
    // Closing unloaded the document with a snapshot.
    const db = new Database(server.dbFile, { readonly: true });
    expect((db.prepare("select count(*) as n from document_snapshots where document_id = ?").get(DOC_ID) as { n: number }).n).toBeGreaterThan(0);
    db.close();
    expect(fs.existsSync(server.dbFile)).toBe(true);
  }, 60_000);
});
