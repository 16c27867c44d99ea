import { sql, type Kysely } from "kysely";
import { autoId, dropNotNull, int64 } from "./dialect";

// Frozen in time: never edit a migration that has shipped; add a new numbered one.
// Issue 15: more ways for a workshop to decide (single-choice polls, consent checks), anonymous
// ideas, ideas edited by their authors or reworded by the facilitator, and time boxes that start
// by themselves.
export async function up(db: Kysely<any>): Promise<void> {
  // Per-workshop settings. Anonymous: ideas added while it is on are stored with no participant.
  await db.schema.alterTable("workshops").addColumn("anonymous_ideas", int64(db), (c) => c.notNull().defaultTo(0)).execute();
  // Time boxes: moving to the next item starts its timer at once.
  await db.schema.alterTable("workshops").addColumn("auto_start_timer", int64(db), (c) => c.notNull().defaultTo(0)).execute();

  await allowAnonymousIdeas(db);

  // Every change of an idea's words, with the words it had before and who changed them.
  await db.schema
    .createTable("workshop_idea_revisions")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("idea_id", int64(db), (c) => c.notNull().references("workshop_ideas.id").onDelete("cascade"))
    .addColumn("previous_text", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    // author | facilitator
    .addColumn("revised_by_role", "text", (c) => c.notNull())
    // The facilitator's account; null for an author (who may be a guest, or anonymous).
    .addColumn("revised_by", int64(db), (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("workshop_idea_revisions_idea").on("workshop_idea_revisions").columns(["idea_id", "id"]).execute();

  await db.schema
    .createTable("workshop_polls")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshops.id").onDelete("cascade"))
    .addColumn("item_id", int64(db), (c) => c.notNull().references("workshop_items.id"))
    // choice (one option of several) | consent (agree, stand aside, object)
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("question", "text", (c) => c.notNull())
    // open | closed; results are shown once closed
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("opened_by", int64(db), (c) => c.references("users.id"))
    .addColumn("opened_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .execute();
  // One open poll per workshop: the room answers one question at a time.
  await db.schema
    .createIndex("workshop_polls_one_open")
    .unique()
    .on("workshop_polls")
    .column("workshop_id")
    .where(sql.ref("status"), "=", "open")
    .execute();

  await db.schema
    .createTable("workshop_poll_options")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("poll_id", int64(db), (c) => c.notNull().references("workshop_polls.id").onDelete("cascade"))
    .addColumn("position", int64(db), (c) => c.notNull())
    // For consent checks: agree | stand_aside | object
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .execute();

  // The current answer: one per person and poll, held by the unique index even against races.
  await db.schema
    .createTable("workshop_poll_answers")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("poll_id", int64(db), (c) => c.notNull().references("workshop_polls.id").onDelete("cascade"))
    .addColumn("participant_id", int64(db), (c) => c.notNull().references("workshop_participants.id"))
    .addColumn("option_id", int64(db), (c) => c.notNull().references("workshop_poll_options.id"))
    .addColumn("reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("workshop_poll_answers_one")
    .unique()
    .on("workshop_poll_answers")
    .columns(["poll_id", "participant_id"])
    .execute();

  // Every answer given, changed answers included: the record of how the room got there.
  await db.schema
    .createTable("workshop_poll_answer_history")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("poll_id", int64(db), (c) => c.notNull().references("workshop_polls.id").onDelete("cascade"))
    .addColumn("participant_id", int64(db), (c) => c.notNull().references("workshop_participants.id"))
    .addColumn("option_id", int64(db), (c) => c.notNull().references("workshop_poll_options.id"))
    .addColumn("reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

/** `workshop_ideas.participant_id` loses its NOT NULL (SQLite rebuilds the table for it). */
async function allowAnonymousIdeas(db: Kysely<any>): Promise<void> {
  await dropNotNull(db, "workshop_ideas", "participant_id", async (trx) => {
    await trx.schema
      .createTable("workshop_ideas_next")
      .addColumn("id", int64(db), autoId(db))
      .addColumn("workshop_id", "text", (c) => c.notNull().references("workshops.id").onDelete("cascade"))
      .addColumn("item_id", int64(db), (c) => c.notNull().references("workshop_items.id").onDelete("cascade"))
      .addColumn("participant_id", int64(db), (c) => c.references("workshop_participants.id"))
      .addColumn("text", "text", (c) => c.notNull())
      .addColumn("group_id", int64(db), (c) => c.references("workshop_idea_groups.id").onDelete("set null"))
      .addColumn("merged_into_id", int64(db), (c) => c.references("workshop_ideas.id"))
      .addColumn("removed_at", "text")
      .addColumn("capture_status", "text")
      .addColumn("captured_action_id", "text", (c) => c.references("actions.id"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await sql`INSERT INTO workshop_ideas_next (id, workshop_id, item_id, participant_id, text, group_id, merged_into_id, removed_at, capture_status, captured_action_id, created_at)
      SELECT id, workshop_id, item_id, participant_id, text, group_id, merged_into_id, removed_at, capture_status, captured_action_id, created_at FROM workshop_ideas`.execute(trx);
    await trx.schema.dropTable("workshop_ideas").execute();
    await trx.schema.alterTable("workshop_ideas_next").renameTo("workshop_ideas").execute();
    await trx.schema.createIndex("workshop_ideas_item").on("workshop_ideas").columns(["item_id", "id"]).execute();
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["workshop_poll_answer_history", "workshop_poll_answers", "workshop_poll_options", "workshop_polls", "workshop_idea_revisions"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await db.schema.alterTable("workshops").dropColumn("auto_start_timer").execute();
  await db.schema.alterTable("workshops").dropColumn("anonymous_ideas").execute();
}
