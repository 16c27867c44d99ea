/**
 * One room on several nodes (issue 11): the production build on single-node SQLite, single-node
 * PostgreSQL, and two nodes sharing one PostgreSQL database and one Redis, the clients split
 * evenly between the nodes. N = 200 and 500 clients, one edit per second each, as sync-load.
 *
 * Printed per run: latency from the sender's keystroke to the official providers (10 per run,
 * half on each node), apart for deliveries within a node and across nodes; whether every client
 * converged; each node's CPU (/proc) and peak RSS; and each node's commit time per group of
 * updates (the codesign_sync_persistence_seconds histogram on /metrics, read before and after the
 * load). Targets are printed beside the figures; nothing is asserted.
 *
 * Each PostgreSQL run has a fresh database (dropped after) and each cluster run a Redis key
 * prefix of its own (deleted after). Needs PostgreSQL at 127.0.0.1:5432 (PGHOST, PGPORT, PGUSER)
 * and Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 *
 * Env: BENCH_QUICK=1 runs 5 s per scenario; BENCH_CLUSTER_SETUPS=sqlite,postgres,cluster and
 * BENCH_CLUSTER_N=200,500 limit the runs.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { Redis } from "ioredis";
import { createTestDatabase, type TestPostgres } from "../test/helpers/postgres";
import { deleteKeysWithPrefix } from "../test/helpers/cluster";
import {
  fmtMs,
  histogramQuantile,
  histogramSince,
  percentile,
  readHistogram,
  table,
  watchProcess,
  type Histogram,
} from "./lib/measure";
import { deliveryCounts, latencySamples, officialsAgree, runRoomLoad, type GeneratorShare } from "./lib/room-load";
import { prepareOursDatabase, startOurs, type RunningPeer } from "./lib/servers";

const QUICK = process.env.BENCH_QUICK === "1";
const DURATION_MS = QUICK ? 5_000 : 15_000;
const MAX_CONVERGE_WAIT_MS = 10_000;
const OFFICIAL_PROBES = 10;
const GENERATORS = 2;
const DOC = "bench-doc";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const COMMIT_HISTOGRAM = "codesign_sync_persistence_seconds";

interface Setup {
  key: string;
  label: string;
  database: "sqlite" | "postgres";
  nodes: number;
}

const ALL_SETUPS: Setup[] = [
  { key: "sqlite", label: "SQLite, 1 node", database: "sqlite", nodes: 1 },
  { key: "postgres", label: "PostgreSQL, 1 node", database: "postgres", nodes: 1 },
  { key: "cluster", label: "PostgreSQL + Redis, 2 nodes", database: "postgres", nodes: 2 },
];
const setupFilter = process.env.BENCH_CLUSTER_SETUPS?.split(",").map((s) => s.trim());
const SETUPS = ALL_SETUPS.filter((s) => !setupFilter || setupFilter.includes(s.key));
const SIZES = (process.env.BENCH_CLUSTER_N?.split(",").map(Number) ?? [200, 500]).filter((n) => n > 0);

interface NodeFigures {
  cpuPercent: number;
  peakRssMiB: number;
  commits: Histogram;
}

interface Run {
  setup: Setup;
  clients: number;
  /** Sorted latencies (ms) by "all", "same node", "cross node". */
  latencies: Map<string, Float64Array>;
  missingSamples: number;
  deliveries: number;
  expectedDeliveries: number;
  converged: number;
  convergedAfterMs: number;
  officialAgree: boolean;
  nodes: NodeFigures[];
  generatorCpuPercent: number;
  loadAverage: number;
  error?: string;
}

