import { redirect, type AppLoadContext } from "@remix-run/node";
import { createSession, endSession, hashToken, tokenFromCookieHeader } from "../../server/auth/sessions";
import { safeRedirect } from "./auth.server";

/**
 * The one way a person becomes signed in, whether by password or by their organisation's
 * Microsoft account: a fresh session id every time, and any session this browser had before ends.
 */
export async function signInAndRedirect(
  request: Request,
  context: AppLoadContext,
  userId: number,
  redirectTo: string | null | undefined,
  extraCookies: string[] = [],
) {
  const { db, cookie, sync } = context.app;
  const previous = await tokenFromCookieHeader(cookie, request.headers.get("Cookie"));
  if (previous) {
    await endSession(db, hashToken(previous));
    sync.closeSession(hashToken(previous), "You signed in again.");
  }
  const { token } = await createSession(db, userId, {
    ip: context.clientAddress,
    userAgent: request.headers.get("User-Agent") ?? "",
  });
  const headers = new Headers();
  headers.append("Set-Cookie", await cookie.serialize(token));
  for (const c of extraCookies) headers.append("Set-Cookie", c);
  return redirect(safeRedirect(redirectTo), { headers });
}
