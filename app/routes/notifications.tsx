import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { notificationsFor } from "../../db/queries/proposals";
import { markAllNotificationsRead, openNotification } from "../../server/domain/notifications";
import { StatusMessage } from "~/components/StatusMessage";
import { formatWhen } from "~/components/engagement/format";
import { requireUser } from "~/utils/auth.server";
import { runAction } from "~/utils/responses.server";
import { redirect } from "@remix-run/node";
import { DomainError } from "../../server/domain/errors";

export const meta: MetaFunction = () => [{ title: "Notifications – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { notifications: await notificationsFor(context.app.db, user.userId) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "open") {
    try {
      return redirect(await openNotification(context.app.db, user.userId, Number(form.get("notificationId"))));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return runAction(async () => {
        throw err;
      });
    }
  }
  return runAction(async () => {
    if (intent !== "read-all") throw new DomainError(400, "That request was not understood. Reload the page and try again.");
    const n = await markAllNotificationsRead(context.app.db, user.userId);
    return n === 0 ? "Nothing was unread." : `Marked ${n} ${n === 1 ? "notification" : "notifications"} as read.`;
  });
}

const KIND_LABEL: Record<string, string> = {
  mention: "Mention",
  reply: "Reply",
  resolved: "Resolved",
  power_sharing_request: "Request",
};

export default function Notifications() {
  const { notifications } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const unread = notifications.filter((n) => !n.read_at).length;
  return (
    <div className="stack-lg">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/dashboard">Dashboard</Link> <span aria-hidden="true">›</span> Notifications
      </nav>
      <div>
        <h1>Notifications</h1>
        <p className="muted">
          {unread === 0 ? "Nothing unread." : `${unread} unread.`} You are notified when someone mentions your organisation, replies in a
          thread you wrote in, resolves your thread, or asks your organisation to agree a power-sharing level.
        </p>
      </div>
      <StatusMessage result={result} />
      {unread > 0 ? (
        <Form method="post">
          <button className="button button--secondary" name="intent" value="read-all" disabled={busy}>
            Mark all as read
          </button>
        </Form>
      ) : null}
      {notifications.length === 0 ? (
        <p className="empty">No notifications yet.</p>
      ) : (
        <ul className="notification-list" data-testid="notifications">
          {notifications.map((n) => (
            <li key={n.id} className={`notification${n.read_at ? "" : " notification--unread"}`}>
              <p>
                <span className="badge badge--kind">{KIND_LABEL[n.kind] ?? n.kind}</span>
                {n.read_at ? null : <strong className="notification__new"> New </strong>} {n.summary}
              </p>
              <p className="muted">
                In <strong>{n.plan_title}</strong> · <time dateTime={n.created_at}>{formatWhen(n.created_at)}</time>
              </p>
              <Form method="post" className="inline-form inline-form--flush">
                <input type="hidden" name="notificationId" value={n.id} />
                <button className="button button--small button--secondary" name="intent" value="open" disabled={busy}>
                  Open<span className="visually-hidden">: {n.summary}</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
