/**
 * Cold load of a long history: a document typed one character at a time, 100,000 updates.
 *
 * 1. Ingest: one client sends the 100,000 updates, one frame each, as fast as the socket takes
 *    them; done when the server answers a sync-step-1 sent after the last one with all of it.
 *    Figure: the server process's CPU seconds meanwhile (and wall time).
 * 2. Cold sync: a new client (the official provider) joins a server that has just started and
 *    must load the document: time from opening the socket to `synced`. For ours, before
 *    compaction (only the 100,000 stored updates, snapshots removed) and after (the snapshot our
 *    server writes when the document unloads). Hocuspocus after a restart (it stores one merged
 *    state: its "after compaction"); the reference server keeps documents in memory only, so its
 *    figure is a warm join.
 *
 * Env: BENCH_COLD_UPDATES (default 100000), BENCH_SERVERS.
 */
import SQLite from "better-sqlite3";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import * as Y from "yjs";
import { ownParagraph, typedLength } from "./lib/clients";
import { fmtMs, median, processCpuSeconds, sleep, table } from "./lib/measure";
import {
  prepareOursDatabase,
  SERVER_LABEL,
  startHocuspocus,
  startOurs,
  startReference,
  type RunningPeer,
  type ServerKind,
} from "./lib/servers";

const UPDATES = Number(process.env.BENCH_COLD_UPDATES ?? 100_000);
const DOC = "cold-doc";
const KINDS = ((process.env.BENCH_SERVERS?.split(",") ?? ["ours", "reference", "hocuspocus"]) as ServerKind[]).filter(
  (k) => k in SERVER_LABEL,
);

function typedHistory(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  // Into a Lexical paragraph, as the editor writes: our server refuses updates it could not read.
  const text = ownParagraph(doc);
  const words = "the partners agree to co-design every action of the plan together ";
  for (let i = 0; i < n; i++) text.insert(text.length, words[i % words.length]);
  doc.destroy();
  return updates;
}

function headersFor(server: RunningPeer, cookie: string | null): Record<string, string> {
  return cookie ? { cookie, origin: `http://127.0.0.1:${server.port}` } : {};
}

function frame(prefix: string | null, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  if (prefix !== null) encoding.writeVarString(e, prefix);
  write(e);
  return encoding.toUint8Array(e);
}

/** Sends every update on one socket and waits until the server's state holds all of them. */
async function ingest(server: RunningPeer, cookie: string | null, updates: Uint8Array[]) {
  const hocuspocus = server.kind === "hocuspocus";
  const prefix = hocuspocus ? DOC : null;
  const ws = new WebSocket(server.socketUrl(DOC), { headers: headersFor(server, cookie) });
  ws.binaryType = "nodebuffer";
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const syncFrame = (type: number, payload: Uint8Array) =>
    frame(prefix, (e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, type);
      encoding.writeVarUint8Array(e, payload);
    });
  let answered: ((len: number) => void) | null = null;
  ws.on("message", (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    if (hocuspocus) decoding.readVarString(d);
    if (decoding.readVarUint(d) !== 0) return;
    const sub = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    if (sub === 0) ws.send(syncFrame(1, new Uint8Array([0, 0])));
    if (sub === 1 && answered) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, payload);
      answered(typedLength(doc));
      doc.destroy();
    }
  });
  if (hocuspocus) {
    ws.send(frame(prefix, (e) => {
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint(e, 0);
      encoding.writeVarString(e, "");
    }));
  }
  await sleep(300);
  const cpu0 = processCpuSeconds(server.pid);
  const t0 = performance.now();
  for (let i = 0; i < updates.length; i++) {
    ws.send(syncFrame(2, updates[i]));
    // Flow control, as a browser's socket would apply: do not queue megabytes in user space.
    if (ws.bufferedAmount > 1 << 20) {
      while (ws.bufferedAmount > 1 << 18) await sleep(1);
    }
  }
  // Ask for everything; answered after every earlier frame was handled (in order, per socket).
  let length = 0;
  for (;;) {
    length = await new Promise<number>((resolve) => {
      answered = resolve;
      ws.send(syncFrame(0, new Uint8Array([0])));
    });
    if (length >= UPDATES || performance.now() - t0 > 600_000) break;
    await sleep(200);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = processCpuSeconds(server.pid) - cpu0;
  ws.terminate();
  return { seconds, cpu, length };
}

/** Time for the official provider to be synced with the whole document. */
async function timeToSync(server: RunningPeer, cookie: string | null): Promise<{ ms: number; length: number }> {
  const doc = new Y.Doc();
  const headers = headersFor(server, cookie);
  class HeaderSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const t0 = performance.now();
  let destroy: () => void;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no sync in 120 s")), 120_000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    if (server.kind === "hocuspocus") {
      const websocketProvider = new HocuspocusProviderWebsocket({ url: server.providerUrl, WebSocketPolyfill: HeaderSocket });
      const p = new HocuspocusProvider({
        websocketProvider,
        name: DOC,
        document: doc,
        onSynced: ({ state }) => state && done(),
      });
      p.attach();
      destroy = () => {
        p.destroy();
        websocketProvider.destroy();
      };
    } else {
      const p = new WebsocketProvider(server.providerUrl, DOC, doc, {
        WebSocketPolyfill: HeaderSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      });
      p.on("sync", (s: boolean) => s && done());
      destroy = () => p.destroy();
    }
  });
  const ms = performance.now() - t0;
  const length = typedLength(doc);
  destroy!();
  doc.destroy();
  return { ms, length };
}

