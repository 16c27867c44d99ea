/** Notifications: what a person is told about threads and plans they follow. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { NotificationDelivery, NotificationKind, NotificationTable } from "../schema";

export async function findNotificationOf(db: DB, userId: number, notificationId: number) {
  return db
    .selectFrom("notifications as n")
    .innerJoin("plans as p", "p.id", "n.plan_id")
    .select(["n.id", "n.plan_id", "n.thread_id", "n.read_at", "n.link", "p.kind as plan_kind"])
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

// ---------------------------------------------------------------------------------------------
// One inbox (issue 13). What waits for a person is read from the facts themselves (a pending
// request, a sign-off not given), so it disappears as soon as anyone entitled answers it; what
// answers a person (a reply, a decision) is a notification row, waiting until read.
// ---------------------------------------------------------------------------------------------

export interface NewNotification {
  user_id: number;
  kind: NotificationKind;
  plan_id: string;
  thread_id?: string | null;
  comment_id?: number | null;
  actor_user_id: number | null;
  actor_organisation_id: string | null;
  summary: string;
  link: string | null;
  created_at: string;
}

export async function insertNotification(trx: DB, n: NewNotification | Insertable<NotificationTable>): Promise<number> {
  const row = await trx
    .insertInto("notifications")
    .values({ thread_id: null, comment_id: null, ...n })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Notification rows of these kinds for a person, newest first, with their plan. */
export async function notificationRowsOf(db: DB, userId: number, kinds: readonly NotificationKind[], limit = 100) {
  if (kinds.length === 0) return [];
  return db
    .selectFrom("notifications as n")
    .innerJoin("plans as p", "p.id", "n.plan_id")
    .select([
      "n.id",
      "n.kind",
      "n.plan_id",
      "n.thread_id",
      "n.comment_id",
      "n.summary",
      "n.link",
      "n.created_at",
      "n.read_at",
      "p.title as plan_title",
      "p.kind as plan_kind",
    ])
    .where("n.user_id", "=", userId)
    .where("n.kind", "in", kinds)
    .orderBy("n.id", "desc")
    .limit(limit)
    .execute();
}

/** Ownership requests (carried-forward ones included) waiting for an organisation in these plans. */
export async function pendingOwnershipAsks(db: DB, organisationId: string, planIds: readonly string[]) {
  if (planIds.length === 0) return [];
  return db
    .selectFrom("action_owners as o")
    .innerJoin("actions as a", "a.id", "o.action_id")
    .innerJoin("plans as p", "p.id", "a.plan_id")
    .leftJoin("users as u", "u.id", "o.requested_by")
    .leftJoin("organisations as ro", "ro.id", "u.organisation_id")
    .select([
      "a.id as action_id",
      "a.title",
      "a.plan_id",
      "a.carried_from_action_id",
      "p.title as plan_title",
      "o.role",
      "o.requested_at",
      "u.name as requested_by_name",
      "ro.name as requested_by_organisation",
    ])
    .where("o.organisation_id", "=", organisationId)
    .where("o.status", "=", "pending")
    .where("a.plan_id", "in", planIds)
    .where("p.archived_at", "is", null)
    .orderBy("o.requested_at", "desc")
    .execute();
}

/** Power-sharing levels an organisation is asked to agree, in these plans (engagement proposals). */
export async function pendingPowerSharingAsks(db: DB, organisationId: string, planIds: readonly string[]) {
  if (planIds.length === 0) return [];
  return db
    .selectFrom("power_sharing_requests as r")
    .innerJoin("actions as a", "a.id", "r.action_id")
    .innerJoin("plans as p", "p.id", "a.plan_id")
    .leftJoin("users as u", "u.id", "r.requested_by")
    .leftJoin("organisations as ro", "ro.id", "r.requested_by_organisation_id")
    .select([
      "a.id as action_id",
      "a.title",
      "a.plan_id",
      "p.title as plan_title",
      "p.kind as plan_kind",
      "r.stage",
      "r.level",
      "r.requested_at",
      "u.name as requested_by_name",
      "ro.name as requested_by_organisation",
    ])
    .where("r.organisation_id", "=", organisationId)
    .where("a.plan_id", "in", planIds)
    .where("p.archived_at", "is", null)
    .orderBy("r.requested_at", "desc")
    .execute();
}

/**
 * Subjects on their way to agreement (someone signed, not everyone) in these plans, with the
 * words' current fingerprint; the caller keeps those naming the organisation that it has not
 * signed at that fingerprint.
 */
export async function proposedAgreements(db: DB, planIds: readonly string[]) {
  if (planIds.length === 0) return [];
  return db
    .selectFrom("agreement_state as s")
    .innerJoin("plans as p", "p.id", "s.plan_id")
    .leftJoin("actions as a", "a.id", "s.subject_id")
    .select(["s.subject_type", "s.subject_id", "s.plan_id", "s.fingerprint", "s.updated_at", "p.title as plan_title", "p.kind as plan_kind", "a.title"])
    .where("s.status", "=", "proposed")
    .where("s.plan_id", "in", planIds)
    .where("p.archived_at", "is", null)
    .execute();
}

