/**
 * One room under load, driven from generator processes (load-worker.ts): each generator opens its
 * share of the clients against the server it is given, the load runs on a shared wall clock, then
 * the generators report what every client sent and received. Used by sync-load.bench.ts (one
 * server) and cluster.bench.ts (generators on different nodes of one room).
 */
import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import type { ClientSpec } from "./clients";
import { sleep, wallClockMs } from "./measure";

type WorkerMessage = { type: string; [k: string]: unknown };

class LoadWorker {
  readonly proc: ChildProcess;
  private waiting = new Map<string, (m: WorkerMessage) => void>();
  constructor() {
    this.proc = fork(path.resolve("bench/lib/load-worker.ts"), [], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.proc.on("message", (m: WorkerMessage) => {
      if (m.type === "error") {
        for (const reject of this.waiting.values()) reject(m);
        this.waiting.clear();
        return;
      }
      const resolve = this.waiting.get(m.type);
      this.waiting.delete(m.type);
      resolve?.(m);
    });
  }
  ask(message: WorkerMessage, answer: string, timeoutMs = 120_000): Promise<WorkerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`load worker did not answer ${message.type} in ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(answer, (m) => {
        clearTimeout(timer);
        if (m.type === "error") reject(new Error(String(m.message)));
        else resolve(m);
      });
      this.proc.send(message);
    });
  }
  tell(message: WorkerMessage) {
    this.proc.send(message);
  }
  async exit() {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once("exit", r));
    this.tell({ type: "exit" });
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** What one generator process runs: where its clients connect, and who they are. */
export interface GeneratorShare {
  spec: Omit<ClientSpec, "headers">;
  clients: { headers: Record<string, string>; official: boolean }[];
}

export interface ClientReport {
  clientId: number;
  official: boolean;
  /** The generator (index into the shares) that ran this client. */
  generator: number;
  /** Send time (wall clock ms) of each own change, by clock. */
  sent: (number | null)[];
  received: Record<string, number>;
  /** Official clients only: receive time of every remote change, by sender and clock. */
  times: Record<string, (number | null)[]> | null;
  text: string | null;
  stateVector: string | null;
}

export interface RoomLoadResult {
  clients: ClientReport[];
  /** Changes each client made (its final clock). */
  clocks: Map<number, number>;
  converged: number;
  /** Time from the end of typing until every client had every change; NaN if they did not. */
  convergedAfterMs: number;
  generatorCpuSeconds: number;
  /** The machine's 1-minute load average as the load started (other work on the machine). */
  loadAverage: number;
}

export interface RoomLoadOptions {
  shares: GeneratorShare[];
  durationMs: number;
  editsPerSecond: number;
  presencePerSecond: number;
  maxConvergeWaitMs: number;
  /** Right before the load starts (every client connected), e.g. to read the servers' CPU. */
  beforeLoad?: () => void | Promise<void>;
  /** Right after typing stops, before convergence is awaited. */
  afterLoad?: () => void | Promise<void>;
}

export async function runRoomLoad(opts: RoomLoadOptions): Promise<RoomLoadResult> {
  const workers = opts.shares.map(() => new LoadWorker());
  const total = opts.shares.reduce((n, s) => n + s.clients.length, 0);
  try {
    await Promise.all(workers.map((w, i) => w.ask({ type: "init", spec: opts.shares[i].spec, clients: opts.shares[i].clients }, "ready", 180_000)));
    await sleep(1000);
    const loadAverage = os.loadavg()[0];
    await opts.beforeLoad?.();
    const at = wallClockMs() + 300;
    for (const w of workers) {
      w.tell({
        type: "start",
        at,
        durationMs: opts.durationMs,
        editsPerSecond: opts.editsPerSecond,
        presencePerSecond: opts.presencePerSecond,
      });
    }
    await sleep(at + opts.durationMs - wallClockMs());
    await opts.afterLoad?.();
    const loadEnded = wallClockMs();

    const clocks = new Map<number, number>();
    for (const w of workers) {
      const m = await w.ask({ type: "finalClocks" }, "finalClocks");
      for (const [client, clock] of m.clocks as [number, number][]) clocks.set(client, clock);
    }
    const expect = [...clocks.entries()];
    let converged = 0;
    const deadline = loadEnded + opts.maxConvergeWaitMs;
    for (let first = true; ; first = false) {
      const answers = await Promise.all(
        workers.map((w) => w.ask(first ? { type: "expect", clocks: expect } : { type: "converged" }, "converged")),
      );
      converged = answers.reduce((n, m) => n + (m.count as number), 0);
      if (converged === total || wallClockMs() > deadline) break;
      await sleep(200);
    }
    const convergedAfterMs = converged === total ? wallClockMs() - loadEnded : NaN;

    const reports = await Promise.all(workers.map((w) => w.ask({ type: "report" }, "report")));
    return {
      clients: reports.flatMap((r, generator) => (r.clients as Omit<ClientReport, "generator">[]).map((c) => ({ ...c, generator }))),
      clocks,
      converged,
      convergedAfterMs,
      generatorCpuSeconds: reports.reduce((s, r) => s + (r.cpuSeconds as number), 0),
      loadAverage,
    };
  } finally {
    await Promise.all(workers.map((w) => w.exit()));
  }
}

/** Edits a client made: its clocks after the set-up of its paragraph (which `sent` leaves empty). */
function firstEditClock(c: ClientReport): number {
  const first = c.sent.findIndex((t) => t != null);
  return first === -1 ? c.sent.length : first;
}

export function editsSent(r: RoomLoadResult): number {
  return r.clients.reduce((n, c) => n + c.sent.length - firstEditClock(c), 0);
}

/** Edits received by every client from every other, against the edits made. */
export function deliveryCounts(r: RoomLoadResult): { deliveries: number; expected: number } {
  const setUp = new Map(r.clients.map((c) => [c.clientId, firstEditClock(c)]));
  let deliveries = 0;
  let expected = 0;
  for (const c of r.clients) {
    for (const [other, clock] of r.clocks) {
      if (other === c.clientId) continue;
      const from = setUp.get(other) ?? 0;
      expected += clock - from;
      deliveries += Math.max(0, Math.min(clock, c.received[String(other)] ?? 0) - from);
    }
  }
  return { deliveries, expected };
}

/**
 * Latency of every change an official client integrated (sender's keystroke to receipt), sorted,
 * in groups named by `group(receiver, sender)`; `missing` counts changes an official never got.
 */
export function latencySamples(
  r: RoomLoadResult,
  group: (receiver: ClientReport, sender: ClientReport) => string = () => "all",
): { samples: Map<string, Float64Array>; missing: number } {
  const raw = new Map<string, number[]>();
  let missing = 0;
  for (const c of r.clients) {
    if (!c.times) continue;
    for (const sender of r.clients) {
      if (sender.clientId === c.clientId) continue;
      const key = group(c, sender);
      let into = raw.get(key);
      if (!into) raw.set(key, (into = []));
      const times = c.times[String(sender.clientId)] ?? [];
      sender.sent.forEach((t, k) => {
        if (t == null) return;
        const got = times[k];
        if (got == null) missing++;
        else into.push(got - t);
      });
    }
  }
  const samples = new Map([...raw].map(([k, v]) => [k, Float64Array.from(v).sort()]));
  return { samples, missing };
}

/** Whether every official client ended with the same text and the same state vector. */
export function officialsAgree(r: RoomLoadResult): boolean {
  const officials = r.clients.filter((c) => c.official);
  return officials.every((c) => c.text === officials[0].text && c.stateVector === officials[0].stateVector);
}
