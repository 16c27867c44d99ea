// Backups and restores on PostgreSQL (DATABASE_URL), with PostgreSQL's own tools, so a dump is
// the format every PostgreSQL administrator already knows how to read, list and restore.
//
// - Backup: `pg_dump --format=custom` (one repeatable-read snapshot: a consistent moment while
//   people edit), written to `<destination>.partial`; the dump is then restored into a scratch
//   database on the same server where every document is loaded (scripts/verify-documents.ts), and
//   the scratch database is dropped. Only a dump that passed is renamed to its destination, so a
//   backups directory holds verified dumps only.
// - Restore: the dump is restored into a new database beside the target and verified there; only
//   then is the target renamed aside (`<name>_before_restore_<time>`, kept, never dropped) and the
//   new database renamed to the target's name. A dump that fails leaves the target as it was.
//
// Both create databases (CREATEDB) and connect to the maintenance database "postgres" of the same
// server to do it. The password of DATABASE_URL travels to the tools in PGPASSWORD, never in their
// arguments, which other users of the machine can read.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { openPostgres } from "../db/connection";
import { verifyDocuments, type DocumentsVerified } from "./verify-documents";

export interface PostgresBackupReport extends DocumentsVerified {
  destination: string;
  bytes: number;
  seconds: number;
}

export interface PostgresRestoreReport extends DocumentsVerified {
  database: string;
  /** Where the database that was there before is now, or null if there was none. */
  movedAside: string | null;
  seconds: number;
}

/** `database "codesign" on db.example.org:5432`, for messages (no password). */
export function describePostgres(url: string): string {
  const u = new URL(url);
  return `database "${databaseName(url)}" on ${u.hostname || "localhost"}:${u.port || "5432"}`;
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) throw new Error(`DATABASE_URL names no database; write it like postgres://user@host:5432/codesign.`);
  return name;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** The connection for libpq's tools: the address without its password, which goes in PGPASSWORD. */
function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  return { dbname: u.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(tool, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (d) => (stdout += d));
    proc.stderr.on("data", (d) => (stderr += d));
    proc.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new Error(`${tool} was not found: install PostgreSQL's client tools (Debian: apt-get install postgresql-client), of the server's major version or newer.`)
          : error,
      );
    });
    proc.on("close", (code, signal) => {
      if (code === 0) return resolve(stdout);
      const said = stderr.trim().split("\n").slice(-5).join(" / ") || "no message";
      // pg_restore can crash outright on a damaged archive rather than exit with an error.
      reject(new Error(`${tool} ${signal ? `was ended by ${signal}` : `exited with ${code}`}: ${said}`));
    });
  });
}

/** Names PostgreSQL keeps whole: identifiers are cut at 63 bytes, so the base is shortened instead. */
function derivedName(base: string, suffix: string): string {
  return Buffer.from(base).subarray(0, 63 - Buffer.byteLength(suffix)).toString().replace(/\uFFFD+$/, "") + suffix;
}

function nameStamp(now = new Date()): string {
  return now.toISOString().replace(/\.\d+Z$/, "").replace(/[-:]/g, "").replace("T", "_").toLowerCase();
}

/** Runs `work` on a connection to the server's maintenance database, where databases are made and renamed. */
async function onMaintenance<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `could not connect to the maintenance database "postgres" on the same server (${String(error)}); ` +
        `the role of DATABASE_URL must be able to connect to it and to create databases (CREATEDB).`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
  return (rowCount ?? 0) > 0;
}

// template0 rather than template1: anything an administrator added to template1 (extensions,
// tables) would collide with the dump's own objects.
async function createEmptyDatabase(url: string, name: string): Promise<void> {
  await onMaintenance(url, (c) => c.query(`create database ${pg.escapeIdentifier(name)} template template0`));
}

async function dropDatabase(url: string, name: string): Promise<void> {
  await onMaintenance(url, (c) => c.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));
}

/** Fails fast on a file that is not a custom-format dump of this workspace (truncated, another file). */
async function checkDumpListing(dumpFile: string): Promise<void> {
  if (!fs.existsSync(dumpFile)) throw new Error(`There is no dump at ${dumpFile}.`);
  let listing: string;
  try {
    listing = await runTool("pg_restore", ["--list", dumpFile], process.env);
  } catch (error) {
    throw new Error(`${dumpFile} is not a readable pg_dump custom-format file (${(error as Error).message}).`);
  }
  if (!/TABLE DATA \S+ documents /.test(listing)) {
    throw new Error(`${dumpFile} holds no documents table: it is not a dump of a Co-design Workspace database.`);
  }
}

