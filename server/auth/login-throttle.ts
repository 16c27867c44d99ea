import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; message: string };

/**
 * rate-limiter-flexible's login-protection recipe, keyed so that nobody can lock out someone else:
 * - every attempt from one address: at most `attemptsPerMinute` a minute;
 * - failures for one account FROM ONE ADDRESS: three free, then an exponential back-off (1 s, 2 s,
 *   4 s... up to 15 minutes) that a success resets;
 * - failures from one address, whatever the account: at most 100 a day (slow guessing across accounts).
 * Wrong passwords sent from other addresses therefore never stop the owner, at their own address,
 * from signing in with the right one. The address is the one Express derives with TRUST_PROXY.
 * In memory for one process (a restart forgets, which only helps a real user); with several
 * nodes, the counters and back-offs live in Redis (server/cluster/shared-limits.ts) so that an
 * attacker gains nothing by spreading attempts over the nodes.
 */
export class LoginThrottle {
  private perAddress: RateLimiterAbstract;
  private accountFailures: RateLimiterAbstract;
  private addressFailures: RateLimiterAbstract;
  private blocked: BackoffStore;
  private readonly freeFailures = 3;
  private readonly maxBackoffSeconds = 15 * 60;

  constructor(attemptsPerMinute = 10, store: ThrottleStore = memoryThrottleStore()) {
    this.perAddress = store.limiter({ keyPrefix: "login-ip", points: attemptsPerMinute, duration: 60 });
    this.accountFailures = store.limiter({ keyPrefix: "login-fail", points: 1000, duration: 60 * 60 });
    this.addressFailures = store.limiter({ keyPrefix: "login-fail-ip", points: 100, duration: 24 * 60 * 60 });
    this.blocked = store.backoffs("login-block");
  }

  async attempt(address: string, email: string): Promise<ThrottleVerdict> {
    const key = pairKey(address, email);
    const until = await this.blocked.get(key);
    if (until > Date.now()) {
      const retryAfterSeconds = Math.ceil((until - Date.now()) / 1000);
      return {
        allowed: false,
        retryAfterSeconds,
        message: `Too many failed sign-ins for this account from your network. Wait ${describe(retryAfterSeconds)} and try again, or ask your administrator to reset your password.`,
      };
    }
    if (until !== 0) await this.blocked.delete(key);
    const failures = await this.addressFailures.get(address);
    if (failures && failures.remainingPoints <= 0) {
      const retryAfterSeconds = Math.ceil(failures.msBeforeNext / 1000);
      return {
        allowed: false,
        retryAfterSeconds,
        message: `Too many failed sign-ins from this network today. Wait ${describe(retryAfterSeconds)}, or ask your administrator for help.`,
      };
    }
    try {
      await this.perAddress.consume(address);
      return { allowed: true };
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const retryAfterSeconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      return {
        allowed: false,
        retryAfterSeconds,
        message: `Too many sign-in attempts from this network. Wait ${describe(retryAfterSeconds)} and try again.`,
      };
    }
  }

  async recordFailure(address: string, email: string): Promise<void> {
    const key = pairKey(address, email);
    await this.addressFailures.penalty(address, 1);
    const res = await this.accountFailures.penalty(key, 1);
    const over = res.consumedPoints - this.freeFailures;
    if (over > 0) {
      const seconds = Math.min(2 ** (over - 1), this.maxBackoffSeconds);
      await this.blocked.set(key, Date.now() + seconds * 1000);
    }
  }

  async recordSuccess(address: string, email: string): Promise<void> {
    const key = pairKey(address, email);
    await this.accountFailures.delete(key);
    await this.blocked.delete(key);
  }
}

/** Until when (ms since the epoch; 0: not blocked) each key must wait. */
export interface BackoffStore {
  get(key: string): Promise<number>;
  set(key: string, until: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Where throttles keep their counts: this process (the default) or a store shared by every node. */
export interface ThrottleStore {
  limiter(opts: { keyPrefix: string; points: number; duration: number }): RateLimiterAbstract;
  backoffs(keyPrefix: string): BackoffStore;
}

export function memoryThrottleStore(): ThrottleStore {
  return {
    limiter: (opts) => new RateLimiterMemory(opts),
    backoffs: () => {
      const map = new Map<string, number>();
      return {
        get: async (key) => {
          const until = map.get(key) ?? 0;
          if (until !== 0 && until <= Date.now()) map.delete(key);
          return until;
        },
        set: async (key, until) => void map.set(key, until),
        delete: async (key) => void map.delete(key),
      };
    },
  };
}

function pairKey(address: string, email: string): string {
  return `${email.trim().toLowerCase()} ${address}`;
}

function describe(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
