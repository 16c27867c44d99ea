import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { findOutboxMessage } from "../../db/queries/mail-outbox";
import { canAdminister } from "../../server/policy";
import { actorOf, requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Email – Co-design Workspace" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  if (!canAdminister(actorOf(user))) throw new Response("Only administrators can read the email outbox.", { status: 403 });
  const id = Number(params.messageId);
  const message = Number.isSafeInteger(id) ? await findOutboxMessage(context.app.db, id) : null;
  if (!message) throw new Response("There is no such email in the outbox. Go back to the outbox and choose one from the list.", { status: 404 });
  return { message };
}

/** The plain-text part, with its web addresses made into links (the HTML part is not shown: no inline styles here). */
function TextWithLinks({ text }: { text: string }) {
  const pieces = text.split(/(https?:\/\/\S+)/g);
  return (
    <pre className="email-text">
      {pieces.map((p, i) => (i % 2 === 1 ? <a key={i} href={p}>{p}</a> : p))}
    </pre>
  );
}

export default function OutboxMessage() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <div className="stack-lg">
      <p><Link to="/admin/outbox">Back to the outbox</Link></p>
      <h1>{message.subject}</h1>
      <dl className="details">
        <dt>To</dt><dd>{message.to_address}</dd>
        <dt>Written</dt><dd>{message.created_at}</dd>
        <dt>State</dt><dd>{message.state}{message.sent_at ? `, ${message.sent_at}` : ""}{message.last_error ? ` (${message.last_error})` : ""}</dd>
      </dl>
      <TextWithLinks text={message.text_body} />
    </div>
  );
}
