import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DomainError } from "../../server/domain/errors";
import { changeOwnPassword } from "../../server/domain/people";
import { ErrorSummary, PasswordFields } from "~/components/ChoosePassword";
import { actorOf, requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Your account – Co-design Workspace" }];

const ROLE: Record<string, string> = { member: "Member", facilitator: "Facilitator", admin: "Administrator" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { name: user.name, email: user.email, organisationName: user.organisationName, role: ROLE[user.systemRole] ?? user.systemRole };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  // The current password is a password guess like a sign-in: the same throttle.
  const verdict = await context.app.throttle.attempt(context.clientAddress, user.email);
  if (!verdict.allowed) return data({ ok: false as const, error: verdict.message }, { status: 429 });
  try {
    await changeOwnPassword(context.app.db, context.app, actorOf(user), user.sessionHash, {
      current: String(form.get("current") ?? ""),
      password: String(form.get("password") ?? ""),
      confirm: String(form.get("confirm") ?? ""),
    });
  } catch (err) {
    if (err instanceof DomainError) {
      if (err.message.startsWith("Your current password")) await context.app.throttle.recordFailure(context.clientAddress, user.email);
      return data({ ok: false as const, error: err.message }, { status: err.status });
    }
    throw err;
  }
  await context.app.throttle.recordSuccess(context.clientAddress, user.email);
  return { ok: true as const, error: null };
}

export default function Account() {
  const me = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="narrow stack-lg">
      <h1>Your account</h1>
      <dl className="details">
        <dt>Name</dt><dd>{me.name}</dd>
        <dt>Email</dt><dd>{me.email}</dd>
        <dt>Organisation</dt><dd>{me.organisationName}</dd>
        <dt>Partnership role</dt><dd>{me.role}</dd>
      </dl>
      <section aria-labelledby="password-title">
        <h2 id="password-title">Change your password</h2>
        {result?.ok ? (
          <div className="notice notice--success" role="status">
            Your password has been changed. You are still signed in here, and signed out everywhere else.
          </div>
        ) : null}
        <ErrorSummary error={result && !result.ok ? result.error : null} />
        <Form method="post" className="stack">
          <input type="text" name="username" autoComplete="username" value={me.email} readOnly hidden />
          <div className="field">
            <label htmlFor="current">Current password</label>
            <input id="current" name="current" type="password" autoComplete="current-password" required />
          </div>
          <PasswordFields idPrefix="account" />
          <button type="submit" className="button" disabled={busy}>{busy ? "Saving…" : "Change password"}</button>
        </Form>
        <p className="hint">Changing it signs you out on every other computer and phone.</p>
      </section>
      <section aria-labelledby="data-title">
        <h2 id="data-title">Your data</h2>
        <p>
          See everything the workspace holds about you: your profile, sessions, comments, ideas, progress updates,
          sign-offs, votes and notifications.
        </p>
        <ul>
          <li><a href="/account/data">Read your data on a page</a></li>
          <li><a href="/account/data.json" download>Download your data (JSON file)</a></li>
        </ul>
      </section>
    </div>
  );
}
