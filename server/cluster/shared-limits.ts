/**
 * Sign-in, password-reset and workshop-code throttles shared by every node, in Redis
 * (rate-limiter-flexible's RateLimiterRedis). If Redis is away, each limiter falls back to its
 * own node's memory (`insuranceLimiter`): the limits hold per node until Redis returns, and
 * nobody is refused because Redis is down.
 */
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { BackoffStore, ThrottleStore } from "../auth/login-throttle";
import { memoryThrottleStore } from "../auth/login-throttle";
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
