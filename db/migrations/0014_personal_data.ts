import type { Kysely } from "kysely";

/**
 * Issue 13, personal data: when an administrator erased a person (their name and email replaced by
 * "Former member of <organisation>"), and when a closed workshop's guest names were erased under
 * GUEST_RETENTION_DAYS. Both are facts of record a page shows and the daily job reads, so that
 * erasing is never a guess from the wording of a name.
 *
 * Frozen in time: never edit a migration that has shipped; add a new numbered one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("erased_at", "text").execute();
  await db.schema.alterTable("workshops").addColumn("guest_names_erased_at", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("workshops").dropColumn("guest_names_erased_at").execute();
  await db.schema.alterTable("users").dropColumn("erased_at").execute();
}