/** An organisation's sign-off rows on these subjects, oldest first (the last one counts). */
export async function signOffsOf(db: DB, organisationId: string, subjectIds: readonly string[]) {
  if (subjectIds.length === 0) return [];
  return db
    .selectFrom("sign_offs")
    .select(["subject_type", "subject_id", "kind", "fingerprint"])
    .where("organisation_id", "=", organisationId)
    .where("subject_id", "in", subjectIds)
    .orderBy("id")
    .execute();
}

/** Workshops not yet closed to which an organisation is invited, with whether this person has joined. */
export async function openWorkshopInvitations(db: DB, organisationId: string, userId: number, planIds: readonly string[]) {
  if (planIds.length === 0) return [];
  return db
    .selectFrom("workshop_invitations as i")
    .innerJoin("workshops as w", "w.id", "i.workshop_id")
    .innerJoin("plans as p", "p.id", "w.plan_id")
    .leftJoin("workshop_participants as wp", (j) => j.onRef("wp.workshop_id", "=", "w.id").on("wp.user_id", "=", userId))
    .select(["w.id as workshop_id", "w.title", "w.scheduled_for", "w.status", "w.plan_id", "p.title as plan_title", "i.created_at", "wp.id as participant_id"])
    .where("i.organisation_id", "=", organisationId)
    .where("w.status", "!=", "closed")
    .where("w.plan_id", "in", planIds)
    .orderBy("w.scheduled_for")
    .execute();
}

/** People of an organisation who can be told something (active accounts), with what a plan grants them. */
export async function activeMembersOf(db: DB, organisationIds: readonly string[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom("users")
    .select(["id", "organisation_id", "system_role"])
    .where("organisation_id", "in", organisationIds)
    .where("deactivated_at", "is", null)
    .execute();
}

export async function planGrantsOf(db: DB, planId: string) {
  return db.selectFrom("plan_grants").select(["organisation_id", "user_id", "role"]).where("plan_id", "=", planId).execute();
}

/** Who a notification email goes to, and whether the account can still receive it. */
export async function recipientOf(db: DB, userId: number) {
  return db
    .selectFrom("users")
    .select(["id", "name", "email", "deactivated_at"])
    .where("id", "=", userId)
    .executeTakeFirst();
}

// Preferences ----------------------------------------------------------------------------------

export async function preferencesOf(db: DB, userId: number) {
  return db.selectFrom("notification_preferences").select(["kind", "delivery"]).where("user_id", "=", userId).execute();
}

export async function setPreference(db: DB, userId: number, kind: NotificationKind, delivery: NotificationDelivery, at: string) {
  await db
    .insertInto("notification_preferences")
    .values({ user_id: userId, kind, delivery, updated_at: at })
    .onConflict((oc) => oc.columns(["user_id", "kind"]).doUpdateSet({ delivery, updated_at: at }))
    .execute();
}

// Digest ---------------------------------------------------------------------------------------

/** Everyone who has at least one notification newer than their last digest. */
export async function digestCandidates(db: DB) {
  return db
    .selectFrom("notifications as n")
    .innerJoin("users as u", "u.id", "n.user_id")
    .leftJoin("notification_digests as d", "d.user_id", "n.user_id")
    .select(["n.user_id", "d.last_notification_id", "d.last_sent_at"])
    .distinct()
    .where("u.deactivated_at", "is", null)
    .where((eb) => eb.or([eb("d.last_notification_id", "is", null), eb("n.id", ">", eb.ref("d.last_notification_id"))]))
    .execute();
}

/** A person's notifications after a given id, oldest first, with the plan's title. */
export async function notificationsAfter(db: DB, userId: number, afterId: number) {
  return db
    .selectFrom("notifications as n")
    .innerJoin("plans as p", "p.id", "n.plan_id")
    .select(["n.id", "n.kind", "n.plan_id", "n.thread_id", "n.summary", "n.link", "n.created_at", "n.read_at", "p.title as plan_title", "p.kind as plan_kind"])
    .where("n.user_id", "=", userId)
    .where("n.id", ">", afterId)
    .orderBy("n.id")
    .execute();
}

export async function markDigested(db: DB, userId: number, lastNotificationId: number, sentAt: string | null, at: string) {
  await db
    .insertInto("notification_digests")
    .values({ user_id: userId, last_notification_id: lastNotificationId, last_sent_at: sentAt, updated_at: at })
    .onConflict((oc) =>
      oc.column("user_id").doUpdateSet(sentAt ? { last_notification_id: lastNotificationId, last_sent_at: sentAt, updated_at: at } : { last_notification_id: lastNotificationId, updated_at: at }),
    )
    .execute();
}

// Signing key for unsubscribe links -----------------------------------------------------------

/** The named secret, made with `make` the first time (two processes racing keep the first). */
export async function appSecret(db: DB, name: string, make: () => string, at: string): Promise<string> {
  await db.insertInto("app_secrets").values({ name, value: make(), created_at: at }).onConflict((oc) => oc.column("name").doNothing()).execute();
  const row = await db.selectFrom("app_secrets").select("value").where("name", "=", name).executeTakeFirstOrThrow();
  return row.value;
}

/** "Name (Organisation)" for a sentence about what someone did. */
export async function personLabel(db: DB, userId: number): Promise<string> {
  const row = await db
    .selectFrom("users")
    .innerJoin("organisations", "organisations.id", "users.organisation_id")
    .select(["users.name", "organisations.name as organisation_name"])
    .where("users.id", "=", userId)
    .executeTakeFirst();
  return row ? `${row.name} (${row.organisation_name})` : "A partner";
}
