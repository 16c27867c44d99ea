// How long the server's event loop stalls while it serves one heavy or hostile request (issue 10):
// a 2,000-row import, a 2 MB CSV, a 20 MB body and 20 MB of form fields being refused, and the
// Word report and actions CSV of a 500-action plan. The production build runs in its own process;
// its event-loop delay is read from /metrics (prom-client samples it with a 10 ms timer and resets
// the histogram at each scrape), so each figure covers exactly one scenario. A /healthz probe
// every 10 ms from this process gives the latency another user would have seen meanwhile.
// `npm run build && node --import tsx bench/event-loop.bench.ts`. Prints figures; asserts nothing.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { buildPlanDatabase } from "./lib/big-plan";
import { fmtMs, percentile, sleep, table } from "./lib/measure";
import { ACCOUNTS, login, PLAN_ID, reopenSeededPlan, startAppServer } from "../test/helpers/app-server";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MiB = 1024 * 1024;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdw-bench-loop-"));
const file = path.join(dir, "bench.sqlite");
const built = await buildPlanDatabase(file, 500);
await built.db.destroy();
const PLAN = built.planId;
const server = await startAppServer({ dbFile: file, env: { SEED_ON_EMPTY: "false" } });
await reopenSeededPlan(server.url);
const cookie = await login(server.url, ACCOUNTS.facilitator);
console.log(`Plan of 500 actions; ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}.`);

async function loopDelay(): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} ([0-9.e+-]+)$`, "m").exec(text)?.[1] ?? NaN) * 1000;
  return { p99: read("nodejs_eventloop_lag_p99_seconds"), max: read("nodejs_eventloop_lag_max_seconds") };
}

function healthProbe() {
  const latencies: number[] = [];
  let stopped = false;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const loop = (async () => {
    while (!stopped) {
      const t = performance.now();
      await new Promise<void>((resolve) => {
        http.get(`${server.url}/healthz`, { agent }, (res) => res.resume().on("end", resolve)).on("error", () => resolve());
      });
      latencies.push(performance.now() - t);
      await sleep(10);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    agent.destroy();
    return latencies.sort((a, b) => a - b);
  };
}

/** Streams `chunks` as a chunked body on a raw request; stops as soon as an answer arrives. */
function chunkedPost(pathname: string, headers: Record<string, string>, chunks: () => Iterable<Buffer>): Promise<number> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(`${server.url}${pathname}`, { method: "POST", headers: { ...headers, "Transfer-Encoding": "chunked" }, agent: false }, (res) => {
      answered = true;
      res.resume().on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", (e) => (answered ? undefined : reject(e)));
    (async () => {
      for (const chunk of chunks()) {
        if (answered || req.destroyed) return;
        if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
      }
      req.end();
    })().catch(() => {});
  });
}

let serial = 0;
function importCsv(rows: number, description: string): Blob {
  const run = serial++;
  const lines = ["Priority code,Action,Description,Lead partner,Supporting partners,Milestones"];
  for (let i = 0; i < rows; i++) lines.push(`BGI-1,Bench import ${run}-${i}: a deliverable with a realistic title,"${description}",Bury Council,,2023-03-31 First milestone`);
  return new Blob([lines.join("\n")], { type: "text/csv" });
}
async function postImport(csv: Blob): Promise<number> {
  const form = new FormData();
  form.set("intent", "import-csv");
  form.set("file", csv, "actions.csv");
  // Into the seeded plan: the 500-action plan stays at 500 for the report scenarios.
  const res = await fetch(`${server.url}/plans/${PLAN_ID}/reports`, { method: "POST", headers: { Cookie: cookie, Origin: server.url }, body: form });
  await res.arrayBuffer();
  return res.status;
}

const boundary = "----cdw-bench";
function* bigUpload(): Generator<Buffer> {
  yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nimport-csv\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\nPriority code,Action\n`);
  const block = Buffer.from("BGI-1,An action in a file far over the limit\n".repeat(1500));
  for (let sent = 0; sent < 20 * MiB; sent += block.length) yield block;
}
function* manyFields(): Generator<Buffer> {
  const block = Buffer.from("a=&".repeat(20_000));
  for (let sent = 0; sent < 20 * MiB; sent += block.length) yield block;
}
const get = async (p: string) => {
  const res = await fetch(server.url + p, { headers: { Cookie: cookie } });
  await res.arrayBuffer();
  return res.status;
};

const description = "Deliver the agreed outputs with partners across the borough, reporting quarterly to the board. ".repeat(10).trim();
const twoMbRows = Math.min(2000, Math.floor((2 * MiB - 200) / (importCsv(1, description).size - 60)));
const scenarios: { label: string; expect: number; run: () => Promise<number> }[] = [
  { label: "import 2,000 rows (~170 KB)", expect: 200, run: () => postImport(importCsv(2000, "")) },
  { label: `import a 2 MB CSV (${twoMbRows} rows with descriptions)`, expect: 200, run: () => postImport(importCsv(twoMbRows, description)) },
  { label: "20 MB chunked upload refused", expect: 413, run: () => chunkedPost(`/plans/${PLAN}/reports`, { Cookie: cookie, Origin: server.url, "Content-Type": `multipart/form-data; boundary=${boundary}` }, bigUpload) },
  { label: "20 MB of form fields on /login refused", expect: 413, run: () => chunkedPost("/login", { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "192.0.2.200" }, manyFields) },
  { label: "Word report, 500 actions", expect: 200, run: () => get(`/plans/${PLAN}/report.docx?asAt=2022-10-20`) },
  { label: "actions CSV, 500 actions", expect: 200, run: () => get(`/plans/${PLAN}/actions.csv?asAt=2022-10-20`) },
];

const rows: string[][] = [];
try {
  // Warm the routes and the worker thread, so each figure is a steady state.
  await get(`/plans/${PLAN}/report.docx?asAt=2022-10-20`);
  await get(`/plans/${PLAN}/actions.csv?asAt=2022-10-20`);
  for (const s of scenarios) {
    const stalls: { p99: number; max: number }[] = [];
    const times: number[] = [];
    let probeMax = 0;
    for (let i = 0; i < RUNS; i++) {
      await sleep(200);
      await loopDelay(); // resets the server's histogram
      const stopProbe = healthProbe();
      const t = performance.now();
      const status = await s.run();
      times.push(performance.now() - t);
      await sleep(50);
      const probe = await stopProbe();
      stalls.push(await loopDelay());
      probeMax = Math.max(probeMax, probe[probe.length - 1] ?? NaN);
      if (status !== s.expect) throw new Error(`${s.label}: answered ${status}, expected ${s.expect}`);
    }
    rows.push([
      s.label,
      fmtMs(percentile([...times].sort((a, b) => a - b), 50)),
      fmtMs(Math.max(...stalls.map((x) => x.p99))),
      fmtMs(Math.max(...stalls.map((x) => x.max))),
      fmtMs(probeMax),
    ]);
  }
  console.log(`\nEvent loop during each request (worst of ${RUNS} runs; the probe ticks every 10 ms, so an idle loop reads about 10 ms):\n`);
  console.log(table(["scenario", "request (median)", "loop p99", "loop max", "/healthz max"], rows));
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
