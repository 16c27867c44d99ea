import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { asSignInRefusal } from "../../server/identity/oidc-sign-in";
import { safeRedirect } from "~/utils/auth.server";
import { oidcRedirectUri } from "~/utils/oidc.server";

/**
 * GET /auth/oidc/start?organisation=<id>: sends the browser to the organisation's provider. A GET
 * (a link on /login) because the next hop is another site, which CSP's form-action 'self' would
 * stop after a form post; starting an attempt changes nothing until its callback comes back to
 * this same browser.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const organisationId = url.searchParams.get("organisation") ?? "";
  if (!organisationId || organisationId.length > 100) {
    return text("Choose your organisation's sign-in button on the sign-in page.", 400);
  }
  try {
    const { url: to, browserToken } = await context.app.oidc.start(organisationId, {
      redirectUri: oidcRedirectUri(request, context),
      returnTo: safeRedirect(url.searchParams.get("redirectTo")),
    });
    return redirect(to, { headers: { "Set-Cookie": await context.app.oidcCookie.serialize(browserToken) } });
  } catch (err) {
    const refusal = asSignInRefusal(err);
    if (refusal) return text(refusal.message, refusal.status);
    throw err;
  }
}

function text(message: string, status: number) {
  return new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
