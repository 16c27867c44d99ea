/** Suggested changes to an action's or a proposal's text: proposed by commenters, decided by editors. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { SuggestionStatus, SuggestionTable } from "../schema";

export async function insertSuggestion(db: DB, row: Insertable<SuggestionTable>): Promise<void> {
  await db.insertInto("suggestions").values(row).execute();
}

/**
 * A suggestion with the title of what it is on (its action, or for a proposal's own text the
 * proposal) and its author's names.
 */
export async function findSuggestionWithAuthor(db: DB, suggestionId: string) {
  const row = await db
    .selectFrom("suggestions")
    .leftJoin("actions", (j) => j.onRef("actions.id", "=", "suggestions.subject_id").on("suggestions.subject_type", "!=", "proposal_text"))
    .innerJoin("plans", "plans.id", "suggestions.plan_id")
    .innerJoin("users", "users.id", "suggestions.author_user_id")
    .innerJoin("organisations", "organisations.id", "suggestions.author_organisation_id")
    .select([
      "suggestions.id",
      "suggestions.plan_id",
      "suggestions.subject_type",
      "suggestions.subject_id",
      "suggestions.document_id",
      "suggestions.author_user_id",
      "suggestions.author_organisation_id",
      "suggestions.block_index",
      "suggestions.start_offset",
      "suggestions.end_offset",
      "suggestions.quote",
      "suggestions.replacement",
      "suggestions.status",
      "actions.title as action_title_or_null",
      "plans.title as plan_title",
      "users.name as author_name",
      "organisations.name as author_organisation_name",
    ])
    .where("suggestions.id", "=", suggestionId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { action_title_or_null, plan_title, ...rest } = row;
  return { ...rest, action_title: action_title_or_null ?? plan_title };
}

/** Every suggestion on a plan, newest first, with its author's and decider's names. */
export async function listPlanSuggestions(db: DB, planId: string) {
  return db
    .selectFrom("suggestions as s")
    .innerJoin("users as u", "u.id", "s.author_user_id")
    .innerJoin("organisations as o", "o.id", "s.author_organisation_id")
    .leftJoin("users as d", "d.id", "s.decided_by_user_id")
    .leftJoin("organisations as dorg", "dorg.id", "s.decided_by_organisation_id")
    .select([
      "s.id",
      "s.document_id",
      "s.subject_type",
      "s.subject_id",
      "s.author_user_id",
      "s.quote",
      "s.replacement",
      "s.note",
      "s.status",
      "s.created_at",
      "s.decided_at",
      "u.name as author_name",
      "o.name as author_organisation_name",
      "d.name as decided_by_name",
      "dorg.name as decided_by_organisation_name",
    ])
    .where("s.plan_id", "=", planId)
    .orderBy("s.created_at", "desc")
    .execute();
}

/**
 * Closes a suggestion that is still open (accepted, rejected or withdrawn). False when it was not
 * open any more: someone else decided it first.
 */
export async function closeOpenSuggestion(
  db: DB,
  suggestionId: string,
  decision: { status: Exclude<SuggestionStatus, "open">; decided_by_user_id: number; decided_by_organisation_id: string; decided_at: string; decision_note?: string },
): Promise<boolean> {
  const updated = await db.updateTable("suggestions").set(decision).where("id", "=", suggestionId).where("status", "=", "open").executeTakeFirst();
  return Number(updated.numUpdatedRows) !== 0;
}
