/**
 * Starts each server under test as its own process on loopback:
 *  - ours: the production build (`build/app/server.js`) over a fresh SQLite file, with auth,
 *    plan rights and durable-before-visible persistence, exactly as `npm start` runs it;
 *  - reference: y-websocket 2.1.0's bundled server (`bin/server.cjs`), documents in memory;
 *  - hocuspocus: @hocuspocus/server 3.4.4 with debounced SQLite persistence (peers/).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { createHash, randomBytes } from "node:crypto";
import { inTransaction, migrateToLatest, nowIso, openDatabase, openPostgres } from "../../db/connection";
import { findPersonById, insertOrganisationIfAbsent, insertUser, listUsersWithOrganisation } from "../../db/queries/accounts";
import { insertDocumentIfNew } from "../../db/queries/documents";
import { insertGrant } from "../../db/queries/plan-grants";
import { insertSession } from "../../db/queries/sessions";
import { seedDatabase } from "../../seeds/load";
import { sessionCookie } from "../../server/auth/sessions";
import { setArchived } from "../../server/domain/plan-cycle";
import { freePort } from "./measure";

export type ServerKind = "ours" | "reference" | "hocuspocus";
export const SERVER_LABEL: Record<ServerKind, string> = {
  ours: "ours (auth + durable)",
  reference: "y-websocket 2.1.0 ref",
  hocuspocus: "hocuspocus 3.4.4",
};

export const BENCH_PLAN_ID = "lets-do-it-action-plan";
export const BENCH_ORG = "bench-load";

export interface RunningPeer {
  kind: ServerKind;
  pid: number;
  port: number;
  /** Base ws:// URL a y-websocket provider is given (the room name is appended). */
  providerUrl: string;
  /** Full ws:// URL of a document's socket, for hand-written clients. */
  socketUrl(doc: string): string;
  dbFile: string | null;
  proc: ChildProcess;
  stop(): Promise<void>;
  kill9(): Promise<void>;
  /** The last lines the process printed, for error reports. */
  tail(): string;
}

function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cdw-bench-${label}-`));
}

function watchOutput(proc: ChildProcess, onLine: (line: string) => void) {
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > 40) lines.shift();
    onLine(line);
  };
  readline.createInterface({ input: proc.stdout! }).on("line", keep);
  readline.createInterface({ input: proc.stderr! }).on("line", keep);
  return () => lines.join("\n");
}

function stopper(proc: ChildProcess) {
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once("exit", () => resolve());
  });
  return {
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
    async kill9() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
}

async function waitFor<T>(proc: ChildProcess, tail: () => string, what: string, check: (line: string) => T | null, setLineHook: (f: (line: string) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 60 s\n${tail()}`)), 60_000);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before listening\n${tail()}`));
    });
    setLineHook((line) => {
      const v = check(line);
      if (v !== null) {
        clearTimeout(timer);
        resolve(v);
      }
    });
  });
}

export interface OursDatabase {
  /** The SQLite file, or the postgres:// address of the database (as startOurs takes it). */
  dbFile: string;
  /** One Cookie header value per load user, each a different person of the bench organisation. */
  cookies: string[];
  userIds: number[];
}

/**
 * A fresh database as `npm start` would create it (migrated, seeded), plus an organisation with
 * editor rights on the seeded plan, `users` people in it with live sessions, and the documents.
 * `dbFile` may be the postgres:// address of an empty database instead of a SQLite file.
 */
export async function prepareOursDatabase(opts: { users: number; documents: string[]; dbFile?: string }): Promise<OursDatabase> {
  const dbFile = opts.dbFile ?? path.join(tempDir("ours"), "codesign.sqlite");
  const { db } = dbFile.startsWith("postgres://") ? openPostgres(dbFile) : openDatabase(dbFile);
  await migrateToLatest(db);
  await seedDatabase(db);
  // The seeded 2022-23 plan is archived (read-only); the load writes to its documents, so it is
  // reopened first, as its facilitator would.
  const facilitatorId = Math.min(...(await listUsersWithOrganisation(db)).filter((u) => u.system_role === "facilitator").map((u) => u.id));
  const facilitator = await findPersonById(db, facilitatorId);
  if (!facilitator) throw new Error("The seed has no facilitator to reopen the bench plan.");
  await setArchived(db, { readDocument: async () => { throw new Error("not needed"); }, refreshAccess: async () => {} }, { userId: facilitator.id, organisationId: facilitator.organisation_id, systemRole: "facilitator" }, BENCH_PLAN_ID, false);
  const now = nowIso();
  const cookie = sessionCookie(false);
  const tokens: string[] = [];
  const userIds: number[] = [];
  const expires = new Date(Date.now() + 86_400_000).toISOString();
  const stamp = randomBytes(4).toString("hex");
  await inTransaction(db, async (trx) => {
    await insertOrganisationIfAbsent(trx, { id: BENCH_ORG, name: "Load Test Partners", short_name: "LOAD", sector: "other", created_at: now });
    await insertGrant(trx, { plan_id: BENCH_PLAN_ID, organisation_id: BENCH_ORG, user_id: null, role: "editor", created_at: now });
    for (const id of opts.documents) await insertDocumentIfNew(trx, { id, plan_id: BENCH_PLAN_ID, kind: "plan_overview", created_at: now, updated_at: now });
    for (let i = 0; i < opts.users; i++) {
      const id = await insertUser(trx, {
        email: `load-${stamp}-${i}@bench.example`,
        name: `Load Tester ${i + 1}`,
        organisation_id: BENCH_ORG,
        password_hash: "no-password",
        created_at: now,
      });
      const token = randomBytes(32).toString("base64url");
      await insertSession(trx, { id_hash: createHash("sha256").update(token).digest("hex"), user_id: id, created_at: now, expires_at: expires });
      tokens.push(token);
      userIds.push(id);
    }
  });
  await db.destroy();
  const cookies = await Promise.all(tokens.map(async (t) => (await cookie.serialize(t)).split(";")[0]!));
  return { dbFile, cookies, userIds };
}

const OUR_SERVER_ENTRY = path.resolve("build/app/server.js");

/** Our production build over `dbFile`: a SQLite file or a postgres:// address (prepareOursDatabase). */
export async function startOurs(dbFile: string, env: Record<string, string> = {}): Promise<RunningPeer> {
  if (!fs.existsSync(OUR_SERVER_ENTRY)) throw new Error("Run `npm run build` first: build/app/server.js is missing.");
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles our server.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const proc = spawn(process.execPath, [...nodeArgs, OUR_SERVER_ENTRY], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      ...(dbFile.startsWith("postgres://") ? { DATABASE_URL: dbFile } : { DATABASE_FILE: dbFile }),
      LOG_LEVEL: "info",
      SEED_ON_EMPTY: "false",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let hook: (line: string) => void = () => {};
  const tail = watchOutput(proc, (line) => hook(line));
  const port = await waitFor(proc, tail, "our server", (line) => {
    try {
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      return entry.msg === "listening" && typeof entry.port === "number" ? entry.port : null;
    } catch {
      return null;
    }
  }, (f) => (hook = f));
  hook = () => {};
  return {
    kind: "ours",
    pid: proc.pid!,
    port,
    providerUrl: `ws://127.0.0.1:${port}/sync`,
    socketUrl: (doc) => `ws://127.0.0.1:${port}/sync/${doc}`,
    dbFile,
    proc,
    tail,
    ...stopper(proc),
  };
}

