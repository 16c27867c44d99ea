/** Notifications: what a person is told about threads and plans they follow. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { NotificationTable } from "../schema";

export async function findNotificationOf(db: DB, userId: number, notificationId: number) {
  return db
    .selectFrom("notifications as n")
    .innerJoin("plans as p", "p.id", "n.plan_id")
    .select(["n.id", "n.plan_id", "n.thread_id", "n.read_at", "p.kind"])
    .where("n.id", "=", notificationId)
    .where("n.user_id", "=", userId)
    .executeTakeFirst();
}

export async function markNotificationRead(db: DB, notificationId: number, at: string) {
  await db.updateTable("notifications").set({ read_at: at }).where("id", "=", notificationId).execute();
}

/** Marks every unread notification of the user read; how many were. */
export async function markAllRead(db: DB, userId: number, at: string): Promise<number> {
  const result = await db
    .updateTable("notifications")
    .set({ read_at: at })
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0);
}

export async function insertNotification(db: DB, row: Insertable<NotificationTable>): Promise<void> {
  await db.insertInto("notifications").values(row).execute();
}
