import { startServer, type RunningServer } from "./app";
import { loadConfig } from "./config";
import { prepareDatabase } from "./install";
import { startIdleGc } from "./idle-gc";
import { createLogger } from "./log";

const config = loadConfig();
const log = createLogger(config.logLevel);

// Installed before anything starts: a stop that arrives during start-up (an orchestrator giving
// up on a slow start, Ctrl-C) waits for the start to finish and then stops gracefully, instead of
// Node's default of dying mid-migration.
let starting: Promise<RunningServer> | null = null;
let started: RunningServer | null = null;
let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down");
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  // Once started, close at once (health answers 503 from this very moment); during start-up,
  // as soon as the start is done.
  const closed = started ? started.close() : (starting ?? Promise.reject(new Error("not started"))).then((server) => server.close());
  closed.then(
    () => process.exit(0),
    (err) => {
      log.error({ err }, "error during shutdown");
      process.exit(1);
    },
  );
};
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));

try {
  starting = startServer(config, log, { prepareDatabase });
  started = await starting;
  startIdleGc({
    onCollect: ({ beforeMiB, afterMiB, ms }) =>
      log.debug({ heapBeforeMiB: Math.round(beforeMiB), heapAfterMiB: Math.round(afterMiB), ms: Math.round(ms) }, "idle garbage collection"),
  });
} catch (err) {
  log.fatal({ err }, "could not start");
  process.exit(1);
}
