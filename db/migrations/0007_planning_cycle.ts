import type { Kysely } from "kysely";
import { int64 } from "./dialect";

/**
 * A partnership runs its own planning cycle: a plan has a period, can be archived (read-only for
 * everyone) and can be started from the previous one; priorities can be retired; a carried action
 * links back to the one it came from. History is written to audit_log (subject: plan or action id).
 *
 * Frozen in time: never edit a migration that has shipped; add a new numbered one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("plans").addColumn("period_start", "text").execute();
  await db.schema.alterTable("plans").addColumn("period_end", "text").execute();
  await db.schema.alterTable("plans").addColumn("archived_at", "text").execute();
  await db.schema.alterTable("plans").addColumn("archived_by", int64(db), (c) => c.references("users.id")).execute();
  await db.schema.alterTable("plans").addColumn("previous_plan_id", "text", (c) => c.references("plans.id")).execute();
  await db.schema.alterTable("plan_priorities").addColumn("retired_at", "text").execute();
  await db.schema
    .alterTable("actions")
    .addColumn("carried_from_action_id", "text", (c) => c.references("actions.id"))
    .execute();
  await db.schema.createIndex("actions_carried_from").on("actions").column("carried_from_action_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("actions_carried_from").execute();
  await db.schema.alterTable("actions").dropColumn("carried_from_action_id").execute();
  await db.schema.alterTable("plan_priorities").dropColumn("retired_at").execute();
  for (const c of ["previous_plan_id", "archived_by", "archived_at", "period_end", "period_start"]) {
    await db.schema.alterTable("plans").dropColumn(c).execute();
  }
}
