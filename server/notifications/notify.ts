/**
 * Tells people something, inside the transaction of the event that causes it: a notification row
 * for each person (the app shows it always) and, for those who want this kind at once, an email in
 * the outbox. So the email exists exactly when the event does: roll the event back, and neither
 * the notification nor the email was ever written. The daily digest picks up the rest later.
 */
import type { Kysely } from "kysely";
import { activeMembersOf, insertNotification, personLabel, planGrantsOf, recipientOf } from "../../db/queries/notifications";
import { queueMail } from "../../db/queries/mail-outbox";
import { planHeading } from "../../db/queries/plans";
import type { Database, NotificationKind } from "../../db/schema";
import { notificationEmail } from "../mail/templates";
import { atLeast, planRole, type Actor, type EffectivePlanRole } from "../policy";
import { kindInfo } from "./kinds";
import { deliveriesOf } from "./preferences";
import { notificationMailSettings } from "./settings";
import { unsubscribeHeaders, unsubscribeToken } from "./unsubscribe";

/** Always the transaction of the event (a Transaction is a Kysely): the caller opens it. */
type Trx = Kysely<Database>;

export interface Notice {
  kind: NotificationKind;
  planId: string;
  summary: string;
  /** Where to act on it: a path in the workspace, starting with "/". */
  link: string;
  threadId?: string | null;
  commentId?: number | null;
  /** Who caused it (never told of their own act); null for the system. */
  actor: Pick<Actor, "userId" | "organisationId"> | null;
}

/** Writes the notice for each person (once each, never to the actor) and queues wanted emails. */
export async function notifyPeople(trx: Trx, notice: Notice, userIds: readonly number[]): Promise<number> {
  const people = [...new Set(userIds)].filter((id) => id !== notice.actor?.userId);
  if (people.length === 0) return 0;
  const now = new Date();
  const at = now.toISOString();
  const plan = await planHeading(trx, notice.planId);
  const info = kindInfo(notice.kind);
  const { appOrigin } = notificationMailSettings();
  let emailed = 0;
  for (const userId of people) {
    await insertNotification(trx, {
      user_id: userId,
      kind: notice.kind,
      plan_id: notice.planId,
      thread_id: notice.threadId ?? null,
      comment_id: notice.commentId ?? null,
      actor_user_id: notice.actor?.userId ?? null,
      actor_organisation_id: notice.actor?.organisationId ?? null,
      summary: notice.summary,
      link: notice.link,
      created_at: at,
    });
    const delivery = (await deliveriesOf(trx, userId))[notice.kind];
    if (delivery !== "immediate") continue;
    const person = await recipientOf(trx, userId);
    if (!person || person.deactivated_at) continue;
    const unsubscribeUrl = `${appOrigin}/unsubscribe?token=${await unsubscribeToken(trx, userId, notice.kind)}`;
    await queueMail(
      trx,
      {
        kind: `notification:${notice.kind}`,
        to: person.email,
        toUserId: userId,
        ...notificationEmail({
          name: person.name,
          heading: info.heading,
          summary: notice.summary,
          planTitle: plan.title,
          link: `${appOrigin}${notice.link}`,
          actionLabel: info.actionLabel,
          footer: { accountUrl: `${appOrigin}/account`, unsubscribeUrl, stopWhat: "emails like this one" },
        }),
        headers: unsubscribeHeaders(unsubscribeUrl),
      },
      now,
    );
    emailed += 1;
  }
  // The sender also polls; the nudge only saves the wait. It runs before the commit, so the
  // sender may look once too early and find nothing yet: the next poll delivers it.
  if (emailed) setTimeout(() => notificationMailSettings().nudge(), 50).unref();
  return people.length;
}

/** People of these organisations whose role on the plan is at least `needed`. */
export async function membersWithRole(trx: Trx, planId: string, organisationIds: readonly string[], needed: EffectivePlanRole): Promise<number[]> {
  const [users, grants] = await Promise.all([activeMembersOf(trx, organisationIds), planGrantsOf(trx, planId)]);
  return users
    .filter((u) => atLeast(planRole({ userId: u.id, organisationId: u.organisation_id, systemRole: u.system_role }, grants), needed))
    .map((u) => u.id);
}

/** "Name (Organisation)" of whoever caused a notice. */
export async function actorLabel(trx: Trx, actor: Pick<Actor, "userId">): Promise<string> {
  return personLabel(trx, actor.userId);
}
