import { Form, Link } from "@remix-run/react";
import type { InboxItem } from "../../server/notifications/inbox";
import { formatWhen } from "~/components/engagement/format";

/**
 * One list for the inbox, on the dashboard and on Notifications alike, so both show the same
 * items the same way. An answer (a notification row) opens through the Notifications action,
 * which marks it read; an ask links to where it is answered, and ownership asks can be answered
 * here when `answerOwnership` is on.
 */
export function InboxList({
  items,
  testId,
  busy,
  answerOwnership = false,
}: {
  items: InboxItem[];
  testId: string;
  busy: boolean;
  answerOwnership?: boolean;
}) {
  return (
    <ul className="notification-list" data-testid={testId}>
      {items.map((n) => (
        <li key={n.key} data-inbox-key={n.key} className={`notification${n.waiting ? " notification--unread" : ""}`}>
          <p>
            <span className="badge badge--kind">{n.label}</span> {n.summary}
          </p>
          <p className="muted">
            In <strong>{n.planTitle}</strong> · <time dateTime={n.at}>{formatWhen(n.at)}</time>
          </p>
          {n.notificationId !== null ? (
            <Form method="post" action="/notifications" className="inline-form inline-form--flush">
              <input type="hidden" name="notificationId" value={n.notificationId} />
              <button className="button button--small button--secondary" name="intent" value="open" disabled={busy}>
                Open<span className="visually-hidden">: {n.summary}</span>
              </button>
            </Form>
          ) : answerOwnership && n.ownership ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="actionId" value={n.ownership.actionId} />
              <input type="hidden" name="organisationId" value={n.ownership.organisationId} />
              <button className="button" name="intent" value="accept-ownership" disabled={busy}>
                Accept<span className="visually-hidden">: {n.summary}</span>
              </button>
              <button className="button button--secondary" name="intent" value="decline-ownership" disabled={busy}>
                Decline<span className="visually-hidden">: {n.summary}</span>
              </button>
              <Link to={n.href}>
                See the action<span className="visually-hidden">: {n.summary}</span>
              </Link>
            </Form>
          ) : (
            <p>
              <Link to={n.href}>
                Answer it<span className="visually-hidden">: {n.summary}</span>
              </Link>
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
