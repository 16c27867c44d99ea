import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { kindInfo } from "../../server/notifications/kinds";
import { stopEmails } from "../../server/notifications/preferences";
import { readUnsubscribeToken, type UnsubscribeScope } from "../../server/notifications/unsubscribe";

/**
 * One-click unsubscribe from an email (RFC 8058), with no sign-in: the signed token names the
 * person and what to stop. GET shows what will stop and a button (a mail scanner following the
 * link changes nothing); POST stops it, whether from that button or a mail client's own
 * Unsubscribe button (body `List-Unsubscribe=One-Click`, no session, no Origin).
 */
export const meta: MetaFunction = () => [{ title: "Unsubscribe – Co-design Workspace" }];

function what(scope: UnsubscribeScope): string {
  return scope === "digest" ? "the daily summary emails" : `emails about ${kindInfo(scope).describe.toLowerCase()}`;
}

const BAD_LINK = "This unsubscribe link is not complete or was not made by this workspace. Copy the whole link from the email, or sign in and choose your emails on your account page.";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const read = await readUnsubscribeToken(context.app.db, token);
  if (!read) throw data({ message: BAD_LINK }, { status: 400 });
  return { token, what: what(read.scope) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const token = String(form.get("token") ?? new URL(request.url).searchParams.get("token") ?? "");
  const read = await readUnsubscribeToken(context.app.db, token);
  if (!read) return data({ ok: false as const, message: BAD_LINK }, { status: 400 });
  await stopEmails(context.app.db, read.userId, read.scope);
  return { ok: true as const, message: `Done: you will not get ${what(read.scope)} any more. You still see everything in the workspace, under Notifications.` };
}

export default function Unsubscribe() {
  const { token, what: stopping } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="narrow stack">
      <h1>Unsubscribe</h1>
      {result?.ok ? (
        <div role="status">
          <p>{result.message}</p>
        </div>
      ) : (
        <>
          {result ? (
            <div className="notice notice--error" role="alert">
              {result.message}
            </div>
          ) : null}
          <p>Stop {stopping}? You will still see everything in the workspace, under Notifications.</p>
          <Form method="post" className="stack">
            <input type="hidden" name="token" value={token} />
            <button type="submit" className="button">
              Stop these emails
            </button>
          </Form>
        </>
      )}
      <p>
        To choose email by kind of notification, sign in and open <Link to="/account">your account page</Link>.
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <div className="narrow stack">
      <h1>Unsubscribe</h1>
      <p>{BAD_LINK}</p>
      <p>
        <Link to="/account">Your account page</Link>
      </p>
    </div>
  );
}
