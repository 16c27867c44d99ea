import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { memoryThrottleStore, type ThrottleStore } from "../auth/login-throttle";

/**
 * Guards workshop codes against guessing. Only WRONG codes count: at a community event sixty
 * people share one public address and all join within a minute, and that must work.
 */
export class GuestJoinThrottle {
  private wrong: RateLimiterAbstract;

  constructor(wrongCodesPerTenMinutes = 20, store: ThrottleStore = memoryThrottleStore()) {
    this.wrong = store.limiter({ keyPrefix: "guest-code", points: wrongCodesPerTenMinutes, duration: 600 });
  }

  /** null when the address may try; otherwise the message to show and the seconds to wait (Retry-After). */
  async blocked(address: string): Promise<{ message: string; retryAfterSeconds: number } | null> {
    const res = await this.wrong.get(address);
    if (!res || res.remainingPoints > 0) return null;
    const minutes = Math.ceil(res.msBeforeNext / 60_000);
    return {
      message: `Too many wrong workshop codes from this network. Wait ${minutes} minute${minutes === 1 ? "" : "s"}, or ask the facilitator to check the code.`,
      retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    };
  }

  async recordWrongCode(address: string): Promise<void> {
    try {
      await this.wrong.consume(address);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
    }
  }
}
