import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Guards workshop codes against guessing. Only WRONG codes count: at a community event sixty
 * people share one public address and all join within a minute, and that must work.
 */
export class GuestJoinThrottle {
  private wrong: RateLimiterMemory;

  constructor(wrongCodesPerTenMinutes = 20) {
    this.wrong = new RateLimiterMemory({ keyPrefix: "guest-code", points: wrongCodesPerTenMinutes, duration: 600 });
  }

  /** null when the address may try; otherwise the message to show. */
  async blocked(address: string): Promise<string | null> {
    const res = await this.wrong.get(address);
    if (!res || res.remainingPoints > 0) return null;
    return `Too many wrong workshop codes from this network. Wait ${Math.ceil(res.msBeforeNext / 60_000)} minutes, or ask the facilitator to check the code.`;
  }

  async recordWrongCode(address: string): Promise<void> {
    try {
      await this.wrong.consume(address);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
    }
  }
}
