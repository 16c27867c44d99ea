/** Comment threads on a proposal's text, their comments, mentions and events (the thread's history). */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { CommentEventTable, CommentTable, CommentThreadTable } from "../schema";

export async function findThreadOfPlan(db: DB, planId: string, threadId: string) {
  return db.selectFrom("comment_threads").selectAll().where("id", "=", threadId).where("plan_id", "=", planId).executeTakeFirst();
}

/** A comment with its thread's status and starter, only if the thread belongs to the plan. */
export async function findCommentOfPlan(db: DB, planId: string, commentId: number) {
  return db
    .selectFrom("comments")
    .innerJoin("comment_threads", "comment_threads.id", "comments.thread_id")
    .selectAll("comments")
    .select(["comment_threads.status as thread_status", "comment_threads.created_by as thread_created_by"])
    .where("comments.id", "=", commentId)
    .where("comment_threads.plan_id", "=", planId)
    .executeTakeFirst();
}

export async function insertCommentEvent(db: DB, row: Insertable<CommentEventTable>): Promise<void> {
  await db.insertInto("comment_events").values(row).execute();
}

export async function insertThread(db: DB, row: Insertable<CommentThreadTable>): Promise<void> {
  await db.insertInto("comment_threads").values(row).execute();
}

export async function insertComment(db: DB, row: Insertable<CommentTable>): Promise<number> {
  return (await db.insertInto("comments").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

export async function insertMention(db: DB, commentId: number, organisationId: string): Promise<void> {
  await db.insertInto("comment_mentions").values({ comment_id: commentId, organisation_id: organisationId }).execute();
}

export async function mentionedOrganisationIds(db: DB, commentId: number): Promise<string[]> {
  return (await db.selectFrom("comment_mentions").select("organisation_id").where("comment_id", "=", commentId).execute()).map(
    (m) => m.organisation_id,
  );
}

export async function deleteMentions(db: DB, commentId: number): Promise<void> {
  await db.deleteFrom("comment_mentions").where("comment_id", "=", commentId).execute();
}

export async function touchThread(db: DB, threadId: string, now: string): Promise<void> {
  await db.updateTable("comment_threads").set({ updated_at: now }).where("id", "=", threadId).execute();
}

export async function setThreadStatusRow(
  db: DB,
  threadId: string,
  row: { status: "open" | "resolved"; updated_at: string; resolved_by: number | null; resolved_at: string | null },
): Promise<void> {
  await db.updateTable("comment_threads").set(row).where("id", "=", threadId).execute();
}

/** Everyone who has a comment (not deleted) in the thread. */
export async function threadParticipants(db: DB, threadId: string) {
  return db
    .selectFrom("comments")
    .select("author_user_id")
    .distinct()
    .where("thread_id", "=", threadId)
    .where("deleted_at", "is", null)
    .execute();
}

export async function setCommentBody(db: DB, commentId: number, body: string, editedAt: string): Promise<void> {
  await db.updateTable("comments").set({ body, edited_at: editedAt }).where("id", "=", commentId).execute();
}

/** The author's deletion: the words go for good, the row keeps its place in the thread. */
export async function markCommentDeleted(db: DB, commentId: number, at: string): Promise<void> {
  await db.updateTable("comments").set({ body: "", deleted_at: at }).where("id", "=", commentId).execute();
}

export async function setCommentHidden(
  db: DB,
  commentId: number,
  hidden: { hidden_at: string | null; hidden_by: number | null; hidden_reason: string | null },
): Promise<void> {
  await db.updateTable("comments").set(hidden).where("id", "=", commentId).execute();
}
