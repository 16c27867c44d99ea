/** Suggested changes to an action's text: proposed by commenters, decided by editors. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { SuggestionStatus, SuggestionTable } from "../schema";

export async function insertSuggestion(db: DB, row: Insertable<SuggestionTable>): Promise<void> {
  await db.insertInto("suggestions").values(row).execute();
}

/** A suggestion with its action's title and its author's names. */
export async function findSuggestionWithAuthor(db: DB, suggestionId: string) {
  return db
    .selectFrom("suggestions")
    .innerJoin("actions", "actions.id", "suggestions.subject_id")
    .innerJoin("users", "users.id", "suggestions.author_user_id")
    .innerJoin("organisations", "organisations.id", "suggestions.author_organisation_id")
    .select([
      "suggestions.id",
      "suggestions.plan_id",
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
      "actions.title as action_title",
      "users.name as author_name",
      "organisations.name as author_organisation_name",
    ])
    .where("suggestions.id", "=", suggestionId)
    .executeTakeFirst();
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
