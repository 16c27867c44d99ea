/**
 * Every kind of notification, in one table: whether it asks something of the person (it waits
 * until someone entitled answers) or answers them (it waits until read), how it is named on the
 * account page, and how it reaches people by email unless they choose otherwise.
 */
import type { NotificationDelivery, NotificationKind } from "../../db/schema";

export interface KindInfo {
  kind: NotificationKind;
  /** asks: read from the facts (a pending request); answers: a notification row until read. */
  family: "asks" | "answers";
  /** A badge on the page. */
  label: string;
  /** The account page's words: "Email me about …". */
  describe: string;
  /** The subject and heading of an email sent at once. */
  heading: string;
  /** The words of the email's link. */
  actionLabel: string;
  defaultDelivery: NotificationDelivery;
}

export const NOTIFICATION_KINDS: readonly KindInfo[] = [
  { kind: "ownership_request", family: "asks", label: "Request", describe: "Requests for your organisation to lead or support an action", heading: "Your organisation is asked to lead or support an action", actionLabel: "Accept or decline the request", defaultDelivery: "immediate" },
  { kind: "carry_forward", family: "asks", label: "Confirm", describe: "Actions carried into a new plan that your organisation needs to confirm", heading: "Please confirm your organisation's role in the new plan", actionLabel: "Confirm or decline", defaultDelivery: "immediate" },
  { kind: "power_sharing_request", family: "asks", label: "Request", describe: "Requests for your organisation to agree a power-sharing level", heading: "Your organisation is asked to agree a power-sharing level", actionLabel: "Accept or decline the request", defaultDelivery: "immediate" },
  { kind: "sign_off_owed", family: "asks", label: "Sign-off", describe: "Wording your organisation still needs to sign off", heading: "Your organisation's sign-off is needed", actionLabel: "Read the wording and sign off", defaultDelivery: "digest" },
  { kind: "workshop_invitation", family: "asks", label: "Workshop", describe: "Invitations to workshops", heading: "Your organisation is invited to a workshop", actionLabel: "Open the workshop", defaultDelivery: "immediate" },
  { kind: "mention", family: "answers", label: "Mention", describe: "Comments that mention your organisation", heading: "Your organisation was mentioned in a comment", actionLabel: "Read the comment", defaultDelivery: "immediate" },
  { kind: "reply", family: "answers", label: "Reply", describe: "Replies in comment threads you wrote in", heading: "Someone replied in a comment thread", actionLabel: "Read the reply", defaultDelivery: "digest" },
  { kind: "resolved", family: "answers", label: "Resolved", describe: "Your comment threads being resolved", heading: "A comment thread you started was resolved", actionLabel: "Read the thread", defaultDelivery: "digest" },
  { kind: "suggestion_decided", family: "answers", label: "Suggestion", describe: "Decisions on wording you suggested", heading: "Your suggested wording was decided", actionLabel: "See the decision", defaultDelivery: "digest" },
  { kind: "comment_hidden", family: "answers", label: "Hidden", describe: "A facilitator hiding one of your comments", heading: "A facilitator hid one of your comments", actionLabel: "See the thread", defaultDelivery: "immediate" },
];

const BY_KIND = new Map(NOTIFICATION_KINDS.map((k) => [k.kind, k]));

export function kindInfo(kind: NotificationKind): KindInfo {
  return BY_KIND.get(kind) ?? { kind, family: "answers", label: "Notice", describe: kind, heading: "Something new in the Co-design Workspace", actionLabel: "Open it", defaultDelivery: "digest" };
}

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === "string" && BY_KIND.has(value as NotificationKind);
}

export const ANSWER_KINDS = NOTIFICATION_KINDS.filter((k) => k.family === "answers").map((k) => k.kind);

export const DELIVERY_LABEL: Record<NotificationDelivery, string> = {
  immediate: "Email me at once",
  digest: "In my daily summary email",
  off: "No email (in the workspace only)",
};
