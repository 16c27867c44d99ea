import type { DB } from "../connection";

/** The power-sharing levels an organisation agreed, on the proposals the reader may see. */
export async function powerSharingOfOrganisation(db: DB, organisationId: string, visiblePlanIds: readonly string[]) {
  if (visiblePlanIds.length === 0) return [];
  return db
    .selectFrom("power_sharing as ps")
    .innerJoin("actions as a", "a.id", "ps.action_id")
    .innerJoin("plans as p", "p.id", "a.plan_id")
    .select(["ps.action_id", "a.title as section_title", "a.document_id", "a.plan_id", "p.title as plan_title", "ps.stage", "ps.level", "ps.commitment", "ps.review_date"])
    .where("ps.organisation_id", "=", organisationId)
    .where("a.plan_id", "in", visiblePlanIds)
    .orderBy("p.title")
    .orderBy("a.position")
    .execute();
}

export async function organisationById(db: DB, id: string) {
  return db.selectFrom("organisations").select(["id", "name", "short_name"]).where("id", "=", id).executeTakeFirst();
}
