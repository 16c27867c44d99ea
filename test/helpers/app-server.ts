import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { openDatabaseTarget, type OpenedDatabase, type OpenedPostgres } from "../../db/connection";
import { ensureTestDatabase, plannedTestDatabaseUrl, testsRunOnPostgres } from "./postgres";

export const DEMO_PASSWORD = "codesign-demo-2030";
export const ACCOUNTS = {
  facilitator: "helen.ashworth@bury-council.example",
  admin: "daniel.okafor@bury-council.example",
  councilEditor: "sarah.whitworth@bury-council.example",
  nhsEditor: "rahul.mistry@nhs-bury-ccg.example",
  vcfAllianceEditor: "joanne.kerr@bury-vcf-alliance.example",
  housingEditor: "mark.holden@six-town-housing.example",
  collegeEditor: "aisha.begum@bury-college.example",
  vcfCommenter: "tom.fielding@radcliffe-community-food-network.example",
  viewer: "margaret.hughes@bury-council.example",
} as const;
export const PLAN_ID = "lets-do-it-action-plan";

const SERVER_ENTRY = path.resolve("build/app/server.js");

export interface AppServer {
  url: string;
  origin: string;
  port: number;
  dbFile: string;
  proc: ChildProcess;
  logs: Record<string, unknown>[];
  /** Graceful stop (SIGTERM), waiting for exit. */
  stop(): Promise<void>;
  /** The crash case: SIGKILL, no chance to flush anything. */
  kill9(): Promise<void>;
}

/**
 * A new, empty database for one server: a SQLite file, or, when the suite runs on PostgreSQL (the
 * vitest "postgres" project), the postgres:// address of a fresh database, created when a server
 * first starts on it and dropped after the test file. Either way it is what `dbFile` holds.
 */
export function tempDbFile(label = "app"): string {
  if (testsRunOnPostgres()) return plannedTestDatabaseUrl();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cdw-${label}-`));
  return path.join(dir, "codesign.sqlite");
}

/** DATABASE_URL or DATABASE_FILE for a server on `dbFile` (see tempDbFile), its database made. */
export async function databaseEnv(dbFile: string): Promise<Record<string, string>> {
  if (!dbFile.startsWith("postgres://")) return { DATABASE_FILE: dbFile };
  await ensureTestDatabase(dbFile);
  return { DATABASE_URL: dbFile };
}

/**
 * Starts the production build as its own process on port 0, as `npm start` would, so tests
 * exercise the real HTTP + Remix + sync stack and can kill it like a crash would.
 */
export async function startAppServer(opts: { dbFile?: string; env?: Record<string, string> } = {}): Promise<AppServer> {
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error("Run `npm run build` first: build/app/server.js is missing.");
  const dbFile = opts.dbFile ?? tempDbFile();
  const proc = spawn(process.execPath, [SERVER_ENTRY], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      ...(await databaseEnv(dbFile)),
      LOG_LEVEL: "info",
      // The tests stand in for a reverse proxy on this machine, so that each sign-in can come from
      // its own address (X-Forwarded-For). Tests of the default (no proxy trusted) pass TRUST_PROXY: "".
      TRUST_PROXY: "loopback",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  proc.stderr!.on("data", (d) => {
    stderr += String(d);
    // For a failing test: the server's own errors (Remix prints a loader's to stderr).
    if (process.env.SHOW_SERVER_STDERR) process.stderr.write(d);
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s\n${stderr}`)), 60_000);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening\n${stderr}`));
    });
    readline.createInterface({ input: proc.stdout! }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === "listening" && typeof entry.port === "number") {
          clearTimeout(timer);
          resolve(entry.port);
        }
      } catch {
        /* not a log line */
      }
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    origin: url,
    port,
    dbFile,
    proc,
    logs,
    async stop() {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await exited;
    },
    async kill9() {
      if (proc.exitCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
}

let nextAddress = 1;

/**
 * Signs in through the real form action and returns the Cookie header value to reuse. Each
 * sign-in comes from its own documentation-range address (through the proxy header the test
 * server is configured to trust), as separate people's machines would: the per-address throttle
 * has its own test. Like a browser, it sends the app's own Origin.
 */
export async function login(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const address = `192.0.2.${nextAddress++ % 250}`;
  const res = await fetch(`${baseUrl}/login`, {
    method: "POST",
    headers: { "X-Forwarded-For": address, Origin: new URL(baseUrl).origin },
    body: new URLSearchParams({ email, password }),
    redirect: "manual",
  });
  const setCookie = res.headers.get("set-cookie");
  if (res.status !== 302 || !setCookie) {
    throw new Error(`login as ${email} failed: ${res.status} ${await res.text()}`);
  }
  return setCookie.split(";")[0]!;
}

/** Posts a form to a Remix route action as a browser without JavaScript would (Origin included). */
export async function postForm(baseUrl: string, pathname: string, cookie: string, fields: Record<string, string>) {
  const res = await fetch(`${baseUrl}${pathname}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: new URL(baseUrl).origin },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
  return { status: res.status, text: await res.text() };
}

/**
 * The demo's 2022-23 plan (PLAN_ID) is archived: its year is over and the 2026-27 plan carries it
 * on. Tests that change its seeded actions (it holds the rich seeded history: owners, sign-offs,
 * milestones, updates, versions) reopen it first the way a partnership would, through the
 * facilitator's own "Unarchive" on the plan's settings page, and check that it took.
 */
export async function reopenSeededPlan(baseUrl: string, planId: string = PLAN_ID): Promise<void> {
  const facilitator = await login(baseUrl, ACCOUNTS.facilitator);
  const res = await postForm(baseUrl, `/plans/${planId}/settings`, facilitator, { intent: "unarchive" });
  if (res.status !== 200) throw new Error(`could not unarchive ${planId}: ${res.status} ${res.text.slice(0, 300)}`);
}

/** Opens the database a test server uses (`server.dbFile`), on whichever dialect it is. */
export function openTestDatabase(dbFile: string): OpenedDatabase | OpenedPostgres {
  return openDatabaseTarget(dbFile.startsWith("postgres://") ? { dialect: "postgres", url: dbFile } : { dialect: "sqlite", file: dbFile });
}
