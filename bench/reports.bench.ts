// Board view server render time, and the Cabinet / board report build time (Word, ODF, and PDF where
// LibreOffice is installed) for a plan of 500 actions, with the longest wait of a /healthz probe
// (every 10 ms) while the server builds them: the event-loop stall a build causes.
// `npm run bench` (or `npm run build && node --import tsx bench/reports.bench.ts`). Prints medians; asserts nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { buildPlanDatabase } from "./lib/big-plan";
import { loadPlanDelivery } from "../server/accountability/delivery";
import { buildBoardReport } from "../server/accountability/report-docx";
import { buildBoardReportOdt } from "../server/accountability/report-odt";
import { convertToPdf, findSoffice } from "../server/accountability/report-pdf";
import { search } from "../db/queries/search";
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
let odtBytes = 0;
const odtBuild = await timeIt("ODF report build (odt, from loaded data)", RUNS, async () => {
  odtBytes = (await buildBoardReportOdt(delivery, meta)).length;
});
const soffice = await findSoffice();
const pdfBuild = soffice
  ? await timeIt("PDF from the odt (LibreOffice, child process)", 3, async () => convertToPdf(await buildBoardReportOdt(delivery, meta), "odt"))
  : null;
if (!soffice) console.log("PDF: LibreOffice (soffice) is not installed here, so no PDF figure.");
const planIds = ["lets-do-it-action-plan", "corporate-plan-delivery-2022-23", PLAN];
const searchMs = await timeIt("search (index refill + query, ~1,700 rows)", RUNS, () => search(db, { q: "partners board", visiblePlanIds: planIds }));
console.log(`Word report size: ${(bytes / 1024).toFixed(0)} KiB; ODF report size: ${(odtBytes / 1024).toFixed(0)} KiB`);
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
  const odt = await timeIt("GET report.odt (load + build + send)", RUNS, () => get(`/plans/${PLAN}/report.odt?asAt=${asAt}`));
  const pdf = soffice ? await timeIt("GET report.pdf (load + odt + LibreOffice)", 3, () => get(`/plans/${PLAN}/report.pdf?asAt=${asAt}`)) : null;
  // The event loop while a report builds: /healthz answers at once unless the loop is busy.
  const stall = async (p: string) => {
    let worst = 0;
    let done = false;
    const probe = (async () => {
      while (!done) {
        const t0 = performance.now();
        // A reset keep-alive socket is not a stall: count the wait, whatever the answer.
        await fetch(`${server.url}/healthz`).then((r) => r.arrayBuffer(), () => undefined);
        worst = Math.max(worst, performance.now() - t0);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    for (let i = 0; i < 3; i++) await get(p);
    done = true;
    await probe;
    return worst;
  };
  const stalls = {
    docx: await stall(`/plans/${PLAN}/report.docx?asAt=${asAt}`),
    odt: await stall(`/plans/${PLAN}/report.odt?asAt=${asAt}`),
  };
  const htmlKiB = (await get(`/plans/${PLAN}/board?asAt=${asAt}&all=1`)).byteLength / 1024;
  console.log(`Board HTML with all rows: ${htmlKiB.toFixed(0)} KiB`);
  console.log("\nSummary (medians):");
  console.log(`  board render: ${fmt(page)} (25 rows), ${fmt(all)} (500 rows); load + RAG alone ${fmt(load)} (${((load / page) * 100).toFixed(0)}% of the 25-row render)`);
  console.log(`  Word report: build ${fmt(build)}, load + build ${fmt(both)}, over HTTP ${fmt(docx)} (HTTP / in-process ratio ${(docx / both).toFixed(2)})`);
  console.log(`  CSV export over HTTP: ${fmt(csv)}; search: ${fmt(searchMs)}`);
  console.log(`  ODF report: build ${fmt(odtBuild)}, over HTTP ${fmt(odt)}${pdfBuild !== null ? `; PDF: conversion ${fmt(pdfBuild)}, over HTTP ${fmt(pdf!)}` : "; PDF: no LibreOffice here"}`);
  console.log(`  longest /healthz wait while building (event-loop stall, target under 100 ms): docx ${fmt(stalls.docx)}, odt ${fmt(stalls.odt)}`);
} finally {
  await server.stop();
  if (process.env.BENCH_KEEP_DB) console.log(`Kept the database: ${file}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
