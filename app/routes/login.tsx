import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { verifyAgainstDummy, verifyPassword } from "../../server/auth/passwords";
import { listIdentityProviders } from "../../db/queries/identity-providers";
import { getUser } from "~/utils/auth.server";
import { signInAndRedirect } from "~/utils/sign-in.server";
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
  // Names only: the issuer, client and secret stay on the server.
  const providers = await listIdentityProviders(context.app.db);
  return { organisations: providers.map((p) => ({ id: p.organisation_id, name: p.organisation_name })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, throttle } = context.app;
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
  // Said only to someone who knows the password, so it reveals nothing to a guesser.
  if (user.deactivated_at) {
    return data(
      { error: "This account has been deactivated, so it cannot sign in. If you need it again, ask your partnership administrator." },
      { status: 403 },
    );
  }

  return signInAndRedirect(request, context, user.id, redirectTo);
}

export default function Login() {
  const result = useActionData<typeof action>();
  const { organisations } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const redirectTo = params.get("redirectTo") ?? "";
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
      {organisations.length > 0 ? (
        <section aria-labelledby="org-sign-in-title" className="stack">
          <h2 id="org-sign-in-title">Or sign in with your work account</h2>
          <ul className="stack" role="list">
            {organisations.map((o) => (
              <li key={o.id}>
                {/* A link, not a form: the browser goes on to Microsoft, and CSP's form-action stays 'self'. */}
                <a
                  className="button button--secondary"
                  href={`/auth/oidc/start?${new URLSearchParams({ organisation: o.id, ...(redirectTo ? { redirectTo } : {}) })}`}
                >
                  {`Sign in with ${o.name}'s Microsoft account`}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p><Link to="/forgot-password">Forgot your password?</Link></p>
    </div>
  );
}
