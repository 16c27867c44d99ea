/**
 * Raw SQL against a test server's database (`server.dbFile`), on whichever dialect it runs: a
 * SQLite file, or a postgres:// database (the vitest "postgres" project). Placeholders are `?`
 * on both (turned into $1, $2… for PostgreSQL), and values come back as the app reads them
 * (db/dialect.ts: numbers for counts and ids). For checks and for setting up a case; the app's
 * own queries live in db/queries.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { pgTypes } from "../../db/dialect";

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