export async function startReference(): Promise<RunningPeer> {
  const port = await freePort();
  // In memory: its optional LevelDB persistence is on whenever YPERSISTENCE is set at all.
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: "127.0.0.1", PORT: String(port) };
  delete env.YPERSISTENCE;
  const proc = spawn(process.execPath, [path.resolve("node_modules/y-websocket-reference/bin/server.cjs")], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let hook: (line: string) => void = () => {};
  const tail = watchOutput(proc, (line) => hook(line));
  await waitFor(proc, tail, "y-websocket reference server", (line) => (line.includes("running at") ? true : null), (f) => (hook = f));
  hook = () => {};
  return {
    kind: "reference",
    pid: proc.pid!,
    port,
    providerUrl: `ws://127.0.0.1:${port}`,
    socketUrl: (doc) => `ws://127.0.0.1:${port}/${doc}`,
    dbFile: null,
    proc,
    tail,
    ...stopper(proc),
  };
}

export async function startHocuspocus(dbFile?: string): Promise<RunningPeer> {
  const file = dbFile ?? path.join(tempDir("hocuspocus"), "hocuspocus.sqlite");
  const proc = spawn(process.execPath, ["--import", "tsx", path.resolve("bench/peers/hocuspocus-server.ts")], {
    env: { ...process.env, PORT: "0", DATABASE_FILE: file },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let hook: (line: string) => void = () => {};
  const tail = watchOutput(proc, (line) => hook(line));
  const port = await waitFor(proc, tail, "hocuspocus", (line) => {
    try {
      const entry = JSON.parse(line) as { listening?: number };
      return typeof entry.listening === "number" ? entry.listening : null;
    } catch {
      return null;
    }
  }, (f) => (hook = f));
  hook = () => {};
  return {
    kind: "hocuspocus",
    pid: proc.pid!,
    port,
    providerUrl: `ws://127.0.0.1:${port}`,
    socketUrl: () => `ws://127.0.0.1:${port}`,
    dbFile: file,
    proc,
    tail,
    ...stopper(proc),
  };
}
