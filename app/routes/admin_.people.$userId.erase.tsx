import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { findPersonWithOrganisation } from "../../db/queries/personal-data";
import { DomainError } from "../../server/domain/errors";
import { erasedLabel, erasePerson } from "../../server/domain/personal-data";
import { canAdminister } from "../../server/policy";
import { actorOf, requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Erase a person's data – Co-design Workspace" }];

function userIdFrom(param: string | undefined): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("That is not a person's address. Choose them from the administration page.", { status: 404 });
  return id;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  if (!canAdminister(actorOf(user))) throw new Response("Only administrators can open this page.", { status: 403 });
  const person = await findPersonWithOrganisation(context.app.db, userIdFrom(params.userId));
  if (!person) throw new Response("That person was not found. Choose them from the administration page.", { status: 404 });
  return {
    id: person.id,
    name: person.name,
    email: person.email,
    organisation: person.organisationName,
    label: erasedLabel(person.organisationName),
    erased: person.erased_at !== null,
    self: person.id === user.userId,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  try {
    await erasePerson(context.app.db, context.app, actorOf(user), userIdFrom(params.userId), form.get("confirm") === "yes");
  } catch (err) {
    if (err instanceof DomainError) return data({ error: err.message }, { status: err.status });
    throw err;
  }
  return redirect("/admin?erased=1");
}

export default function ErasePerson() {
  const p = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="narrow stack-lg">
      <h1>Erase {p.erased ? "a former member" : p.name}</h1>
      {result?.error ? (
        <div className="error-summary" role="alert" aria-labelledby="erase-error-title" tabIndex={-1}>
          <h2 id="erase-error-title">There is a problem</h2>
          <p>{result.error}</p>
        </div>
      ) : null}
      {p.erased ? (
        <p>This person's data has already been erased. They appear as “{p.label}”.</p>
      ) : p.self ? (
        <p>You cannot erase your own account. Ask another administrator.</p>
      ) : (
        <>
          <p>
            {p.name} ({p.email}) of {p.organisation}. Erasing them, under UK GDPR's right to erasure:
          </p>
          <ul>
            <li>replaces their name and email, everywhere in the workspace, with “{p.label}”;</li>
            <li>signs them out everywhere, closes their open pages, and removes their sign-in links and emails waiting to be sent;</li>
            <li>keeps what they wrote and agreed (comments, progress updates, sign-offs, ideas, votes) and the audit trail, under that label.</li>
          </ul>
          <p><strong>This cannot be undone.</strong></p>
          <Form method="post" className="stack">
            <div className="field field--checkbox">
              <input id="erase-confirm" name="confirm" type="checkbox" value="yes" required />
              <label htmlFor="erase-confirm">I want to erase {p.name}'s personal data</label>
            </div>
            <button type="submit" className="button" disabled={busy}>{busy ? "Erasing…" : "Erase this person"}</button>
          </Form>
        </>
      )}
      <p><a href="/admin">Back to administration</a></p>
    </div>
  );
}
