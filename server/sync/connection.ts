/**
 * One authenticated socket in one room: validates every frame, enforces read-only access, and
 * holds back sync answers that would reveal updates not yet on disk.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import { WebSocket, type RawData } from "ws";
import { guardAwarenessUpdate } from "./awareness-guard";
import { encodeSyncStep1, encodeSyncStep2, parseClientMessage, ProtocolError, type ClientMessage } from "./protocol";
import type { Room, RoomMember } from "./room";
import type { SyncAccess, SyncLog, SyncPrincipal } from "./types";
import { inspectUpdate } from "./update-guard";

export const CLOSE_BAD_INPUT = 4400;
export const CLOSE_TEXT_FRAME = 1003;
export const CLOSE_LOAD_FAILED = 1011;
/** A client that cannot keep up; transient, so y-websocket reconnects and resyncs. */
export const CLOSE_TOO_SLOW = 1013;
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** What one client may send while its document is still loading. */
const MAX_INBOX_BYTES = 8 * 1024 * 1024;

export interface ConnectionDeps {
  log: SyncLog;
  onClosed(conn: Connection): void;
  onBadInput?(): void;
}

export class Connection implements RoomMember {
  readonly awarenessIds = new Set<number>();
  /** Answered the last keepalive ping (or sent something since). */
  alive = true;
  closed = false;
  /** The close code we sent, or the one the client sent. */
  closeCode: number | null = null;
  /** Frames that arrived before the document was loaded, handled in order once it is. */
  private inbox: Uint8Array[] | null = [];
  private inboxBytes = 0;
  private droppedWrites = 0;
  private ignoredAwareness = 0;
  private refusedInput = false;
  private detached = false;

  constructor(
    readonly ws: WebSocket,
    readonly principal: SyncPrincipal,
    public access: SyncAccess,
    readonly room: Room,
    private readonly deps: ConnectionDeps,
  ) {
    ws.on("message", (data, isBinary) => this.receive(data, isBinary));
    ws.on("pong", () => (this.alive = true));
    ws.on("close", (code) => {
      this.closeCode ??= code;
      this.detach();
    });
    ws.on("error", (error) => {
      // ws closes the socket itself after an error (1009 for an oversized frame, 1002 for a
      // protocol error); we only record why.
      this.deps.log("warn", "sync socket error", { ...this.fields(), error: error.message });
    });
  }

  /** The document is loaded: greet the client and handle what it already sent. */
  start(): void {
    if (this.closed) return;
    this.room.whenFlushed(() => {
      this.send(encodeSyncStep1(this.room.doc));
      const awareness = this.room.currentAwareness();
      if (awareness) this.send(awareness);
    });
    const inbox = this.inbox ?? [];
    this.inbox = null;
    for (const frame of inbox) {
      if (this.closed) return;
      this.handle(frame);
    }
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CLOSE_TOO_SLOW, "connection too slow to keep up; reconnecting will resync");
      return;
    }
    this.ws.send(frame);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closeCode = code;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, truncateReason(reason));
    }
    this.detach();
  }

  terminate(): void {
    this.closeCode ??= 1006;
    this.ws.terminate();
    this.detach();
  }

  setAccess(access: SyncAccess): void {
    if (access === this.access) return;
    const previous = this.access;
    this.access = access;
    this.deps.log("info", "sync access changed", { ...this.fields(), from: previous, to: access });
    if (previous === "read" && access === "write" && this.room.state === "ready") {
      // Whatever this client typed while read-only was dropped; asking for its state again lets
      // its next updates integrate instead of waiting on content the server never accepted.
      this.send(encodeSyncStep1(this.room.doc));
    }
  }

  private detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.closed = true;
    this.inbox = null;
    this.room.removeMember(this);
    this.deps.onClosed(this);
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    this.alive = true;
    if (!isBinary) {
      this.close(CLOSE_TEXT_FRAME, "text messages are not supported; send binary y-websocket messages");
      return;
    }
    // A copy, so no view can outlive or see past this frame in ws's pooled buffers.
    const frame = new Uint8Array(toBuffer(data));
    if (!this.inbox) return this.handle(frame);
    this.inboxBytes += frame.length;
    if (this.inboxBytes > MAX_INBOX_BYTES) {
      this.close(CLOSE_TOO_SLOW, "too much sent before the document loaded; reconnecting will resync");
      return;
    }
    this.inbox.push(frame);
  }

  private handle(frame: Uint8Array): void {
    let message: ClientMessage;
    try {
      message = parseClientMessage(frame);
    } catch (error) {
      this.reject(error instanceof ProtocolError ? error.message : "malformed message", error);
      return;
    }
    switch (message.kind) {
      case "sync-step-1": {
        const stateVector = message.stateVector;
        // The answer may contain updates still queued for disk, so it waits for them.
        this.room.whenFlushed(() => this.send(encodeSyncStep2(this.room.doc, stateVector)));
        return;
      }
      case "sync-step-2":
      case "update":
        if (this.access !== "write") {
          try {
            // Malformed input closes the connection whatever its rights.
            inspectUpdate(message.update, () => 0);
          } catch (error) {
            this.reject(error instanceof ProtocolError ? error.message : "malformed document update", error);
            return;
          }
          this.droppedWrites++;
          // Every read-only client sends a sync-step-2 on connect; log the first drop, not each.
          if (this.droppedWrites === 1) {
            this.deps.log("info", "dropped a document change from a read-only connection", {
              ...this.fields(),
              kind: message.kind,
            });
          }
          return;
        }
        this.room.receiveUpdate(this, message.update);
        return;
      case "awareness":
        this.applyAwareness(message.update);
        return;
      case "query-awareness": {
        const awareness = this.room.currentAwareness();
        if (awareness) this.send(awareness);
        return;
      }
    }
  }

  private applyAwareness(update: Uint8Array): void {
    let guarded;
    try {
      guarded = guardAwarenessUpdate(update, this.principal, {
        claim: (clientId) => this.room.claimAwarenessId(this, clientId),
      });
    } catch (error) {
      this.reject(error instanceof ProtocolError ? error.message : "malformed awareness update", error);
      return;
    }
    if (guarded.ignored.length > 0) {
      // Logged once per connection: a flood of new ids must not become a flood of log lines.
      this.ignoredAwareness += guarded.ignored.length;
      if (this.ignoredAwareness === guarded.ignored.length) {
        this.deps.log("warn", "ignored awareness entries", { ...this.fields(), ignored: guarded.ignored.slice(0, 10) });
      }
    }
    if (guarded.update) awarenessProtocol.applyAwarenessUpdate(this.room.awareness, guarded.update, this);
  }

  get refused(): boolean {
    return this.refusedInput;
  }

  refuse(reason: string, error: unknown): void {
    this.reject(reason, error);
  }

  private reject(reason: string, error: unknown): void {
    this.refusedInput = true;
    this.deps.onBadInput?.();
    this.deps.log("warn", "closing sync connection after bad input", {
      ...this.fields(),
      reason,
      error: error instanceof Error && !(error instanceof ProtocolError) ? error.message : undefined,
    });
    this.close(CLOSE_BAD_INPUT, reason);
  }

  fields(): Record<string, unknown> {
    return { document: this.room.documentId, userId: this.principal.userId, access: this.access };
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** A WebSocket close reason is at most 123 bytes of UTF-8. */
export function truncateReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out, "utf8") > 123) out = out.slice(0, -1);
  return out;
}
