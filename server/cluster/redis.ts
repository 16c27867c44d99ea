/**
 * The Redis connections of one node. Three, because a connection blocked in XREAD or in
 * subscriber mode can do nothing else: `command` (XADD, PUBLISH, locks, rate limits), `reader`
 * (one XREAD BLOCK over the streams of every open document) and `subscriber` (presence and
 * cluster events).
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { Redis, type RedisOptions } from "ioredis";

export interface RedisConnections {
  command: Redis;
  reader: Redis;
  subscriber: Redis;
  /** Prepended to every key and channel, so several deployments (or test files) share a server. */
  prefix: string;
  /** This process, in every message it sends, so it can ignore its own. */
  nodeId: string;
  close(): Promise<void>;
}

export function connectRedis(url: string, prefix: string): RedisConnections {
  const base: RedisOptions = {
    // Reconnect for ever, at most every 2 s: Redis coming back is the normal end of an outage.
    retryStrategy: (times) => Math.min(times * 100, 2000),
    lazyConnect: false,
  };
  // Commands fail at once while Redis is away instead of queueing: the database is the truth and
  // every path that uses Redis has a fallback (catch-up from the database, a per-node limiter).
  // Named after the prefix, so an operator (or a test) can tell this deployment's connections apart.
  const name = (role: string) => `${prefix.replace(/[^\w:.-]/g, "_")}${role}`;
  const command = new Redis(url, { ...base, connectionName: name("command"), enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const reader = new Redis(url, { ...base, connectionName: name("reader"), maxRetriesPerRequest: null });
  const subscriber = new Redis(url, { ...base, connectionName: name("subscriber"), maxRetriesPerRequest: null });
  // ioredis logs unhandled connection errors itself; the bus reports outages once, by state.
  for (const c of [command, reader, subscriber]) c.on("error", () => {});
  return {
    command,
    reader,
    subscriber,
    prefix,
    nodeId: `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    async close() {
      await Promise.allSettled([command.quit(), reader.quit(), subscriber.quit()]);
      for (const c of [command, reader, subscriber]) c.disconnect();
    },
  };
}
