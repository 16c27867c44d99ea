import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; message: string };

/**
 * rate-limiter-flexible's login-protection recipe, keyed so that nobody can lock out someone else:
 * - every attempt from one address: at most `attemptsPerMinute` a minute;
 * - failures for one account FROM ONE ADDRESS: three free, then an exponential back-off (1 s, 2 s,
 *   4 s... up to 15 minutes) that a success resets;
 * - failures from one address, whatever the account: at most 100 a day (slow guessing across accounts).
 * Wrong passwords sent from other addresses therefore never stop the owner, at their own address,
 * from signing in with the right one. The address is the one Express derives with TRUST_PROXY.
 * In memory: one process serves the app; a restart forgets, which only helps a real user.
 */
export class LoginThrottle {
  private perAddress: RateLimiterMemory;
  private accountFailures = new RateLimiterMemory({ keyPrefix: "login-fail", points: 1000, duration: 60 * 60 });
  private addressFailures = new RateLimiterMemory({ keyPrefix: "login-fail-ip", points: 100, duration: 24 * 60 * 60 });
  private blocked = new Map<string, number>();
  private readonly freeFailures = 3;
  private readonly maxBackoffSeconds = 15 * 60;

  constructor(attemptsPerMinute = 10) {
    this.perAddress = new RateLimiterMemory({ keyPrefix: "login-ip", points: attemptsPerMinute, duration: 60 });
  }

  async attempt(address: string, email: string): Promise<ThrottleVerdict> {
    const key = pairKey(address, email);
    const until = this.blocked.get(key) ?? 0;
    if (until > Date.now()) {
      const retryAfterSeconds = Math.ceil((until - Date.now()) / 1000);
      return {
        allowed: false,
        retryAfterSeconds,
        message: `Too many failed sign-ins for this account from your network. Wait ${describe(retryAfterSeconds)} and try again, or ask your administrator to reset your password.`,
      };
    }
    this.blocked.delete(key);
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
      this.blocked.set(key, Date.now() + seconds * 1000);
    }
  }

  async recordSuccess(address: string, email: string): Promise<void> {
    const key = pairKey(address, email);
    await this.accountFailures.delete(key);
    this.blocked.delete(key);
  }
}

function pairKey(address: string, email: string): string {
  return `${email.trim().toLowerCase()} ${address}`;
}

function describe(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
