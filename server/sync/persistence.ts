/**
 * The write path. The product promises that an update the server accepted is on disk before
 * anyone else sees it, so updates are queued per room, committed together once per event-loop
 * turn, and only then handed back to their rooms to broadcast.
 */
import type BetterSqlite3 from "better-sqlite3";
import { nowIso } from "../../db/connection";
import { prepareDocumentWrites, type DocumentWriteStatements, type StoredDocumentState } from "../../db/queries/documents";
import { failpoint } from "./failpoints";
import type { SyncLog } from "./types";

export interface QueuedUpdate {
  update: Uint8Array;
  userId: number | null;
  organisationId: string | null;
  /** The connection that sent it: it already has it, so it is not sent back. */
  origin: unknown;
}

export interface StoredUpdate extends QueuedUpdate {
  id: number;
  /**
   * The id of the document's update stored just before this one (0: none), read inside the same
   * transaction, so nodes of a cluster can tell whether they hold every update up to `id`.
   */
  previousId: number;
}

/** A room, as the writer sees it. */
export interface WriteQueue {
  readonly documentId: string;
  readonly pending: QueuedUpdate[];
  committed(updates: StoredUpdate[]): void;
  /** Applies updates received since the last commit (they are then enqueued). */
  applyInbound(): void;
  /**
   * Its updates can never be stored (a constraint failed: the document or author row is gone).
   * They have been dropped from the queue, unsent; the room must make its clients resync.
   */
  rejected(error: unknown): void;
  /**
   * Its updates have waited for storage for about a second and are still being retried (the
   * database is not answering): the room tells its people, rather than looking live while
   * nothing is saved. Called again at every later failed attempt while the updates wait.
   */
  stalled(): void;
}

export interface SnapshotRequest {
  documentId: string;
  state: Uint8Array;
  stateVector: Uint8Array;
  lastUpdateId: number;
  plainText: string | null;
}

export type SnapshotResult = { ok: true } | { ok: false; error: unknown };

/**
 * What rooms and the sync server need from a write path: SQLite's synchronous one below, or
 * PostgreSQL's (persistence-postgres.ts), which commits asynchronously with the same contract.
 */
export interface DocumentWriter {
  requestApply(queue: WriteQueue): void;
  enqueue(queue: WriteQueue, update: QueuedUpdate): void;
  idle(): Promise<void>;
  readonly pendingCount: number;
  readStored(documentId: string): StoredDocumentState;
  /** SQLite answers at once (the commit is synchronous); PostgreSQL later. */
  storeSnapshot(snapshot: SnapshotRequest): SnapshotResult | Promise<SnapshotResult>;
  /** A document was loaded into a room / left memory (for writers that keep what is stored). */
  remember?(documentId: string, stored: StoredDocumentState): void;
  forget?(documentId: string): void;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;
// Attempts fail at 0, 100, 300 and 700 ms: the fourth failure in a row (0.7 s) tells the rooms.
const STALLED_AT_RETRY_MS = 800;

/**
 * The wait before the next attempt after a transient failure (100 ms doubling to 5 s), telling the
 * waiting rooms once the failures have lasted long enough to matter to a person. Both writers use it.
 */
export function retryAfterFailure(retryMs: number, waiting: Iterable<WriteQueue>, log: SyncLog): number {
  const next = retryMs === 0 ? FIRST_RETRY_MS : Math.min(retryMs * 2, MAX_RETRY_MS);
  if (next >= STALLED_AT_RETRY_MS) {
    for (const queue of waiting) {
      try {
        queue.stalled();
      } catch (error) {
        log("error", "stalled-updates handler failed", { document: queue.documentId, error: String(error) });
      }
    }
  }
  return next;
}
// Another transaction open on this shared connection (a Kysely transaction awaiting between
// statements): writing now would put our rows inside it, and its rollback would undo them after
// we had broadcast them. Wait for it to end instead.
const FOREIGN_TRANSACTION_POLL_MS = 5;

export interface UpdateWriterOptions {
  sqlite: BetterSqlite3.Database;
  busyTimeoutMs: number;
  log: SyncLog;
  /** After each successful group commit: rows stored and seconds from BEGIN to COMMIT. */
  onCommit?: (updates: number, seconds: number) => void;
}

export class UpdateWriter implements DocumentWriter {
  private readonly sqlite: BetterSqlite3.Database;
  private readonly statements: DocumentWriteStatements;
  private readonly busyTimeoutMs: number;
  private readonly log: SyncLog;
  private readonly onCommit?: (updates: number, seconds: number) => void;
  private readonly dirty = new Set<WriteQueue>();
  private readonly toApply = new Set<WriteQueue>();
  private immediate: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;
  private retryMs = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly commitBatch: (batch: { queue: WriteQueue; updates: QueuedUpdate[] }[]) => { first: number; ids: number[] }[];
  private readonly snapshotTx: BetterSqlite3.Transaction<
    (s: { documentId: string; state: Uint8Array; stateVector: Uint8Array; lastUpdateId: number; plainText: string | null }) => void
  >;