async function runOne(setup: Setup, clients: number): Promise<Run> {
  const run: Run = {
    setup,
    clients,
    latencies: new Map(),
    missingSamples: 0,
    deliveries: 0,
    expectedDeliveries: 0,
    converged: 0,
    convergedAfterMs: NaN,
    officialAgree: false,
    nodes: [],
    generatorCpuPercent: NaN,
    loadAverage: NaN,
  };
  let postgres: TestPostgres | null = null;
  let redis: Redis | null = null;
  const prefix = `bench:cluster:${randomBytes(4).toString("hex")}:`;
  const nodes: RunningPeer[] = [];
  try {
    if (setup.database === "postgres") postgres = await createTestDatabase();
    const prepared = await prepareOursDatabase({ users: clients, documents: [DOC], dbFile: postgres?.url });
    const env: Record<string, string> = setup.nodes > 1 ? { REDIS_URL, REDIS_KEY_PREFIX: prefix } : {};
    if (setup.nodes > 1) {
      redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      redis.on("error", () => {});
    }
    for (let i = 0; i < setup.nodes; i++) nodes.push(await startOurs(prepared.dbFile, env));

    // Generator g drives its clients on node g % nodes: with two nodes, half the room on each.
    const nodeOf = (generator: number) => generator % setup.nodes;
    const shares: GeneratorShare[] = Array.from({ length: GENERATORS }, (_, g) => {
      const node = nodes[nodeOf(g)];
      return { spec: { kind: "ours", providerUrl: node.providerUrl, socketUrl: node.socketUrl(DOC), docName: DOC }, clients: [] };
    });
    prepared.cookies.forEach((cookie, i) => {
      const g = i % GENERATORS;
      shares[g].clients.push({
        headers: { cookie, origin: `http://127.0.0.1:${nodes[nodeOf(g)].port}`, "x-forwarded-for": `10.20.${i >> 8}.${i & 255}` },
        official: i < OFFICIAL_PROBES,
      });
    });

    let watches: ReturnType<typeof watchProcess>[] = [];
    let commitsBefore: Histogram[] = [];
    const origins = nodes.map((n) => `http://127.0.0.1:${n.port}`);
    const load = await runRoomLoad({
      shares,
      durationMs: DURATION_MS,
      editsPerSecond: 1,
      presencePerSecond: 0,
      maxConvergeWaitMs: MAX_CONVERGE_WAIT_MS,
      beforeLoad: async () => {
        commitsBefore = await Promise.all(origins.map((o) => readHistogram(o, COMMIT_HISTOGRAM)));
        watches = nodes.map((n) => watchProcess(n.pid));
      },
      afterLoad: async () => {
        const usage = watches.map((w) => w.stop());
        const commitsAfter = await Promise.all(origins.map((o) => readHistogram(o, COMMIT_HISTOGRAM)));
        run.nodes = usage.map((u, i) => ({
          cpuPercent: u.cpuPercent,
          peakRssMiB: u.peakRssMiB,
          commits: histogramSince(commitsBefore[i], commitsAfter[i]),
        }));
      },
    });
    run.loadAverage = load.loadAverage;
    run.converged = load.converged;
    run.convergedAfterMs = load.convergedAfterMs;
    run.generatorCpuPercent = (100 * load.generatorCpuSeconds) / (DURATION_MS / 1000);
    const counts = deliveryCounts(load);
    run.deliveries = counts.deliveries;
    run.expectedDeliveries = counts.expected;
    const all = latencySamples(load);
    run.latencies.set("all", all.samples.get("all") ?? new Float64Array(0));
    run.missingSamples = all.missing;
    if (setup.nodes > 1) {
      const split = latencySamples(load, (receiver, sender) =>
        nodeOf(receiver.generator) === nodeOf(sender.generator) ? "same node" : "cross node",
      );
      for (const [k, v] of split.samples) run.latencies.set(k, v);
    }
    run.officialAgree = officialsAgree(load);
  } catch (error) {
    run.error = `${String(error)}\n${nodes.map((n) => n.tail().split("\n").slice(-5).join("\n")).join("\n")}`;
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    if (redis) {
      await deleteKeysWithPrefix(redis, prefix).catch(() => {});
      redis.disconnect();
    }
    await postgres?.drop();
  }
  return run;
}

