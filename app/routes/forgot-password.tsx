import { data, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requestPasswordReset } from "../../server/domain/people";
import { ErrorSummary } from "~/components/ChoosePassword";
import { linkOrigin } from "~/utils/auth.server";
import { retryAfterHeaders } from "~/utils/retry-after";

export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => [{ title: "Forgot your password? – Co-design Workspace" }];

const ForgotForm = z.object({
  email: z.string().trim().toLowerCase().email("Enter your email address, like name@organisation.org.uk."),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = ForgotForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ sent: false as const, error: parsed.error.issues[0]!.message }, { status: 400 });
  const { email } = parsed.data;
  // Throttled like /login, but counted apart: asking for a link must not use up sign-in attempts.
  const verdict = await context.app.resetThrottle.attempt(context.clientAddress, email);
  if (!verdict.allowed) {
    return data(
      { sent: false as const, error: verdict.message.replace("sign-in attempts", "requests").replace("failed sign-ins", "requests") },
      { status: 429, headers: { "Retry-After": String(verdict.retryAfterSeconds) } },
    );
  }
  await requestPasswordReset(context.app.db, context.app, email, linkOrigin(request, context));
  // The same answer whether or not the address has an account.
  return { sent: true as const, email, error: null };
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  if (result?.sent) {
    return (
      <div className="narrow">
        <h1>Check your email</h1>
        <div role="status">
          <p>If {result.email} has an account here, we have sent it a link to choose a new password. The link works once, for one hour.</p>
        </div>
        <p>No email after a few minutes? Check your junk folder, check the address, and <Link to="/forgot-password">ask again</Link>. If it still does not come, ask your partnership administrator.</p>
        <p><Link to="/login">Back to sign in</Link></p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Forgot your password?</h1>
      <p className="lead">Enter the email address you sign in with. We will send you a link to choose a new password.</p>
      <ErrorSummary error={result?.error} />
      <Form method="post" className="stack">
        <div className="field">
          <label htmlFor="email">Email address</label>
          <input id="email" name="email" type="email" autoComplete="username" required spellCheck={false} />
        </div>
        <button type="submit" className="button" disabled={busy}>{busy ? "Sending…" : "Send me a link"}</button>
      </Form>
      <p><Link to="/login">Back to sign in</Link></p>
    </div>
  );
}
