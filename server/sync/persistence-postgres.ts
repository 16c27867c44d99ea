/**
 * The write path on PostgreSQL, with the same promise as the SQLite one (persistence.ts): an update
 * the server accepted is committed, with its author, before any client receives it. The difference
 * is time: a commit to PostgreSQL is a round trip, not a synchronous call, so
 *
 * - at most one group commit is in flight; updates arriving meanwhile stay queued (the room's
 *   `pending`) and go in the next one;
 * - the in-flight updates stay at the head of their room's `pending` until the commit returns, so
 *   `Room.whenFlushed` (which answers new clients' sync requests and lets a server change finish)
 *   waits for it, and `committed` (which broadcasts) runs only after COMMIT;
 * - a transient failure (PostgreSQL restarting, a dropped connection) keeps everything queued and
 *   retries with back-off; a constraint failure rejects only the room that caused it;
 * - `readStored` must stay synchronous (a room forgetting a refused update rebuilds from it), so
 *   the writer keeps a copy of what is stored for each open document: what was loaded plus what it
 *   committed since, replaced by the snapshot when one is written;
 * - snapshots run in their own transaction under an advisory lock per document, so two nodes never
 *   compact the same document at once (the loser skips: the winner's snapshot serves both).
 */
import { nowIso, type DB } from "../../db/connection";
import { commitDocumentUpdates, storeDocumentSnapshot, type StoredDocumentState } from "../../db/queries/documents";
import { retryAfterFailure, type DocumentWriter, type QueuedUpdate, type SnapshotRequest, type SnapshotResult, type WriteQueue } from "./persistence";
import type { SyncLog } from "./types";

export interface PostgresUpdateWriterOptions {
  db: DB;
  log: SyncLog;
  onCommit?: (updates: number, seconds: number) => void;
}

type Batch = { queue: WriteQueue; updates: QueuedUpdate[] }[];
type StoredIds = { previous: number; ids: number[] };

export class PostgresUpdateWriter implements DocumentWriter {
  private readonly db: DB;
  private readonly log: SyncLog;
  private readonly onCommit?: (updates: number, seconds: number) => void;
  private readonly dirty = new Set<WriteQueue>();
  private readonly toApply = new Set<WriteQueue>();
  private readonly stored = new Map<string, StoredDocumentState>();
  private immediate: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private readonly snapshots = new Set<Promise<unknown>>();
  private retryMs = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(opts: PostgresUpdateWriterOptions) {
    this.db = opts.db;
    this.log = opts.log;
    this.onCommit = opts.onCommit;
  }

  remember(documentId: string, stored: StoredDocumentState): void {
    this.stored.set(documentId, { snapshot: stored.snapshot, updates: [...stored.updates] });
  }

  forget(documentId: string): void {
    this.stored.delete(documentId);
  }

  readStored(documentId: string): StoredDocumentState {
    const stored = this.stored.get(documentId);
    if (!stored) throw new Error(`document ${documentId} is not open on this node`);
    return stored;
  }

  requestApply(queue: WriteQueue): void {
    this.toApply.add(queue);
    this.schedule();
  }