/** The targets, as a word beside the figure they are about ("" where none applies). */
function target(run: Run, deliveries: string): string {
  if (run.setup.nodes < 2) return "";
  const p99 = percentile(run.latencies.get(deliveries) ?? [], 99);
  if (run.clients === 200 && deliveries === "cross node") return `p99 < 50 ms: ${p99 < 50 ? "met" : "MISSED"}`;
  if (run.clients === 500 && deliveries === "all") {
    const converged = run.converged === run.clients && run.officialAgree;
    return `converged, p99 < 250 ms: ${converged && p99 < 250 ? "met" : "MISSED"}`;
  }
  return "";
}

function latencyRows(run: Run): (string | number)[][] {
  const kinds = run.setup.nodes > 1 ? ["same node", "cross node", "all"] : ["all"];
  return kinds.map((k, i) => {
    const l = run.latencies.get(k) ?? new Float64Array(0);
    return [
      i === 0 ? run.setup.label : "",
      k,
      l.length,
      fmtMs(percentile(l, 50)),
      fmtMs(percentile(l, 95)),
      fmtMs(percentile(l, 99)),
      fmtMs(l.length ? l[l.length - 1] : NaN),
      i === 0 ? `${run.converged}/${run.clients}${run.officialAgree ? "" : " (!)"}` : "",
      i === 0 ? (Number.isFinite(run.convergedAfterMs) ? fmtMs(run.convergedAfterMs) : "no") : "",
      i === 0 ? `${run.deliveries}/${run.expectedDeliveries}` : "",
      target(run, k),
    ];
  });
}

function nodeRows(run: Run): (string | number)[][] {
  const seconds = (s: number) => fmtMs(1000 * s);
  return run.nodes.map((n, i) => [
    i === 0 ? run.setup.label : "",
    `node ${i + 1}`,
    `${n.cpuPercent.toFixed(0)}%`,
    `${n.peakRssMiB.toFixed(0)} MiB`,
    n.commits.count,
    seconds(n.commits.count ? n.commits.sum / n.commits.count : NaN),
    seconds(histogramQuantile(n.commits, 0.5)),
    seconds(histogramQuantile(n.commits, 0.99)),
    i === 0 ? `${run.generatorCpuPercent.toFixed(0)}% (${GENERATORS}p)` : "",
    i === 0 ? run.loadAverage.toFixed(1) : "",
  ]);
}

const started = Date.now();
console.log(
  `One room on one or two nodes; ${DURATION_MS / 1000} s of load per run, 1 edit/s per client; latency from ${OFFICIAL_PROBES} official providers ` +
    `(half on each node), apart for deliveries within a node and across nodes.`,
);
console.log(
  `CPU is % of one core over the load window (each node's process, /proc); commit is one group of updates committed ` +
    `(${COMMIT_HISTOGRAM}: mean exact, p50/p99 interpolated within its buckets);\n` +
    `'converged' counts clients that received every edit within ${MAX_CONVERGE_WAIT_MS / 1000} s of typing stopping ('(!)': the official providers' documents differ);\n` +
    `'load avg' is the machine's 1-minute load average as the load began (${os.cpus().length} cores; PostgreSQL, Redis and the generators share them).\n`,
);
const runs: Run[] = [];
for (const clients of SIZES) {
  const these: Run[] = [];
  for (const setup of SETUPS) {
    const run = await runOne(setup, clients);
    these.push(run);
    runs.push(run);
    if (run.error) console.log(`  ${setup.label} at N=${clients}: FAILED ${run.error}`);
  }
  const ok = these.filter((r) => !r.error);
  console.log(`\nN=${clients}: ${clients} clients in one room${SETUPS.some((s) => s.nodes > 1) ? ", split evenly over the nodes in the cluster runs" : ""}`);
  console.log(
    table(
      ["setup", "deliveries", "samples", "p50", "p95", "p99", "max", "converged", "after load", "edits received", "target"],
      ok.flatMap(latencyRows),
    ),
  );
  console.log("");
  console.log(
    table(["setup", "node", "CPU", "RSS", "commits", "commit mean", "commit p50", "commit p99", "generator CPU", "load avg"], ok.flatMap(nodeRows)),
  );
}
console.log(`\ncluster finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
