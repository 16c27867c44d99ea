import { sql, type Kysely } from "kysely";
import { autoId, int64 } from "./dialect";

// Frozen in time: never edit a migration that has shipped; add a new numbered one.
// Facilitated workshops on a plan (or an engagement proposal, which is a plan of another kind).
// Everything the room sees live is a row here, so a restart mid-session loses nothing.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("workshops")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    // As entered, UK local time: "2025-06-12T10:00".
    .addColumn("scheduled_for", "text", (c) => c.notNull())
    // scheduled | live | closed
    .addColumn("status", "text", (c) => c.notNull().defaultTo("scheduled"))
    // What guests type to join; only meaningful until the workshop closes.
    .addColumn("guest_code", "text", (c) => c.notNull().unique())
    .addColumn("current_item_id", int64(db))
    // The shared countdown, in server time (epoch ms). Running: remaining at started_at.
    // Paused: remaining now. Every screen computes the same figure from these.
    .addColumn("timer_total_ms", int64(db), (c) => c.notNull().defaultTo(0))
    .addColumn("timer_remaining_ms", int64(db), (c) => c.notNull().defaultTo(0))
    .addColumn("timer_started_at", int64(db))
    .addColumn("plan_locked", int64(db), (c) => c.notNull().defaultTo(0))
    .addColumn("locked_by", int64(db), (c) => c.references("users.id"))
    .addColumn("locked_at", "text")
    // Bumped by every change, in the same transaction: pages keep the newest state they saw.
    .addColumn("version", int64(db), (c) => c.notNull().defaultTo(1))
    .addColumn("created_by", int64(db), (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("started_at", "text")
    .addColumn("closed_at", "text")
    .addColumn("closed_by", int64(db), (c) => c.references("users.id"))
    .execute();
  await db.schema.createIndex("workshops_plan").on("workshops").columns(["plan_id", "status"]).execute();

  await db.schema
    .createTable("workshop_items")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshops.id").onDelete("cascade"))
    .addColumn("position", int64(db), (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    // priority | action | section | general
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("priority_id", "text", (c) => c.references("priorities.id"))
    .addColumn("action_id", "text", (c) => c.references("actions.id"))
    // A proposal section (or a plan's overview): one of the plan's rich-text documents.
    .addColumn("document_id", "text", (c) => c.references("documents.id"))
    .addColumn("time_box_minutes", int64(db), (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("workshop_items_workshop")
    .on("workshop_items")
    .columns(["workshop_id", "position"])
    .execute();

  await db.schema
    .createTable("workshop_invitations")
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshops.id").onDelete("cascade"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("invited_by", int64(db), (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("workshop_invitations_pk", ["workshop_id", "organisation_id"])
    .execute();

  // Attendance: one row per person per workshop, accounts and guests alike.
  await db.schema
    .createTable("workshop_participants")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshops.id").onDelete("cascade"))
    .addColumn("user_id", int64(db), (c) => c.references("users.id"))
    .addColumn("organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("display_name", "text", (c) => c.notNull())
    // facilitator | participant | guest
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("joined_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("workshop_participants_user")
    .unique()
    .on("workshop_participants")
    .columns(["workshop_id", "user_id"])
    .where(sql.ref("user_id"), "is not", null)
    .execute();

  // Guests' sessions: like `sessions`, only the token's hash is stored; valid for one workshop.
  await db.schema
    .createTable("workshop_guest_sessions")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshops.id").onDelete("cascade"))
    .addColumn("participant_id", int64(db), (c) =>
      c.notNull().references("workshop_participants.id").onDelete("cascade"),
    )
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("workshop_idea_groups")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshops.id").onDelete("cascade"))
    .addColumn("item_id", int64(db), (c) => c.notNull().references("workshop_items.id").onDelete("cascade"))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("workshop_ideas")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshops.id").onDelete("cascade"))
    .addColumn("item_id", int64(db), (c) => c.notNull().references("workshop_items.id").onDelete("cascade"))
    .addColumn("participant_id", int64(db), (c) => c.notNull().references("workshop_participants.id"))
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("group_id", int64(db), (c) => c.references("workshop_idea_groups.id").onDelete("set null"))
    // A merged idea stays in the record, shown under the idea it was merged into.
    .addColumn("merged_into_id", int64(db), (c) => c.references("workshop_ideas.id"))
    .addColumn("removed_at", "text")
    // capturing (an action is being made from it) | captured
    .addColumn("capture_status", "text")
    .addColumn("captured_action_id", "text", (c) => c.references("actions.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("workshop_ideas_item").on("workshop_ideas").columns(["item_id", "id"]).execute();

  await db.schema
    .createTable("workshop_votes")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshops.id").onDelete("cascade"))
    .addColumn("item_id", int64(db), (c) => c.notNull().references("workshop_items.id"))
    .addColumn("title", "text", (c) => c.notNull())
    // ideas | actions
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("allowance", int64(db), (c) => c.notNull())
    // open | closed
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("opened_by", int64(db), (c) => c.references("users.id"))
    .addColumn("opened_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .addColumn("revealed_at", "text")
    .execute();
  // One open vote per workshop: the room votes on one thing at a time.
  await db.schema
    .createIndex("workshop_votes_one_open")
    .unique()
    .on("workshop_votes")
    .column("workshop_id")
    .where(sql.ref("status"), "=", "open")
    .execute();

  // Labels are copied when the vote opens, so the record reads the same after later edits.
  await db.schema
    .createTable("workshop_vote_options")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("vote_id", int64(db), (c) => c.notNull().references("workshop_votes.id").onDelete("cascade"))
    .addColumn("position", int64(db), (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("idea_id", int64(db), (c) => c.references("workshop_ideas.id"))
    .addColumn("action_id", "text", (c) => c.references("actions.id"))
    .execute();

  // One row per dot. `slot` (1..allowance) is unique per voter and vote, so even two
  // transactions racing cannot give anyone more dots than the allowance.
  await db.schema
    .createTable("workshop_dots")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("vote_id", int64(db), (c) => c.notNull().references("workshop_votes.id").onDelete("cascade"))
    .addColumn("option_id", int64(db), (c) => c.notNull().references("workshop_vote_options.id").onDelete("cascade"))
    .addColumn("participant_id", int64(db), (c) => c.notNull().references("workshop_participants.id"))
    .addColumn("slot", int64(db), (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("workshop_dots_slot")
    .unique()
    .on("workshop_dots")
    .columns(["vote_id", "participant_id", "slot"])
    .execute();

  await db.schema
    .createTable("workshop_decisions")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshops.id").onDelete("cascade"))
    .addColumn("item_id", int64(db), (c) => c.references("workshop_items.id"))
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("idea_id", int64(db), (c) => c.references("workshop_ideas.id"))
    .addColumn("action_id", "text", (c) => c.references("actions.id"))
    .addColumn("recorded_by", int64(db), (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "workshop_decisions",
    "workshop_dots",
    "workshop_vote_options",
    "workshop_votes",
    "workshop_ideas",
    "workshop_idea_groups",
    "workshop_guest_sessions",
    "workshop_participants",
    "workshop_invitations",
    "workshop_items",
    "workshops",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
