/**
 * Two app nodes (the production build, each its own process and PORT) sharing one database and
 * one Redis server, with a key prefix of their own so test files never see each other's keys.
 * The database is a fresh PostgreSQL one on the vitest "postgres" project, else one SQLite file
 * (WAL lets several processes on one machine use it), or the one given as `dbFile`.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { startAppServer, tempDbFile, type AppServer } from "./app-server";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface TestCluster {
  nodes: AppServer[];
  dbFile: string;
  prefix: string;
  env: Record<string, string>;
  /** A plain client for the test itself (FLUSHALL, inspecting keys). */
  redis: Redis;
  /** Starts (again) node `i` on the same database and Redis prefix. */
  restart(i: number): Promise<AppServer>;
  stop(): Promise<void>;
}

export async function startCluster(
  label: string,
  opts: { nodes?: number; env?: Record<string, string>; dbFile?: string } = {},
): Promise<TestCluster> {
  const prefix = `test:${label}:${randomBytes(4).toString("hex")}:`;
  const dbFile = opts.dbFile ?? tempDbFile(`cluster-${label}`);
  const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix, CLUSTER_CATCH_UP_MS: "1000", ...opts.env };
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  redis.on("error", () => {});
  const nodes: AppServer[] = [];
  // One after the other: the first migrates and seeds the empty database, the next finds it ready.
  for (let i = 0; i < (opts.nodes ?? 2); i++) nodes.push(await startAppServer({ dbFile, env }));
  return {
    nodes,
    dbFile,
    prefix,
    env,
    redis,
    async restart(i) {
      nodes[i] = await startAppServer({ dbFile, env });
      return nodes[i];
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

/** Removes every key under `prefix`, so a run leaves nothing behind on a shared Redis. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== "0");
}
