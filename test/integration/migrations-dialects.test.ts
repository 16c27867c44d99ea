/**
 * The one list of numbered migrations builds the same schema on SQLite and on PostgreSQL: the same
 * tables with the same columns (and NOT NULLs), append-only tables refusing changes on both, and
 * an id the database assigns on both. Runs against a real PostgreSQL (test/helpers/postgres.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { migrateToLatest, openDatabase, openPostgres, type OpenedDatabase, type OpenedPostgres } from "../../db/connection";
import { createTestDatabase, type TestPostgres } from "../helpers/postgres";

type Columns = Record<string, string[]>;

// What a value can hold: SQLite's integer is 64-bit, so PostgreSQL must say bigint, not integer.
const SQLITE_KIND: Record<string, string> = { integer: "int64", text: "text", blob: "bytes" };
const POSTGRES_KIND: Record<string, string> = { bigint: "int64", text: "text", bytea: "bytes" };

let pgDb: TestPostgres;
let onPg: OpenedPostgres;
let onSqlite: OpenedDatabase;

beforeAll(async () => {
  pgDb = await createTestDatabase();
  onPg = openPostgres(pgDb.url);
  onSqlite = openDatabase(":memory:");
  await migrateToLatest(onPg.db);
  await migrateToLatest(onSqlite.db);
  for (const db of [onPg.db, onSqlite.db]) await minimalPlan(db);
});

/** One organisation, plan, document and action, for the rows the tests write to refer to. */
async function minimalPlan(db: OpenedDatabase["db"]): Promise<void> {
  await db.insertInto("organisations").values({ id: "o", name: "O", short_name: "O", sector: "council", created_at: "x" }).execute();
  await db.insertInto("plans").values({ id: "p", title: "P", created_at: "x" }).execute();
  await db.insertInto("documents").values({ id: "d", plan_id: "p", kind: "action_description", created_at: "x", updated_at: "x" }).execute();
  await db.insertInto("actions").values({ id: "a", plan_id: "p", document_id: "d", title: "A", position: 1, created_at: "x", updated_at: "x" }).execute();
}

afterAll(async () => {
  await onPg?.db.destroy();
  await onSqlite?.db.destroy();
  await pgDb?.drop();
});

function sqliteColumns(): Columns {
  const tables = onSqlite.sqlite
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`)
    .all() as { name: string }[];
  const out: Columns = {};
  for (const { name } of tables) {
    const cols = onSqlite.sqlite.prepare(`select name, type, "notnull", pk from pragma_table_info(?)`).all(name) as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[];
    // A primary key is NOT NULL on PostgreSQL whatever it says; SQLite only says so when written.
    out[name] = cols.map((c) => `${c.name} ${SQLITE_KIND[c.type.toLowerCase()] ?? c.type}${c.notnull || c.pk ? " not null" : ""}`).sort();
  }
  return out;
}

async function postgresColumns(): Promise<Columns> {
  const { rows } = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>`
    select table_name, column_name, data_type, is_nullable from information_schema.columns
    where table_schema = 'public' and table_name not like 'kysely_%'`.execute(onPg.db);
  const out: Columns = {};
  for (const r of rows) (out[r.table_name] ??= []).push(`${r.column_name} ${POSTGRES_KIND[r.data_type] ?? r.data_type}${r.is_nullable === "NO" ? " not null" : ""}`);
  for (const t of Object.keys(out)) out[t].sort();
  return out;
}

describe("migrations on both dialects", () => {
  it("build the same tables with the same columns, of the same kinds", async () => {
    const lite = sqliteColumns();
    const pg = await postgresColumns();
    expect(Object.keys(lite).length).toBeGreaterThan(40);
    expect(Object.keys(pg).sort()).toEqual(Object.keys(lite).sort());
    for (const table of Object.keys(lite)) expect({ table, columns: pg[table] }).toEqual({ table, columns: lite[table] });
  });

  it("make append-only tables refuse updates and deletes on PostgreSQL too", async () => {
    const append = ["ownership_history", "comment_events", "power_sharing_history", "progress_updates", "sign_offs", "agreement_history", "plan_versions"];
    const { rows } = await sql<{ tgname: string }>`select tgname from pg_trigger where not tgisinternal`.execute(onPg.db);
    const names = new Set(rows.map((r) => r.tgname));
    for (const t of append) {
      expect(names.has(`${t}_no_update`)).toBe(true);
      expect(names.has(`${t}_no_delete`)).toBe(true);
    }
    // A trigger fires per row: with a row present the change is refused.
    await onPg.db
      .insertInto("ownership_history")
      .values({ action_id: "a", organisation_id: "o", event: "proposed", created_at: "x" })
      .execute();
    await expect(sql`update ownership_history set note = 'rewritten'`.execute(onPg.db)).rejects.toThrow(/ownership_history is append-only/);
    await expect(sql`delete from ownership_history`.execute(onPg.db)).rejects.toThrow(/ownership_history is append-only/);
  });

  it("assign ids on both, as numbers", async () => {
    for (const db of [onSqlite.db, onPg.db]) {
      const a = await db.insertInto("audit_log").values({ event: "e", subject: "one", created_at: "x" }).returning("id").executeTakeFirstOrThrow();
      const b = await db.insertInto("audit_log").values({ event: "e", subject: "two", created_at: "x" }).returning("id").executeTakeFirstOrThrow();
      expect(typeof a.id).toBe("number");
      expect(b.id).toBeGreaterThan(a.id);
      const count = await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      expect(typeof count.n).toBe("number");
    }
  });

  it("store and return bytes as Uint8Array on both", async () => {
    for (const db of [onSqlite.db, onPg.db]) {
      await db.insertInto("document_updates").values({ document_id: "d", update: new Uint8Array([0, 1, 255]), created_at: "x" }).execute();
      const row = await db.selectFrom("document_updates").select("update").executeTakeFirstOrThrow();
      expect(row.update).toBeInstanceOf(Uint8Array);
      expect([...row.update]).toEqual([0, 1, 255]);
    }
  });
});
