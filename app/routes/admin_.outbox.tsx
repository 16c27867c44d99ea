import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { countOutboxByState, listOutbox } from "../../db/queries/mail-outbox";
import { canAdminister } from "../../server/policy";
import { actorOf, requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Email outbox – Co-design Workspace" }];

const STATE_LABEL: Record<string, string> = { queued: "Waiting to send", sending: "Sending", sent: "Sent", failed: "Failed" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  if (!canAdminister(actorOf(user))) throw new Response("Only administrators can read the email outbox.", { status: 403 });
  const { db, mail } = context.app;
  const [messages, counts] = await Promise.all([listOutbox(db), countOutboxByState(db)]);
  return { messages, counts, delivering: mail.delivering };
}

export default function Outbox() {
  const { messages, counts, delivering } = useLoaderData<typeof loader>();
  return (
    <div className="stack-lg">
      <p><Link to="/admin">Back to administration</Link></p>
      <h1>Email outbox</h1>
      {delivering ? (
        <p>Every email the workspace sends is listed here with what happened to it. Emails that could not be sent are tried again, waiting longer each time.</p>
      ) : (
        <div className="notice" role="note">
          <p>
            No mail server is set up (<code>SMTP_URL</code>), so emails are not sent: they wait here. Open one to read it
            and follow its link, for example to accept an invitation on this computer.
          </p>
        </div>
      )}
      <p>
        {counts.queued} waiting, {counts.sending} sending, {counts.sent} sent, {counts.failed} failed.
      </p>
      {messages.length === 0 ? (
        <p>No emails yet.</p>
      ) : (
        <table className="table table--compact">
          <caption>Most recent first (the last 200)</caption>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">To</th>
              <th scope="col">Written</th>
              <th scope="col">State</th>
              <th scope="col">Attempts</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id}>
                <td><Link to={`/admin/outbox/${m.id}`}>{m.subject}</Link></td>
                <td>{m.to_address}</td>
                <td><time dateTime={m.created_at}>{m.created_at.slice(0, 16).replace("T", " ")} UTC</time></td>
                <td>
                  {STATE_LABEL[m.state] ?? m.state}
                  {m.last_error && m.state !== "sent" ? <span className="muted"> ({m.last_error})</span> : null}
                </td>
                <td>{m.attempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
