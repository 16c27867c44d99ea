import { startServer } from "./app";
import { loadConfig } from "./config";
import { startIdleGc } from "./idle-gc";
import { createLogger } from "./log";

const config = loadConfig();
const log = createLogger(config.logLevel);

try {
  const server = await startServer(config, log);
  startIdleGc({
    onCollect: ({ beforeMiB, afterMiB, ms }) =>
      log.debug({ heapBeforeMiB: Math.round(beforeMiB), heapAfterMiB: Math.round(afterMiB), ms: Math.round(ms) }, "idle garbage collection"),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
} catch (err) {
  log.fatal({ err }, "could not start");
  process.exit(1);
}
