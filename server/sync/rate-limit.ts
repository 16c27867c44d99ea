/**
 * Connection attempts per client address: a token bucket that holds `perMinute` tokens and
 * refills continuously, so a page opening a dozen documents at once passes, while a script
 * opening sockets in a loop is refused (HTTP 429) before any database work is done for it.
 * In memory, per process: a restart forgets, which only ever helps a real user. Several nodes share
 * one limit in Redis instead (server/cluster/shared-limits.ts redisConnectionLimit).
 */
export type ConnectionAllowance = { ok: true } | { ok: false; retryAfterSeconds: number };

/** What the sync server asks before any other work on an upgrade (this bucket, or a shared one). */
export interface ConnectionLimit {
  take(address: string): ConnectionAllowance | Promise<ConnectionAllowance>;
  stop(): void;
}

export class ConnectionRateLimit implements ConnectionLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    // Full buckets carry no information; dropping them keeps the map to active addresses.
    this.sweep = setInterval(() => {
      for (const [address, b] of this.buckets) if (this.level(b) >= this.perMinute) this.buckets.delete(address);
    }, 60_000);
    this.sweep.unref();
  }

  private level(b: { tokens: number; at: number }): number {
    return Math.min(this.perMinute, b.tokens + ((this.now() - b.at) * this.perMinute) / 60_000);
  }

  /** Takes a token; returns the seconds to wait when there is none. */
  take(address: string): ConnectionAllowance {
    const b = this.buckets.get(address) ?? { tokens: this.perMinute, at: this.now() };
    const tokens = this.level(b);
    if (tokens < 1) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - tokens) * 60) / this.perMinute)) };
    }
    this.buckets.set(address, { tokens: tokens - 1, at: this.now() });
    return { ok: true };
  }

  stop(): void {
    clearInterval(this.sweep);
  }
}

/**
 * The default client address: the socket's peer. Forwarding headers are believed only from
 * configured proxies; the app passes its rule in (server/origin.ts clientAddress), the same one
 * Express uses for HTTP.
 */
export function peerAddress(req: { socket: { remoteAddress?: string } }): string {
  return req.socket.remoteAddress ?? "";
}
