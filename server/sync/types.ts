import type http from "node:http";
import type stream from "node:stream";
import type BetterSqlite3 from "better-sqlite3";
import type { Kysely } from "kysely";
import type * as Y from "yjs";
import type { Database } from "../../db/schema";
import type { StoredDocumentState } from "../../db/queries/documents";
import type { StoredUpdate } from "./persistence";
import type { ConnectionLimit } from "./rate-limit";
import type { Room } from "./room";

export interface SyncPrincipal {
  userId: number;
  sessionHash: string;
  name: string;
  organisationId: string;
  organisationName: string;
}

export type SyncAccess = "write" | "read";

export type SyncLog = (
  level: "info" | "warn" | "error",
  msg: string,
  fields?: Record<string, unknown>,
) => void;

export interface SyncServerOptions {
  db: Kysely<Database>;
  /**
   * SQLite's raw handle, for the synchronous write path. Absent when `db` is PostgreSQL: updates
   * are then committed through `db`'s pool (server/sync/persistence-postgres.ts).
   */
  sqlite?: BetterSqlite3.Database | null;
  authenticate(req: http.IncomingMessage): Promise<SyncPrincipal | null>;
  authorize(principal: SyncPrincipal, documentId: string): Promise<SyncAccess | "none" | "unknown-document">;
  isOriginAllowed(req: http.IncomingMessage): boolean;
  /** Default "/sync/". The rest of the path, URI-decoded, is the room name, which is documents.id. */
  pathPrefix?: string;
  /** Default 1 MiB. Larger frames are refused by `ws` with close code 1009. */
  maxMessageBytes?: number;
  /** Default 500 stored updates since the last snapshot. */
  compactAfterUpdates?: number;
  /** Default 1000. Further upgrades to that document are refused with 503. */
  maxConnectionsPerDocument?: number;
  /** Default 30 s. A socket that has not answered the previous ping by the next one is terminated. */
  keepaliveIntervalMs?: number;
  /**
   * Default 250 ms. SQLite's busy timeout while the sync server writes. better-sqlite3 waits for a
   * lock synchronously, blocking the event loop, so the wait is kept short and longer locks are
   * handled by retrying with backoff instead. The connection's own setting is restored afterwards.
   */
  writeBusyTimeoutMs?: number;
  /**
   * Default 600. Upgrade attempts per client address per minute (a token bucket, so a page
   * opening many documents at once passes); more are refused with 429 before any other work.
   */
  connectionsPerMinute?: number;
  /** Instead of the per-process bucket of `connectionsPerMinute`: one every node shares (REDIS_URL). */
  connectionLimit?: ConnectionLimit;
  /** The client's address for the rate limit; default: the socket's peer (no forwarding header believed). */
  clientAddress?: (req: http.IncomingMessage) => string;
  /** Presence frames are sent at most once per this many ms; default 0 (once per event-loop turn). */
  awarenessBatchMs?: number;
  /** Counters and timings for /metrics. */
  observer?: SyncObserver;
  /** documents.plain_text written with each snapshot; default leaves the column unchanged. */
  plainText?: (doc: Y.Doc) => string;
  /**
   * Called (synchronously, errors caught and logged) after each commit that stored updates of a
   * document, i.e. once its new content is on disk and being sent to clients. For listeners that
   * derive facts from the text, e.g. agreement re-opening when agreed words change.
   */
  onDocumentCommitted?: (documentId: string) => void;
  /**
   * Checks each client's transaction, after Yjs integrated it and before anything is stored or
   * sent, for what Yjs cannot know: whether the document is still one the editor can read.
   * Default: none (any well-formed Yjs content is accepted). The app passes the Lexical one
   * (server/documents/lexical-shape.ts).
   */
  documentGuard?: DocumentGuard;
  /**
   * Several nodes serve the same documents (REDIS_URL): see server/cluster/. Default: none, this
   * process is the only one writing and reading its documents.
   */
  cluster?: SyncCluster;
  /** Reads a document's stored state; default reads document_snapshots and document_updates. */
  loadDocument?: (documentId: string) => Promise<StoredDocumentState>;
  log?: SyncLog;
}

