/**
 * One live document: its Y.Doc, its presence, its connections, and the updates of it that are
 * accepted in memory but not yet on disk.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { StoredDocumentState } from "../../db/queries/documents";
import { applyStoredState } from "../documents/stored-state";
import { MAX_CLIENT_IDS_PER_CONNECTION } from "./awareness-guard";
import type { DocumentWriter, QueuedUpdate, StoredUpdate, WriteQueue } from "./persistence";
import { encodeAwareness, encodeUpdate, isEmptyUpdate, ProtocolError } from "./protocol";
import type { DocumentGuard, DocumentTally, SyncLog, SyncPrincipal } from "./types";
import { DEFAULT_UPDATE_LIMITS, inspectUpdate, type UpdateLimits } from "./update-guard";
import { UpdateSequence } from "../cluster/sequence";

/**
 * Content Yjs holds back because what it builds on has not arrived. A server that stores before
 * it sends has everything its clients were sent, so honest clients leave little or nothing
 * pending; a lot of it is an attack on Yjs's quadratic pending handling (see update-guard.ts).
 */
/** Per update, and per run of updates from one connection applied together. */
export const MAX_PENDING_PER_UPDATE = 500;
export const MAX_ROOM_PENDING_BYTES = 64 * 1024;
const MERGE_GROUP = 32;

export interface RoomMember {
  readonly principal: SyncPrincipal;
  /** Awareness client ids this member controls; removed from presence when it leaves. */
  readonly awarenessIds: Set<number>;
  send(frame: Uint8Array): void;
  /** One of its updates was refused: the member is closed and its later updates are dropped. */
  refuse(reason: string, error: unknown): void;
  readonly refused: boolean;
}

export interface RoomDeps {
  writer: DocumentWriter;
  log: SyncLog;
  limits?: UpdateLimits;
  /** Checks each client transaction before it is committed (see SyncServerOptions). */
  documentGuard?: DocumentGuard;
  /**
   * Presence changes are sent at most once per this many ms (0: once per event-loop turn).
   * y-websocket clients re-send every presence message they receive, so each frame sent to N
   * clients comes back N times: fewer, fuller frames keep a workshop's cursors cheap.
   */
  awarenessBatchMs?: number;
  /** Called after each commit that included this room (the server decides about compaction). */
  onCommitted(room: Room, updates: StoredUpdate[]): void;
  /** This room's queued updates could not be stored and were dropped unsent. */
  onRejected(room: Room, error: unknown): void;
  /** This room's queued updates have waited about a second for storage, and are still retried. */
  onStalled(room: Room): void;
  /**
   * Several nodes serve this document (REDIS_URL): updates also arrive from other nodes, so the
   * room tracks which stored ids it holds (see server/cluster/sequence.ts), and presence changes
   * of its own members are handed to `onLocalPresence` to be sent to the other nodes.
   */
  clustered?: boolean;
  onLocalPresence?(room: Room, update: Uint8Array): void;
}

/** Content or presence that came from another node: already stored there, never stored again here. */
export const REMOTE_ORIGIN = Symbol("remote node");

export interface RemoteUpdate {
  id: number;
  previousId: number;
  update: Uint8Array;
}

/** Marks an edit the server makes on someone's behalf, so it is stored with that author. */
export class ServerChangeOrigin {
  constructor(readonly author: { userId: number; organisationId: string } | null) {}
}

export class Room implements WriteQueue {
  /** Replaced, not mutated back, when a refused transaction must be forgotten. */
  doc = new Y.Doc();
  /** Presence has its own doc: it outlives a replacement of `doc`. */
  private readonly presenceDoc = new Y.Doc();
  readonly awareness: awarenessProtocol.Awareness;
  readonly members = new Set<RoomMember>();
  readonly pending: QueuedUpdate[] = [];
  state: "loading" | "ready" | "unloaded" = "loading";
  /**
   * Every document_updates row of this document up to this id is in `doc` (what a snapshot may
   * claim to cover). On one node that is simply the highest id; in a cluster, see `sequence`.
   */
  lastUpdateId = 0;
  /** In a cluster: which stored ids beyond `lastUpdateId` the doc already holds. */
  sequence: UpdateSequence | null = null;
  updatesSinceSnapshot = 0;
  unloadScheduled = false;
  compactionScheduled = false;
  /**
   * A snapshot is being written (PostgreSQL: asynchronously). Until it settles the room still
   * counts the updates it covers, and every commit would otherwise start another one of the same.
   */
  snapshotInFlight = false;
  /** Server changes in progress: the room stays loaded for them even with no members. */
  pinned = 0;
  private afterFlush: (() => void)[] = [];
  private readonly awarenessOwners = new Map<number, RoomMember>();
  /** Yjs's pending content as last stored, to store it again only when it changes. */
  private lastPending: Uint8Array | null = null;
  private seenPendingStructs: unknown = null;
  private seenPendingDs: unknown = null;
  private readonly awarenessChanged = new Set<number>();
  /** Changes made by this node's own members, for the other nodes (cluster only). */
  private readonly localAwarenessChanged = new Set<number>();
  /**
   * Presence entries that clients of other nodes control. y-websocket clients echo every entry
   * they receive, so without this a local connection would claim them and keep them alive here
   * after their own node removed them.
   */
  private readonly remoteAwarenessIds = new Set<number>();
  private awarenessTimer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  /** Updates received this turn, applied just before the commit. */
  private inbound: { member: RoomMember; update: Uint8Array }[] = [];
  /** The guard's running totals for `doc`. */
  private tally: DocumentTally | null = null;
  /** A refused transaction is ending: its update event must not be queued. */
  private discarding = false;

