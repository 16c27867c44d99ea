/** The partnership's RAG rules, as rows a facilitator edits. */
import type { Insertable, Updateable } from "kysely";
import type { DB } from "../connection";
import type { RagRuleTable } from "../schema";

export async function findRagRule(db: DB, ruleId: string) {
  return db.selectFrom("rag_rules").selectAll().where("id", "=", ruleId).executeTakeFirst();
}

export async function updateRagRule(db: DB, ruleId: string, change: Updateable<RagRuleTable>): Promise<void> {
  await db.updateTable("rag_rules").set(change).where("id", "=", ruleId).execute();
}

export async function lastRagRulePosition(db: DB): Promise<number> {
  const last = await db.selectFrom("rag_rules").select((eb) => eb.fn.max("position").as("max")).executeTakeFirst();
  return Number(last?.max ?? 0);
}

export async function insertRagRule(db: DB, row: Insertable<RagRuleTable>): Promise<void> {
  await db.insertInto("rag_rules").values(row).execute();
}
