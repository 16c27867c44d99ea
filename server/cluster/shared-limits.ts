/**
 * Sign-in, password-reset, workshop-code and sync-connection throttles shared by every node, in Redis
 * (rate-limiter-flexible's RateLimiterRedis). If Redis is away, each limiter falls back to its
 * own node's memory (`insuranceLimiter`): the limits hold per node until Redis returns, and
 * nobody is refused because Redis is down.
 */
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { BackoffStore, ThrottleStore } from "../auth/login-throttle";
import { memoryThrottleStore } from "../auth/login-throttle";
import type { ConnectionAllowance, ConnectionLimit } from "../sync/rate-limit";
import type { RedisConnections } from "./redis";

/** `name` keeps apart throttles that use the same key prefixes (sign-in and password reset). */
export function redisThrottleStore(redis: RedisConnections, name: string): ThrottleStore {
  const prefix = `${redis.prefix}limit:${name}:`;
  const fallback = memoryThrottleStore();
  return {
    limiter: (opts) =>
      new RateLimiterRedis({
        storeClient: redis.command,
        keyPrefix: `${prefix}${opts.keyPrefix}`,
        points: opts.points,
        duration: opts.duration,
        insuranceLimiter: new RateLimiterMemory(opts),
      }),
    backoffs: (keyPrefix): BackoffStore => {
      const local = fallback.backoffs(keyPrefix);
      const keyOf = (key: string) => `${prefix}${keyPrefix}:${key}`;
      return {
        async get(key) {
          try {
            const value = await redis.command.get(keyOf(key));
            return value ? Number(value) : 0;
          } catch {
            return local.get(key);
          }
        },
        async set(key, until) {
          await local.set(key, until);
          const ms = Math.max(1, until - Date.now());
          await redis.command.set(keyOf(key), String(until), "PX", ms).catch(() => {});
        },
        async delete(key) {
          await local.delete(key);
          await redis.command.del(keyOf(key)).catch(() => {});
        },
      };
    },
  };
}

/**
 * Sync connection attempts per client address per minute, counted by every node together: behind
 * a round-robin proxy a script opening sockets in a loop meets one limit, not one per node. A fixed
 * window of a minute (the per-node bucket refills continuously); the cost is one Redis round trip
 * per upgrade, still before any database work.
 */
export function redisConnectionLimit(redis: RedisConnections, perMinute: number): ConnectionLimit {
  const limiter = new RateLimiterRedis({
    storeClient: redis.command,
    keyPrefix: `${redis.prefix}limit:sync-connections`,
    points: perMinute,
    duration: 60,
    insuranceLimiter: new RateLimiterMemory({ points: perMinute, duration: 60 }),
  });
  return {
    async take(address): Promise<ConnectionAllowance> {
      try {
        await limiter.consume(address || "unknown");
        return { ok: true };
      } catch (refusal) {
        const ms = (refusal as { msBeforeNext?: unknown } | null)?.msBeforeNext;
        // Not a refusal but an error of both stores: let the connection through rather than lock everyone out.
        if (typeof ms !== "number") return { ok: true };
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
      }
    },
    stop() {},
  };
}