/**
 * The dump into an empty database, stopping at the first error (a truncated or damaged dump, a
 * broken foreign key: constraints are checked as pg_restore adds them after the data), in one
 * transaction so a failure leaves nothing half-restored. Objects belong to the restoring role.
 */
async function restoreInto(dumpFile: string, url: string): Promise<void> {
  const { dbname, env } = toolConnection(url);
  try {
    await runTool("pg_restore", ["--no-owner", "--exit-on-error", "--single-transaction", `--dbname=${dbname}`, dumpFile], env);
  } catch (error) {
    throw new Error(`the dump does not restore (${(error as Error).message}).`);
  }
}

async function verifyRestored(url: string): Promise<DocumentsVerified> {
  const { db } = openPostgres(url, 2);
  try {
    return await verifyDocuments(db);
  } finally {
    await db.destroy();
  }
}

/**
 * Restores a dump into a scratch database on the server of `url`, loads every document there, and
 * drops it: the check a dump passes before it counts as a backup. Throws with a sentence.
 */
export async function verifyDump(dumpFile: string, url: string): Promise<DocumentsVerified> {
  await checkDumpListing(dumpFile);
  const scratch = derivedName(databaseName(url), `_verify_${crypto.randomBytes(4).toString("hex")}`);
  await createEmptyDatabase(url, scratch);
  try {
    const scratchUrl = withDatabase(url, scratch);
    await restoreInto(dumpFile, scratchUrl);
    return await verifyRestored(scratchUrl);
  } finally {
    await dropDatabase(url, scratch);
  }
}

export async function backupPostgres(url: string, destination: string): Promise<PostgresBackupReport> {
  if (fs.existsSync(destination)) throw new Error(`${destination} already exists; choose another name.`);
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  const partial = `${destination}.partial`;
  const started = performance.now();
  const { dbname, env } = toolConnection(url);
  try {
    try {
      await runTool("pg_dump", ["--format=custom", `--file=${partial}`, `--dbname=${dbname}`], env);
    } catch (error) {
      throw new Error(`pg_dump of ${describePostgres(url)} failed (${(error as Error).message}).`);
    }
    const verified = await verifyDump(partial, url);
    fs.renameSync(partial, destination);
    return { destination, bytes: fs.statSync(destination).size, seconds: (performance.now() - started) / 1000, ...verified };
  } catch (error) {
    // An unverified dump beside verified ones would be mistaken for a backup one day.
    fs.rmSync(partial, { force: true });
    throw new Error(`${(error as Error).message} No backup was written.`);
  }
}

/**
 * Puts a dump in place of the database of `url`. Stop every node first. The dump is restored into
 * `<name>_restoring_<time>` and verified there before the target is touched; then the target (if
 * it exists) is renamed to `<name>_before_restore_<time>` and the restored database takes its name.
 */
export async function restorePostgres(dumpFile: string, url: string): Promise<PostgresRestoreReport> {
  const started = performance.now();
  await checkDumpListing(dumpFile);
  const target = databaseName(url);
  const stamp = nameStamp();
  const restoring = derivedName(target, `_restoring_${stamp}`);
  const aside = derivedName(target, `_before_restore_${stamp}`);
  await createEmptyDatabase(url, restoring);
  let verified: DocumentsVerified;
  try {
    await restoreInto(dumpFile, withDatabase(url, restoring));
    verified = await verifyRestored(withDatabase(url, restoring));
  } catch (error) {
    await dropDatabase(url, restoring);
    throw new Error(`${(error as Error).message} The ${describePostgres(url)} was not changed.`);
  }
  let movedAside: string | null = null;
  try {
    await onMaintenance(url, async (c) => {
      if (await databaseExists(c, target)) {
        const { rows } = await c.query<{ n: string }>(
          "select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
          [target],
        );
        const sessions = Number(rows[0]?.n ?? 0);
        if (sessions > 0) {
          throw new Error(
            `${sessions} session(s) are connected to ${describePostgres(url)}: stop every node (and close other sessions, such as psql), then run the restore again.`,
          );
        }
        await c.query(`alter database ${pg.escapeIdentifier(target)} rename to ${pg.escapeIdentifier(aside)}`);
        movedAside = aside;
      }
      try {
        await c.query(`alter database ${pg.escapeIdentifier(restoring)} rename to ${pg.escapeIdentifier(target)}`);
      } catch (error) {
        if (movedAside) await c.query(`alter database ${pg.escapeIdentifier(aside)} rename to ${pg.escapeIdentifier(target)}`);
        movedAside = null;
        throw error;
      }
    });
  } catch (error) {
    await dropDatabase(url, restoring);
    throw new Error(`${(error as Error).message} The ${describePostgres(url)} was not changed.`);
  }
  return { database: target, movedAside, seconds: (performance.now() - started) / 1000, ...verified };
}
