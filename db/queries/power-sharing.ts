/** Power-sharing records of actions: the agreed level per stage and organisation, requests to change it, and their history. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
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