  enqueue(queue: WriteQueue, update: QueuedUpdate): void {
    queue.pending.push(update);
    this.dirty.add(queue);
    this.schedule();
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get pendingCount(): number {
    let n = 0;
    for (const q of this.dirty) n += q.pending.length;
    return n;
  }

  /**
   * Encoded by the caller in one synchronous step (the doc cannot change in between); written in
   * the background. The result says whether it was stored, skipped (another node holds the
   * document's lock) or failed.
   */
  storeSnapshot(snapshot: SnapshotRequest): Promise<SnapshotResult> {
    const run = (async (): Promise<SnapshotResult> => {
      try {
        const written = await storeDocumentSnapshot(this.db, { ...snapshot, createdAt: nowIso() });
        if (!written) return { ok: false, error: new Error("another node is compacting this document") };
        const kept = this.stored.get(snapshot.documentId);
        if (kept) {
          this.stored.set(snapshot.documentId, {
            snapshot: { state: snapshot.state, lastUpdateId: snapshot.lastUpdateId },
            updates: kept.updates.filter((u) => u.id > snapshot.lastUpdateId),
          });
        }
        return { ok: true };
      } catch (error) {
        return { ok: false, error };
      }
    })();
    this.snapshots.add(run);
    void run.finally(() => {
      this.snapshots.delete(run);
      if (this.isIdle()) this.resolveIdle();
    });
    return run;
  }

  private isIdle(): boolean {
    return this.dirty.size === 0 && this.toApply.size === 0 && this.inFlight === null && this.snapshots.size === 0;
  }

  private schedule(): void {
    if (this.immediate || this.timer || this.inFlight) return;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.flushNow();
    });
  }

  private flushNow(): void {
    // One commit at a time: updates applied now would go into a second transaction that could
    // commit before the first, and then ids (the order clients are sent updates in) would lie.
    if (this.inFlight) return;
    if (this.toApply.size > 0) {
      const queues = [...this.toApply];
      this.toApply.clear();
      for (const queue of queues) {
        try {
          queue.applyInbound();
        } catch (error) {
          this.log("error", "applying received updates failed", { document: queue.documentId, error: String(error) });
        }
      }
    }
    if (this.dirty.size === 0) {
      if (this.isIdle()) this.resolveIdle();
      return;
    }
    const batch: Batch = [...this.dirty].map((queue) => ({ queue, updates: queue.pending.slice() }));
    this.inFlight = this.commitAll(batch).finally(() => {
      this.inFlight = null;
      if (this.timer) return;
      if (this.dirty.size > 0 || this.toApply.size > 0) this.schedule();
      else if (this.isIdle()) this.resolveIdle();
    });
  }

  private async commitAll(batch: Batch): Promise<void> {
    const all = await this.tryCommit(batch);
    let transientError: unknown = null;
    if (all.ok) {
      batch.forEach((entry, i) => this.finish(entry, all.ids[i]));
    } else if (!isConstraintError(all.error)) {
      transientError = all.error;
    } else {
      // One room's permanent failure must not hold every other room's updates hostage.
      for (const entry of batch) {
        const one = await this.tryCommit([entry]);
        if (one.ok) this.finish(entry, one.ids[0]);
        else if (isConstraintError(one.error)) this.reject(entry.queue, one.error);
        else transientError = one.error;
      }
    }
    if (transientError !== null) {
      // Keep everything queued: nothing is broadcast or answered until PostgreSQL has it.
      this.retryMs = retryAfterFailure(this.retryMs, this.dirty, this.log);
      this.log("error", "could not store document updates; retrying", {
        error: String(transientError),
        documents: [...this.dirty].map((q) => q.documentId),
        updates: this.pendingCount,
        retryInMs: this.retryMs,
      });
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flushNow();
      }, this.retryMs);
      return;
    }
    if (this.retryMs !== 0) this.log("info", "document updates stored after retrying");
    this.retryMs = 0;
  }

  private async tryCommit(batch: Batch): Promise<{ ok: true; ids: StoredIds[] } | { ok: false; error: unknown }> {
    try {
      const started = process.hrtime.bigint();
      const ids = await commitDocumentUpdates(
        this.db,
        batch.map(({ queue, updates }) => ({ documentId: queue.documentId, updates })),
        nowIso(),
      );
      this.onCommit?.(
        ids.reduce((n, room) => n + room.ids.length, 0),
        Number(process.hrtime.bigint() - started) / 1e9,
      );
      return { ok: true, ids };
    } catch (error) {
      return { ok: false, error };
    }
  }

  private finish({ queue, updates }: { queue: WriteQueue; updates: QueuedUpdate[] }, stored: StoredIds): void {
    queue.pending.splice(0, updates.length);
    if (queue.pending.length === 0) this.dirty.delete(queue);
    const { previous, ids } = stored;
    const kept = this.stored.get(queue.documentId);
    if (kept) updates.forEach((u, j) => kept.updates.push({ id: ids[j], update: u.update }));
    try {
      queue.committed(updates.map((u, j) => ({ ...u, id: ids[j], previousId: j === 0 ? previous : ids[j - 1] })));
    } catch (error) {
      this.log("error", "after-commit handler failed", { document: queue.documentId, error: String(error) });
    }
  }

  private reject(queue: WriteQueue, error: unknown): void {
    const dropped = queue.pending.splice(0).length;
    this.dirty.delete(queue);
    this.log("error", "document updates can never be stored; closing the document so clients resync", {
      document: queue.documentId,
      updates: dropped,
      error: String(error),
    });
    try {
      queue.rejected(error);
    } catch (handlerError) {
      this.log("error", "rejected-updates handler failed", { document: queue.documentId, error: String(handlerError) });
    }
  }

  private resolveIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Class 23 (integrity constraint violation): the document or the author row is gone. */
function isConstraintError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("23");
}
