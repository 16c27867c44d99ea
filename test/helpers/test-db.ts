/**
 * Raw SQL against a test server's database (`server.dbFile`), on whichever dialect it runs: a
 * SQLite file, or a postgres:// database (the vitest "postgres" project). Placeholders are `?`
 * on both (turned into $1, $2… for PostgreSQL), and values come back as the app reads them
 * (db/dialect.ts: numbers for counts and ids). For checks and for setting up a case; the app's
 * own queries live in db/queries.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { migrateToLatest, openDatabaseTarget, type DB } from "../../db/connection";
import { dialectOf, pgTypes, type Dialect } from "../../db/dialect";
import { ensureTestDatabase, plannedTestDatabaseUrl, testsRunOnPostgres } from "./postgres";

export async function sqlRows<T = unknown>(dbFile: string, text: string, ...params: unknown[]): Promise<T[]> {
  if (dbFile.startsWith("postgres://")) {
    const client = new pg.Client({ connectionString: dbFile, types: pgTypes });
    await client.connect();
    try {
      let n = 0;
      const { rows } = await client.query(text.replace(/\?/g, () => `$${++n}`), params);
      return rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(dbFile);
  try {
    const stmt = db.prepare(text);
    return (stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as T[];
  } finally {
    db.close();
  }
}

/**
 * Raw SQL on a Kysely handle the test holds (a database it opened, or a transaction), with `?`
 * placeholders bound by Kysely as either dialect wants them. Values come back as the app reads them.
 */
export async function rowsOn<T = unknown>(db: Kysely<any>, text: string, ...params: unknown[]): Promise<T[]> {
  const parts = text.split("?");
  if (parts.length !== params.length + 1) throw new Error(`${parts.length - 1} placeholders for ${params.length} values in: ${text}`);
  const strings = Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray;
  const { rows } = await sql<T>(strings, ...params).execute(db);
  return rows;
}

export interface FreshDatabase {
  dialect: Dialect;
  db: DB;
  /** A SQLite file or a postgres:// address: what a server started on it would be given. */
  dbFile: string;
  close(): Promise<void>;
}

/**
 * A new, empty database opened in the test's own process, for domain tests that call server/
 * functions directly: a SQLite file, or, in the vitest "postgres" project, a fresh PostgreSQL
 * database (dropped after the file). Migrated unless told otherwise.
 */
export async function openFreshDatabase(label: string, opts: { migrate?: boolean } = {}): Promise<FreshDatabase> {
  let dbFile: string;
  if (testsRunOnPostgres()) {
    dbFile = plannedTestDatabaseUrl();
    await ensureTestDatabase(dbFile);
  } else {
    dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `cdw-${label}-`)), `${label}.sqlite`);
  }
  const opened = openDatabaseTarget(dbFile.startsWith("postgres://") ? { dialect: "postgres", url: dbFile } : { dialect: "sqlite", file: dbFile });
  if (opts.migrate !== false) await migrateToLatest(opened.db);
  return { dialect: opened.dialect, db: opened.db, dbFile, close: () => opened.db.destroy() };
}

/**
 * Makes the database refuse every `event` ("insert", "update" or "delete") on `table` with
 * `message`, as a trigger on either dialect, until the returned function removes it: the way a
 * test makes one step of a domain operation fail, to see the whole transaction roll back.
 */
export async function refuseWrites(db: Kysely<any>, table: string, event: "insert" | "update" | "delete", message: string): Promise<() => Promise<void>> {
  const name = `test_refuse_${table}_${event}`;
  const quoted = message.replace(/'/g, "''");
  if (dialectOf(db) === "postgres") {
    await sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin raise exception '${quoted}'; end $$`).execute(db);
    await sql.raw(`create trigger ${name} before ${event} on ${table} for each row execute function ${name}()`).execute(db);
    return async () => {
      await sql.raw(`drop trigger ${name} on ${table}`).execute(db);
      await sql.raw(`drop function ${name}()`).execute(db);
    };
  }
  await sql.raw(`create trigger ${name} before ${event} on ${table} begin select raise(abort, '${quoted}'); end`).execute(db);
  return async () => {
    await sql.raw(`drop trigger ${name}`).execute(db);
  };
}

/**
 * Every column of every table of the app that can hold text, read from the database's own
 * catalogue (so a table added later is included), each with a condition that is true when the
 * column holds the one `?` parameter as a case-insensitive substring, for `sqlRows`.
 */
export async function textColumns(dbFile: string): Promise<{ table: string; column: string; contains: string }[]> {
  if (dbFile.startsWith("postgres://")) {
    const columns = await sqlRows<{ table: string; column: string }>(
      dbFile,
      `select table_name as "table", column_name as "column" from information_schema.columns
        where table_schema = current_schema() and data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
        order by table_name, ordinal_position`,
    );
    return columns.map((c) => ({ ...c, contains: `strpos(lower("${c.column}"::text), lower(?)) > 0` }));
  }
  const tables = await sqlRows<{ name: string }>(dbFile, "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name");
  const out: { table: string; column: string; contains: string }[] = [];
  for (const { name: table } of tables) {
    for (const c of await sqlRows<{ name: string; type: string }>(dbFile, "select name, type from pragma_table_info(?)", table)) {
      // Declared TEXT (JSON columns included), or undeclared: SQLite stores text in either.
      if (!/^(text|varchar|char|clob|json|)$/i.test(c.type)) continue;
      out.push({ table, column: c.name, contains: `typeof("${c.name}") = 'text' and instr(lower("${c.name}"), lower(?)) > 0` });
    }
  }
  return out;
}
