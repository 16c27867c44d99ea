/**
 * The daily job that erases closed workshops' guest names after GUEST_RETENTION_DAYS. It runs
 * once shortly after start-up (a server restarted every night still runs it) and then every day;
 * the work is idempotent (each workshop is marked when done), so running twice is harmless.
 */
import type { DB } from "../db/connection";
import { eraseExpiredGuestNames } from "./domain/personal-data";

const DAY_MS = 86_400_000;

export function startGuestRetention(opts: {
  db: DB;
  retentionDays: number;
  log: (level: "info" | "error", msg: string, fields?: Record<string, unknown>) => void;
  /** Tests: a shorter period. */
  everyMs?: number;
  now?: () => Date;
}): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(async () => {
      try {
        const done = await eraseExpiredGuestNames(opts.db, (opts.now ?? (() => new Date()))(), opts.retentionDays);
        if (done.workshops > 0) opts.log("info", "erased guest names of closed workshops", { ...done, retentionDays: opts.retentionDays });
      } catch (err) {
        opts.log("error", "could not erase guest names of closed workshops; will try again tomorrow", { error: String(err) });
      }
    });
  };
  const first = setTimeout(run, 5_000);
  const daily = setInterval(run, opts.everyMs ?? DAY_MS);
  first.unref();
  daily.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(daily);
      await running;
    },
  };
}