interface Row {
  kind: ServerKind;
  ingestCpu: number;
  ingestWall: number;
  before: number[];
  after: number[];
  note: string;
  complete: boolean;
}

async function runOurs(updates: Uint8Array[]): Promise<Row> {
  const prepared = await prepareOursDatabase({ users: 1, documents: [DOC] });
  const cookie = prepared.cookies[0];
  let server = await startOurs(prepared.dbFile);
  const ing = await ingest(server, cookie, updates);
  await server.stop();
  let db = new SQLite(prepared.dbFile);
  const ingestedRows = (db.prepare("select count(*) as n from document_updates where document_id = ?").get(DOC) as { n: number }).n;

  // The history as someone typing over weeks leaves it: one stored update per keystroke (our
  // server stores a burst from one client as one row, so the ingest above stored fewer).
  const userId = prepared.userIds[0];
  db.transaction(() => {
    db.prepare("delete from document_snapshots where document_id = ?").run(DOC);
    db.prepare("delete from document_updates where document_id = ?").run(DOC);
    const insert = db.prepare(
      "insert into document_updates (document_id, \"update\", user_id, organisation_id, created_at) values (?, ?, ?, 'bench-load', ?)",
    );
    const at = new Date().toISOString();
    for (const u of updates) insert.run(DOC, u, userId, at);
  })();
  db.close();
  const before: number[] = [];
  let complete = ing.length === UPDATES;
  for (let i = 0; i < 3; i++) {
    server = await startOurs(prepared.dbFile);
    const r = await timeToSync(server, cookie);
    complete &&= r.length === UPDATES;
    before.push(r.ms);
    // Killed, and its snapshots removed, so the next start loads the 100,000 updates again.
    await server.kill9();
    db = new SQLite(prepared.dbFile);
    db.prepare("delete from document_snapshots where document_id = ?").run(DOC);
    db.close();
  }
  // Compaction: the server snapshots a document loaded with a long tail of updates, and again
  // when its last client leaves.
  server = await startOurs(prepared.dbFile);
  await timeToSync(server, cookie);
  await sleep(500);
  await server.stop();
  const after: number[] = [];
  for (let i = 0; i < 5; i++) {
    server = await startOurs(prepared.dbFile);
    const r = await timeToSync(server, cookie);
    complete &&= r.length === UPDATES;
    after.push(r.ms);
    await server.stop();
  }
  return {
    kind: "ours",
    ingestCpu: ing.cpu,
    ingestWall: ing.seconds,
    before,
    after,
    note: `ingest stored ${ingestedRows} rows; cold loads from ${updates.length} rows`,
    complete,
  };
}

async function runReference(updates: Uint8Array[]): Promise<Row> {
  const server = await startReference();
  const ing = await ingest(server, null, updates);
  const after: number[] = [];
  let complete = ing.length === UPDATES;
  for (let i = 0; i < 5; i++) {
    const r = await timeToSync(server, null);
    complete &&= r.length === UPDATES;
    after.push(r.ms);
  }
  await server.stop();
  return { kind: "reference", ingestCpu: ing.cpu, ingestWall: ing.seconds, before: [], after, note: "memory only: warm joins", complete };
}

async function runHocuspocus(updates: Uint8Array[]): Promise<Row> {
  let server = await startHocuspocus();
  const file = server.dbFile!;
  const ing = await ingest(server, null, updates);
  // Its debounce stores the document at most 10 s after the last change.
  await sleep(11_000);
  await server.stop();
  const after: number[] = [];
  let complete = ing.length === UPDATES;
  for (let i = 0; i < 5; i++) {
    server = await startHocuspocus(file);
    const r = await timeToSync(server, null);
    complete &&= r.length === UPDATES;
    after.push(r.ms);
    await server.stop();
  }
  return { kind: "hocuspocus", ingestCpu: ing.cpu, ingestWall: ing.seconds, before: [], after, note: "after restart, from its stored state", complete };
}

const started = Date.now();
console.log(`Cold load: a document typed one character at a time, ${UPDATES.toLocaleString("en-GB")} updates.`);
const updates = typedHistory(UPDATES);
const rows: Row[] = [];
for (const kind of KINDS) {
  try {
    rows.push(kind === "ours" ? await runOurs(updates) : kind === "reference" ? await runReference(updates) : await runHocuspocus(updates));
  } catch (error) {
    console.log(`${SERVER_LABEL[kind]}: FAILED ${String(error)}`);
  }
}
console.log(
  table(
    ["server", "ingest CPU", "ingest wall", "cold sync before compaction (median)", "sync after compaction (median)", "complete", "note"],
    rows.map((r) => [
      SERVER_LABEL[r.kind],
      `${r.ingestCpu.toFixed(2)} s`,
      `${r.ingestWall.toFixed(2)} s`,
      r.before.length ? `${fmtMs(median(r.before))} (${r.before.map((m) => fmtMs(m)).join(", ")})` : "-",
      `${fmtMs(median(r.after))} (${r.after.map((m) => fmtMs(m)).join(", ")})`,
      r.complete ? "yes" : "NO",
      r.note,
    ]),
  ),
);
console.log(`\ncold-load finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
