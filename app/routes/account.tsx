import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DomainError } from "../../server/domain/errors";
import { changeOwnPassword } from "../../server/domain/people";
import { DELIVERY_LABEL, NOTIFICATION_KINDS } from "../../server/notifications/kinds";
import { deliveriesOf, saveDeliveries } from "../../server/notifications/preferences";
import { ErrorSummary, PasswordFields } from "~/components/ChoosePassword";
import { actorOf, requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Your account – Co-design Workspace" }];

const ROLE: Record<string, string> = { member: "Member", facilitator: "Facilitator", admin: "Administrator" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return {
    name: user.name,
    email: user.email,
    organisationName: user.organisationName,
    role: ROLE[user.systemRole] ?? user.systemRole,
    deliveries: await deliveriesOf(context.app.db, user.userId),
    kinds: NOTIFICATION_KINDS.map((k) => ({ kind: k.kind, describe: k.describe })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  if (form.get("intent") === "email-preferences") {
    try {
      await saveDeliveries(context.app.db, user.userId, Object.fromEntries(form));
    } catch (err) {
      if (err instanceof DomainError) return data({ form: "emails" as const, ok: false as const, error: err.message }, { status: err.status });
      throw err;
    }
    return { form: "emails" as const, ok: true as const, error: null };
  }
  // The current password is a password guess like a sign-in: the same throttle.
  const verdict = await context.app.throttle.attempt(context.clientAddress, user.email);
  if (!verdict.allowed) return data({ form: "password" as const, ok: false as const, error: verdict.message }, { status: 429 });
  try {
    await changeOwnPassword(context.app.db, context.app, actorOf(user), user.sessionHash, {
      current: String(form.get("current") ?? ""),
      password: String(form.get("password") ?? ""),
      confirm: String(form.get("confirm") ?? ""),
    });
  } catch (err) {
    if (err instanceof DomainError) {
      if (err.message.startsWith("Your current password")) await context.app.throttle.recordFailure(context.clientAddress, user.email);
      return data({ form: "password" as const, ok: false as const, error: err.message }, { status: err.status });
    }
    throw err;
  }
  await context.app.throttle.recordSuccess(context.clientAddress, user.email);
  return { form: "password" as const, ok: true as const, error: null };
}

export default function Account() {
  const me = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const result = answer?.form === "password" ? answer : undefined;
  const emails = answer?.form === "emails" ? answer : undefined;
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
      <section aria-labelledby="emails-title">
        <h2 id="emails-title">Emails about your notifications</h2>
        <p>
          Everything always appears in the workspace, under Notifications and on your dashboard. Choose which of these are also
          emailed to you: at once, in one summary email a day, or not at all.
        </p>
        {emails?.ok ? (
          <div className="notice notice--success" role="status">
            Your email choices have been saved.
          </div>
        ) : null}
        <ErrorSummary error={emails && !emails.ok ? emails.error : null} />
        <Form method="post" className="stack" data-testid="email-preferences">
          <input type="hidden" name="intent" value="email-preferences" />
          {me.kinds.map((k) => (
            <fieldset key={k.kind} className="field">
              <legend>{k.describe}</legend>
              {(["immediate", "digest", "off"] as const).map((d) => (
                <div key={d} className="radio">
                  <input type="radio" id={`${k.kind}-${d}`} name={k.kind} value={d} defaultChecked={me.deliveries[k.kind] === d} />
                  <label htmlFor={`${k.kind}-${d}`}>{DELIVERY_LABEL[d]}</label>
                </div>
              ))}
            </fieldset>
          ))}
          <button type="submit" className="button" disabled={busy}>
            {busy ? "Saving…" : "Save email choices"}
          </button>
        </Form>
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
