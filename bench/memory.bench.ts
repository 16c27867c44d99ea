/**
 * Memory after opening and closing 10,000 documents, against a baseline: each document gets a
 * client that syncs it and leaves, 20 at a time, so each room is created, loaded from SQLite,
 * snapshotted and unloaded. The baseline is taken after a warm-up of 200 documents (code paths
 * compiled, caches and pools filled), the figure after every room has unloaded and the server
 * has been idle for a few seconds. RSS is what the operating system sees; heap figures come
 * from the server's /metrics.
 *
 * Env: BENCH_MEMORY_DOCS (default 10000); BENCH_MALLOC_ARENA_MAX=2 runs the server with that glibc setting.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { WebSocket } from "ws";
import { initialContentUpdate } from "../server/documents/lexical-content";
import SQLite from "better-sqlite3";
import { processRssMiB, sleep, table } from "./lib/measure";
import { prepareOursDatabase, startOurs, type RunningPeer } from "./lib/servers";

const DOCS = Number(process.env.BENCH_MEMORY_DOCS ?? 10_000);
const WARMUP = 200;
const CONCURRENCY = 20;

async function openAndClose(server: RunningPeer, cookie: string, doc: string): Promise<void> {
  const ws = new WebSocket(server.socketUrl(doc), {
    headers: { cookie, origin: `http://127.0.0.1:${server.port}`, "x-forwarded-for": "10.30.0.1" },
  });
  ws.binaryType = "nodebuffer";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no sync for ${doc}`)), 30_000);
    ws.on("open", () => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint8Array(e, new Uint8Array([0]));
      ws.send(encoding.toUint8Array(e));
    });
    ws.on("message", (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === 1) {
        clearTimeout(timer);
        resolve();
      }
    });
    ws.on("error", reject);
  });
  await new Promise<void>((resolve) => {
    ws.once("close", () => resolve());
    ws.close();
  });
}

async function openMany(server: RunningPeer, cookie: string, ids: string[]) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ids.length) await openAndClose(server, cookie, ids[next++]);
    }),
  );
}

async function stats(server: RunningPeer) {
  const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
  return (await res.json()) as { rooms: number; connections: number };
}

async function heapMiB(server: RunningPeer): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  if (!res.ok) return NaN;
  const m = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\d+(?:\.\d+)?)/m.exec(await res.text());
  return m ? Number(m[1]) / 1048576 : NaN;
}

/**
 * Waits for every room to unload, then for the server to sit idle: V8 returns the young
 * generation it grew under load, and runs its idle-time collections, only after some seconds
 * without work. Prints RSS every 5 s for 40 s.
 */
async function settle(server: RunningPeer, label: string) {
  for (let i = 0; i < 200 && (await stats(server)).rooms > 0; i++) await sleep(100);
  const seen: string[] = [];
  for (let s = 0; s < 40; s += 5) {
    await sleep(5000);
    seen.push(`${s + 5} s ${processRssMiB(server.pid).toFixed(1)}`);
  }
  console.log(`  RSS while idle ${label} (MiB): ${seen.join(", ")}`);
}

const started = Date.now();
const ids = Array.from({ length: DOCS + WARMUP }, (_, i) => `mem-doc-${i}`);
const prepared = await prepareOursDatabase({ users: 1, documents: ids });
{
  // Each document with the content a new action description starts with.
  const db = new SQLite(prepared.dbFile);
  const insert = db.prepare(
    "insert into document_updates (document_id, \"update\", user_id, organisation_id, created_at) values (?, ?, null, null, ?)",
  );
  const now = new Date().toISOString();
  db.transaction(() => {
    ids.forEach((id, i) =>
      insert.run(id, initialContentUpdate([`Action ${i}: what the partners will do, and by when.`, "Who leads it and who supports it."]), now),
    );
  })();
  db.close();
}
const cookie = prepared.cookies[0];
const server = await startOurs(prepared.dbFile, { SYNC_CONNECTIONS_PER_MINUTE: "100000", ...(process.env.BENCH_MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.BENCH_MALLOC_ARENA_MAX } : {}) });
try {
  const atStart = processRssMiB(server.pid);
  await openMany(server, cookie, ids.slice(0, WARMUP));
  await settle(server, "after the warm-up");
  const baseline = processRssMiB(server.pid);
  const baselineHeap = await heapMiB(server);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, processRssMiB(server.pid))), 200);
  const t0 = performance.now();
  await openMany(server, cookie, ids.slice(WARMUP));
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  await settle(server, `after ${DOCS} documents`);
  const after = processRssMiB(server.pid);
  const afterHeap = await heapMiB(server);
  const left = await stats(server);
  console.log(`Open and close ${DOCS.toLocaleString("en-GB")} documents (each loaded, synced, snapshotted, unloaded), ${CONCURRENCY} at a time.`);
  console.log(
    table(
      ["", "RSS", "heap used"],
      [
        ["just started", `${atStart.toFixed(1)} MiB`, "-"],
        [`baseline (${WARMUP} warm-up documents, idle 40 s)`, `${baseline.toFixed(1)} MiB`, `${baselineHeap.toFixed(1)} MiB`],
        ["peak while opening", `${peak.toFixed(1)} MiB`, "-"],
        [`after ${DOCS} documents, idle 40 s`, `${after.toFixed(1)} MiB`, `${afterHeap.toFixed(1)} MiB`],
        [
          "after vs baseline",
          `${after >= baseline ? "+" : ""}${(((after - baseline) / baseline) * 100).toFixed(1)}%`,
          `${afterHeap >= baselineHeap ? "+" : ""}${(((afterHeap - baselineHeap) / baselineHeap) * 100).toFixed(1)}%`,
        ],
      ],
    ),
  );
  console.log(`${(DOCS / seconds).toFixed(0)} documents opened and closed per second; rooms still open afterwards: ${left.rooms}.`);
} finally {
  await server.stop();
}
console.log(`\nmemory finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
