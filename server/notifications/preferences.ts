/** How each person hears of each kind of notification by email (in the app: always). */
import type { DB } from "../../db/connection";
import { nowIso } from "../../db/connection";
import { preferencesOf, setPreference } from "../../db/queries/notifications";
import type { NotificationDelivery, NotificationKind } from "../../db/schema";
import { DomainError } from "../domain/errors";
import { isNotificationKind, NOTIFICATION_KINDS } from "./kinds";

export type Deliveries = Record<NotificationKind, NotificationDelivery>;

export async function deliveriesOf(db: DB, userId: number): Promise<Deliveries> {
  const chosen = new Map((await preferencesOf(db, userId)).map((p) => [p.kind, p.delivery]));
  return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k.kind, chosen.get(k.kind) ?? k.defaultDelivery])) as Deliveries;
}

const DELIVERIES = new Set<NotificationDelivery>(["immediate", "digest", "off"]);

/** Saves the account page's form: one field per kind, named by the kind. */
export async function saveDeliveries(db: DB, userId: number, form: Record<string, unknown>): Promise<void> {
  const changes: [NotificationKind, NotificationDelivery][] = [];
  for (const k of NOTIFICATION_KINDS) {
    const value = form[k.kind];
    if (value === undefined) continue;
    if (typeof value !== "string" || !DELIVERIES.has(value as NotificationDelivery)) {
      throw new DomainError(400, `Choose how to hear about “${k.describe}”: at once, in the daily summary, or no email.`);
    }
    changes.push([k.kind, value as NotificationDelivery]);
  }
  const unknown = Object.keys(form).filter((f) => f !== "intent" && !isNotificationKind(f));
  if (unknown.length) throw new DomainError(400, "That form was not understood. Reload the page and choose again.");
  const at = nowIso();
  for (const [kind, delivery] of changes) await setPreference(db, userId, kind, delivery, at);
}

/** Turns email off for one kind, or for every kind now in the daily summary. */
export async function stopEmails(db: DB, userId: number, scope: NotificationKind | "digest"): Promise<NotificationKind[]> {
  const now = await deliveriesOf(db, userId);
  const kinds = scope === "digest" ? NOTIFICATION_KINDS.filter((k) => now[k.kind] === "digest").map((k) => k.kind) : [scope];
  const at = nowIso();
  for (const kind of kinds) await setPreference(db, userId, kind, "off", at);
  return kinds;
}
