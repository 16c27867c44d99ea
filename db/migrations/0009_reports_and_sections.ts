import type { Kysely } from "kysely";
import { int64 } from "./dialect";

/**
 * Issue 16. The words a facilitator writes into the Cabinet / partnership-board report before
 * downloading it (the cover details, the recommendations put to the meeting and the reasons for
 * them), stored per plan so the next person to download gets the same paper. Every change is
 * also written to audit_log by the domain, in the same transaction.
 *
 * Sections of an engagement proposal are signed off with the tables of 0005 (subject_type
 * 'proposal_section'), so they need no table of their own.
 *
 * Frozen in time: never edit a migration that has shipped; add a new numbered one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("report_settings")
    .addColumn("plan_id", "text", (c) => c.primaryKey().references("plans.id").onDelete("cascade"))
    // e.g. "Cabinet" or "Team Bury partnership board"
    .addColumn("meeting", "text", (c) => c.notNull())
    // YYYY-MM-DD, or empty when not yet known
    .addColumn("meeting_date", "text", (c) => c.notNull())
    // e.g. "Leader of the Council and Cabinet Member for Strategic Partnerships"
    .addColumn("report_of", "text", (c) => c.notNull())
    // e.g. "Open" (part A) or "Part B: exempt"
    .addColumn("classification", "text", (c) => c.notNull())
    // Paragraphs separated by blank lines; each paragraph becomes one numbered recommendation.
    .addColumn("recommendations", "text", (c) => c.notNull())
    .addColumn("reasons", "text", (c) => c.notNull())
    .addColumn("updated_by", int64(db), (c) => c.references("users.id"))
    .addColumn("updated_by_organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("report_settings").execute();
}
