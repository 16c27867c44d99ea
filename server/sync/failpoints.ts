/**
 * Failpoints for crash tests: with SYNC_FAILPOINT=<name> in the environment, the process stops
 * at that point (announcing it on stdout) and waits there, so a test can kill -9 it at exactly
 * that moment. Unset in production; the check is one environment lookup.
 */
import fs from "node:fs";

export function failpoint(name: string): void {
  if (process.env.SYNC_FAILPOINT !== name) return;
  fs.writeSync(1, `${JSON.stringify({ level: 40, msg: "failpoint reached", failpoint: name, pid: process.pid })}\n`);
  // Block this thread (the whole process) until it is killed.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 * 60_000);
}
