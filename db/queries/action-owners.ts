/** Which organisations lead or support an action, and their answers to being asked. */
import type { Insertable, Updateable } from "kysely";
import type { DB } from "../connection";
import type { ActionOwnerTable, OwnershipHistoryTable } from "../schema";

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

export type OwnershipHistoryRow = Insertable<OwnershipHistoryTable>;

export async function findActionHeading(db: DB, actionId: string) {
  return db.selectFrom("actions").select(["id", "plan_id", "title"]).where("id", "=", actionId).executeTakeFirst();
}

export async function findOrganisationName(db: DB, organisationId: string) {
  return db.selectFrom("organisations").select(["id", "name"]).where("id", "=", organisationId).executeTakeFirst();
}

export async function insertOwnershipHistory(db: DB, row: OwnershipHistoryRow) {
  await db.insertInto("ownership_history").values(row).execute();
}

export async function listActionOwners(db: DB, actionId: string) {
  return db.selectFrom("action_owners").selectAll().where("action_id", "=", actionId).execute();
}

export async function findActionOwner(db: DB, actionId: string, organisationId: string) {
  return db
    .selectFrom("action_owners")
    .selectAll()
    .where("action_id", "=", actionId)
    .where("organisation_id", "=", organisationId)
    .executeTakeFirst();
}

export async function deleteActionOwner(db: DB, actionId: string, organisationId: string) {
  await db
    .deleteFrom("action_owners")
    .where("action_id", "=", actionId)
    .where("organisation_id", "=", organisationId)
    .execute();
}

export async function updateActionOwner(db: DB, actionId: string, organisationId: string, row: Updateable<ActionOwnerTable>) {
  await db
    .updateTable("action_owners")
    .set(row)
    .where("action_id", "=", actionId)
    .where("organisation_id", "=", organisationId)
    .execute();
}

export async function insertActionOwner(db: DB, row: Insertable<ActionOwnerTable>) {
  await db.insertInto("action_owners").values(row).execute();
}

export async function touchAction(db: DB, actionId: string, now: string) {
  await db.updateTable("actions").set({ updated_at: now }).where("id", "=", actionId).execute();
}

/** The lead organisation's name and whether it has accepted, if the action has a lead. */
export async function findLeadOwner(db: DB, actionId: string) {
  return db
    .selectFrom("action_owners as ao")
    .innerJoin("organisations as o", "o.id", "ao.organisation_id")
    .select(["o.name", "ao.status"])
    .where("ao.action_id", "=", actionId)
    .where("ao.role", "=", "lead")
    .executeTakeFirst();
}
