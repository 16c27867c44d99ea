import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { asSignInRefusal } from "../../server/identity/oidc-sign-in";
import { signInAndRedirect } from "~/utils/sign-in.server";

export const meta: MetaFunction = () => [{ title: "Sign-in not completed – Co-design Workspace" }];

/**
 * Where the organisation's provider sends the browser back. A GET, so the cross-site guard lets it
 * through (it arrives from Microsoft's site); what protects it is the single-use state, the
 * browser-binding cookie and the token checks in server/identity/oidc-sign-in.ts.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { oidc, oidcCookie } = context.app;
  let browserToken: string | null = null;
  try {
    const value = await oidcCookie.parse(request.headers.get("Cookie"));
    browserToken = typeof value === "string" ? value : null;
  } catch {
    browserToken = null;
  }
  // The binding cookie has done its job whatever the outcome.
  const clear = await oidcCookie.serialize("", { maxAge: 0 });
  try {
    const { userId, returnTo } = await oidc.finish(new URL(request.url), browserToken);
    return await signInAndRedirect(request, context, userId, returnTo, [clear]);
  } catch (err) {
    const refusal = asSignInRefusal(err);
    if (refusal) return data({ message: refusal.message }, { status: refusal.status, headers: { "Set-Cookie": clear } });
    throw err;
  }
}

export default function OidcCallback() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <h1>You are not signed in</h1>
      <div className="error-summary" role="alert" aria-labelledby="oidc-error-title" tabIndex={-1}>
        <h2 id="oidc-error-title">There is a problem</h2>
        <p>{message}</p>
      </div>
      <p>
        <Link to="/login">Go back to the sign-in page</Link>
      </p>
    </div>
  );
}
