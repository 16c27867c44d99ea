/**
 * Figures for the benchmarks: percentiles, and CPU and memory of a process read from /proc, so a
 * server is measured from outside, exactly as it runs.
 */
import fs from "node:fs";
import net from "node:net";

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return percentile(s, 50);
}

/** CPU seconds (user + system) a process has used so far. */
export function processCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident set size in MiB. */
export function processRssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Samples a process's RSS while it runs; `stop` gives the peak and the CPU used meanwhile. */
export function watchProcess(pid: number, everyMs = 250) {
  const cpu0 = processCpuSeconds(pid);
  const t0 = performance.now();
  let peakRss = processRssMiB(pid);
  const timer = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, processRssMiB(pid));
    } catch {
      /* exited */
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const seconds = (performance.now() - t0) / 1000;
      let cpu = NaN;
      let rss = NaN;
      try {
        cpu = processCpuSeconds(pid) - cpu0;
        rss = processRssMiB(pid);
      } catch {
        /* exited */
      }
      return { cpuSeconds: cpu, cpuPercent: (100 * cpu) / seconds, peakRssMiB: Math.max(peakRss, rss), rssMiB: rss, seconds };
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Milliseconds on a clock shared by every process on this machine (sub-millisecond). */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function fmtRatio(ours: number, peer: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(peer) || peer === 0) return "-";
  const r = ours / peer;
  return `${r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}x`;
}

/** Prints rows as an aligned plain-text table. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

/** A Prometheus histogram as /metrics prints it: cumulative counts per upper bound (seconds). */
export interface Histogram {
  buckets: [le: number, count: number][];
  sum: number;
  count: number;
}

/** Reads histogram `name` from a server's /metrics (one series: labels other than `le` are ignored). */
export async function readHistogram(origin: string, name: string): Promise<Histogram> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const h: Histogram = { buckets: [], sum: 0, count: 0 };
  const sample = new RegExp(`^${name}_(bucket|sum|count)(?:\\{([^}]*)\\})? (\\S+)$`);
  for (const line of text.split("\n")) {
    const m = sample.exec(line);
    if (!m) continue;
    const value = Number(m[3]);
    if (m[1] === "sum") h.sum = value;
    else if (m[1] === "count") h.count = value;
    else {
      const le = /le="([^"]+)"/.exec(m[2] ?? "")?.[1];
      if (le) h.buckets.push([le === "+Inf" ? Infinity : Number(le), value]);
    }
  }
  return h;
}

/** What was observed between two readings of one histogram. */
export function histogramSince(before: Histogram, after: Histogram): Histogram {
  return {
    buckets: after.buckets.map(([le, n], i) => [le, n - (before.buckets[i]?.[1] ?? 0)]),
    sum: after.sum - before.sum,
    count: after.count - before.count,
  };
}

/** The q-th quantile (0..1) in seconds, interpolated within its bucket as PromQL's histogram_quantile does. */
export function histogramQuantile(h: Histogram, q: number): number {
  if (h.count === 0) return NaN;
  const rank = q * h.count;
  let lower = 0;
  let below = 0;
  for (const [le, n] of h.buckets) {
    if (n >= rank) {
      if (le === Infinity) return lower;
      return lower + ((le - lower) * (rank - below)) / Math.max(1, n - below);
    }
    lower = le;
    below = n;
  }
  return lower;
}
