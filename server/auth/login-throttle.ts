import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; message: string };

/**
 * Two limits: at most 10 attempts a minute from one address, and an exponential back-off per
 * account after repeated failures (1 s, 2 s, 4 s... up to 15 minutes) that a success resets.
 * In memory: one process serves the app; a restart forgets, which only helps a real user.
 */
export class LoginThrottle {
  private perAddress: RateLimiterMemory;
  private failures = new RateLimiterMemory({ keyPrefix: "login-fail", points: 1000, duration: 60 * 60 });
  private blocked = new Map<string, number>();
  private readonly freeFailures = 3;
  private readonly maxBackoffSeconds = 15 * 60;

  constructor(attemptsPerMinute = 10) {
    this.perAddress = new RateLimiterMemory({ keyPrefix: "login-ip", points: attemptsPerMinute, duration: 60 });
  }

  async attempt(address: string, email: string): Promise<ThrottleVerdict> {
    const account = email.trim().toLowerCase();
    const until = this.blocked.get(account) ?? 0;
    if (until > Date.now()) {
      const retryAfterSeconds = Math.ceil((until - Date.now()) / 1000);
      return {
        allowed: false,
        retryAfterSeconds,
        message: `Too many failed sign-ins for this account. Wait ${describe(retryAfterSeconds)} and try again, or ask your administrator to reset your password.`,
      };
    }
    try {
      await this.perAddress.consume(address);
      return { allowed: true };
    } catch (e) {
      const retryAfterSeconds = e instanceof RateLimiterRes ? Math.ceil(e.msBeforeNext / 1000) : 60;
      return {
        allowed: false,
        retryAfterSeconds,
        message: `Too many sign-in attempts from this network. Wait ${describe(retryAfterSeconds)} and try again.`,
      };
    }
  }

  async recordFailure(email: string): Promise<void> {
    const account = email.trim().toLowerCase();
    const res = await this.failures.penalty(account, 1);
    const over = res.consumedPoints - this.freeFailures;
    if (over > 0) {
      const seconds = Math.min(2 ** (over - 1), this.maxBackoffSeconds);
      this.blocked.set(account, Date.now() + seconds * 1000);
    }
  }

  async recordSuccess(email: string): Promise<void> {
    const account = email.trim().toLowerCase();
    await this.failures.delete(account);
    this.blocked.delete(account);
  }
}

function describe(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
