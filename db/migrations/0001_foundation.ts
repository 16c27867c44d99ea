import { sql, type Kysely } from "kysely";
import { autoId, binary, appendOnly, int64 } from "./dialect";

// Frozen in time: never edit a migration that has shipped; add a new numbered one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("organisations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("short_name", "text", (c) => c.notNull())
    .addColumn("sector", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("password_hash", "text", (c) => c.notNull())
    // member | facilitator | admin: partnership-wide role; per-plan rights live in plan_grants.
    .addColumn("system_role", "text", (c) => c.notNull().defaultTo("member"))
    .addColumn("job_title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sessions")
    // sha256 of the cookie token, so a copy of the database gives no live sessions.
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", int64(db), (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("ip", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("user_agent", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("strategies")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("vision", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("source", "text", (c) => c.notNull().defaultTo(""))
    .execute();

  await db.schema
    .createTable("themes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("strategy_id", "text", (c) => c.notNull().references("strategies.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("position", int64(db), (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("departments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("lead_organisation_id", "text", (c) => c.references("organisations.id"))
    .execute();

  await db.schema
    .createTable("priorities")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("strategy_id", "text", (c) => c.notNull().references("strategies.id"))
    .addColumn("theme_id", "text", (c) => c.references("themes.id"))
    .addColumn("department_id", "text", (c) => c.references("departments.id"))
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("position", int64(db), (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("recommendations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("plans")
    .addColumn("id", "text", (c) => c.primaryKey())
    // action_plan now; engagement_proposal and others later share rights, documents and sync.
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("action_plan"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("strategy_id", "text", (c) => c.references("strategies.id"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("draft"))
    .addColumn("created_by", int64(db), (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("plan_recommendations")
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("recommendation_id", "text", (c) => c.notNull().references("recommendations.id"))
    .addPrimaryKeyConstraint("plan_recommendations_pk", ["plan_id", "recommendation_id"])
    .execute();

  // The strategy priorities a plan works under, in the order the plan shows them.
  await db.schema
    .createTable("plan_priorities")
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("priority_id", "text", (c) => c.notNull().references("priorities.id"))
    .addColumn("position", int64(db), (c) => c.notNull())
    .addPrimaryKeyConstraint("plan_priorities_pk", ["plan_id", "priority_id"])
    .execute();

  // Rights per plan, for a whole organisation or one user; a user grant overrides the organisation's.
  await db.schema
    .createTable("plan_grants")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("user_id", int64(db), (c) => c.references("users.id"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("granted_by", int64(db), (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addCheckConstraint(
      "plan_grants_one_subject",
      sql`(organisation_id is null) <> (user_id is null)`,
    )
    .execute();
  await db.schema
    .createIndex("plan_grants_org")
    .unique()
    .on("plan_grants")
    .columns(["plan_id", "organisation_id"])
    .where(sql.ref("organisation_id"), "is not", null)
    .execute();
  await db.schema
    .createIndex("plan_grants_user")
    .unique()
    .on("plan_grants")
    .columns(["plan_id", "user_id"])
    .where(sql.ref("user_id"), "is not", null)
    .execute();

  // One Yjs document per rich-text body: a plan's overview, each action's description.
  await db.schema
    .createTable("documents")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    // Plain text as of the last compaction: for listings and the page before the editor loads.
    .addColumn("plain_text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("documents_plan").on("documents").column("plan_id").execute();

  await db.schema
    .createTable("document_updates")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("document_id", "text", (c) => c.notNull().references("documents.id"))
    .addColumn("update", binary(db), (c) => c.notNull())
    .addColumn("user_id", int64(db), (c) => c.references("users.id"))
    .addColumn("organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("document_updates_doc")
    .on("document_updates")
    .columns(["document_id", "id"])
    .execute();

  await db.schema
    .createTable("document_snapshots")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("document_id", "text", (c) => c.notNull().references("documents.id"))
    .addColumn("state", binary(db), (c) => c.notNull())
    .addColumn("state_vector", binary(db), (c) => c.notNull())
    // The snapshot holds every update with id <= this one.
    .addColumn("last_update_id", int64(db), (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("document_snapshots_doc")
    .on("document_snapshots")
    .columns(["document_id", "id"])
    .execute();

  await db.schema
    .createTable("actions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("priority_id", "text", (c) => c.references("priorities.id"))
    .addColumn("document_id", "text", (c) => c.notNull().references("documents.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("draft"))
    .addColumn("due_label", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("position", int64(db), (c) => c.notNull())
    .addColumn("created_by", int64(db), (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("actions_plan").on("actions").columns(["plan_id", "position"]).execute();

  // Current ownership: at most one lead per action, any number of supporting partners.
  await db.schema
    .createTable("action_owners")
    .addColumn("action_id", "text", (c) => c.notNull().references("actions.id").onDelete("cascade"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("requested_by", int64(db), (c) => c.references("users.id"))
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addColumn("responded_by", int64(db), (c) => c.references("users.id"))
    .addColumn("responded_at", "text")
    .addPrimaryKeyConstraint("action_owners_pk", ["action_id", "organisation_id"])
    .execute();
  await db.schema
    .createIndex("action_owners_one_lead")
    .unique()
    .on("action_owners")
    .column("action_id")
    .where(sql.ref("role"), "=", "lead")
    .execute();
  await db.schema.createIndex("action_owners_org").on("action_owners").column("organisation_id").execute();

  await db.schema
    .createTable("ownership_history")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("action_id", "text", (c) => c.notNull().references("actions.id"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("from_role", "text")
    .addColumn("from_status", "text")
    .addColumn("to_role", "text")
    .addColumn("to_status", "text")
    .addColumn("actor_user_id", int64(db), (c) => c.references("users.id"))
    .addColumn("actor_organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("ownership_history_action")
    .on("ownership_history")
    .columns(["action_id", "id"])
    .execute();
  // Append-only: the trail partners hold each other to account with cannot be rewritten.
  await appendOnly(db, "ownership_history");

  // General audit trail for facts of record (grants, accounts, plans).
  await db.schema
    .createTable("audit_log")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("actor_user_id", int64(db), (c) => c.references("users.id"))
    .addColumn("actor_organisation_id", "text")
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "audit_log",
    "ownership_history",
    "action_owners",
    "actions",
    "document_snapshots",
    "document_updates",
    "documents",
    "plan_grants",
    "plan_priorities",
    "plan_recommendations",
    "plans",
    "recommendations",
    "priorities",
    "departments",
    "themes",
    "strategies",
    "sessions",
    "users",
    "organisations",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
