/**
 * Dot votes of a workshop: a vote, its options and each person's dots, as the domain writes them
 * inside one transaction (the live view of votes is read by readVotes in ./workshops).
 */
import type { Insertable, Updateable } from "kysely";
import type { DB } from "../connection";
import { lockingRows } from "../dialect";
import type { WorkshopDotTable, WorkshopVoteOptionTable, WorkshopVoteTable } from "../schema";

export async function findVote(db: DB, voteId: number) {
  return db.selectFrom("workshop_votes").selectAll().where("id", "=", voteId).executeTakeFirst();
}

export async function findOpenVote(db: DB, workshopId: string) {
  return db.selectFrom("workshop_votes").select("title").where("workshop_id", "=", workshopId).where("status", "=", "open").executeTakeFirst();
}

/** The ideas of an agenda item a vote can be on: not removed, not merged into another. */
export async function votableIdeas(db: DB, itemId: number) {
  return db
    .selectFrom("workshop_ideas")
    .select(["id", "text"])
    .where("item_id", "=", itemId)
    .where("removed_at", "is", null)
    .where("merged_into_id", "is", null)
    .orderBy("id")
    .execute();
}

export async function findActionPriority(db: DB, actionId: string): Promise<string | null> {
  return (await db.selectFrom("actions").select("priority_id").where("id", "=", actionId).executeTakeFirst())?.priority_id ?? null;
}

/** A plan's actions in order, under one priority when given. */
export async function votableActions(db: DB, planId: string, priorityId: string | null) {
  let q = db.selectFrom("actions").select(["id", "title"]).where("plan_id", "=", planId).orderBy("position");
  if (priorityId) q = q.where("priority_id", "=", priorityId);
  return q.execute();
}

export async function insertVote(db: DB, row: Insertable<WorkshopVoteTable>): Promise<number> {
  const vote = await db.insertInto("workshop_votes").values(row).returning("id").executeTakeFirstOrThrow();
  return vote.id;
}

export async function insertVoteOption(db: DB, row: Insertable<WorkshopVoteOptionTable>): Promise<void> {
  await db.insertInto("workshop_vote_options").values(row).execute();
}

export async function findVoteOption(db: DB, voteId: number, optionId: number) {
  return db.selectFrom("workshop_vote_options").select("id").where("id", "=", optionId).where("vote_id", "=", voteId).executeTakeFirst();
}

/**
 * Holds one participant's row until the transaction ends, so that one person's requests (two
 * tabs, two devices) count and place their dots one after the other: without it, on PostgreSQL
 * two of them read the same free slot and one is refused although the person had a vote left.
 */
export async function lockParticipantForVoting(db: DB, participantId: number): Promise<void> {
  await lockingRows(db, db.selectFrom("workshop_participants").select("id").where("id", "=", participantId)).execute();
}

/** The slots of the dots one person has placed in a vote. */
export async function dotSlotsOf(db: DB, voteId: number, participantId: number) {
  return db.selectFrom("workshop_dots").select("slot").where("vote_id", "=", voteId).where("participant_id", "=", participantId).execute();
}

export async function insertDot(db: DB, row: Insertable<WorkshopDotTable>): Promise<void> {
  await db.insertInto("workshop_dots").values(row).execute();
}

/** One person's latest dot on an option. */
export async function findLatestDot(db: DB, voteId: number, optionId: number, participantId: number) {
  return db
    .selectFrom("workshop_dots")
    .select("id")
    .where("vote_id", "=", voteId)
    .where("option_id", "=", optionId)
    .where("participant_id", "=", participantId)
    .orderBy("id", "desc")
    .executeTakeFirst();
}

export async function deleteDot(db: DB, dotId: number): Promise<void> {
  await db.deleteFrom("workshop_dots").where("id", "=", dotId).execute();
}

export async function updateVote(db: DB, voteId: number, change: Updateable<WorkshopVoteTable>): Promise<void> {
  await db.updateTable("workshop_votes").set(change).where("id", "=", voteId).execute();
}
