/**
 * A real sync server on port 0 over a temporary SQLite file (or, in the vitest "postgres" project,
 * a fresh PostgreSQL database: the asynchronous write path), with the workspace's own session
 * and policy code, and official y-websocket clients (plus raw `ws` clients for hand-made frames).
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import { WebsocketProvider } from "y-websocket";
import { WebSocket } from "ws";
import * as Y from "yjs";
import { migrateToLatest, nowIso, openDatabase, openPostgres, type OpenedDatabase, type OpenedPostgres } from "../../db/connection";
import { ensureTestDatabase, plannedTestDatabaseUrl, testsRunOnPostgres } from "./postgres";
import { loadStoredDocument } from "../../db/queries/documents";
import { createSession, findSessionUser, sessionCookie, tokenFromCookieHeader } from "../../server/auth/sessions";
import { clientAddress, compileTrustProxy } from "../../server/origin";
import { authorizeDocument, createSyncServer, type SyncServer, type SyncServerOptions } from "../../server/sync";

// As the app server does with TRUST_PROXY=loopback: tests stand in for a proxy on this machine,
// so X-Forwarded-For can give each simulated person their own address.
const trustLoopback = compileTrustProxy(["loopback"]);

export const PLAN_ID = "plan-1";
export const DOCS = { one: "doc-one", two: "doc-two", three: "doc-three" } as const;

const ORGANISATIONS = [
  { id: "org-a", name: "Northshire County Council", short_name: "NCC" },
  { id: "org-b", name: "Northshire NHS Trust", short_name: "NHS" },
  { id: "org-c", name: "Northshire Voluntary Action", short_name: "NVA" },
  { id: "org-d", name: "Elsewhere Housing", short_name: "EH" },
] as const;

/** Roles come from plan_grants: org A and B edit, org C comments, Victor (org A) is a viewer. */
const USERS = {
  alice: { name: "Alice Ahmed", organisationId: "org-a" },
  bob: { name: "Bob Brown", organisationId: "org-b" },
  carol: { name: "Carol Chen", organisationId: "org-c" },
  victor: { name: "Victor Vale", organisationId: "org-a" },
  dave: { name: "Dave Dunn", organisationId: "org-d" },
} as const;
export type UserKey = keyof typeof USERS;

export interface HarnessUser {
  id: number;
  name: string;
  organisationId: string;
  organisationName: string;
  token: string;
  sessionHash: string;
  cookie: string;
}

export interface LogLine {
  level: "info" | "warn" | "error";
  msg: string;
  fields?: Record<string, unknown>;
}

export type ServerOverrides = Partial<Omit<SyncServerOptions, "db" | "sqlite">>;

export interface ProviderClient {
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
  /** Every close the provider saw, in order. */
  closes: { code: number; reason: string }[];
}

export interface RawClient {
  ws: WebSocket;
  /** Server frames, in order. */
  frames: Uint8Array[];
  /** The document as the server has described it to this client so far. */
  doc: Y.Doc;
  closed: Promise<{ code: number; reason: string }>;
  send(frame: Uint8Array | string): void;
}

export class SyncHarness {
  readonly logs: LogLine[] = [];
  users!: Record<UserKey, HarnessUser>;
  database!: OpenedDatabase | OpenedPostgres;
  sync!: SyncServer;
  httpServer!: http.Server;
  port = 0;
  private readonly cleanups: (() => void)[] = [];

  private constructor(
    readonly file: string,
    private overrides: ServerOverrides,
  ) {}

  static async start(overrides: ServerOverrides = {}): Promise<SyncHarness> {
    let file: string;
    if (testsRunOnPostgres()) {
      file = plannedTestDatabaseUrl();
      await ensureTestDatabase(file);
    } else {
      file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cdw-sync-")), "test.sqlite");
    }
    const h = new SyncHarness(file, overrides);
    h.database = h.open();
    await migrateToLatest(h.database.db);
    await h.seed();
    await h.listen();
    return h;
  }

  get db() {
    return this.database.db;
  }
  /** SQLite's raw handle; tests that use it are SQLite-only (see vitest.config.ts). */
  get sqlite() {
    if (this.database.dialect !== "sqlite") throw new Error("this test reaches into SQLite; it cannot run on PostgreSQL");
    return this.database.sqlite;
  }

  get onPostgres(): boolean {
    return this.database.dialect === "postgres";
  }

