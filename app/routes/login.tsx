import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { verifyAgainstDummy, verifyPassword } from "../../server/auth/passwords";
import { createSession, endSession, hashToken, tokenFromCookieHeader } from "../../server/auth/sessions";
import { getUser, safeRedirect } from "~/utils/auth.server";
import { retryAfterHeaders } from "~/utils/retry-after";
import { findCredentialsByEmail } from "../../db/queries/accounts";

export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => [{ title: "Sign in – Co-design Workspace" }];

const LoginForm = z.object({
  email: z.string().trim().toLowerCase().email("Enter your email address, like name@organisation.org.uk."),
  password: z.string().min(1, "Enter your password.").max(200),
  redirectTo: z.string().optional(),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getUser(request, context)) return redirect("/dashboard");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, cookie, throttle, sync } = context.app;
  const parsed = LoginForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return data({ error: parsed.error.issues[0]?.message ?? "Check the form and try again." }, { status: 400 });
  }
  const { email, password, redirectTo } = parsed.data;
  const verdict = await throttle.attempt(context.clientAddress, email);
  if (!verdict.allowed) {
    return data({ error: verdict.message }, { status: 429, headers: { "Retry-After": String(verdict.retryAfterSeconds) } });
  }
  const user = await findCredentialsByEmail(db, email);
  const valid = user ? await verifyPassword(user.password_hash, password) : (await verifyAgainstDummy(password), false);
  if (!user || !valid) {
    await throttle.recordFailure(context.clientAddress, email);
    return data({ error: "The email address or password is not right. Check them and try again." }, { status: 401 });
  }
  await throttle.recordSuccess(context.clientAddress, email);

  // A fresh session id at every sign-in; any session this browser had before ends here.
  const previous = await tokenFromCookieHeader(cookie, request.headers.get("Cookie"));
  if (previous) {
    await endSession(db, hashToken(previous));
    sync.closeSession(hashToken(previous), "You signed in again.");
  }
  const { token } = await createSession(db, user.id, {
    ip: context.clientAddress,
    userAgent: request.headers.get("User-Agent") ?? "",
  });
  return redirect(safeRedirect(redirectTo), { headers: { "Set-Cookie": await cookie.serialize(token) } });
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return (
    <div className="narrow">
      <h1>Sign in</h1>
      <p className="lead">
        Co-design Workspace is where Team Bury partners draft their action plans together, on equal terms.
      </p>
      {result?.error ? (
        <div className="error-summary" role="alert" aria-labelledby="login-error-title" tabIndex={-1}>
          <h2 id="login-error-title">There is a problem</h2>
          <p>{result.error}</p>
        </div>
      ) : null}
      <Form method="post" className="stack">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <div className="field">
          <label htmlFor="email">Email address</label>
          <input id="email" name="email" type="email" autoComplete="username" required spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      <p className="muted">Forgotten your password? Ask your partnership administrator to reset it.</p>
    </div>
  );
}
