/**
 * Wires the pieces: upgrades are admitted here, rooms are created, loaded, compacted and
 * unloaded here, and live connections are re-checked or closed here.
 */
import type http from "node:http";
import type stream from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import * as Y from "yjs";
import { loadStoredDocument } from "../../db/queries/documents";
import { withStoredDoc } from "../documents/stored-state";
import { Connection, CLOSE_LOAD_FAILED } from "./connection";
import { UpdateWriter, type DocumentWriter, type SnapshotResult, type StoredUpdate } from "./persistence";
import { PostgresUpdateWriter } from "./persistence-postgres";
import { ConnectionRateLimit, peerAddress, type ConnectionLimit } from "./rate-limit";
import { Room, ServerChangeOrigin } from "./room";
import type { ServerAuthor, SyncAccess, SyncLog, SyncPrincipal, SyncServer, SyncServerOptions } from "./types";
import { normalisePrefix, refuseUpgrade, roomFromUrl, type RoomTarget } from "./upgrade";

export const CLOSE_SESSION_ENDED = 4401;
export const CLOSE_ACCESS_REVOKED = 4403;
export const CLOSE_DOCUMENT_GONE = 4404;
/** Service restart: transient, so clients reconnect to the next process. */
export const CLOSE_SERVER_RESTART = 1012;
const SOCKET_CLOSE_GRACE_MS = 1000;
// A close reason is at most 123 bytes.
const SAVING_PAUSED = "Saving is paused: the database is not answering. Your edits stay in this page and are sent when it is back.";

