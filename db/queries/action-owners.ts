/** Which organisations lead or support an action, and their answers to being asked. */
import type { DB } from "../connection";

/** The organisation's ownership rows (lead or supporting, any status) on actions of the given plans. */
export async function ownershipsOfOrganisation(db: DB, organisationId: string, planIds: string[]) {
  return db
    .selectFrom("action_owners")
    .innerJoin("actions", "actions.id", "action_owners.action_id")
    .select(["action_owners.action_id", "action_owners.role", "action_owners.status"])
    .where("action_owners.organisation_id", "=", organisationId)
    .where("actions.plan_id", "in", planIds)
    .execute();
}
