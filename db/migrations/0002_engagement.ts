import { sql, type Kysely } from "kysely";
import { autoId, appendOnly, int64 } from "./dialect";

/**
 * Engagement proposals (plans of kind "engagement_proposal", their commitments are actions):
 * comment threads anchored in the text, mentions and notifications, visits, and the power-sharing
 * record with its acceptance requests and append-only history.
 * Frozen in time: never edit a migration that has shipped; add a new numbered one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // A thread is anchored in one document by a MarkNode carrying its id; the quote is what was
  // selected when it was made, kept for when that text is deleted (the thread is then "detached").
  await db.schema
    .createTable("comment_threads")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("document_id", "text", (c) => c.notNull().references("documents.id").onDelete("cascade"))
    .addColumn("quote", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open"))
    .addColumn("created_by", int64(db), (c) => c.notNull().references("users.id"))
    .addColumn("created_by_organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("resolved_by", int64(db), (c) => c.references("users.id"))
    .addColumn("resolved_at", "text")
    // The document_updates row that added the mark: not a text edit, left out of "what changed".
    .addColumn("mark_update_id", int64(db))
    .addCheckConstraint("comment_threads_status", sql`status in ('open', 'resolved')`)
    .execute();
  await db.schema
    .createIndex("comment_threads_plan")
    .on("comment_threads")
    .columns(["plan_id", "created_at"])
    .execute();

  await db.schema
    .createTable("comments")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("thread_id", "text", (c) => c.notNull().references("comment_threads.id").onDelete("cascade"))
    // Always the session's user and organisation, never the client's word.
    .addColumn("author_user_id", int64(db), (c) => c.notNull().references("users.id"))
    .addColumn("author_organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("edited_at", "text")
    // Deleted by its author: the body is blanked, the row stays so replies keep their place.
    .addColumn("deleted_at", "text")
    // Hidden by a facilitator, with who and why; the body is kept for the record.
    .addColumn("hidden_at", "text")
    .addColumn("hidden_by", int64(db), (c) => c.references("users.id"))
    .addColumn("hidden_reason", "text")
    .execute();
  await db.schema.createIndex("comments_thread").on("comments").columns(["thread_id", "id"]).execute();

  await db.schema
    .createTable("comment_mentions")
    .addColumn("comment_id", int64(db), (c) => c.notNull().references("comments.id").onDelete("cascade"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addPrimaryKeyConstraint("comment_mentions_pk", ["comment_id", "organisation_id"])
    .execute();

  // Who did what to a thread or comment: created, replied, edited, deleted, hidden, unhidden,
  // resolved, reopened. Append-only, like the ownership history.
  await db.schema
    .createTable("comment_events")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("thread_id", "text", (c) => c.notNull().references("comment_threads.id"))
    .addColumn("comment_id", int64(db), (c) => c.references("comments.id"))
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("actor_user_id", int64(db), (c) => c.notNull().references("users.id"))
    .addColumn("actor_organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("comment_events_thread").on("comment_events").columns(["thread_id", "id"]).execute();
  await appendOnly(db, "comment_events");

  await db.schema
    .createTable("notifications")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("user_id", int64(db), (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("thread_id", "text", (c) => c.references("comment_threads.id").onDelete("cascade"))
    .addColumn("comment_id", int64(db), (c) => c.references("comments.id").onDelete("cascade"))
    .addColumn("actor_user_id", int64(db), (c) => c.references("users.id"))
    .addColumn("actor_organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("read_at", "text")
    .execute();
  await db.schema.createIndex("notifications_user").on("notifications").columns(["user_id", "read_at", "id"]).execute();

  // "Since my last visit": last_seen_at is touched on every page load; a gap of more than half an
  // hour starts a new visit, and since_at becomes the end of the previous one.
  await db.schema
    .createTable("proposal_visits")
    .addColumn("user_id", int64(db), (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("since_at", "text")
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("proposal_visits_pk", ["user_id", "plan_id"])
    .execute();

  // The power-sharing record of an engagement commitment (an action of the proposal): per stage and
  // partner, the level that partner agreed to. Only agreed rows live here; proposals for another
  // partner wait in power_sharing_requests until that partner answers.
  await db.schema
    .createTable("power_sharing")
    .addColumn("action_id", "text", (c) => c.notNull().references("actions.id").onDelete("cascade"))
    .addColumn("stage", "text", (c) => c.notNull())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("commitment", "text", (c) => c.notNull())
    .addColumn("review_date", "text", (c) => c.notNull())
    .addColumn("agreed_by", int64(db), (c) => c.references("users.id"))
    .addColumn("agreed_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("power_sharing_pk", ["action_id", "stage", "organisation_id"])
    .addCheckConstraint("power_sharing_stage", sql`stage in ('plan', 'do', 'review')`)
    .addCheckConstraint(
      "power_sharing_level",
      sql`level in ('inform', 'consult', 'involve', 'collaborate', 'empower')`,
    )
    .execute();

  await db.schema
    .createTable("power_sharing_requests")
    .addColumn("action_id", "text", (c) => c.notNull().references("actions.id").onDelete("cascade"))
    .addColumn("stage", "text", (c) => c.notNull())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("commitment", "text", (c) => c.notNull())
    .addColumn("review_date", "text", (c) => c.notNull())
    .addColumn("requested_by", int64(db), (c) => c.references("users.id"))
    .addColumn("requested_by_organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("power_sharing_requests_pk", ["action_id", "stage", "organisation_id"])
    .addCheckConstraint("power_sharing_requests_stage", sql`stage in ('plan', 'do', 'review')`)
    .addCheckConstraint(
      "power_sharing_requests_level",
      sql`level in ('inform', 'consult', 'involve', 'collaborate', 'empower')`,
    )
    .execute();
  await db.schema
    .createIndex("power_sharing_requests_org")
    .on("power_sharing_requests")
    .column("organisation_id")
    .execute();

  await db.schema
    .createTable("power_sharing_history")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("action_id", "text", (c) => c.notNull().references("actions.id"))
    .addColumn("stage", "text", (c) => c.notNull())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    // set (by the partner itself), proposed, accepted, declined, withdrawn, superseded, removed
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("from_level", "text")
    .addColumn("from_commitment", "text")
    .addColumn("from_review_date", "text")
    .addColumn("to_level", "text")
    .addColumn("to_commitment", "text")
    .addColumn("to_review_date", "text")
    .addColumn("actor_user_id", int64(db), (c) => c.references("users.id"))
    .addColumn("actor_organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("power_sharing_history_action")
    .on("power_sharing_history")
    .columns(["action_id", "id"])
    .execute();
  await appendOnly(db, "power_sharing_history");
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "power_sharing_history",
    "power_sharing_requests",
    "power_sharing",
    "proposal_visits",
    "notifications",
    "comment_events",
    "comment_mentions",
    "comments",
    "comment_threads",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