export interface SyncServer {
  /** Returns false if the URL is not under pathPrefix (caller leaves it alone, e.g. Vite HMR). */
  handleUpgrade(req: http.IncomingMessage, socket: stream.Duplex, head: Buffer): boolean;
  /** Logout: closes that session's sockets with 4401. */
  closeSession(sessionHash: string, reason: string): void;
  /**
   * A password reset or change, a deactivation: closes with 4401 every socket of that person,
   * except those of `exceptSessionHash` (the session that made the change). Returns how many.
   */
  closeUser(userId: number, reason: string, exceptSessionHash?: string | null): number;
  /**
   * Re-runs authorize for matching live connections: downgrades to read-only, upgrades back, or
   * closes (4403). The filter also gets the connection's document id (e.g. a plan's documents).
   */
  refreshAccess(filter: (p: SyncPrincipal, documentId: string) => boolean, scope?: AccessScope): Promise<void>;
  /** Resolves when every update accepted so far is committed. */
  flush(): Promise<void>;
  /** Closes sockets (1012, reason), flushes, snapshots and unloads every room. */
  close(reason?: string): Promise<void>;
  stats(): { rooms: number; connections: number };
  /** Updates accepted but not yet committed (nobody else has them yet). */
  pendingUpdates(): number;
  /**
   * An edit made by the server on someone's behalf (a comment mark, a restored version, an
   * accepted suggestion): applied to the live document, committed with `author` through the same
   * write path as a client's update, and only then sent to every connected client. `change` runs
   * inside one Yjs transaction. Resolves once it is on disk. The caller checks rights first.
   */
  applyServerChange(documentId: string, author: ServerAuthor | null, change: (doc: Y.Doc) => void): Promise<void>;
  /** Reads the current document (live if open, else from storage) without keeping a room open. */
  readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T>;
  /**
   * The plain text of every open document changed since its last snapshot (documents.plain_text
   * is written only with a snapshot), so that search finds words typed seconds ago. A document
   * whose text cannot be extracted is left out.
   */
  unsavedPlainTexts(): Map<string, string>;
}

/** Running totals of one live document, kept by its room for the guard. */
export interface DocumentTally {
  nodes: number;
  text: number;
}

export interface DocumentGuard {
  /** Totals of a document as loaded (a full walk, once per load). */
  measure(doc: Y.Doc): DocumentTally;
  /**
   * Called inside the client's transaction, once its updates are integrated: why the document
   * would not be acceptable after it (a sentence for the close reason), or null. Updates `tally`
   * for what the transaction inserted and deleted. Must cost in proportion to what changed.
   */
  check(doc: Y.Doc, transaction: Y.Transaction, tally: DocumentTally): string | null;
}

export interface SyncObserver {
  /** A group commit stored `updates` rows in `seconds` (from BEGIN to COMMIT, fsync included). */
  committed?(updates: number, seconds: number): void;
  upgradeRefused?(status: number): void;
  connectionOpened?(): void;
  connectionClosed?(code: number): void;
  /** A connection was closed for sending something malformed or over a limit. */
  badInput?(): void;
}

export interface ServerAuthor {
  userId: number;
  organisationId: string;
}

/**
 * The same selection as a refreshAccess filter, said in data, for the other nodes of a cluster
 * (a function cannot cross a process). Omitted: they re-check every connection.
 */
export interface AccessScope {
  documentIds?: string[];
  userId?: number;
  organisationId?: string;
}

/** What the sync server tells the cluster bus, and asks of it (server/cluster/document-bus.ts). */
export interface SyncCluster {
  /** A room is being created: start reading updates and presence of its document. Never rejects. */
  opening(room: Room): Promise<void>;
  /** The room's stored state is loaded: read what was published while it loaded. */
  loaded(room: Room): void;
  roomClosed(room: Room): void;
  /** After the commit, in the same turn as the room's own broadcast. */
  committed(room: Room, updates: StoredUpdate[]): void;
  /** Presence changes of this node's members. */
  presence(room: Room, update: Uint8Array): void;
  /** One node at a time compacts a document: a release function, or null if another node holds it. */
  lockCompaction(documentId: string): Promise<(() => void) | null>;
}