  private open(): OpenedDatabase | OpenedPostgres {
    return this.file.startsWith("postgres://") ? openPostgres(this.file) : openDatabase(this.file);
  }
  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }
  get wsBase() {
    return `ws://127.0.0.1:${this.port}`;
  }

  logCount(msg: string): number {
    return this.logs.filter((l) => l.msg === msg).length;
  }

  private async seed(): Promise<void> {
    const db = this.db;
    const now = nowIso();
    await db
      .insertInto("organisations")
      .values(ORGANISATIONS.map((o) => ({ ...o, sector: "other" as const, created_at: now })))
      .execute();
    const users = {} as Record<UserKey, HarnessUser>;
    for (const [key, u] of Object.entries(USERS) as [UserKey, (typeof USERS)[UserKey]][]) {
      const row = await db
        .insertInto("users")
        .values({
          email: `${key}@example.test`,
          name: u.name,
          organisation_id: u.organisationId,
          password_hash: "not-a-real-hash",
          created_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const { token, sessionHash } = await createSession(db, row.id, { ip: "127.0.0.1", userAgent: "vitest" });
      const serialized = await sessionCookie(false).serialize(token);
      users[key] = {
        id: row.id,
        name: u.name,
        organisationId: u.organisationId,
        organisationName: ORGANISATIONS.find((o) => o.id === u.organisationId)!.name,
        token,
        sessionHash,
        cookie: serialized.split(";")[0],
      };
    }
    this.users = users;
    await db.insertInto("plans").values({ id: PLAN_ID, title: "Healthy Northshire", created_at: now }).execute();
    await db
      .insertInto("plan_grants")
      .values([
        { plan_id: PLAN_ID, organisation_id: "org-a", user_id: null, role: "editor", created_at: now },
        { plan_id: PLAN_ID, organisation_id: "org-b", user_id: null, role: "editor", created_at: now },
        { plan_id: PLAN_ID, organisation_id: "org-c", user_id: null, role: "commenter", created_at: now },
        { plan_id: PLAN_ID, organisation_id: null, user_id: users.victor.id, role: "viewer", created_at: now },
      ])
      .execute();
    await db
      .insertInto("documents")
      .values(
        Object.values(DOCS).map((id) => ({
          id,
          plan_id: PLAN_ID,
          kind: "plan_overview" as const,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }

  private async listen(): Promise<void> {
    const db = this.db;
    const cookie = sessionCookie(false);
    this.sync = createSyncServer({
      db,
      sqlite: this.database.dialect === "sqlite" ? this.database.sqlite : null,
      authenticate: async (req) => {
        const token = await tokenFromCookieHeader(cookie, req.headers.cookie);
        const user = await findSessionUser(db, token);
        if (!user) return null;
        return {
          userId: user.userId,
          sessionHash: user.sessionHash,
          name: user.name,
          organisationId: user.organisationId,
          organisationName: user.organisationName,
        };
      },
      authorize: (principal, documentId) => authorizeDocument(db, principal, documentId),
      clientAddress: (req) => clientAddress(req, trustLoopback),
      isOriginAllowed: (req) =>
        req.headers.origin === `http://127.0.0.1:${this.port}` ||
        req.headers.origin === `http://localhost:${this.port}`,
      log: (level, msg, fields) => {
        this.logs.push({ level, msg, fields });
        if (process.env.SYNC_TEST_LOG) console.log(level, msg, fields ?? "");
      },
      ...this.overrides,
    });
    this.httpServer = http.createServer((_req, res) => {
      res.writeHead(404).end();
    });
    this.httpServer.on("upgrade", (req, socket, head) => {
      if (!this.sync.handleUpgrade(req, socket, head)) {
        socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      }
    });
    await new Promise<void>((resolve) => this.httpServer.listen(0, "127.0.0.1", resolve));
    this.port = (this.httpServer.address() as AddressInfo).port;
  }

  private async stopServers(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    await this.sync.close("test server stopping");
    this.httpServer.closeAllConnections();
    await new Promise<void>((resolve) => this.httpServer.close(() => resolve()));
  }

  /** Stops everything, reopens the same file with a fresh connection, and starts again. */
  async restart(overrides: ServerOverrides = this.overrides): Promise<void> {
    await this.stopServers();
    await this.database.db.destroy();
    this.overrides = overrides;
    this.database = this.open();
    await migrateToLatest(this.database.db);
    await this.listen();
  }

  async close(): Promise<void> {
    await this.stopServers();
    await this.database.db.destroy();
    // A PostgreSQL database is dropped after the file (test/helpers/postgres-setup.ts).
    if (!this.onPostgres) fs.rmSync(path.dirname(this.file), { recursive: true, force: true });
  }

  headersFor(user: UserKey | null, origin: string | null = this.origin): Record<string, string> {
    const headers: Record<string, string> = {};
    if (user) headers.cookie = this.users[user].cookie;
    if (origin) headers.origin = origin;
    return headers;
  }

  /** An official y-websocket client, resolved once it has synced. */
  async provider(user: UserKey, documentId: string, opts: { waitForSync?: boolean } = {}): Promise<ProviderClient> {
    const headers = this.headersFor(user);
    class WebSocketWithSession extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${this.wsBase}/sync`, documentId, doc, {
      WebSocketPolyfill: WebSocketWithSession as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
    });
    const closes: ProviderClient["closes"] = [];
    provider.on("connection-close", (event) => {
      if (event) closes.push({ code: event.code, reason: event.reason });
    });
    this.cleanups.push(() => {
      provider.destroy();
      doc.destroy();
    });
    if (opts.waitForSync !== false) {
      await waitFor(() => provider.synced, `${user} to sync ${documentId}`);
    }
    return { doc, text: doc.getText("t"), provider, closes };
  }

  /** A raw ws client; rejects with the HTTP status and body if the upgrade is refused. */
  raw(
    user: UserKey | null,
    documentId: string,
    opts: { origin?: string | null; rawPath?: string } = {},
  ): Promise<RawClient> {
    const url = `${this.wsBase}${opts.rawPath ?? `/sync/${documentId}`}`;
    const ws = new WebSocket(url, { headers: this.headersFor(user, opts.origin === undefined ? this.origin : opts.origin) });
    this.cleanups.push(() => ws.terminate());
    const frames: Uint8Array[] = [];
    const doc = new Y.Doc();
    this.cleanups.push(() => doc.destroy());
    ws.binaryType = "nodebuffer";
    ws.on("message", (data: Buffer) => {
      const frame = new Uint8Array(data);
      frames.push(frame);
      readServerFrame(frame, doc);
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    return new Promise((resolve, reject) => {
      ws.on("open", () =>
        resolve({
          ws,
          frames,
          doc,
          closed,
          send: (frame) => ws.send(frame, { binary: typeof frame !== "string" }),
        }),
      );
      ws.on("unexpected-response", (req, res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => {
          req.destroy();
          reject(new RefusedUpgrade(res.statusCode ?? 0, body));
        });
      });
      ws.on("error", (error) => reject(error));
    });
  }

  /** The document as it would be loaded from disk right now. */
  async storedDoc(documentId: string): Promise<Y.Doc> {
    const stored = await loadStoredDocument(this.db, documentId);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state);
    for (const u of stored.updates) Y.applyUpdate(doc, u.update);
    return doc;
  }

  async storedText(documentId: string): Promise<string> {
    const doc = await this.storedDoc(documentId);
    const text = doc.getText("t").toString();
    doc.destroy();
    return text;
  }

  /** Waits until the server has received and committed edits that produce `text`. */
  async waitForStoredText(documentId: string, text: string, timeoutMs = 5000): Promise<void> {
    const started = Date.now();
    let last = "";
    while ((last = await this.storedText(documentId)) !== text) {
      if (Date.now() - started > timeoutMs) {
        throw new Error(`timed out waiting for stored text ${JSON.stringify(text)}; have ${JSON.stringify(last)}`);
      }
      await sleep(10);
    }
  }

  async updateRows(documentId: string) {
    return this.db
      .selectFrom("document_updates")
      .select(["id", "user_id", "organisation_id"])
      .where("document_id", "=", documentId)
      .orderBy("id")
      .execute();
  }
}

export class RefusedUpgrade extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade refused with ${status}: ${body}`);
  }
}

/** Applies what the server sends, without answering: enough to see what a client would see. */
function readServerFrame(frame: Uint8Array, doc: Y.Doc): void {
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== 0) return;
    const type = decoding.readVarUint(decoder);
    if (type === syncProtocol.messageYjsSyncStep2 || type === syncProtocol.messageYjsUpdate) {
      Y.applyUpdate(doc, decoding.readVarUint8Array(decoder), "server");
    }
  } catch {
    // A test client; the assertions will show what went wrong.
  }
}

export function syncUpdateFrame(update: Uint8Array, type: "update" | "step2" = "update"): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  if (type === "update") syncProtocol.writeUpdate(encoder, update);
  else {
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(encoder, update);
  }
  return encoding.toUint8Array(encoder);
}

export function syncStep1Frame(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** An update that inserts `text` into Y.Text "t", as a fresh client would send it. */
export function textInsertUpdate(text: string, base?: Y.Doc): Uint8Array {
  const doc = new Y.Doc();
  if (base) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(doc);
  doc.getText("t").insert(doc.getText("t").length, text);
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return update;
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
