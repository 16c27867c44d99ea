import { sql, type Kysely } from "kysely";
import { autoId, binary, appendOnly, int64 } from "./dialect";

/**
 * Accountability (issue 5): milestones, KPIs and links, progress updates, RAG rules as data,
 * recorded status reports (direction of travel), and named versions of a plan's text.
 * Frozen in time: never edit a migration that has shipped; add a new numbered one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // The Corporate Plan's operational KPIs, per department (section 8).
  await db.schema
    .createTable("kpis")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("department_id", "text", (c) => c.references("departments.id"))
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("position", int64(db), (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("action_kpis")
    .addColumn("action_id", "text", (c) => c.notNull().references("actions.id").onDelete("cascade"))
    .addColumn("kpi_id", "text", (c) => c.notNull().references("kpis.id"))
    .addColumn("linked_by", int64(db), (c) => c.references("users.id"))
    .addColumn("linked_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("action_kpis_pk", ["action_id", "kpi_id"])
    .execute();
  await db.schema.createIndex("action_kpis_kpi").on("action_kpis").column("kpi_id").execute();

  await db.schema
    .createTable("action_recommendations")
    .addColumn("action_id", "text", (c) => c.notNull().references("actions.id").onDelete("cascade"))
    .addColumn("recommendation_id", "text", (c) => c.notNull().references("recommendations.id"))
    .addColumn("linked_by", int64(db), (c) => c.references("users.id"))
    .addColumn("linked_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("action_recommendations_pk", ["action_id", "recommendation_id"])
    .execute();
  await db.schema
    .createIndex("action_recommendations_rec")
    .on("action_recommendations")
    .column("recommendation_id")
    .execute();

  // Dates are calendar dates (YYYY-MM-DD), as councils report them; removal is a mark, not a delete.
  await db.schema
    .createTable("milestones")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("action_id", "text", (c) => c.notNull().references("actions.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("due_date", "text", (c) => c.notNull())
    .addColumn("completed_on", "text")
    .addColumn("completed_by", int64(db), (c) => c.references("users.id"))
    .addColumn("position", int64(db), (c) => c.notNull())
    .addColumn("removed_at", "text")
    .addColumn("created_by", int64(db), (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("milestones_action").on("milestones").columns(["action_id", "position"]).execute();

  // Every change to a milestone, kept: a due date moved quietly is how slippage hides.
  await db.schema
    .createTable("milestone_changes")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("milestone_id", "text", (c) => c.notNull().references("milestones.id"))
    .addColumn("action_id", "text", (c) => c.notNull().references("actions.id"))
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("from_value", "text")
    .addColumn("to_value", "text")
    .addColumn("actor_user_id", int64(db), (c) => c.references("users.id"))
    .addColumn("actor_organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("milestone_changes_action")
    .on("milestone_changes")
    .columns(["action_id", "id"])
    .execute();

  await db.schema
    .createTable("progress_updates")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("action_id", "text", (c) => c.notNull().references("actions.id"))
    // on_track | at_risk | off_track, as the owner reports it.
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("reported_on", "text", (c) => c.notNull())
    .addColumn("narrative", "text", (c) => c.notNull())
    .addColumn("mitigation", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("author_user_id", int64(db), (c) => c.notNull().references("users.id"))
    .addColumn("author_organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("progress_updates_action")
    .on("progress_updates")
    .columns(["action_id", "reported_on", "id"])
    .execute();

  // The partnership's RAG rules: data a facilitator edits, read by a pure evaluator.
  await db.schema
    .createTable("rag_rules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("position", int64(db), (c) => c.notNull())
    .addColumn("colour", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("days", int64(db))
    .addColumn("since_days", int64(db))
    .addColumn("report_status", "text")
    .addColumn("enabled", int64(db), (c) => c.notNull().defaultTo(1))
    .addColumn("updated_by", int64(db), (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  // A status report as issued to the board: the statuses it showed are kept as they were.
  await db.schema
    .createTable("status_reports")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("as_at", "text", (c) => c.notNull())
    .addColumn("created_by", int64(db), (c) => c.references("users.id"))
    .addColumn("created_by_organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("status_reports_plan").on("status_reports").columns(["plan_id", "as_at"]).execute();
  await db.schema
    .createTable("status_report_entries")
    .addColumn("report_id", int64(db), (c) => c.notNull().references("status_reports.id"))
    .addColumn("action_id", "text", (c) => c.notNull().references("actions.id"))
    .addColumn("rag", "text", (c) => c.notNull())
    .addColumn("reasons", "text", (c) => c.notNull().defaultTo("[]"))
    .addPrimaryKeyConstraint("status_report_entries_pk", ["report_id", "action_id"])
    .execute();

  // Named versions: the full Yjs state of every document of the plan at that moment.
  await db.schema
    .createTable("plan_versions")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    // named | before_restore | restored
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("named"))
    .addColumn("restored_from_version_id", int64(db), (c) => c.references("plan_versions.id"))
    .addColumn("created_by", int64(db), (c) => c.references("users.id"))
    .addColumn("created_by_organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("plan_versions_plan").on("plan_versions").columns(["plan_id", "id"]).execute();
  await db.schema
    .createTable("plan_version_documents")
    .addColumn("version_id", int64(db), (c) => c.notNull().references("plan_versions.id"))
    .addColumn("document_id", "text", (c) => c.notNull().references("documents.id"))
    .addColumn("action_id", "text", (c) => c.references("actions.id"))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("position", int64(db), (c) => c.notNull())
    .addColumn("state", binary(db), (c) => c.notNull())
    // JSON array of the paragraphs read from `state` when the version was saved.
    .addColumn("paragraphs", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("plan_version_documents_pk", ["version_id", "document_id"])
    .execute();

  // Records partners hold each other to account with are never rewritten.
  for (const table of [
    "milestone_changes",
    "progress_updates",
    "status_reports",
    "status_report_entries",
    "plan_versions",
    "plan_version_documents",
  ]) {
    await appendOnly(db, table, "\n         ");
  }

  // Default rules, so a partnership without seed data still gets statuses; a facilitator edits them.
  const now = new Date().toISOString();
  const rules = [
    { id: "rule-overdue-red", colour: "red", kind: "milestone_overdue", days: 14, since_days: null, report_status: null },
    { id: "rule-off-track", colour: "red", kind: "owner_reports", days: null, since_days: null, report_status: "off_track" },
    { id: "rule-at-risk", colour: "amber", kind: "owner_reports", days: null, since_days: null, report_status: "at_risk" },
    { id: "rule-overdue-amber", colour: "amber", kind: "milestone_overdue", days: 0, since_days: null, report_status: null },
    { id: "rule-due-soon-quiet", colour: "amber", kind: "due_soon_without_update", days: 14, since_days: 30, report_status: null },
    { id: "rule-no-lead", colour: "amber", kind: "no_lead", days: null, since_days: null, report_status: null },
    { id: "rule-stale", colour: "amber", kind: "no_recent_update", days: 92, since_days: null, report_status: null },
  ];
  for (const [i, r] of rules.entries()) {
    await db
      .insertInto("rag_rules")
      .values({ ...r, position: i + 1, enabled: 1, updated_by: null, updated_at: now })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "plan_version_documents",
    "plan_versions",
    "status_report_entries",
    "status_reports",
    "rag_rules",
    "progress_updates",
    "milestone_changes",
    "milestones",
    "action_recommendations",
    "action_kpis",
    "kpis",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
