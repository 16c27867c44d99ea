/**
 * Writes a whole CSV import (server/domain/import-actions.ts) without holding the event loop.
 * better-sqlite3 is synchronous, so a statement, or a transaction of statements, blocks the loop
 * for as long as it runs: the import once wrote 2,000 rows' worth of documents, actions, owners,
 * milestones and links in one transaction of multi-row inserts, which held the loop for 2 to 3
 * seconds (measured with a CPU profile of the production server: Kysely compiling the values and
 * SQLite binding them, all inside the one transaction). A write transaction must not yield either:
 * the sync server writes synchronously through its own connection and would wait on the lock.
 *
 * So the import is written in two steps. First every row goes into TEMP tables of this
 * connection, in small inserts with a turn of the event loop between them; TEMP tables hold no
 * lock on the database, so other writers carry on. Then ONE short transaction copies the staged
 * rows into the real tables (one INSERT ... SELECT per table, run inside SQLite without binding a
 * value in JavaScript), so the import stays all-or-nothing. The TEMP tables are dropped whatever
 * happens.
 */
import { randomUUID } from "node:crypto";
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { Database } from "../schema";

type Rows<T extends keyof Database> = Insertable<Database[T]>[];

export interface ImportedActionRows {
  documents: Rows<"documents">;
  documentUpdates: Rows<"document_updates">;
  /** `position` counts from 1 within the import; the copy adds the plan's last position to it. */
  actions: Rows<"actions">;
  owners: Rows<"action_owners">;
  ownershipHistory: Rows<"ownership_history">;
  milestones: Rows<"milestones">;
  milestoneChanges: Rows<"milestone_changes">;
  kpis: Rows<"action_kpis">;
  recommendations: Rows<"action_recommendations">;
}

/** In the order foreign keys need. */
const TABLES = [
  ["documents", "documents"],
  ["documentUpdates", "document_updates"],
  ["actions", "actions"],
  ["owners", "action_owners"],
  ["ownershipHistory", "ownership_history"],
  ["milestones", "milestones"],
  ["milestoneChanges", "milestone_changes"],
  ["kpis", "action_kpis"],
  ["recommendations", "action_recommendations"],
] as const satisfies readonly (readonly [keyof ImportedActionRows, keyof Database])[];

// Small enough that one insert (compiling and binding its values) is a few milliseconds.
const ROWS_PER_INSERT = 50;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface StagedImport {
  /** Copies every staged row into the real tables; `db` is the import's transaction. */
  copy(db: DB, positionOffset: number): Promise<void>;
  drop(): Promise<void>;
}

/**
 * Stages the rows in TEMP tables of `db`'s connection (SQLite's Kysely dialect keeps one), a few
 * rows per statement, yielding to the event loop between statements.
 */
export async function stageImportedActions(db: DB, rows: ImportedActionRows): Promise<StagedImport> {
  const tag = randomUUID().replace(/-/g, "").slice(0, 12);
  const staged: { table: keyof Database; temp: string; columns: string[] }[] = [];
  const drop = async () => {
    for (const s of staged) await db.schema.dropTable(s.temp).ifExists().execute();
  };
  try {
    for (const [key, table] of TABLES) {
      const list = rows[key] as Record<string, unknown>[];
      if (list.length === 0) continue;
      const temp = `import_${tag}_${table}`;
      // Same columns as the real table, no constraints: every check happens in the copy.
      await db.schema.createTable(temp).temporary().as(db.selectFrom(table).selectAll().limit(0)).execute();
      const columns = [...new Set(list.flatMap((r) => Object.keys(r)))];
      staged.push({ table, temp, columns });
      for (let i = 0; i < list.length; i += ROWS_PER_INSERT) {
        await nextTurn();
        const batch = list.slice(i, i + ROWS_PER_INSERT).map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null])));
        await db.insertInto(temp as never).values(batch as never).execute();
      }
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    async copy(trx, positionOffset) {
      for (const { table, temp, columns } of staged) {
        await trx
          .insertInto(table)
          .columns(columns as never)
          .expression(
            (trx as unknown as DB)
              .selectFrom(temp as never)
              .select((eb: any) => columns.map((c) => (table === "actions" && c === "position" ? eb(c, "+", positionOffset).as(c) : eb.ref(c))) as never),
          )
          .execute();
      }
    },
    drop,
  };
}
