/**
 * Document updates and presence between the nodes of a cluster.
 *
 * Updates: after the writer commits, each update goes into a Redis stream per document (XADD,
 * capped with MAXLEN ~), carrying its stored id and the id stored before it. One connection per
 * node reads the streams of every document it has open (XREAD BLOCK) and hands other nodes'
 * entries to their rooms, which apply them and send them to their own clients. The database is
 * the truth: a room that finds it lacks an update (a gap in the ids, Redis restarted or flushed,
 * a reconnect, a node that died between its commit and its XADD) reads what it lacks from the
 * database by id, and every open room does so on a timer as well, so losing Redis loses nothing.
 *
 * Presence: pub/sub per document (losing a cursor position is harmless, and it must be fast).
 * Each node publishes its own members' changes; other nodes apply them as remote entries. Nodes
 * send a heartbeat; entries of a node that stopped sending it are removed, so a dead node's
 * people disappear within seconds, not at y-protocols' 30 s timeout.
 */
import * as decoding from "lib0/decoding";
import { documentUpdatesAfter } from "../../db/queries/documents";
import type { DB } from "../../db/connection";
import type { StoredUpdate } from "../sync/persistence";
import type { RemoteUpdate, Room } from "../sync/room";
import type { SyncCluster, SyncLog } from "../sync/types";
import type { RedisConnections } from "./redis";

export interface DocumentBusOptions {
  redis: RedisConnections;
  db: DB;
  log: SyncLog;
  /** Every open room reads what it lacks from the database this often (default 2 s). */
  catchUpMs?: number;
  /** Entries kept per document stream (approximate, MAXLEN ~); default 1000. */
  streamLength?: number;
  /** How long a missing update may be awaited from Redis before the database is asked (default 150 ms). */
  gapWaitMs?: number;
  heartbeatMs?: number;
}

const PRESENCE_UPDATE = 0;
const PRESENCE_QUERY = 1;
/** An idle stream disappears after an hour; a room that opens it later starts from the database. */
const STREAM_TTL_MS = 60 * 60 * 1000;
const BLOCK_MS = 1000;
const READ_COUNT = 500;

interface OpenDocument {
  room: Room;
  streamKey: string;
  presenceChannel: string;
  /** Last stream entry id read ("$" until the stream's position is known). */
  lastEntryId: string;
  catchingUp: Promise<void> | null;
  catchUpAgain: boolean;
  gapTimer: NodeJS.Timeout | null;
}

export class DocumentBus implements SyncCluster {
  private readonly redis: RedisConnections;
  private readonly db: DB;
  private readonly log: SyncLog;
  private readonly streamLength: number;
  private readonly gapWaitMs: number;
  private readonly heartbeatMs: number;
  private readonly open = new Map<string, OpenDocument>();
  private readonly byChannel = new Map<string, OpenDocument>();
  /** Other nodes: when last heard, and the presence client ids they spoke for, per document. */
  private readonly nodes = new Map<string, { seen: number; clients: Map<string, Set<number>> }>();
  private readonly nodesChannel: string;
  private stopped = false;
  private readerId: number | null = null;
  private readerHealthy = true;
  private reading: Promise<void>;
  private wake: (() => void) | null = null;
  private readonly catchUpTimer: NodeJS.Timeout;
  private readonly heartbeatTimer: NodeJS.Timeout;