  constructor(
    readonly documentId: string,
    private readonly deps: RoomDeps,
  ) {
    this.awareness = new awarenessProtocol.Awareness(this.presenceDoc);
    // The server holds presence for others; it is not present itself.
    this.awareness.setLocalState(null);
    this.awareness.on("update", this.onAwarenessUpdate);
  }

  /** Throws if the stored state cannot be applied; the caller then discards the room. */
  applyStored(stored: StoredDocumentState): void {
    applyStoredState(this.doc, stored);
    this.tally = this.deps.documentGuard?.measure(this.doc) ?? null;
    this.lastUpdateId = Math.max(
      stored.snapshot?.lastUpdateId ?? 0,
      stored.updates.at(-1)?.id ?? 0,
    );
    this.updatesSinceSnapshot = stored.updates.length;
    if (this.deps.clustered) this.sequence = new UpdateSequence(this.lastUpdateId);
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) {
      this.deps.log("warn", "stored document has updates whose dependencies are missing", {
        document: this.documentId,
      });
      this.lastPending = this.pendingContent();
    }
    this.seenPendingStructs = this.doc.store.pendingStructs;
    this.seenPendingDs = this.doc.store.pendingDs;
    // Registered after loading, so stored content is never queued to be written again.
    this.doc.on("update", this.onDocUpdate);
    this.state = "ready";
  }

  /**
   * An update from a connection with write access, applied with the others that arrive in the
   * same event-loop turn just before they are committed (see DocumentWriter.requestApply).
   */
  receiveUpdate(member: RoomMember, update: Uint8Array): void {
    this.inbound.push({ member, update });
    if (this.inbound.length === 1) this.deps.writer.requestApply(this);
  }

  /**
   * Applies the turn's updates: each run of consecutive updates from one connection in one Yjs
   * transaction, so Yjs encodes (and we store and send) one update per run instead of one per
   * keystroke. A client catching up after being offline sends hundreds in a row; the per-
   * transaction cost was most of the CPU of ingesting a long history.
   */
  applyInbound(): void {
    const inbound = this.inbound;
    this.inbound = [];
    if (this.state !== "ready") return;
    for (let i = 0; i < inbound.length; ) {
      const member = inbound[i].member;
      let j = i + 1;
      while (j < inbound.length && inbound[j].member === member) j++;
      if (!member.refused) this.applyRun(member, inbound, i, j);
      i = j;
    }
    // Nothing new (duplicates, or refused): answers that waited for these updates go out now.
    this.runAfterFlush();
  }

  private applyRun(member: RoomMember, inbound: { update: Uint8Array }[], from: number, to: number): void {
    // Pending admitted in this run: the room's own figure is only brought up to date after it.
    const budget = { pending: 0 };
    let refusal: string | null = null;
    try {
      Y.transact(
        this.doc,
        (transaction) => {
          try {
            for (let k = from; k < to; k++) this.applyClientUpdate(member, inbound[k].update, budget);
          } finally {
            // Before the transaction ends, so its update event (queued for commit) can be dropped.
            refusal = this.checkShape(transaction);
            if (refusal !== null) this.discarding = true;
          }
        },
        member,
      );
    } catch (error) {
      // Whatever Yjs integrated before failing was emitted as an update event and is queued
      // like any other (once the guard found it acceptable): valid content, now in memory, so it
      // is stored and sent.
      if (refusal === null) {
        member.refuse(error instanceof ProtocolError ? error.message : "document update could not be applied", error);
      }
    } finally {
      if (refusal !== null) {
        this.discarding = false;
        this.forgetRefused();
        member.refuse(`document update refused: ${refusal}`, new ProtocolError(refusal));
      } else {
        this.queuePendingIfChanged(member);
      }
    }
  }

  private checkShape(transaction: Y.Transaction): string | null {
    const guard = this.deps.documentGuard;
    if (!guard || !this.tally) return null;
    try {
      return guard.check(this.doc, transaction, this.tally);
    } catch (error) {
      this.deps.log("error", "document guard failed; refusing the update", { document: this.documentId, error: String(error) });
      return "the server could not check this change";
    }
  }

  /**
   * Yjs cannot take an integrated transaction back, so a refused one is forgotten by rebuilding
   * the doc from what is stored plus what is accepted and queued but not yet committed. O(size of
   * the document), but only on refusal, which honest clients never cause. Nothing of the refused
   * transaction was queued, stored or sent.
   */
  private forgetRefused(): void {
    const stored = this.deps.writer.readStored(this.documentId);
    const doc = new Y.Doc();
    applyStoredState(doc, stored);
    Y.transact(doc, () => {
      for (const queued of this.pending) Y.applyUpdate(doc, queued.update);
    });
    const old = this.doc;
    old.off("update", this.onDocUpdate);
    this.doc = doc;
    old.destroy();
    this.tally = this.deps.documentGuard?.measure(doc) ?? null;
    this.lastPending = this.pendingContent();
    this.seenPendingStructs = doc.store.pendingStructs;
    this.seenPendingDs = doc.store.pendingDs;
    doc.on("update", this.onDocUpdate);
    this.deps.log("warn", "refused a document update; the room was reloaded from storage", { document: this.documentId });
  }

  /**
   * Throws ProtocolError, before touching the doc, if the update is malformed, over a limit, or
   * would leave too much pending.
   */
  private applyClientUpdate(member: RoomMember, update: Uint8Array, budget: { pending: number }): void {
    const store = this.doc.store;
    const summary = inspectUpdate(update, (client) => Y.getState(store, client), this.deps.limits ?? DEFAULT_UPDATE_LIMITS);
    const pending = summary.pendingStructs + summary.pendingDeleteRanges;
    if (
      pending > 0 &&
      (budget.pending + pending > MAX_PENDING_PER_UPDATE || (this.lastPending?.length ?? 0) > MAX_ROOM_PENDING_BYTES)
    ) {
      throw new ProtocolError("document update builds on changes this server never received; reload the page");
    }
    budget.pending += pending;
    Y.applyUpdate(this.doc, update, member);
  }

  /**
   * Structs whose dependencies have not arrived produce no update event, yet Yjs includes them in
   * every sync-step-2 answer and snapshot. So they too are written before anyone can receive
   * them, as Yjs's own re-encoding (never the client's raw bytes, which might not load).
   */
  private queuePendingIfChanged(member: RoomMember): void {
    const store = this.doc.store;
    // Yjs replaces these objects whenever it changes them, so identity is a cheap first test.
    if (store.pendingStructs === this.seenPendingStructs && store.pendingDs === this.seenPendingDs) return;
    this.seenPendingStructs = store.pendingStructs;
    this.seenPendingDs = store.pendingDs;
    const after = this.pendingContent();
    const before = this.lastPending;
    this.lastPending = after;
    if (after === null || (before !== null && equalBytes(before, after))) return;
    this.deps.writer.enqueue(this, {
      update: after,
      userId: member.principal.userId,
      organisationId: member.principal.organisationId,
      origin: member,
    });
  }

  private pendingContent(): Uint8Array | null {
    const parts = [this.doc.store.pendingStructs?.update, this.doc.store.pendingDs].filter(
      (p): p is Uint8Array => p != null,
    );
    if (parts.length === 0) return null;
    return Y.convertUpdateFormatV2ToV1(parts.length === 1 ? parts[0] : Y.mergeUpdatesV2(parts));
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    // Another node stored it before publishing it.
    if (origin === REMOTE_ORIGIN) return;
    if (this.discarding || isEmptyUpdate(update)) return;
    // A member that left after sending is still the author of what it sent.
    const author = isMember(origin)
      ? origin.principal
      : origin instanceof ServerChangeOrigin
        ? origin.author
        : null;
    this.deps.writer.enqueue(this, {
      update,
      userId: author?.userId ?? null,
      organisationId: author?.organisationId ?? null,
      origin,
    });
  };

  /** Runs `fn` once everything accepted for this room so far is committed (now, if it is). */
  whenFlushed(fn: () => void): void {
    if (this.pending.length === 0 && this.inbound.length === 0) fn();
    else this.afterFlush.push(fn);
  }

  committed(updates: StoredUpdate[]): void {
    if (this.sequence) {
      for (const u of updates) this.sequence.add(u.previousId, u.id);
      this.lastUpdateId = this.sequence.watermark;
    } else {
      for (const u of updates) this.lastUpdateId = Math.max(this.lastUpdateId, u.id);
    }
    this.broadcast(updates);
    this.updatesSinceSnapshot += updates.length;
    this.runAfterFlush();
    this.deps.onCommitted(this, updates);
  }

  private runAfterFlush(): void {
    if (this.pending.length > 0 || this.inbound.length > 0 || this.afterFlush.length === 0) return;
    const callbacks = this.afterFlush;
    this.afterFlush = [];
    for (const fn of callbacks) {
      try {
        fn();
      } catch (error) {
        this.deps.log("error", "after-flush callback failed", { document: this.documentId, error: String(error) });
      }
    }
  }

  /**
   * Few frames per commit, however many updates it held: consecutive updates are merged in
   * groups of at most MERGE_GROUP (Y.mergeUpdates grows much faster than linearly in the number
   * of updates: 500 take 50 ms, 5,000 take 1 s). A group from one connection goes to everyone
   * else; a group mixing several connections goes to every member, its senders included, since
   * Yjs skips what a client already has and a merge per sender would cost more than it saves.
   */
  private broadcast(updates: StoredUpdate[]): void {
    if (updates.length === 0 || this.members.size === 0) return;
    for (let i = 0; i < updates.length; i += MERGE_GROUP) {
      const group = updates.slice(i, i + MERGE_GROUP);
      const origin = group.every((u) => u.origin === group[0].origin) ? group[0].origin : undefined;
      if (this.members.size === 1 && this.members.has(origin as RoomMember)) continue;
      const frame = encodeUpdate(group.length === 1 ? group[0].update : Y.mergeUpdates(group.map((u) => u.update)));
      for (const member of this.members) if (member !== origin) member.send(frame);
    }
  }

  /**
   * Updates another node stored and published: applied (those not already held), then sent to
   * this node's members. Returns false if the room still lacks an update before the last one
   * (the caller then reads the gap from the database).
   */
  applyRemote(updates: RemoteUpdate[]): boolean {
    const sequence = this.sequence;
    if (this.state !== "ready" || !sequence) return true;
    const fresh = updates.filter((u) => !sequence.has(u.id));
    this.integrateRemote(fresh.map((u) => u.update));
    for (const u of fresh) sequence.add(u.previousId, u.id);
    this.lastUpdateId = sequence.watermark;
    this.updatesSinceSnapshot += fresh.length;
    return sequence.gaps === 0;
  }

  /** Rows read from the database after `lastUpdateId` (a catch-up): everything up to `upTo` is now held. */
  applyCaughtUp(rows: { id: number; update: Uint8Array }[], upTo: number): number {
    const sequence = this.sequence;
    if (this.state !== "ready" || !sequence) return 0;
    const fresh = rows.filter((r) => !sequence.has(r.id));
    this.integrateRemote(fresh.map((r) => r.update));
    sequence.caughtUp(upTo);
    this.lastUpdateId = sequence.watermark;
    this.updatesSinceSnapshot += fresh.length;
    return fresh.length;
  }

  private integrateRemote(updates: Uint8Array[]): void {
    if (updates.length === 0) return;
    Y.transact(
      this.doc,
      (transaction) => {
        for (const update of updates) Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
        // The guard's running totals must follow the doc; the verdict is the storing node's.
        if (this.deps.documentGuard && this.tally) {
          try {
            this.deps.documentGuard.check(this.doc, transaction, this.tally);
          } catch {
            this.tally = null;
          }
        }
      },
      REMOTE_ORIGIN,
    );
    if (this.tally === null && this.deps.documentGuard) this.tally = this.deps.documentGuard.measure(this.doc);
    if (this.members.size === 0) return;
    for (let i = 0; i < updates.length; i += MERGE_GROUP) {
      const group = updates.slice(i, i + MERGE_GROUP);
      const frame = encodeUpdate(group.length === 1 ? group[0] : Y.mergeUpdates(group));
      for (const member of this.members) member.send(frame);
    }
  }

  /** Presence of clients of other nodes. */
  applyRemotePresence(update: Uint8Array): void {
    if (this.state === "unloaded") return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN);
  }

  /** Removes presence entries of clients of other nodes (their node is gone). */
  removeRemotePresence(clientIds: number[]): void {
    const ids = clientIds.filter((id) => !this.awarenessOwners.has(id) && this.awareness.getStates().has(id));
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, REMOTE_ORIGIN);
  }

  /** The presence of this node's own members, for a node that just opened the document. */
  localPresence(): Uint8Array | null {
    const ids = [...this.awarenessOwners.keys()].filter((id) => this.awareness.getStates().has(id));
    return ids.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids) : null;
  }

  rejected(error: unknown): void {
    // Callbacks waiting for a flush would answer from a doc that holds the dropped updates.
    this.afterFlush = [];
    this.deps.onRejected(this, error);
  }

  stalled(): void {
    this.deps.onStalled(this);
  }

  /**
   * A connection controls an awareness client id it claimed first. A second connection of the
   * same user may take one over: that is the same person reconnecting before the old socket died.
   */
  claimAwarenessId(member: RoomMember, clientId: number): "ok" | "other" | "cap" {
    const owner = this.awarenessOwners.get(clientId);
    if (owner === member) return "ok";
    if (!owner && this.remoteAwarenessIds.has(clientId)) return "other";
    if (owner && owner.principal.userId !== member.principal.userId) return "other";
    if (member.awarenessIds.size >= MAX_CLIENT_IDS_PER_CONNECTION) return "cap";
    if (owner) owner.awarenessIds.delete(clientId);
    this.awarenessOwners.set(clientId, member);
    member.awarenessIds.add(clientId);
    return "ok";
  }

  currentAwareness(): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()];
    if (ids.length === 0) return null;
    return encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
  }

  addMember(member: RoomMember): void {
    this.members.add(member);
    this.unloadScheduled = false;
  }

  removeMember(member: RoomMember): void {
    if (!this.members.delete(member)) return;
    const ids = [...member.awarenessIds].filter((id) => this.awarenessOwners.get(id) === member);
    for (const id of ids) this.awarenessOwners.delete(id);
    if (this.state === "ready" && ids.length > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
    }
  }

  destroy(): void {
    this.state = "unloaded";
    if (this.awarenessTimer) {
      clearTimeout(this.awarenessTimer as NodeJS.Timeout);
      clearImmediate(this.awarenessTimer as NodeJS.Immediate);
      this.awarenessTimer = null;
    }
    this.awareness.off("update", this.onAwarenessUpdate);
    this.doc.off("update", this.onDocUpdate);
    this.doc.destroy();
    // Destroying the presence doc also destroys the awareness and its timer.
    this.presenceDoc.destroy();
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    for (const id of added) this.awarenessChanged.add(id);
    for (const id of updated) this.awarenessChanged.add(id);
    for (const id of removed) this.awarenessChanged.add(id);
    if (origin === REMOTE_ORIGIN) {
      for (const id of added) this.remoteAwarenessIds.add(id);
      for (const id of updated) this.remoteAwarenessIds.add(id);
    }
    for (const id of removed) this.remoteAwarenessIds.delete(id);
    // Other nodes time out entries themselves ("timeout") and already have remote ones.
    if (this.deps.onLocalPresence && origin !== REMOTE_ORIGIN && origin !== "timeout") {
      for (const id of added) this.localAwarenessChanged.add(id);
      for (const id of updated) this.localAwarenessChanged.add(id);
      for (const id of removed) this.localAwarenessChanged.add(id);
    }
    if (this.awarenessChanged.size === 0 || this.awarenessTimer) return;
    const ms = this.deps.awarenessBatchMs ?? 0;
    this.awarenessTimer = ms > 0 ? setTimeout(this.sendAwareness, ms) : setImmediate(this.sendAwareness);
  };

  /**
   * Sent to the sender too, as the reference server does: y-websocket clients close a socket
   * that has received nothing for 30 s, and a lone client's own renewed presence is what keeps
   * its socket fed. Its own entry carries the same clock, so the client does not re-apply it.
   */
  private readonly sendAwareness = (): void => {
    this.awarenessTimer = null;
    if (this.state !== "ready") return;
    const changed = [...this.awarenessChanged];
    this.awarenessChanged.clear();
    if (this.localAwarenessChanged.size > 0) {
      const local = [...this.localAwarenessChanged];
      this.localAwarenessChanged.clear();
      this.deps.onLocalPresence?.(this, awarenessProtocol.encodeAwarenessUpdate(this.awareness, local));
    }
    if (changed.length === 0) return;
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    for (const member of this.members) member.send(frame);
  };
}

function isMember(origin: unknown): origin is RoomMember {
  return typeof origin === "object" && origin !== null && "principal" in origin && "awarenessIds" in origin;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