const defaultLog: SyncLog = (level, msg, fields) => {
  const line = JSON.stringify({ level, scope: "sync", msg, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.info(line);
};

export function createSyncServer(opts: SyncServerOptions): SyncServer {
  const prefix = normalisePrefix(opts.pathPrefix ?? "/sync/");
  const compactAfterUpdates = opts.compactAfterUpdates ?? 500;
  const maxConnectionsPerDocument = opts.maxConnectionsPerDocument ?? 1000;
  const log = opts.log ?? defaultLog;
  const loadDocument = opts.loadDocument ?? ((id: string) => loadStoredDocument(opts.db, id));
  const cluster = opts.cluster ?? null;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxMessageBytes ?? 1024 * 1024,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const observer = opts.observer ?? {};
  // SQLite: the raw handle's synchronous commits. PostgreSQL (no handle): asynchronous commits
  // through the pool, with the same "stored before sent" contract.
  const writer: DocumentWriter = opts.sqlite
    ? new UpdateWriter({
        sqlite: opts.sqlite,
        busyTimeoutMs: opts.writeBusyTimeoutMs ?? 250,
        log,
        onCommit: observer.committed?.bind(observer),
      })
    : new PostgresUpdateWriter({ db: opts.db, log, onCommit: observer.committed?.bind(observer) });
  const rateLimit: ConnectionLimit = opts.connectionLimit ?? new ConnectionRateLimit(opts.connectionsPerMinute ?? 600);
  const addressOf = opts.clientAddress ?? peerAddress;
  const rooms = new Map<string, Room>();
  const loads = new Map<Room, Promise<void>>();
  const connections = new Set<Connection>();
  let closing = false;
  let closed: Promise<void> | null = null;

  const keepalive = setInterval(() => {
    for (const conn of [...connections]) {
      if (!conn.alive) {
        log("info", "terminating a sync socket that stopped answering pings", conn.fields());
        conn.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        conn.terminate();
      }
    }
  }, opts.keepaliveIntervalMs ?? 30_000);
  keepalive.unref();

  function getRoom(documentId: string): Room {
    const existing = rooms.get(documentId);
    if (existing) return existing;
    const room = new Room(documentId, {
      writer,
      log,
      awarenessBatchMs: opts.awarenessBatchMs,
      documentGuard: opts.documentGuard,
      onCommitted,
      onRejected: discardRoom,
      onStalled: tellSavingPaused,
      clustered: cluster !== null,
      onLocalPresence: cluster ? (r, update) => cluster.presence(r, update) : undefined,
    });
    rooms.set(documentId, room);
    const load = loadRoom(room);
    // Each connection handles the outcome; this only keeps a failure from being "unhandled".
    load.catch(() => {});
    loads.set(room, load);
    return room;
  }

  async function loadRoom(room: Room): Promise<void> {
    const started = Date.now();
    try {
      // Before the read: whatever other nodes publish from here on reaches this room.
      if (cluster) await cluster.opening(room);
      const stored = await loadDocument(room.documentId);
      room.applyStored(stored);
      writer.remember?.(room.documentId, stored);
      cluster?.loaded(room);
      log("info", "document loaded", {
        document: room.documentId,
        fromSnapshot: stored.snapshot !== null,
        updates: stored.updates.length,
        ms: Date.now() - started,
      });
    } catch (error) {
      log("error", "could not load document", { document: room.documentId, error: String(error) });
      // Discard the room before closing anyone, so nothing is written for it and the next
      // connection tries a fresh load.
      if (rooms.get(room.documentId) === room) rooms.delete(room.documentId);
      cluster?.roomClosed(room);
      room.destroy();
      for (const member of [...room.members]) {
        (member as Connection).close(CLOSE_LOAD_FAILED, "could not load document");
      }
      throw error;
    } finally {
      loads.delete(room);
    }
    // A long tail of updates since the last snapshot makes every cold load slow: compact now.
    scheduleCompaction(room);
    maybeUnload(room);
  }

  /**
   * The doc now holds changes that are not on disk and never will be. Drop it, unsnapshotted,
   * and close its sockets with a transient code: the clients still hold their edits and send
   * them again on reconnect, to a doc reloaded from disk (or get 404 if it was deleted).
   */
  function discardRoom(room: Room): void {
    if (rooms.get(room.documentId) === room) {
      rooms.delete(room.documentId);
      writer.forget?.(room.documentId);
    }
    if (rooms.get(room.documentId) === room) rooms.delete(room.documentId);
    cluster?.roomClosed(room);
    room.destroy();
    for (const member of [...room.members]) {
      (member as Connection).close(CLOSE_LOAD_FAILED, "could not save changes; reconnecting");
    }
  }

  /**
   * Storage has been failing for a while (the database is down or unreachable). The room keeps its
   * queued updates and goes on retrying; its people are told now instead of typing into a page that
   * looks live. Closing with a transient code shows the reason and makes each client reconnect,
   * which succeeds once the database answers; on reconnect a client sends whatever the server lacks.
   */
  function tellSavingPaused(room: Room): void {
    if (room.members.size === 0) return;
    log("warn", "telling clients that saving is paused", { document: room.documentId, connections: room.members.size });
    for (const member of [...room.members]) (member as Connection).close(CLOSE_LOAD_FAILED, SAVING_PAUSED);
  }

  function maybeUnload(room: Room): void {
    if (room.state !== "ready" || room.members.size > 0 || room.pinned > 0 || room.unloadScheduled) return;
    room.unloadScheduled = true;
    room.whenFlushed(() => {
      // A connection that arrived while we waited for the flush keeps the room.
      if (!room.unloadScheduled || room.members.size > 0 || room.pinned > 0 || room.state !== "ready") return;
      // Not under the cluster's compaction lock (this must stay synchronous, see close()): two
      // nodes snapshotting one document at once each write a snapshot that covers what it claims.
      compact(room, "unload");
      rooms.delete(room.documentId);
      writer.forget?.(room.documentId);
      cluster?.roomClosed(room);
      room.destroy();
      log("info", "document unloaded", { document: room.documentId });
    });
  }

  function onCommitted(room: Room, updates: StoredUpdate[]): void {
    cluster?.committed(room, updates);
    scheduleCompaction(room);
    if (!opts.onDocumentCommitted) return;
    try {
      opts.onDocumentCommitted(room.documentId);
    } catch (error) {
      log("error", "onDocumentCommitted listener failed", { document: room.documentId, error: String(error) });
    }
  }

  function scheduleCompaction(room: Room): void {
    if (room.updatesSinceSnapshot < compactAfterUpdates || room.compactionScheduled || room.snapshotInFlight) return;
    room.compactionScheduled = true;
    // Not inside the commit's turn: encoding a large document should not delay the broadcasts.
    setImmediate(() => {
      if (!cluster) {
        room.compactionScheduled = false;
        if (room.state === "ready") room.whenFlushed(() => compact(room, "threshold"));
        return;
      }
      // One node at a time per document. The lock is left to expire rather than released, so
      // it also means "compacted recently": the other nodes count afresh instead of compacting
      // the same updates again a moment later.
      void cluster.lockCompaction(room.documentId).then((release) => {
        room.compactionScheduled = false;
        if (!release) {
          room.updatesSinceSnapshot = 0;
          return;
        }
        if (room.state !== "ready") return release();
        room.whenFlushed(() => compact(room, "threshold"));
      });
    });
  }

  /** Only called when nothing is pending for the room, so the doc equals what is on disk. */
  function compact(room: Room, why: "threshold" | "unload"): void {
    if (room.state !== "ready" || room.updatesSinceSnapshot === 0 || room.snapshotInFlight) return;
    let plainText: string | null = null;
    if (opts.plainText) {
      try {
        plainText = opts.plainText(room.doc);
      } catch (error) {
        log("warn", "could not extract plain text; snapshot written without it", {
          document: room.documentId,
          error: String(error),
        });
      }
    }
    const compacted = room.updatesSinceSnapshot;
    const lastUpdateId = room.lastUpdateId;
    const done = (result: SnapshotResult) => {
      if (result.ok) {
        log("info", "document snapshot written", {
          document: room.documentId,
          why,
          lastUpdateId,
          updatesCompacted: compacted,
        });
        // Updates committed while an asynchronous snapshot was written are not in it.
        room.updatesSinceSnapshot = Math.max(0, room.updatesSinceSnapshot - compacted);
      } else {
        // The updates are all stored; a snapshot only makes the next load faster. Retried after
        // the next commit or at unload.
        log("warn", "could not write document snapshot", {
          document: room.documentId,
          why,
          error: String(result.error),
        });
      }
    };
    const result = writer.storeSnapshot({
      documentId: room.documentId,
      state: Y.encodeStateAsUpdate(room.doc),
      stateVector: Y.encodeStateVector(room.doc),
      lastUpdateId,
      plainText,
    });
    if (result instanceof Promise) {
      room.snapshotInFlight = true;
      void result.then((settled) => {
        room.snapshotInFlight = false;
        done(settled);
        // Updates that came meanwhile may be past the threshold already.
        scheduleCompaction(room);
      });
    } else done(result);
  }

  function attach(ws: WebSocket, principal: SyncPrincipal, access: SyncAccess, documentId: string): void {
    const room = getRoom(documentId);
    const conn = new Connection(ws, principal, access, room, {
      log,
      onClosed: (c) => {
        connections.delete(c);
        observer.connectionClosed?.(c.closeCode ?? 1005);
        log("info", "sync connection closed", { ...c.fields(), code: c.closeCode });
        maybeUnload(c.room);
      },
      onBadInput: () => observer.badInput?.(),
    });
    connections.add(conn);
    observer.connectionOpened?.();
    room.addMember(conn);
    log("info", "sync connection opened", conn.fields());
    const load = loads.get(room);
    if (load) load.then(() => conn.start(), () => {});
    else conn.start();
  }

  async function admit(
    req: http.IncomingMessage,
    socket: stream.Duplex,
    head: Buffer,
    target: RoomTarget,
  ): Promise<void> {
    // The client may go away while we await; without a listener that error would crash us.
    const onSocketError = (error: Error) => log("info", "socket error during upgrade", { error: error.message });
    socket.on("error", onSocketError);
    const refuse = (status: number, reason: string, fields?: Record<string, unknown>, headers?: Record<string, string>) => {
      log("info", "sync upgrade refused", { status, reason, url: req.url, ...fields });
      observer.upgradeRefused?.(status);
      refuseUpgrade(socket, status, reason, headers);
    };
    if (closing) return refuse(503, "The sync server is restarting; try again in a moment.");
    // First, before any database work: an address opening sockets in a loop gets nothing more.
    const address = addressOf(req);
    const allowed = await rateLimit.take(address);
    if (!allowed.ok) {
      return refuse(
        429,
        `Too many connections from your address; wait ${allowed.retryAfterSeconds} s and reload the page.`,
        { address },
        { "Retry-After": String(allowed.retryAfterSeconds) },
      );
    }
    if (!opts.isOriginAllowed(req)) {
      return refuse(403, "This origin may not open workspace documents; open the document from the workspace itself.", {
        origin: req.headers.origin,
      });
    }
    const principal = await opts.authenticate(req);
    if (!principal) return refuse(401, "Not signed in, or the session has expired; sign in and reload the page.");
    if (!target.ok) return refuse(400, target.reason, { userId: principal.userId });
    const access = await opts.authorize(principal, target.documentId);
    if (access === "unknown-document") {
      return refuse(404, "There is no document with this id; it may have been deleted.", { userId: principal.userId });
    }
    if (access !== "write" && access !== "read") {
      return refuse(403, "You do not have access to this document; ask the plan's facilitator for access.", {
        userId: principal.userId,
        document: target.documentId,
      });
    }
    if (closing) return refuse(503, "The sync server is restarting; try again in a moment.");
    if (socket.destroyed) return;
    const present = rooms.get(target.documentId)?.members.size ?? 0;
    if (present >= maxConnectionsPerDocument) {
      return refuse(503, `This document already has ${present} open connections; try again later.`, {
        document: target.documentId,
      });
    }
    socket.off("error", onSocketError);
    // With no verifyClient and no compression to negotiate, ws completes the upgrade (and calls
    // back) synchronously, so the cap checked above cannot be overtaken by another upgrade.
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, principal, access, target.documentId));
  }

  function handleUpgrade(req: http.IncomingMessage, socket: stream.Duplex, head: Buffer): boolean {
    const target = roomFromUrl(req.url, prefix);
    if (target === null) return false;
    admit(req, socket, head, target).catch((error) => {
      log("error", "sync upgrade failed", { url: req.url, error: String(error) });
      // Almost always the database not answering (a session or access check): transient.
      refuseUpgrade(socket, 503, "The workspace could not check this connection (its database may be restarting); try again in a moment.");
    });
    return true;
  }

  function closeSession(sessionHash: string, reason: string): void {
    for (const conn of [...connections]) {
      if (conn.principal.sessionHash === sessionHash) conn.close(CLOSE_SESSION_ENDED, reason);
    }
  }

  function closeUser(userId: number, reason: string, exceptSessionHash: string | null = null): number {
    let n = 0;
    for (const conn of [...connections]) {
      if (conn.principal.userId === userId && conn.principal.sessionHash !== exceptSessionHash) {
        conn.close(CLOSE_SESSION_ENDED, reason);
        n += 1;
      }
    }
    return n;
  }

  async function refreshAccess(filter: (p: SyncPrincipal, documentId: string) => boolean): Promise<void> {
    const affected = [...connections].filter((c) => !c.closed && filter(c.principal, c.room.documentId));
    await Promise.all(
      affected.map(async (conn) => {
        let access: Awaited<ReturnType<SyncServerOptions["authorize"]>>;
        try {
          access = await opts.authorize(conn.principal, conn.room.documentId);
        } catch (error) {
          log("error", "could not re-check sync access", { ...conn.fields(), error: String(error) });
          // Reconnecting re-runs the full check, and keeping a possibly revoked right open is worse.
          conn.close(CLOSE_LOAD_FAILED, "could not re-check access; reconnecting");
          return;
        }
        if (conn.closed) return;
        if (access === "write" || access === "read") conn.setAccess(access);
        else if (access === "unknown-document") conn.close(CLOSE_DOCUMENT_GONE, "this document no longer exists");
        else conn.close(CLOSE_ACCESS_REVOKED, "your access to this document was removed");
      }),
    );
  }

  function close(reason = "server restarting"): Promise<void> {
    closed ??= (async () => {
      closing = true;
      clearInterval(keepalive);
      rateLimit.stop();
      const sockets = [...connections].map((c) => c.ws);
      // Each close detaches the connection; its room unloads (with a snapshot) once flushed.
      for (const conn of [...connections]) conn.close(CLOSE_SERVER_RESTART, reason);
      await writer.idle();
      await Promise.allSettled([...loads.values()]);
      for (const room of [...rooms.values()]) maybeUnload(room);
      await writer.idle();
      await Promise.all(sockets.map((ws) => closedWithin(ws, SOCKET_CLOSE_GRACE_MS)));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    })();
    return closed;
  }

  async function applyServerChange(
    documentId: string,
    author: ServerAuthor | null,
    change: (doc: Y.Doc) => void,
  ): Promise<void> {
    if (closing) throw new Error("the sync server is shutting down");
    const room = getRoom(documentId);
    // Pinned before the load finishes: a room with no members unloads as soon as it is loaded.
    room.pinned += 1;
    try {
      const load = loads.get(room);
      if (load) await load;
      if (room.state !== "ready") throw new Error(`document ${documentId} could not be loaded`);
      room.doc.transact(() => change(room.doc), new ServerChangeOrigin(author));
      await new Promise<void>((resolve) => room.whenFlushed(resolve));
    } finally {
      room.pinned -= 1;
      maybeUnload(room);
    }
  }

  async function readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T> {
    const live = rooms.get(documentId);
    if (live && live.state === "ready") {
      // What is flushed is what is on disk: read nothing a client could not yet have been sent.
      await new Promise<void>((resolve) => live.whenFlushed(resolve));
      return read(live.doc);
    }
    return withStoredDoc(await loadDocument(documentId), read);
  }

  return {
    handleUpgrade,
    applyServerChange,
    readDocument,
    unsavedPlainTexts() {
      const texts = new Map<string, string>();
      if (!opts.plainText) return texts;
      for (const room of rooms.values()) {
        if (room.state !== "ready" || room.updatesSinceSnapshot === 0) continue;
        try {
          texts.set(room.documentId, opts.plainText(room.doc));
        } catch {
          // Unreadable text: search keeps its last saved words (issue 10's notice shows elsewhere).
        }
      }
      return texts;
    },
    closeSession,
    closeUser,
    refreshAccess,
    flush: () => writer.idle(),
    close,
    stats: () => ({ rooms: rooms.size, connections: connections.size }),
    pendingUpdates: () => writer.pendingCount,
  };
}

function closedWithin(ws: WebSocket, ms: number): Promise<void> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve();
    }, ms);
    ws.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
