/** Power-sharing records of actions: the agreed level per stage and organisation, requests to change it, and their history. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { EngagementStage } from "../schema";
import type { PowerSharingHistoryTable, PowerSharingRequestTable, PowerSharingTable } from "../schema";

export async function insertPowerSharing(db: DB, row: Insertable<PowerSharingTable>): Promise<void> {
  await db.insertInto("power_sharing").values(row).execute();
}

export async function insertPowerSharingRequest(db: DB, row: Insertable<PowerSharingRequestTable>): Promise<void> {
  await db.insertInto("power_sharing_requests").values(row).execute();
}

export async function insertPowerSharingHistory(db: DB, row: Insertable<PowerSharingHistoryTable>): Promise<void> {
  await db.insertInto("power_sharing_history").values(row).execute();
}

/** One cell of the record: an action's stage for one organisation. */
export interface PowerSharingCell {
  action_id: string;
  stage: EngagementStage;
  organisation_id: string;
}

export async function findPowerSharing(db: DB, cell: PowerSharingCell) {
  return db
    .selectFrom("power_sharing")
    .selectAll()
    .where("action_id", "=", cell.action_id)
    .where("stage", "=", cell.stage)
    .where("organisation_id", "=", cell.organisation_id)
    .executeTakeFirst();
}

export async function findPowerSharingRequest(db: DB, cell: PowerSharingCell) {
  return db
    .selectFrom("power_sharing_requests")
    .selectAll()
    .where("action_id", "=", cell.action_id)
    .where("stage", "=", cell.stage)
    .where("organisation_id", "=", cell.organisation_id)
    .executeTakeFirst();
}

export async function deletePowerSharing(db: DB, cell: PowerSharingCell): Promise<void> {
  await db
    .deleteFrom("power_sharing")
    .where("action_id", "=", cell.action_id)
    .where("stage", "=", cell.stage)
    .where("organisation_id", "=", cell.organisation_id)
    .execute();
}

export async function deletePowerSharingRequest(db: DB, cell: PowerSharingCell): Promise<void> {
  await db
    .deleteFrom("power_sharing_requests")
    .where("action_id", "=", cell.action_id)
    .where("stage", "=", cell.stage)
    .where("organisation_id", "=", cell.organisation_id)
    .execute();
}

/** Writes the agreed level of a cell, replacing the one agreed before. */
export async function upsertPowerSharing(db: DB, row: Insertable<PowerSharingTable>): Promise<void> {
  const { action_id: _a, stage: _s, organisation_id: _o, ...values } = row;
  await db
    .insertInto("power_sharing")
    .values(row)
    .onConflict((oc) => oc.columns(["action_id", "stage", "organisation_id"]).doUpdateSet(values))
    .execute();
}

/** Writes the open request of a cell, replacing an earlier one. */
export async function upsertPowerSharingRequest(db: DB, row: Insertable<PowerSharingRequestTable>): Promise<void> {
  const { action_id: _a, stage: _s, organisation_id: _o, ...values } = row;
  await db
    .insertInto("power_sharing_requests")
    .values(row)
    .onConflict((oc) => oc.columns(["action_id", "stage", "organisation_id"]).doUpdateSet(values))
    .execute();
}
