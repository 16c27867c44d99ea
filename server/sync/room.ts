/**
 * One live document: its Y.Doc, its presence, its connections, and the updates of it that are
 * accepted in memory but not yet on disk.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { StoredDocumentState } from "../../db/queries/documents";
import { MAX_CLIENT_IDS_PER_CONNECTION } from "./awareness-guard";
import type { QueuedUpdate, StoredUpdate, UpdateWriter, WriteQueue } from "./persistence";
import { encodeAwareness, encodeUpdate, isEmptyUpdate } from "./protocol";
import type { SyncLog, SyncPrincipal } from "./types";

export interface RoomMember {
  readonly principal: SyncPrincipal;
  /** Awareness client ids this member controls; removed from presence when it leaves. */
  readonly awarenessIds: Set<number>;
  send(frame: Uint8Array): void;
}

export interface RoomDeps {
  writer: UpdateWriter;
  log: SyncLog;
  /** Called after each commit that included this room (the server decides about compaction). */
  onCommitted(room: Room): void;
  /** This room's queued updates could not be stored and were dropped unsent. */
  onRejected(room: Room, error: unknown): void;
}

/** Marks an edit the server makes on someone's behalf, so it is stored with that author. */
export class ServerChangeOrigin {
  constructor(readonly author: { userId: number; organisationId: string } | null) {}
}

export class Room implements WriteQueue {
  readonly doc = new Y.Doc();
  readonly awareness: awarenessProtocol.Awareness;
  readonly members = new Set<RoomMember>();
  readonly pending: QueuedUpdate[] = [];
  state: "loading" | "ready" | "unloaded" = "loading";
  /** The highest document_updates.id whose content is in `doc`. */
  lastUpdateId = 0;
  updatesSinceSnapshot = 0;
  unloadScheduled = false;
  compactionScheduled = false;
  /** Server changes in progress: the room stays loaded for them even with no members. */
  pinned = 0;
  private afterFlush: (() => void)[] = [];
  private readonly awarenessOwners = new Map<number, RoomMember>();

  constructor(
    readonly documentId: string,
    private readonly deps: RoomDeps,
  ) {
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server holds presence for others; it is not present itself.
    this.awareness.setLocalState(null);
    this.awareness.on("update", this.onAwarenessUpdate);
  }

  /** Throws if the stored state cannot be applied; the caller then discards the room. */
  applyStored(stored: StoredDocumentState): void {
    Y.transact(this.doc, () => {
      if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot.state);
      for (const row of stored.updates) Y.applyUpdate(this.doc, row.update);
    });
    this.lastUpdateId = Math.max(
      stored.snapshot?.lastUpdateId ?? 0,
      stored.updates.at(-1)?.id ?? 0,
    );
    this.updatesSinceSnapshot = stored.updates.length;
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) {
      this.deps.log("warn", "stored document has updates whose dependencies are missing", {
        document: this.documentId,
      });
    }
    // Registered after loading, so stored content is never queued to be written again.
    this.doc.on("update", this.onDocUpdate);
    this.state = "ready";
  }

  /**
   * Applies a validated update from a writer. Rethrows if Yjs fails part-way; anything Yjs
   * integrated before failing was emitted as an update event and is queued like any other.
   */
  applyClientUpdate(member: RoomMember, update: Uint8Array): void {
    const before = this.pendingContent();
    try {
      Y.applyUpdate(this.doc, update, member);
    } finally {
      this.queuePendingIfChanged(member, before);
    }
  }

  /**
   * Structs whose dependencies have not arrived produce no update event, yet Yjs includes them in
   * every sync-step-2 answer and snapshot. So they too are written before anyone can receive
   * them, as Yjs's own re-encoding (never the client's raw bytes, which might not load).
   */
  private queuePendingIfChanged(member: RoomMember, before: Uint8Array | null): void {
    const after = this.pendingContent();
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
    if (isEmptyUpdate(update)) return;
    const author = this.members.has(origin as RoomMember)
      ? (origin as RoomMember).principal
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
    if (this.pending.length === 0) fn();
    else this.afterFlush.push(fn);
  }

  committed(updates: StoredUpdate[]): void {
    for (const u of updates) {
      this.lastUpdateId = Math.max(this.lastUpdateId, u.id);
      const frame = encodeUpdate(u.update);
      for (const member of this.members) if (member !== u.origin) member.send(frame);
    }
    this.updatesSinceSnapshot += updates.length;
    if (this.pending.length === 0) {
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
    this.deps.onCommitted(this);
  }

  rejected(error: unknown): void {
    // Callbacks waiting for a flush would answer from a doc that holds the dropped updates.
    this.afterFlush = [];
    this.deps.onRejected(this, error);
  }

  /**
   * A connection controls an awareness client id it claimed first. A second connection of the
   * same user may take one over: that is the same person reconnecting before the old socket died.
   */
  claimAwarenessId(member: RoomMember, clientId: number): boolean {
    const owner = this.awarenessOwners.get(clientId);
    if (owner === member) return true;
    if (owner && owner.principal.userId !== member.principal.userId) return false;
    if (member.awarenessIds.size >= MAX_CLIENT_IDS_PER_CONNECTION) return false;
    if (owner) owner.awarenessIds.delete(clientId);
    this.awarenessOwners.set(clientId, member);
    member.awarenessIds.add(clientId);
    return true;
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
    this.awareness.off("update", this.onAwarenessUpdate);
    this.doc.off("update", this.onDocUpdate);
    // Destroying the doc also destroys the awareness and its timer.
    this.doc.destroy();
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    _origin: unknown,
  ): void => {
    const changed = added.concat(updated, removed);
    if (changed.length === 0) return;
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    // Sent to the sender too, as the reference server does: y-websocket clients close a socket
    // that has received nothing for 30 s, and a lone client's own renewed presence is what keeps
    // its socket fed. Its own entry carries the same clock, so the client does not re-apply it.
    for (const member of this.members) member.send(frame);
  };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
