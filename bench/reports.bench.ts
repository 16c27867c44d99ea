// Board view server render time and Word report build time for a plan of 500 actions.
// `npm run bench` (or `npm run build && node --import tsx bench/reports.bench.ts`). Prints medians; asserts nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { buildPlanDatabase } from "./lib/big-plan";
import { loadPlanDelivery } from "../server/accountability/delivery";
import { buildBoardReport } from "../server/accountability/report-docx";
import { search } from "../server/search";
import { ACCOUNTS, login, startAppServer } from "../test/helpers/app-server";

const ACTIONS = 500;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function timeIt(label: string, runs: number, fn: () => Promise<unknown>) {
  await fn(); // warm-up
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const m = median(times);
  console.log(`${label.padEnd(58)} median ${fmt(m).padStart(10)}   min ${fmt(Math.min(...times)).padStart(10)}   max ${fmt(Math.max(...times)).padStart(10)}   (${runs} runs)`);
  return m;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdw-bench-reports-"));
const file = path.join(dir, "bench.sqlite");
let t = performance.now();
const { db, planId: PLAN } = await buildPlanDatabase(file, ACTIONS);
console.log(`Built a plan of ${ACTIONS} actions (1,000 milestones, 1,000 updates) in ${((performance.now() - t) / 1000).toFixed(1)} s; ${os.cpus().length} cores, Node ${process.version}.`);
const asAt = "2022-10-20";

console.log("\nIn process (no HTTP):");
const load = await timeIt("load delivery + evaluate RAG (500 actions)", RUNS, () => loadPlanDelivery(db, PLAN, asAt));
const delivery = await loadPlanDelivery(db, PLAN, asAt);
const meta = { planTitle: "Benchmark plan of 500 actions", partnership: "Team Bury partnership", preparedBy: "Bench", preparedOn: "2022-10-20" };
let bytes = 0;
const build = await timeIt("Word report build (docx, from loaded data)", RUNS, async () => {
  bytes = (await buildBoardReport(delivery, meta)).length;
});
const both = await timeIt("Word report: load + build", RUNS, async () => buildBoardReport(await loadPlanDelivery(db, PLAN, asAt), meta));
const planIds = ["lets-do-it-action-plan", "corporate-plan-delivery-2022-23", PLAN];
const searchMs = await timeIt("search (index refill + query, ~1,700 rows)", RUNS, () => search(db, { q: "partners board", visiblePlanIds: planIds }));
console.log(`Word report size: ${(bytes / 1024).toFixed(0)} KiB`);
await db.destroy();

console.log("\nThrough the production server (HTTP, signed in):");
const server = await startAppServer({ dbFile: file, env: { SEED_ON_EMPTY: "false" } });
try {
  const cookie = await login(server.url, ACCOUNTS.facilitator);
  const get = async (p: string) => {
    const res = await fetch(server.url + p, { headers: { Cookie: cookie } });
    if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
    return res.arrayBuffer();
  };
  const page = await timeIt("board view, server render (25 rows shown)", RUNS, () => get(`/plans/${PLAN}/board?asAt=${asAt}`));
  const all = await timeIt("board view, server render (all 500 rows)", RUNS, () => get(`/plans/${PLAN}/board?asAt=${asAt}&all=1`));
  const docx = await timeIt("GET report.docx (load + build + send)", RUNS, () => get(`/plans/${PLAN}/report.docx?asAt=${asAt}`));
  const csv = await timeIt("GET actions.csv (500 descriptions read via sync)", 5, () => get(`/plans/${PLAN}/actions.csv?asAt=${asAt}`));
  const htmlKiB = (await get(`/plans/${PLAN}/board?asAt=${asAt}&all=1`)).byteLength / 1024;
  console.log(`Board HTML with all rows: ${htmlKiB.toFixed(0)} KiB`);
  console.log("\nSummary (medians):");
  console.log(`  board render: ${fmt(page)} (25 rows), ${fmt(all)} (500 rows); load + RAG alone ${fmt(load)} (${((load / page) * 100).toFixed(0)}% of the 25-row render)`);
  console.log(`  Word report: build ${fmt(build)}, load + build ${fmt(both)}, over HTTP ${fmt(docx)} (HTTP / in-process ratio ${(docx / both).toFixed(2)})`);
  console.log(`  CSV export over HTTP: ${fmt(csv)}; search: ${fmt(searchMs)}`);
} finally {
  await server.stop();
  if (process.env.BENCH_KEEP_DB) console.log(`Kept the database: ${file}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
