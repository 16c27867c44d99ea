import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { markAllNotificationsRead, openNotification } from "../../server/domain/notifications";
import { inboxFor } from "../../server/notifications/inbox";
import { InboxList } from "~/components/InboxList";
import { StatusMessage } from "~/components/StatusMessage";
import { actorOf, requireUser } from "~/utils/auth.server";
import { runAction } from "~/utils/responses.server";
import { redirect } from "@remix-run/node";
import { DomainError } from "../../server/domain/errors";

export const meta: MetaFunction = () => [{ title: "Notifications – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return inboxFor(context.app.db, { ...actorOf(user), organisationName: user.organisationName });
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

export default function Notifications() {
  const { waiting, earlier } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const unread = waiting.filter((n) => n.notificationId !== null).length;
  return (
    <div className="stack-lg">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/dashboard">Dashboard</Link> <span aria-hidden="true">›</span> Notifications
      </nav>
      <div>
        <h1>Notifications</h1>
        <p className="muted">
          Requests to your organisation, wording it still has to sign, workshop invitations, and news about your comments and
          suggestions. A request stays here until someone from your organisation answers it. Choose which of these are also
          emailed to you on <Link to="/account">your account page</Link>.
        </p>
      </div>
      <StatusMessage result={result} />
      <section aria-labelledby="waiting-title" className="stack">
        <h2 id="waiting-title">Waiting for you</h2>
        {unread > 0 ? (
          <Form method="post">
            <button className="button button--secondary" name="intent" value="read-all" disabled={busy}>
              Mark all news as read
            </button>
          </Form>
        ) : null}
        {waiting.length === 0 ? <p className="empty">Nothing is waiting for you.</p> : <InboxList items={waiting} testId="notifications-waiting" busy={busy} />}
      </section>
      <section aria-labelledby="earlier-title" className="stack">
        <h2 id="earlier-title">Earlier</h2>
        {earlier.length === 0 ? <p className="empty">Nothing read yet.</p> : <InboxList items={earlier} testId="notifications-earlier" busy={busy} />}
      </section>
    </div>
  );
}
