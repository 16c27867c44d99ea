import type { DB } from "../../db/connection";
import { nowIso } from "../../db/connection";
import { DomainError } from "./errors";

/** Marks one of the user's notifications read and returns where it points (another user's: 404). */
export async function openNotification(db: DB, userId: number, notificationId: number): Promise<string> {
  const n = Number.isInteger(notificationId)
    ? await db
        .selectFrom("notifications as n")
        .innerJoin("plans as p", "p.id", "n.plan_id")
        .select(["n.id", "n.plan_id", "n.thread_id", "n.read_at", "p.kind"])
        .where("n.id", "=", notificationId)
        .where("n.user_id", "=", userId)
        .executeTakeFirst()
    : undefined;
  if (!n) throw new DomainError(404, "That notification does not exist. Reload the page.");
  if (!n.read_at) await db.updateTable("notifications").set({ read_at: nowIso() }).where("id", "=", n.id).execute();
  const base = n.kind === "engagement_proposal" ? `/proposals/${encodeURIComponent(n.plan_id)}` : `/plans/${encodeURIComponent(n.plan_id)}`;
  return n.thread_id ? `${base}#thread-${encodeURIComponent(n.thread_id)}` : base;
}

export async function markAllNotificationsRead(db: DB, userId: number): Promise<number> {
  const result = await db
    .updateTable("notifications")
    .set({ read_at: nowIso() })
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0);
}
