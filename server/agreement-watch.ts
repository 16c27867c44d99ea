/**
 * Turns "the sync server stored an update of document X" into "re-derive the agreement of the
 * action whose text X is, and tell its plan's open pages if anything changed". Debounced per
 * document: typing commits many small updates, and one re-derivation after a pause (or at the
 * latest every `maxWaitMs` while someone keeps typing) is enough.
 */
export interface DocumentWatchOptions {
  /** Quiet time after the last commit before re-deriving. */
  delayMs: number;
  /** Longest a re-derivation waits while commits keep arriving. */
  maxWaitMs: number;
  run(documentId: string): Promise<void>;
  onError(documentId: string, error: unknown): void;
}

export class DocumentWatch {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; firstAt: number }>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private closed = false;

  constructor(private readonly opts: DocumentWatchOptions) {}

  touch(documentId: string): void {
    if (this.closed) return;
    if (this.running.has(documentId)) {
      this.again.add(documentId);
      return;
    }
    const existing = this.timers.get(documentId);
    const firstAt = existing?.firstAt ?? Date.now();
    if (existing) clearTimeout(existing.timer);
    const wait = Math.max(0, Math.min(this.opts.delayMs, firstAt + this.opts.maxWaitMs - Date.now()));
    const timer = setTimeout(() => this.fire(documentId), wait);
    timer.unref();
    this.timers.set(documentId, { timer, firstAt });
  }

  private fire(documentId: string): void {
    this.timers.delete(documentId);
    const run = this.opts
      .run(documentId)
      .catch((error) => this.opts.onError(documentId, error))
      .finally(() => {
        this.running.delete(documentId);
        if (this.again.delete(documentId)) this.touch(documentId);
      });
    this.running.set(documentId, run);
  }

  /** Stops timers and waits for re-derivations in progress (before the database closes). */
  async close(): Promise<void> {
    this.closed = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }
}
