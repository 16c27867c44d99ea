/** Ideas' words changing: by their author before grouping, or reworded by the facilitator. */
import type { Insertable, Updateable } from "kysely";
import type { DB } from "../connection";
import type { WorkshopIdeaGroupTable, WorkshopIdeaTable } from "../schema";

export interface IdeaEdit {
  /** Who last changed the words. */
  by: "author" | "facilitator";
  /** The words as first added. */
  original: string;
}

/** The latest change of each idea that has one. */
export async function readIdeaEdits(db: DB, ideaIds: number[]): Promise<Map<number, IdeaEdit>> {
  const out = new Map<number, IdeaEdit>();
  if (ideaIds.length === 0) return out;
  const rows = await db
    .selectFrom("workshop_idea_revisions")
    .select(["idea_id", "previous_text", "revised_by_role"])
    .where("idea_id", "in", ideaIds)
    .orderBy("id")
    .execute();
  for (const r of rows) {
    const seen = out.get(r.idea_id);
    out.set(r.idea_id, { by: r.revised_by_role, original: seen?.original ?? r.previous_text });
  }
  return out;
}

export async function writeIdeaText(
  db: DB,
  e: { ideaId: number; previous: string; text: string; role: "author" | "facilitator"; userId: number | null; now: string },
): Promise<void> {
  await db.updateTable("workshop_ideas").set({ text: e.text }).where("id", "=", e.ideaId).execute();
  await db
    .insertInto("workshop_idea_revisions")
    .values({ idea_id: e.ideaId, previous_text: e.previous, text: e.text, revised_by_role: e.role, revised_by: e.userId, created_at: e.now })
    .execute();
}

export async function hasMergedIdeas(db: DB, ideaId: number): Promise<boolean> {
  const row = await db.selectFrom("workshop_ideas").select("id").where("merged_into_id", "=", ideaId).where("removed_at", "is", null).executeTakeFirst();
  return row !== undefined;
}

export async function workshopSettings(db: DB, workshopId: string) {
  return db.selectFrom("workshops").select(["anonymous_ideas", "auto_start_timer"]).where("id", "=", workshopId).executeTakeFirst();
}

export async function writeWorkshopSettings(db: DB, workshopId: string, s: { anonymousIdeas: boolean; autoStartTimer: boolean }): Promise<void> {
  await db
    .updateTable("workshops")
    .set({ anonymous_ideas: s.anonymousIdeas ? 1 : 0, auto_start_timer: s.autoStartTimer ? 1 : 0 })
    .where("id", "=", workshopId)
    .execute();
}

export async function findPlanKind(db: DB, planId: string) {
  return (await db.selectFrom("plans").select("kind").where("id", "=", planId).executeTakeFirst())?.kind ?? null;
}

export async function findIdea(db: DB, ideaId: number) {
  return db.selectFrom("workshop_ideas").selectAll().where("id", "=", ideaId).executeTakeFirst();
}

/** Claims an idea for capture, so a double click cannot make its action twice. */
export async function claimIdeaForCapture(db: DB, ideaId: number): Promise<void> {
  await db.updateTable("workshop_ideas").set({ capture_status: "capturing" }).where("id", "=", ideaId).execute();
}

/** Releases a claim that did not lead to an action; a captured idea stays captured. */
export async function releaseCaptureClaim(db: DB, ideaId: number): Promise<void> {
  await db.updateTable("workshop_ideas").set({ capture_status: null }).where("id", "=", ideaId).where("capture_status", "=", "capturing").execute();
}

export async function markIdeaCaptured(db: DB, ideaId: number, actionId: string): Promise<void> {
  await db.updateTable("workshop_ideas").set({ capture_status: "captured", captured_action_id: actionId }).where("id", "=", ideaId).execute();
}

/** Releases every claim (at start-up: no request that made one is still running). */
export async function releaseAllCaptureClaims(db: DB): Promise<number> {
  const res = await db.updateTable("workshop_ideas").set({ capture_status: null }).where("capture_status", "=", "capturing").executeTakeFirst();
  return Number(res.numUpdatedRows ?? 0);
}

/** Whether any of these ideas is an option of a vote still open. */
export async function anyIdeaInOpenVote(db: DB, ideaIds: number[]): Promise<boolean> {
  const row = await db
    .selectFrom("workshop_vote_options as o")
    .innerJoin("workshop_votes as v", "v.id", "o.vote_id")
    .select("o.id")
    .where("o.idea_id", "in", ideaIds)
    .where("v.status", "=", "open")
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertIdea(db: DB, row: Insertable<WorkshopIdeaTable>): Promise<void> {
  await db.insertInto("workshop_ideas").values(row).execute();
}

/** Changes columns of one idea (removed, grouped, merged). */
export async function updateIdea(db: DB, ideaId: number, change: Updateable<WorkshopIdeaTable>): Promise<void> {
  await db.updateTable("workshop_ideas").set(change).where("id", "=", ideaId).execute();
}

/** Moves the ideas merged into one idea: under another (`intoId`) or back on the board (null). */
export async function moveMergedIdeas(db: DB, fromIdeaId: number, intoId: number | null): Promise<void> {
  await db.updateTable("workshop_ideas").set({ merged_into_id: intoId }).where("merged_into_id", "=", fromIdeaId).execute();
}

export async function insertIdeaGroup(db: DB, row: Insertable<WorkshopIdeaGroupTable>): Promise<void> {
  await db.insertInto("workshop_idea_groups").values(row).execute();
}

export async function findIdeaGroup(db: DB, groupId: number) {
  return db.selectFrom("workshop_idea_groups").selectAll().where("id", "=", groupId).executeTakeFirst();
}
