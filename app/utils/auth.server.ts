import { redirect, type AppLoadContext } from "@remix-run/node";
import { createSession, findSessionUser, tokenFromCookieHeader, type SessionUser } from "../../server/auth/sessions";
import type { Actor } from "../../server/policy";

export async function getUser(request: Request, context: AppLoadContext): Promise<SessionUser | null> {
  const { db, cookie } = context.app;
  return findSessionUser(db, await tokenFromCookieHeader(cookie, request.headers.get("Cookie")));
}

export async function requireUser(request: Request, context: AppLoadContext): Promise<SessionUser> {
  const user = await getUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

export function actorOf(user: SessionUser): Actor {
  return { userId: user.userId, organisationId: user.organisationId, systemRole: user.systemRole };
}

/** Only same-site paths: an attacker's link must not bounce a signed-in user to another site. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/dashboard"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

/** A new session for a person who just proved who they are (a password, a link), and where to go. */
export async function signIn(request: Request, context: AppLoadContext, userId: number, to = "/dashboard"): Promise<Response> {
  const { db, cookie } = context.app;
  const { token } = await createSession(db, userId, { ip: context.clientAddress, userAgent: request.headers.get("User-Agent") ?? "" });
  return redirect(to, { headers: { "Set-Cookie": await cookie.serialize(token) } });
}

/**
 * Where links in emails point. APP_ORIGIN (or PUBLIC_ORIGINS) whenever mail is delivered
 * (config refuses SMTP without one); only the local demo, which sends nothing, uses the request's.
 */
export function linkOrigin(request: Request, context: AppLoadContext): string {
  return context.app.config.mail.appOrigin ?? new URL(request.url).origin;
}