  constructor(opts: DocumentBusOptions) {
    this.redis = opts.redis;
    this.db = opts.db;
    this.log = opts.log;
    this.streamLength = opts.streamLength ?? 1000;
    this.gapWaitMs = opts.gapWaitMs ?? 150;
    this.heartbeatMs = opts.heartbeatMs ?? 2000;
    this.nodesChannel = `${this.redis.prefix}nodes`;
    this.redis.subscriber.on("messageBuffer", (channel: Buffer, message: Buffer) => this.onMessage(channel.toString(), message));
    this.redis.subscriber.subscribe(this.nodesChannel).catch(() => {});
    // Subscriptions are restored by ioredis after a reconnect; what was published meanwhile is
    // lost, so other nodes are asked for their presence again.
    this.redis.subscriber.on("ready", () => {
      for (const doc of this.open.values()) this.publishPresence(doc.presenceChannel, PRESENCE_QUERY, new Uint8Array());
    });
    // ioredis re-sends a blocked XREAD after reconnecting by itself, so the loop may never see an
    // error: the connection's own events say that entries may have been lost meanwhile.
    this.redis.reader.on("close", () => this.readerLost("connection closed"));
    this.reading = this.readLoop();
    this.catchUpTimer = setInterval(() => {
      for (const id of this.open.keys()) this.catchUp(id);
    }, opts.catchUpMs ?? 2000);
    this.catchUpTimer.unref();
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.heartbeatMs);
    this.heartbeatTimer.unref();
    this.heartbeat();
  }

  async opening(room: Room): Promise<void> {
    const id = room.documentId;
    const doc: OpenDocument = {
      room,
      streamKey: `${this.redis.prefix}doc:{${id}}:updates`,
      presenceChannel: `${this.redis.prefix}doc:{${id}}:presence`,
      lastEntryId: "$",
      catchingUp: null,
      catchUpAgain: false,
      gapTimer: null,
    };
    // Where the stream is now, before the database is read: everything published before this
    // point is in what the load reads, everything after it is read from the stream.
    try {
      const last = await withTimeout(this.redis.command.xrevrange(doc.streamKey, "+", "-", "COUNT", 1), 500);
      doc.lastEntryId = last[0]?.[0] ?? "0-0";
    } catch {
      // Redis is away: the catch-up after the load and the timer cover what the stream would carry.
    }
    if (this.stopped || room.state === "unloaded") return;
    this.open.set(id, doc);
    this.byChannel.set(doc.presenceChannel, doc);
    this.redis.subscriber.subscribe(doc.presenceChannel).catch(() => {});
    this.interruptRead();
  }

  loaded(room: Room): void {
    const doc = this.open.get(room.documentId);
    if (!doc || doc.room !== room) return;
    this.catchUp(room.documentId);
    // Someone may already be here on another node.
    this.publishPresence(doc.presenceChannel, PRESENCE_QUERY, new Uint8Array());
  }

  roomClosed(room: Room): void {
    const doc = this.open.get(room.documentId);
    if (!doc || doc.room !== room) return;
    this.open.delete(room.documentId);
    this.byChannel.delete(doc.presenceChannel);
    if (doc.gapTimer) clearTimeout(doc.gapTimer);
    this.redis.subscriber.unsubscribe(doc.presenceChannel).catch(() => {});
  }

  committed(room: Room, updates: StoredUpdate[]): void {
    const doc = this.open.get(room.documentId);
    if (!doc || updates.length === 0) return;
    const pipeline = this.redis.command.pipeline();
    for (const u of updates) {
      pipeline.xadd(
        doc.streamKey,
        "MAXLEN",
        "~",
        String(this.streamLength),
        "*",
        "n",
        this.redis.nodeId,
        "i",
        String(u.id),
        "p",
        String(u.previousId),
        "u",
        Buffer.from(u.update.buffer, u.update.byteOffset, u.update.byteLength),
      );
    }
    pipeline.pexpire(doc.streamKey, STREAM_TTL_MS);
    pipeline.exec().catch((error: unknown) => {
      // Stored already: other nodes find it in the database (gap or timer).
      this.log("warn", "could not publish document updates to Redis", { document: room.documentId, error: String(error) });
    });
    // Our update may be ahead of one another node stored and we have not read yet.
    if ((room.sequence?.gaps ?? 0) > 0) this.scheduleGapCheck(doc);
  }

  presence(room: Room, update: Uint8Array): void {
    const doc = this.open.get(room.documentId);
    if (doc) this.publishPresence(doc.presenceChannel, PRESENCE_UPDATE, update);
  }

  async lockCompaction(documentId: string): Promise<(() => void) | null> {
    const key = `${this.redis.prefix}lock:compact:{${documentId}}`;
    const token = `${this.redis.nodeId}:${Date.now()}`;
    try {
      const ok = await this.redis.command.set(key, token, "PX", 30_000, "NX");
      if (ok !== "OK") return null;
    } catch {
      // Redis away: compacting without the lock is safe (two snapshots each cover what they
      // claim), only wasteful.
      return () => {};
    }
    return () => {
      this.redis.command
        .eval(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`, 1, key, token)
        .catch(() => {});
    };
  }

  /** Reads what the room lacks from the database (single flight per document). */
  catchUp(documentId: string): Promise<void> {
    const doc = this.open.get(documentId);
    if (!doc) return Promise.resolve();
    if (doc.catchingUp) {
      doc.catchUpAgain = true;
      return doc.catchingUp;
    }
    doc.catchingUp = (async () => {
      try {
        do {
          doc.catchUpAgain = false;
          await this.catchUpOnce(doc);
        } while (doc.catchUpAgain && !this.stopped && this.open.get(documentId) === doc);
      } catch (error) {
        this.log("warn", "could not read missed document updates from the database; retrying on the next timer", {
          document: documentId,
          error: String(error),
        });
      } finally {
        doc.catchingUp = null;
      }
    })();
    return doc.catchingUp;
  }

  private async catchUpOnce(doc: OpenDocument): Promise<void> {
    const room = doc.room;
    for (;;) {
      if (room.state !== "ready" || !room.sequence) return;
      const limit = 2000;
      const rows = await documentUpdatesAfter(this.db, room.documentId, room.lastUpdateId, limit);
      if (rows.length === 0 || room.state !== "ready") return;
      const upTo = rows[rows.length - 1].id;
      const applied = room.applyCaughtUp(
        rows.map((r) => ({ id: r.id, update: r.update })),
        upTo,
      );
      if (applied > 0) this.log("info", "caught up on document updates from the database", { document: room.documentId, updates: applied });
      if (rows.length < limit) return;
    }
  }

  private scheduleGapCheck(doc: OpenDocument): void {
    if (doc.gapTimer) return;
    doc.gapTimer = setTimeout(() => {
      doc.gapTimer = null;
      if ((doc.room.sequence?.gaps ?? 0) > 0) this.catchUp(doc.room.documentId);
    }, this.gapWaitMs);
  }

  private interruptRead(): void {
    if (this.wake) {
      const wake = this.wake;
      this.wake = null;
      wake();
      return;
    }
    if (this.readerId !== null) this.redis.command.client("UNBLOCK", this.readerId).catch(() => {});
  }

  private async readLoop(): Promise<void> {
    while (!this.stopped) {
      const docs = [...this.open.values()];
      if (docs.length === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, BLOCK_MS).unref();
        });
        this.wake = null;
        continue;
      }
      try {
        if (this.readerId === null) this.readerId = Number(await this.redis.reader.client("ID"));
        const result = await this.redis.reader.xreadBuffer(
          "COUNT",
          READ_COUNT,
          "BLOCK",
          BLOCK_MS,
          "STREAMS",
          ...docs.map((d) => d.streamKey),
          ...docs.map((d) => d.lastEntryId),
        );
        if (!this.readerHealthy) {
          this.readerHealthy = true;
          this.log("info", "reading document updates from Redis again; catching up from the database");
          for (const id of this.open.keys()) this.catchUp(id);
        }
        if (result) this.deliver(docs, result as [Buffer, [Buffer, Buffer[]][]][]);
      } catch (error) {
        if (this.stopped) return;
        this.readerLost(String(error));
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  private readerLost(why: string): void {
    this.readerId = null;
    if (this.stopped || !this.readerHealthy) return;
    this.readerHealthy = false;
    this.log("warn", "lost the Redis stream reader; relying on the database until it is back", { error: why });
  }

  private deliver(docs: OpenDocument[], result: [Buffer, [Buffer, Buffer[]][]][]): void {
    const byKey = new Map(docs.map((d) => [d.streamKey, d]));
    for (const [keyBuffer, entries] of result) {
      const doc = byKey.get(keyBuffer.toString());
      if (!doc || entries.length === 0) continue;
      doc.lastEntryId = entries[entries.length - 1][0].toString();
      if (this.open.get(doc.room.documentId) !== doc) continue;
      const updates: RemoteUpdate[] = [];
      for (const [, fields] of entries) {
        const entry = fieldsOf(fields);
        if (entry.n === this.redis.nodeId || !entry.u) continue;
        const id = Number(entry.i);
        const previousId = Number(entry.p);
        if (!Number.isSafeInteger(id) || !Number.isSafeInteger(previousId)) continue;
        updates.push({ id, previousId, update: new Uint8Array(entry.u) });
      }
      if (updates.length === 0) continue;
      try {
        if (!doc.room.applyRemote(updates)) this.scheduleGapCheck(doc);
      } catch (error) {
        // A stored update this node cannot apply: the database read rebuilds nothing better, so
        // say so loudly; the other node accepted it and its clients have it.
        this.log("error", "could not apply a document update from another node", { document: doc.room.documentId, error: String(error) });
      }
    }
  }

  private publishPresence(channel: string, type: number, payload: Uint8Array): void {
    const node = Buffer.from(this.redis.nodeId);
    const message = Buffer.concat([Buffer.from([type, node.length]), node, payload]);
    this.redis.command.publish(channel, message).catch(() => {});
  }

  private onMessage(channel: string, message: Buffer): void {
    if (channel === this.nodesChannel) {
      const text = message.toString();
      const [kind, nodeId] = text.split(" ", 2);
      if (!nodeId || nodeId === this.redis.nodeId) return;
      if (kind === "bye") this.forgetNode(nodeId);
      else this.nodeOf(nodeId).seen = Date.now();
      return;
    }
    const doc = this.byChannel.get(channel);
    if (!doc || message.length < 2) return;
    const type = message[0];
    const nodeLength = message[1];
    const nodeId = message.subarray(2, 2 + nodeLength).toString();
    if (nodeId === this.redis.nodeId) return;
    const payload = new Uint8Array(message.subarray(2 + nodeLength));
    if (type === PRESENCE_QUERY) {
      const local = doc.room.localPresence();
      if (local) this.publishPresence(doc.presenceChannel, PRESENCE_UPDATE, local);
      return;
    }
    if (type !== PRESENCE_UPDATE) return;
    try {
      this.trackPresence(nodeId, doc.room.documentId, payload);
      doc.room.applyRemotePresence(payload);
    } catch (error) {
      this.log("warn", "ignored a malformed presence message from another node", { document: doc.room.documentId, error: String(error) });
    }
  }

  private nodeOf(nodeId: string) {
    let node = this.nodes.get(nodeId);
    if (!node) this.nodes.set(nodeId, (node = { seen: Date.now(), clients: new Map() }));
    return node;
  }

  /** Remembers which client ids a node speaks for, so they can be removed if it dies. */
  private trackPresence(nodeId: string, documentId: string, update: Uint8Array): void {
    const node = this.nodeOf(nodeId);
    node.seen = Date.now();
    let ids = node.clients.get(documentId);
    if (!ids) node.clients.set(documentId, (ids = new Set()));
    const decoder = decoding.createDecoder(update);
    const n = decoding.readVarUint(decoder);
    for (let i = 0; i < n; i++) {
      const clientId = decoding.readVarUint(decoder);
      decoding.readVarUint(decoder);
      const state = decoding.readVarString(decoder);
      if (state === "null") ids.delete(clientId);
      else ids.add(clientId);
    }
  }

  /** Called when another node says goodbye or stops sending heartbeats. */
  onNodeGone: ((nodeId: string) => void) | null = null;

  private forgetNode(nodeId: string): void {
    const node = this.nodes.get(nodeId);
    if (!node) return;
    this.nodes.delete(nodeId);
    try {
      this.onNodeGone?.(nodeId);
    } catch (error) {
      this.log("error", "node-gone listener failed", { node: nodeId, error: String(error) });
    }
    for (const [documentId, ids] of node.clients) {
      const doc = this.open.get(documentId);
      if (doc && ids.size > 0) doc.room.removeRemotePresence([...ids]);
    }
  }

  private heartbeat(): void {
    this.redis.command.publish(this.nodesChannel, `alive ${this.redis.nodeId}`).catch(() => {});
    const deadline = Date.now() - this.heartbeatMs * 3.5;
    for (const [nodeId, node] of [...this.nodes]) {
      if (node.seen < deadline) {
        this.log("warn", "another node stopped sending heartbeats; removing its presence", { node: nodeId });
        this.forgetNode(nodeId);
      }
    }
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.catchUpTimer);
    clearInterval(this.heartbeatTimer);
    for (const doc of this.open.values()) if (doc.gapTimer) clearTimeout(doc.gapTimer);
    await this.redis.command.publish(this.nodesChannel, `bye ${this.redis.nodeId}`).catch(() => {});
    this.interruptRead();
    await Promise.race([this.reading, new Promise((r) => setTimeout(r, BLOCK_MS + 200))]);
    await Promise.allSettled([...this.open.values()].map((d) => d.catchingUp));
    this.open.clear();
  }
}

function fieldsOf(fields: Buffer[]): { n?: string; i?: string; p?: string; u?: Buffer } {
  const out: { n?: string; i?: string; p?: string; u?: Buffer } = {};
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i].toString();
    if (name === "u") out.u = fields[i + 1];
    else if (name === "n" || name === "i" || name === "p") out[name] = fields[i + 1].toString();
  }
  return out;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
