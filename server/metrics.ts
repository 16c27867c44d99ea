/**
 * Prometheus metrics for /metrics: the process (prom-client's defaults: CPU, memory, event-loop
 * lag, handles), the sync server (connections, rooms, updates stored and per second, how long
 * each durable commit takes) and HTTP responses. One registry per server instance, so tests
 * that start several servers in one process do not share counters.
 */
import client from "prom-client";
import type { SyncObserver, SyncServer } from "./sync";

export interface Metrics {
  registry: client.Registry;
  syncObserver: SyncObserver;
  /** Wires the gauges that read the sync server's state when scraped. */
  watchSync(sync: SyncServer): void;
  httpResponse(method: string, status: number, seconds: number): void;
  stop(): void;
}

const UPDATES_WINDOW_SECONDS = 10;

export function createMetrics(): Metrics {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service: "codesign-workspace" });
  client.collectDefaultMetrics({ register: registry });

  let sync: SyncServer | null = null;
  new client.Gauge({
    name: "codesign_sync_connections",
    help: "Open sync WebSocket connections.",
    registers: [registry],
    collect() {
      this.set(sync?.stats().connections ?? 0);
    },
  });
  new client.Gauge({
    name: "codesign_sync_rooms",
    help: "Documents loaded in memory (rooms).",
    registers: [registry],
    collect() {
      this.set(sync?.stats().rooms ?? 0);
    },
  });
  new client.Gauge({
    name: "codesign_sync_updates_pending",
    help: "Accepted updates not yet committed to SQLite (nobody else has them yet).",
    registers: [registry],
    collect() {
      this.set(sync?.pendingUpdates() ?? 0);
    },
  });
  const stored = new client.Counter({
    name: "codesign_sync_updates_stored_total",
    help: "Document updates committed to SQLite (each is then sent to the other clients).",
    registers: [registry],
  });
  // Per-second buckets over the last 10 s, for a reading without PromQL's rate().
  const perSecond = new Array<number>(UPDATES_WINDOW_SECONDS).fill(0);
  let currentSecond = Math.floor(Date.now() / 1000);
  const roll = () => {
    const now = Math.floor(Date.now() / 1000);
    for (let s = currentSecond + 1; s <= now && s <= currentSecond + UPDATES_WINDOW_SECONDS; s++) {
      perSecond[s % UPDATES_WINDOW_SECONDS] = 0;
    }
    currentSecond = Math.max(currentSecond, now);
  };
  new client.Gauge({
    name: "codesign_sync_updates_per_second",
    help: `Document updates stored per second, averaged over the last ${UPDATES_WINDOW_SECONDS} s.`,
    registers: [registry],
    collect() {
      roll();
      this.set(perSecond.reduce((a, b) => a + b, 0) / UPDATES_WINDOW_SECONDS);
    },
  });
  const commitSeconds = new client.Histogram({
    name: "codesign_sync_persistence_seconds",
    help: "Time to commit one group of updates to SQLite (BEGIN IMMEDIATE to COMMIT, fsync included).",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const opened = new client.Counter({
    name: "codesign_sync_connections_opened_total",
    help: "Sync connections accepted.",
    registers: [registry],
  });
  const closed = new client.Counter({
    name: "codesign_sync_connections_closed_total",
    help: "Sync connections closed, by WebSocket close code (1000 normal, 1012 restart, 44xx refused input or rights).",
    labelNames: ["code"],
    registers: [registry],
  });
  const refused = new client.Counter({
    name: "codesign_sync_upgrades_refused_total",
    help: "Sync connection attempts refused, by HTTP status (401 no session, 403 no access, 429 rate limit, 503 full or restarting).",
    labelNames: ["status"],
    registers: [registry],
  });
  const badInput = new client.Counter({
    name: "codesign_sync_bad_input_total",
    help: "Connections closed for sending malformed or over-limit messages.",
    registers: [registry],
  });
  const http = new client.Histogram({
    name: "codesign_http_response_seconds",
    help: "HTTP response time, by method and status class.",
    labelNames: ["method", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  return {
    registry,
    syncObserver: {
      committed(updates, seconds) {
        stored.inc(updates);
        roll();
        perSecond[currentSecond % UPDATES_WINDOW_SECONDS] += updates;
        commitSeconds.observe(seconds);
      },
      connectionOpened: () => opened.inc(),
      connectionClosed: (code) => closed.inc({ code: String(code) }),
      upgradeRefused: (status) => refused.inc({ status: String(status) }),
      badInput: () => badInput.inc(),
    },
    watchSync(s) {
      sync = s;
    },
    httpResponse(method, status, seconds) {
      http.observe({ method, status: `${Math.floor(status / 100)}xx` }, seconds);
    },
    stop() {
      registry.clear();
    },
  };
}
