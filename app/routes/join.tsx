import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ZodError } from "zod";
import { DomainError } from "../../server/domain/errors";
import { GuestCodeError, joinAsGuest } from "../../server/domain/workshops/guests";
import { getUser, safeRedirect } from "~/utils/auth.server";
import { retryAfterHeaders } from "~/utils/retry-after";
import { GUEST_ENDED_MESSAGE } from "~/components/workshop/messages";

export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => [{ title: "Join a workshop – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"), "");
  const user = await getUser(request, context);
  // Someone signed in who followed a workshop link goes straight to it.
  if (user && redirectTo.startsWith("/workshops/")) throw redirect(redirectTo);
  return {
    code: url.searchParams.get("code") ?? "",
    ended: url.searchParams.get("ended") === "1",
    redirectTo,
    signedIn: user !== null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, guestCookie, guestJoinThrottle } = context.app;
  const form = Object.fromEntries(await request.formData());
  const blocked = await guestJoinThrottle.blocked(context.clientAddress);
  if (blocked) {
    return data({ error: blocked.message }, { status: 429, headers: { "Retry-After": String(blocked.retryAfterSeconds) } });
  }
  try {
    const joined = await joinAsGuest(db, { code: form.code, displayName: form.displayName });
    context.app.workshops.mark(joined.workshopId, ["participants"], [], "soon");
    return redirect(`/workshops/${joined.workshopId}`, {
      headers: { "Set-Cookie": await guestCookie.serialize(joined.token) },
    });
  } catch (err) {
    if (err instanceof GuestCodeError) await guestJoinThrottle.recordWrongCode(context.clientAddress);
    if (err instanceof DomainError) return data({ error: err.message }, { status: err.status });
    if (err instanceof ZodError) return data({ error: err.issues.map((i) => i.message).join(" ") }, { status: 400 });
    throw err;
  }
}

export default function Join() {
  const { code, ended, redirectTo, signedIn } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const error = result?.error;
  return (
    <div className="narrow stack">
      <h1>Join a workshop</h1>
      {ended && !error ? (
        <div className="notice notice--success" role="status">
          {GUEST_ENDED_MESSAGE}
        </div>
      ) : null}
      {error ? (
        <div className="error-summary" role="alert" aria-labelledby="join-error-title" tabIndex={-1}>
          <h2 id="join-error-title">There is a problem</h2>
          <p>{error}</p>
        </div>
      ) : null}
      <p className="lead">
        No account needed. Enter the code the facilitator shows, and the name you would like others to see. You can add
        ideas and vote; you cannot change the plan itself.
      </p>
      <Form method="post" className="stack">
        <div className="field">
          <label htmlFor="code">Workshop code</label>
          <input
            id="code"
            name="code"
            defaultValue={code}
            required
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="characters"
            aria-describedby="code-hint"
            maxLength={20}
          />
          <p className="hint" id="code-hint">
            8 letters and numbers, for example KQ7M-2XDA.
          </p>
        </div>
        <div className="field">
          <label htmlFor="displayName">Your name</label>
          <input id="displayName" name="displayName" required maxLength={60} autoComplete="name" aria-describedby="name-hint" />
          <p className="hint" id="name-hint">
            Shown in the list of who is here. Your ideas are shown without your name.
          </p>
        </div>
        <button type="submit" className="button" disabled={busy}>
          Join as a guest
        </button>
      </Form>
      <p>
        {signedIn ? (
          <Link to="/workshops">See the workshops you can join with your account</Link>
        ) : (
          <>
            Partners with an account:{" "}
            <Link to={`/login?redirectTo=${encodeURIComponent(redirectTo || "/workshops")}`}>sign in</Link> instead.
          </>
        )}
      </p>
    </div>
  );
}
