/**
 * Load on one room, side by side: ours (production build, auth, durable-before-visible writes to
 * SQLite), the y-websocket 2.1.0 reference server (memory only) and Hocuspocus 3.4.4 (debounced
 * SQLite persistence). Each server is its own process on loopback, started fresh per scenario.
 *
 * Scenarios: N = 10, 50, 200, 500 clients in one room, one edit per second each, for 20 s; and a
 * 60-person workshop, everyone on the official provider, one edit per second and five presence
 * (cursor) updates per second each. Latency is measured by official providers (up to 10 per
 * run); the other clients are light scripted clients in separate generator processes.
 *
 * Env: BENCH_QUICK=1 runs 5 s per scenario; BENCH_SERVERS=ours,reference limits the servers;
 * BENCH_SCENARIOS=10,500,workshop limits the scenarios; BENCH_METRICS=1 prints our server's
 * commit, event-loop and GC metrics after each of its runs.
 */
import os from "node:os";
import { fmtMs, fmtRatio, percentile, table, watchProcess } from "./lib/measure";
import { deliveryCounts, editsSent, latencySamples, officialsAgree, runRoomLoad, type GeneratorShare } from "./lib/room-load";
import {
  prepareOursDatabase,
  SERVER_LABEL,
  startHocuspocus,
  startOurs,
  startReference,
  type ServerKind,
} from "./lib/servers";

const QUICK = process.env.BENCH_QUICK === "1";
const DURATION_MS = QUICK ? 5_000 : 20_000;
const MAX_CONVERGE_WAIT_MS = 10_000;
const OFFICIAL_PROBES = 10;
const DOC = "bench-doc";

interface Scenario {
  name: string;
  clients: number;
  editsPerSecond: number;
  presencePerSecond: number;
  allOfficial: boolean;
}

const ALL_SCENARIOS: Scenario[] = [
  ...[10, 50, 200, 500].map((n) => ({ name: `N=${n}`, clients: n, editsPerSecond: 1, presencePerSecond: 0, allOfficial: false })),
  { name: "workshop 60", clients: 60, editsPerSecond: 1, presencePerSecond: 5, allOfficial: true },
];
const scenarioFilter = process.env.BENCH_SCENARIOS?.split(",").map((s) => s.trim());
const SCENARIOS = ALL_SCENARIOS.filter(
  (s) => !scenarioFilter || scenarioFilter.some((f) => s.name === `N=${f}` || s.name.startsWith(f)),
);
const KINDS = ((process.env.BENCH_SERVERS?.split(",") ?? ["ours", "reference", "hocuspocus"]) as ServerKind[]).filter(
  (k) => k in SERVER_LABEL,
);

interface Result {
  kind: ServerKind;
  scenario: Scenario;
  editsSent: number;
  deliveries: number;
  expectedDeliveries: number;
  converged: number;
  convergedAfterMs: number;
  officialAgree: boolean;
  latencies: Float64Array;
  missingSamples: number;
  serverCpuPercent: number;
  serverPeakRssMiB: number;
  generatorCpuPercent: number;
  workers: number;
  /** The machine's 1-minute load average as the load started (other work on the machine). */
  loadAverage: number;
  error?: string;
}

async function startServer(kind: ServerKind, clients: number) {
  if (kind === "ours") {
    const prepared = await prepareOursDatabase({ users: clients, documents: [DOC] });
    const server = await startOurs(prepared.dbFile);
    const origin = `http://127.0.0.1:${server.port}`;
    const headers = prepared.cookies.map((cookie, i) => ({
      cookie,
      origin,
      // Each person from their own machine, as in a real meeting (the per-address limits apply).
      "x-forwarded-for": `10.20.${i >> 8}.${i & 255}`,
    }));
    return { server, headers };
  }
  const server = kind === "reference" ? await startReference() : await startHocuspocus();
  return { server, headers: Array.from({ length: clients }, () => ({})) };
}

