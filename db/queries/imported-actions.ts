/**
 * Writes a whole CSV import (server/domain/import-actions.ts) as a few multi-row inserts per
 * table instead of several statements per row: 2,000 rows row by row held the event loop for
 * seconds inside one transaction, and a write transaction must not yield (the sync server writes
 * synchronously through its own connection and would wait on the lock held here).
 */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { Database } from "../schema";

type Rows<T extends keyof Database> = Insertable<Database[T]>[];

export interface ImportedActionRows {
  documents: Rows<"documents">;
  documentUpdates: Rows<"document_updates">;
  actions: Rows<"actions">;
  owners: Rows<"action_owners">;
  ownershipHistory: Rows<"ownership_history">;
  milestones: Rows<"milestones">;
  milestoneChanges: Rows<"milestone_changes">;
  kpis: Rows<"action_kpis">;
  recommendations: Rows<"action_recommendations">;
}

// Well under SQLite's 32,766 bound parameters per statement for the widest table here.
const ROWS_PER_INSERT = 200;

async function insertChunked<T extends keyof Database & string>(db: DB, table: T, rows: Rows<T>) {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await db.insertInto(table).values(rows.slice(i, i + ROWS_PER_INSERT) as never).execute();
  }
}

/** In the order foreign keys need; `db` is the import's transaction. */
export async function insertImportedActions(db: DB, rows: ImportedActionRows): Promise<void> {
  await insertChunked(db, "documents", rows.documents);
  await insertChunked(db, "document_updates", rows.documentUpdates);
  await insertChunked(db, "actions", rows.actions);
  await insertChunked(db, "action_owners", rows.owners);
  await insertChunked(db, "ownership_history", rows.ownershipHistory);
  await insertChunked(db, "milestones", rows.milestones);
  await insertChunked(db, "milestone_changes", rows.milestoneChanges);
  await insertChunked(db, "action_kpis", rows.kpis);
  await insertChunked(db, "action_recommendations", rows.recommendations);
}