  constructor(opts: UpdateWriterOptions) {
    this.sqlite = opts.sqlite;
    this.busyTimeoutMs = opts.busyTimeoutMs;
    this.log = opts.log;
    this.onCommit = opts.onCommit;
    this.statements = prepareDocumentWrites(opts.sqlite);
    const tx = this.sqlite.transaction((batch: { queue: WriteQueue; updates: QueuedUpdate[] }[]) => {
      const createdAt = nowIso();
      return batch.map(({ queue, updates }) => {
        // The document row first: on a database with row locks this serialises writers of one
        // document, so the update before ours is the one we read here (SQLite's IMMEDIATE
        // transaction serialises every writer anyway).
        this.statements.touchDocument(queue.documentId, createdAt);
        const first = this.statements.lastUpdateId(queue.documentId);
        const ids = updates.map((u) =>
          this.statements.appendUpdate({
            documentId: queue.documentId,
            update: u.update,
            userId: u.userId,
            organisationId: u.organisationId,
            createdAt,
          }),
        );
        return { first, ids };
      });
    });
    // IMMEDIATE takes the write lock up front, so a busy database fails here, before any row,
    // and under WAL a deferred transaction could not wait for the lock when upgrading anyway.
    this.commitBatch = (batch) => tx.immediate(batch);
    this.snapshotTx = this.sqlite.transaction((s) => {
      this.statements.insertSnapshot({
        documentId: s.documentId,
        state: s.state,
        stateVector: s.stateVector,
        lastUpdateId: s.lastUpdateId,
        createdAt: nowIso(),
      });
      if (s.plainText !== null) this.statements.setPlainText(s.documentId, s.plainText);
      // Crash tests stop here: the snapshot row is written but not committed.
      failpoint("compaction");
    });
  }

  /**
   * Writes a snapshot (and the document's plain text) in one transaction. Synchronous, so the
   * caller's in-memory document cannot change between encoding it and committing it. Returns the
   * error instead of throwing: a snapshot is an optimisation and the caller decides when to retry.
   */
  storeSnapshot(snapshot: SnapshotRequest): SnapshotResult {
    if (this.sqlite.inTransaction) {
      return { ok: false, error: new Error("connection is inside another transaction") };
    }
    try {
      withBusyTimeout(this.sqlite, this.busyTimeoutMs, () => this.snapshotTx.immediate(snapshot));
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** The document as stored, read synchronously (no await between it and the next commit). */
  readStored(documentId: string): StoredDocumentState {
    return this.statements.readStored(documentId);
  }

  /**
   * A room received updates: they are applied at the start of the next flush, all of this
   * event-loop turn's together, then committed in the same synchronous step.
   */
  requestApply(queue: WriteQueue): void {
    this.toApply.add(queue);
    this.schedule();
  }

  enqueue(queue: WriteQueue, update: QueuedUpdate): void {
    queue.pending.push(update);
    this.dirty.add(queue);
    this.schedule();
  }

  /** Resolves once nothing is waiting to be written (retrying for as long as that takes). */
  idle(): Promise<void> {
    if (this.dirty.size === 0 && this.toApply.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get pendingCount(): number {
    let n = 0;
    for (const q of this.dirty) n += q.pending.length;
    return n;
  }

  private schedule(): void {
    if (this.immediate || this.timer) return;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.flushNow();
    });
  }

  private retryIn(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushNow();
    }, ms);
  }

  private flushNow(): void {
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
    if (this.dirty.size === 0) return this.resolveIdle();
    if (this.sqlite.inTransaction) return this.retryIn(FOREIGN_TRANSACTION_POLL_MS);
    const batch = [...this.dirty].map((queue) => ({ queue, updates: queue.pending.slice() }));
    const all = this.tryCommit(batch);
    let transientError: unknown = null;
    if (all.ok) {
      batch.forEach((entry, i) => this.finish(entry, all.ids[i]));
    } else if (!isConstraintError(all.error)) {
      transientError = all.error;
    } else {
      // One room's permanent failure must not hold every other room's updates hostage:
      // commit room by room, and reject only the rooms that fail the same way.
      for (const entry of batch) {
        const one = this.tryCommit([entry]);
        if (one.ok) this.finish(entry, one.ids[0]);
        else if (isConstraintError(one.error)) this.reject(entry.queue, one.error);
        else transientError = one.error;
      }
    }
    if (transientError !== null) {
      // Keep everything queued: nothing is broadcast or answered until it is on disk.
      this.retryMs = retryAfterFailure(this.retryMs, this.dirty, this.log);
      this.log("error", "could not store document updates; retrying", {
        error: String(transientError),
        documents: [...this.dirty].map((q) => q.documentId),
        updates: this.pendingCount,
        retryInMs: this.retryMs,
      });
      return this.retryIn(this.retryMs);
    }
    if (this.retryMs !== 0) this.log("info", "document updates stored after retrying");
    this.retryMs = 0;
    if (this.dirty.size === 0 && this.toApply.size === 0) this.resolveIdle();
    else this.schedule();
  }

  private tryCommit(
    batch: { queue: WriteQueue; updates: QueuedUpdate[] }[],
  ): { ok: true; ids: { first: number; ids: number[] }[] } | { ok: false; error: unknown } {
    try {
      const started = process.hrtime.bigint();
      const ids = withBusyTimeout(this.sqlite, this.busyTimeoutMs, () => this.commitBatch(batch));
      this.onCommit?.(
        ids.reduce((n, room) => n + room.ids.length, 0),
        Number(process.hrtime.bigint() - started) / 1e9,
      );
      return { ok: true, ids };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** Runs in the same synchronous turn as the commit: nothing can be enqueued in between. */
  private finish({ queue, updates }: { queue: WriteQueue; updates: QueuedUpdate[] }, stored: { first: number; ids: number[] }): void {
    queue.pending.splice(0, updates.length);
    if (queue.pending.length === 0) this.dirty.delete(queue);
    const { first, ids } = stored;
    try {
      queue.committed(updates.map((u, j) => ({ ...u, id: ids[j], previousId: j === 0 ? first : ids[j - 1] })));
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

function isConstraintError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_CONSTRAINT");
}

function withBusyTimeout<T>(sqlite: BetterSqlite3.Database, ms: number, run: () => T): T {
  const previous = sqlite.pragma("busy_timeout", { simple: true }) as number;
  if (previous === ms) return run();
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
  try {
    return run();
  } finally {
    sqlite.pragma(`busy_timeout = ${previous}`);
  }
}
