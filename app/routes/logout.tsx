import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession, hashToken, tokenFromCookieHeader } from "../../server/auth/sessions";

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, cookie, sync } = context.app;
  const token = await tokenFromCookieHeader(cookie, request.headers.get("Cookie"));
  if (token) {
    const sessionHash = hashToken(token);
    await endSession(db, sessionHash);
    // Sockets opened with this session must not outlive it.
    sync.closeSession(sessionHash, "You have signed out.");
  }
  return redirect("/login", {
    headers: {
      "Set-Cookie": await cookie.serialize("", { maxAge: 0 }),
      // Documents kept in this browser for offline editing (IndexedDB) go with the session, so
      // the next person at a shared workshop laptop finds none of them.
      "Clear-Site-Data": '"storage"',
    },
  });
}

export async function loader() {
  return redirect("/dashboard");
}