async function runOne(kind: ServerKind, scenario: Scenario): Promise<Result> {
  const { server, headers } = await startServer(kind, scenario.clients);
  const workerCount = scenario.clients >= 200 || scenario.allOfficial ? 2 : 1;
  const officialCount = scenario.allOfficial ? scenario.clients : Math.min(OFFICIAL_PROBES, scenario.clients);
  const spec = { kind, providerUrl: server.providerUrl, socketUrl: server.socketUrl(DOC), docName: DOC };
  const shares: GeneratorShare[] = Array.from({ length: workerCount }, () => ({ spec, clients: [] }));
  headers.forEach((h, i) => shares[i % workerCount].clients.push({ headers: h, official: i < officialCount }));
  const result: Result = {
    kind,
    scenario,
    editsSent: 0,
    deliveries: 0,
    expectedDeliveries: 0,
    converged: 0,
    convergedAfterMs: NaN,
    officialAgree: false,
    latencies: new Float64Array(0),
    missingSamples: 0,
    serverCpuPercent: NaN,
    serverPeakRssMiB: NaN,
    generatorCpuPercent: NaN,
    workers: workerCount,
    loadAverage: NaN,
  };
  try {
    let watch: ReturnType<typeof watchProcess> | null = null;
    const load = await runRoomLoad({
      shares,
      durationMs: DURATION_MS,
      editsPerSecond: scenario.editsPerSecond,
      presencePerSecond: scenario.presencePerSecond,
      maxConvergeWaitMs: MAX_CONVERGE_WAIT_MS,
      beforeLoad: () => {
        watch = watchProcess(server.pid);
      },
      afterLoad: async () => {
        const usage = watch!.stop();
        result.serverCpuPercent = usage.cpuPercent;
        result.serverPeakRssMiB = usage.peakRssMiB;
        if (process.env.BENCH_METRICS && kind === "ours") {
          const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
          console.log(text.split("\n").filter((l) => /^(codesign_sync_persistence_seconds_(count|sum)|codesign_sync_updates_stored_total|nodejs_eventloop_lag|nodejs_gc_duration_seconds_(sum|count))/.test(l)).join("\n"));
        }
      },
    });
    result.loadAverage = load.loadAverage;
    result.converged = load.converged;
    result.convergedAfterMs = load.convergedAfterMs;
    result.generatorCpuPercent = (100 * load.generatorCpuSeconds) / (DURATION_MS / 1000);
    result.editsSent = editsSent(load);
    const counts = deliveryCounts(load);
    result.deliveries = counts.deliveries;
    result.expectedDeliveries = counts.expected;
    const latency = latencySamples(load);
    result.latencies = latency.samples.get("all") ?? new Float64Array(0);
    result.missingSamples = latency.missing;
    result.officialAgree = officialsAgree(load);
  } catch (error) {
    result.error = `${String(error)}\n${server.tail().split("\n").slice(-5).join("\n")}`;
  } finally {
    await server.stop();
  }
  return result;
}

function row(r: Result): (string | number)[] {
  const l = r.latencies;
  return [
    SERVER_LABEL[r.kind],
    r.editsSent,
    `${r.deliveries}/${r.expectedDeliveries}`,
    `${r.converged}/${r.scenario.clients}${r.officialAgree ? "" : " (!)"}`,
    Number.isFinite(r.convergedAfterMs) ? fmtMs(r.convergedAfterMs) : "no",
    fmtMs(percentile(l, 50)),
    fmtMs(percentile(l, 95)),
    fmtMs(percentile(l, 99)),
    fmtMs(l.length ? l[l.length - 1] : NaN),
    r.missingSamples,
    `${r.serverCpuPercent.toFixed(0)}%`,
    `${r.serverPeakRssMiB.toFixed(0)} MiB`,
    `${r.generatorCpuPercent.toFixed(0)}% (${r.workers}p)`,
    r.loadAverage.toFixed(1),
  ];
}

const HEADER = [
  "server",
  "edits sent",
  "edits received",
  "converged",
  "after load",
  "p50",
  "p95",
  "p99",
  "max",
  "lost samples",
  "server CPU",
  "server RSS",
  "generator CPU",
  "load avg",
];

const started = Date.now();
console.log(
  `One room; ${DURATION_MS / 1000} s of load per scenario; latency from official providers (${OFFICIAL_PROBES} per run, all 60 in the workshop).`,
);
console.log(
  `CPU is % of one core over the load window; RSS is the server's peak; 'after load' is the time to full convergence once typing stops;\n` +
    `'load avg' is the machine's 1-minute load average as the load began (${os.cpus().length} cores: anything else running skews the figures).\n`,
);
const results: Result[] = [];
for (const scenario of SCENARIOS) {
  const rows: Result[] = [];
  for (const kind of KINDS) {
    const r = await runOne(kind, scenario);
    rows.push(r);
    results.push(r);
    if (r.error) console.log(`  ${SERVER_LABEL[kind]} at ${scenario.name}: FAILED ${r.error}`);
  }
  const what = `${scenario.name}: ${scenario.clients} clients, ${scenario.editsPerSecond} edit/s each${
    scenario.presencePerSecond ? `, ${scenario.presencePerSecond} presence updates/s each` : ""
  }`;
  console.log(`\n${what}`);
  console.log(table(HEADER, rows.map(row)));
  const ours = rows.find((r) => r.kind === "ours");
  if (ours) {
    for (const peer of rows.filter((r) => r.kind !== "ours")) {
      const p = (r: Result, q: number) => percentile(r.latencies, q);
      console.log(
        `  ours/${peer.kind}: p50 ${fmtRatio(p(ours, 50), p(peer, 50))}, p99 ${fmtRatio(p(ours, 99), p(peer, 99))}, ` +
          `server CPU ${fmtRatio(ours.serverCpuPercent, peer.serverCpuPercent)}, RSS ${fmtRatio(ours.serverPeakRssMiB, peer.serverPeakRssMiB)}`,
      );
    }
  }
}
console.log(`\nsync-load finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
