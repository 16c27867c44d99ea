import type { DB } from "../../db/connection";
import { nowIso } from "../../db/connection";
import { findNotificationOf, markAllRead, markNotificationRead } from "../../db/queries/notifications";
import { legacyHref } from "../notifications/links";
import { DomainError } from "./errors";

/** Marks one of the user's notifications read and returns where it points (another user's: 404). */
export async function openNotification(db: DB, userId: number, notificationId: number): Promise<string> {
  const n = Number.isInteger(notificationId)
    ? await findNotificationOf(db, userId, notificationId)
    : undefined;
  if (!n) throw new DomainError(404, "That notification does not exist. Reload the page.");
  if (!n.read_at) await markNotificationRead(db, n.id, nowIso());
  return n.link ?? legacyHref(n);
}

export async function markAllNotificationsRead(db: DB, userId: number): Promise<number> {
  return markAllRead(db, userId, nowIso());
}
