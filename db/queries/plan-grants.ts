/** Who holds which role on a plan: grants to organisations and to single people. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { PlanGrantTable } from "../schema";

export async function grantedOrganisationIds(db: DB, planId: string) {
  return db.selectFrom("plan_grants").select("organisation_id").where("plan_id", "=", planId).execute();
}

export async function organisationGrantsOfPlan(db: DB, planId: string) {
  return db.selectFrom("plan_grants").select(["organisation_id", "role"]).where("plan_id", "=", planId).where("organisation_id", "is not", null).execute();
}

/** Organisations that take part in a plan (editors and commenters), for the board's coverage matrix. */
export async function partnersTakingPart(db: DB, planId: string) {
  return db
    .selectFrom("plan_grants")
    .innerJoin("organisations", "organisations.id", "plan_grants.organisation_id")
    .select(["organisations.id", "organisations.name", "organisations.short_name as shortName"])
    .where("plan_grants.plan_id", "=", planId)
    .where("plan_grants.role", "in", ["editor", "commenter"])
    .execute();
}

/** Every grant on every plan, with whom it names, for the administration page. */
export async function listGrantsForAdministration(db: DB) {
  return db
    .selectFrom("plan_grants")
    .innerJoin("plans", "plans.id", "plan_grants.plan_id")
    .leftJoin("organisations", "organisations.id", "plan_grants.organisation_id")
    .leftJoin("users", "users.id", "plan_grants.user_id")
    .select(["plan_grants.id", "plans.title as plan_title", "organisations.name as organisation_name", "users.email", "plan_grants.role"])
    .orderBy("plans.title")
    .execute();
}

export async function grantsOfPlan(db: DB, planId: string) {
  return db
    .selectFrom("plan_grants")
    .select(["organisation_id", "user_id", "role"])
    .where("plan_id", "=", planId)
    .execute();
}

/** Removes the grant of one person (userId) or of one organisation on a plan. */
export async function deleteGrant(db: DB, planId: string, holder: { userId: number | null; organisationId: string | null }): Promise<void> {
  let del = db.deleteFrom("plan_grants").where("plan_id", "=", planId);
  del = holder.userId !== null ? del.where("user_id", "=", holder.userId) : del.where("organisation_id", "=", holder.organisationId);
  await del.execute();
}

export async function insertGrant(db: DB, row: Insertable<PlanGrantTable>): Promise<void> {
  await db.insertInto("plan_grants").values(row).execute();
}

/** Whether an organisation edits at least one plan. */
export async function organisationEditsAnyPlan(db: DB, organisationId: string): Promise<boolean> {
  const grant = await db
    .selectFrom("plan_grants")
    .select("id")
    .where("organisation_id", "=", organisationId)
    .where("role", "=", "editor")
    .limit(1)
    .executeTakeFirst();
  return grant !== undefined;
}

/** Grants of a plan to single people, by their email. */
export async function personalGrantsOfPlan(db: DB, planId: string) {
  return db
    .selectFrom("plan_grants")
    .innerJoin("users", "users.id", "plan_grants.user_id")
    .select(["users.email", "plan_grants.role"])
    .where("plan_grants.plan_id", "=", planId)
    .execute();
}

/** Inserts a grant unless an equal one exists (the seed's idempotence). */
export async function insertGrantIfAbsent(db: DB, row: Insertable<PlanGrantTable>): Promise<void> {
  await db.insertInto("plan_grants").values(row).onConflict((oc) => oc.doNothing()).execute();
}

/** The role an organisation holds on a plan, if any. */
export async function findOrganisationGrant(db: DB, planId: string, organisationId: string) {
  return db.selectFrom("plan_grants").select("role").where("plan_id", "=", planId).where("organisation_id", "=", organisationId).executeTakeFirst();
}
