/**
 * Every statement whose text differs between SQLite and PostgreSQL, for the migrations to call, so
 * the numbered migrations stay one list for both databases. On SQLite each helper emits exactly
 * what the migrations wrote before PostgreSQL support (a fresh SQLite database is built the same,
 * byte for byte in sqlite_master; an existing one never reruns a migration anyway).
 */
import { sql, type ColumnDataType, type ColumnDefinitionBuilder, type Kysely, type Transaction } from "kysely";
import { dialectOf } from "../dialect";

export { dialectOf };

/**
 * An integer id the database assigns. SQLite: `integer primary key autoincrement` (ids never
 * reused). PostgreSQL: an identity column; "by default" so a restore or a copy may still write
 * ids explicitly (then `resyncIdentities` moves the sequences past them).
 */
export function autoId(db: Kysely<any>): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return dialectOf(db) === "postgres"
    ? (c) => c.primaryKey().generatedByDefaultAsIdentity()
    : (c) => c.primaryKey().autoIncrement();
}

/**
 * A whole number. SQLite's integer holds 64 bits, PostgreSQL's only 32, and some columns hold
 * milliseconds since 1970 (a workshop's timer start): bigint there, read back as a number
 * (db/dialect.ts). Ids and the columns referring to them use it too, so they always match.
 */
export function int64(db: Kysely<any>): ColumnDataType {
  return dialectOf(db) === "postgres" ? "bigint" : "integer";
}

/** Bytes (Yjs updates and snapshots): SQLite's blob, PostgreSQL's bytea. */
export function binary(db: Kysely<any>): ColumnDataType {
  return dialectOf(db) === "postgres" ? "bytea" : "blob";
}

/**
 * Records partners hold each other to account with: the database itself refuses to update or
 * delete a row, so not even a bug can rewrite the trail. Both raise "<table> is append-only".
 * `sqliteIndent` reproduces the layout each earlier migration gave the trigger text (SQLite keeps
 * that text in its schema).
 */
export async function appendOnly(db: Kysely<any>, table: string, sqliteIndent = "\n    "): Promise<void> {
  if (dialectOf(db) === "postgres") {
    await sql
      .raw(
        `create or replace function refuse_append_only_change() returns trigger language plpgsql as $$
         begin raise exception '% is append-only', tg_table_name using errcode = 'restrict_violation'; end $$`,
      )
      .execute(db);
    for (const [suffix, event] of [["no_update", "update"], ["no_delete", "delete"]] as const) {
      await sql
        .raw(`create trigger ${table}_${suffix} before ${event} on ${table} for each row execute function refuse_append_only_change()`)
        .execute(db);
    }
    return;
  }
  for (const [suffix, event] of [["no_update", "update"], ["no_delete", "delete"]] as const) {
    await sql
      .raw(`create trigger ${table}_${suffix} before ${event} on ${table}${sqliteIndent}begin select raise(abort, '${table} is append-only'); end`)
      .execute(db);
  }
}

/**
 * Drops a column's NOT NULL. PostgreSQL does that in place; SQLite cannot alter a column, so
 * `rebuildOnSqlite` rebuilds the table (SQLite's documented twelve steps) inside one transaction,
 * with foreign keys off while the rows are copied and checked before they are turned back on.
 */
export async function dropNotNull(
  db: Kysely<any>,
  table: string,
  column: string,
  rebuildOnSqlite: (trx: Transaction<any>) => Promise<void>,
): Promise<void> {
  if (dialectOf(db) === "postgres") {
    await db.schema.alterTable(table).alterColumn(column, (c) => c.dropNotNull()).execute();
    return;
  }
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await rebuildOnSqlite(trx);
      const broken = await sql<{ table: string }>`PRAGMA foreign_key_check`.execute(trx);
      if (broken.rows.length > 0) throw new Error(`${table} rebuild left ${broken.rows.length} broken references`);
    });
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}
