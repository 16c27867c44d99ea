import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, type SqliteDatabase, type Transaction } from "kysely";
import { Migrator } from "kysely";
import type pg from "pg";
import type { Database } from "./schema";
import { migrations } from "./migrations";
import { createPgPool, postgresDialect, type DatabaseTarget, type Dialect } from "./dialect";

export type DB = Kysely<Database>;
export type { DatabaseTarget, Dialect };

export interface OpenedDatabase {
  dialect: "sqlite";
  db: DB;
  /** The raw handle, for the sync server's synchronous hot path and for backups. */
  sqlite: SQLite.Database;
}

export interface OpenedPostgres {
  dialect: "postgres";
  db: DB;
  /** The pool behind `db`; the sync writer takes its own client from it for its transactions. */
  pool: pg.Pool;
}

/** Opens the database DATABASE_URL or DATABASE_FILE names (see server/config.ts). */
export function openDatabaseTarget(target: DatabaseTarget): OpenedDatabase | OpenedPostgres {
  if (target.dialect === "sqlite") return openDatabase(target.file);
  return openPostgres(target.url);
}

export function openPostgres(url: string, maxConnections = 10): OpenedPostgres {
  const pool = createPgPool(url, maxConnections);
  const db = new Kysely<Database>({ dialect: postgresDialect(pool) });
  return { dialect: "postgres", db, pool };
}

/**
 * A SQLite file opened to be read and never changed (a backup being checked): no WAL switch, no
 * file created, so checking a copy cannot alter it.
 */
export function openDatabaseReadOnly(file: string): OpenedDatabase {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { dialect: "sqlite", db, sqlite };
}

/**
 * Opens (creating if needed) the SQLite file with the durability settings the product promises:
 * WAL so readers never block the writer, synchronous=FULL so a committed transaction survives
 * power loss or kill -9, and a busy timeout so a briefly held lock is waited for, not an error.
 */
export function openDatabase(file: string): OpenedDatabase {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }) });
  return { dialect: "sqlite", db, sqlite };
}

const STATEMENTS_KEPT = 500;

/**
 * The SQLite handle as Kysely sees it, keeping prepared statements by their SQL: Kysely's driver
 * prepares every query afresh, and preparing was a third of the CPU of a plan card's request.
 * Safe because Kysely runs one query at a time on this connection (its mutex holds the
 * connection while a stream is read), and SQLite re-prepares a kept statement after a schema
 * change by itself. Least recently used statements go beyond STATEMENTS_KEPT (queries with an
 * `in (…)` list of varying length have many texts).
 */
function reusingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const kept = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = kept.get(sql);
      if (statement) kept.delete(sql);
      else statement = sqlite.prepare(sql);
      kept.set(sql, statement);
      if (kept.size > STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
      return statement;
    },
  };
}

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(
      `Database migration failed${failed ? ` at ${failed.migrationName}` : ""}: ${String(error)}`,
    );
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}

/**
 * Runs `work` in one transaction. Given a transaction already (a domain operation composing
 * another), it joins it instead of opening a second one, so the whole operation commits or
 * rolls back as one.
 */
export async function inTransaction<T>(db: DB, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return db.transaction().execute(work);
}
