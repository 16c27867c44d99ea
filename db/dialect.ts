/**
 * The two databases the workspace runs on, and every difference between their drivers' values,
 * decided here once so no query has to care. SQLite (better-sqlite3, embedded, the default) hands
 * back integers, text and Buffers; `pg` would hand back bigint and numeric as strings, booleans as
 * booleans and timestamps as Date objects. The app's representation is SQLite's: numbers for ids
 * and counts, 0/1 for booleans (the columns are integers on both), ISO text for times (stored as
 * text by nowIso(); a timestamp computed by PostgreSQL is kept as the text it sends), and
 * Uint8Array (Buffer) for binary.
 */
import pg from "pg";
import { Kysely, PostgresAdapter, PostgresDialect, type SelectQueryBuilder } from "kysely";

export type Dialect = "sqlite" | "postgres";

/** Where the data lives, from DATABASE_URL / DATABASE_FILE (server/config.ts validates them). */
export type DatabaseTarget = { dialect: "sqlite"; file: string } | { dialect: "postgres"; url: string };

/** Which database a Kysely instance (or a transaction of it) talks to. */
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/**
 * `query` with its rows locked until the transaction ends (SELECT … FOR UPDATE), where that is
 * needed: on PostgreSQL transactions really run side by side, so code that reads and then writes
 * on what it read must lock it first. SQLite has no FOR UPDATE and needs none: Kysely runs its
 * transactions one at a time on the one connection.
 */
export function lockingRows<QB extends SelectQueryBuilder<any, any, any>>(db: Kysely<any>, query: QB): QB {
  return dialectOf(db) === "postgres" ? (query.forUpdate() as QB) : query;
}

const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
} as const;

function toSafeNumber(text: string): number {
  const n = Number(text);
  // Ids and counts never come near 2^53; if one did, a silently rounded id would point elsewhere.
  if (!Number.isSafeInteger(n) && Number.isInteger(n)) {
    throw new RangeError(`PostgreSQL returned ${text}, beyond the integers JavaScript holds exactly`);
  }
  return n;
}

/** The one table of PostgreSQL value conversions, given to every pool (never pg's global types). */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    switch (oid) {
      case OID.int8:
        return toSafeNumber;
      case OID.numeric:
        return (text: string) => Number(text);
      case OID.bool:
        // The same value SQLite gives for a boolean expression, so `row.flag === 1` reads alike.
        return (text: string) => (text === "t" ? 1 : 0);
      case OID.date:
      case OID.timestamp:
      case OID.timestamptz:
        return (text: string) => text;
      default:
        return pg.types.getTypeParser(oid, format as "text");
    }
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/** A `pg` pool with the conversions above; `max` connections (the sync writer takes one of them). */
export function createPgPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types: pgTypes });
  // A connection the server ends (a restart, pg_terminate_backend) emits "error": pg-pool listens
  // only while the client is idle, and an unheard "error" would end the process. The query in
  // flight is rejected with the same error, which its caller handles (the sync writer retries).
  pool.on("connect", (client) => client.on("error", () => {}));
  pool.on("error", () => {});
  return pool;
}

export function postgresDialect(pool: pg.Pool): PostgresDialect {
  return new PostgresDialect({ pool });
}

/** "postgres://…" or "postgresql://…"; anything else is not ours to open. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\/[^\s]+$/.test(url);
}

/**
 * A unique constraint (or primary key) refused the row, on either database, optionally naming the
 * table: the one way domain code recognises "someone else got there first".
 */
export function isUniqueViolation(error: unknown, table?: string): boolean {
  const e = error as { code?: unknown; table?: unknown; message?: unknown } | null;
  if (!e || typeof e.code !== "string") return false;
  if (e.code === "23505") return table === undefined || e.table === table;
  if (e.code === "SQLITE_CONSTRAINT_UNIQUE" || e.code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    return table === undefined || (typeof e.message === "string" && e.message.includes(`: ${table}.`));
  }
  return false;
}
