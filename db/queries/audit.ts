/** The audit log: facts of record and who caused them. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { AuditLogTable } from "../schema";

/** The latest changes to the RAG rules, with who made them. */
export async function recentRagRuleChanges(db: DB) {
  return db
    .selectFrom("audit_log")
    .leftJoin("users", "users.id", "audit_log.actor_user_id")
    .leftJoin("organisations", "organisations.id", "audit_log.actor_organisation_id")
    .select(["audit_log.id", "audit_log.event", "audit_log.detail", "audit_log.created_at", "users.name", "organisations.name as organisation"])
    .where("audit_log.event", "in", ["rag_rule.changed", "rag_rule.added"])
    .orderBy("audit_log.id", "desc")
    .limit(20)
    .execute();
}

/** One audit row, written in the caller's transaction so the fact and its record commit together. */
export async function insertAuditRow(db: DB, row: Insertable<AuditLogTable>): Promise<void> {
  await db.insertInto("audit_log").values(row).execute();
}
