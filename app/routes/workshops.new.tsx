import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ZodError } from "zod";
import { listOrganisations, loadPlan } from "../../db/queries/plans";
import { DomainError } from "../../server/domain/errors";
import { requirePlanRole } from "../../server/domain/plan-access";
import { createWorkshop, NewWorkshopInput } from "../../server/domain/workshops/setup";
import { DEFAULT_TIME_BOX_MINUTES } from "../../server/workshops/guest-code";
import { canCreateWorkshop } from "../../server/policy";
import { actorOf, requireUser } from "~/utils/auth.server";
import { planPriorityIds } from "../../db/queries/plan-cycle";
import { grantedOrganisationIds } from "../../db/queries/plan-grants";

export const meta: MetaFunction = () => [{ title: "Set up a workshop – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.app;
  const planId = new URL(request.url).searchParams.get("plan") ?? "";
  let role;
  try {
    role = await requirePlanRole(db, actorOf(user), planId);
  } catch (err) {
    if (err instanceof DomainError) throw new Response(err.message, { status: err.status });
    throw err;
  }
  if (!canCreateWorkshop(role)) throw new Response("Only a facilitator can set up a workshop on this plan.", { status: 403 });
  const [plan, organisations, grants, priorities] = await Promise.all([
    loadPlan(db, planId),
    listOrganisations(db),
    grantedOrganisationIds(db, planId),
    planPriorityIds(db, planId),
  ]);
  if (!plan) throw new Response("There is no plan at this address.", { status: 404 });
  const granted = new Set(grants.map((g) => g.organisation_id));
  return {
    plan: { id: plan.id, title: plan.title, kind: plan.kind },
    organisations: organisations.map((o) => ({ ...o, suggested: granted.has(o.id) })),
    priorityCount: priorities.length,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  try {
    const input = NewWorkshopInput.parse({
      planId: form.get("planId"),
      title: form.get("title") ?? "",
      scheduledFor: form.get("scheduledFor") ?? "",
      invitedOrganisationIds: form.getAll("organisationId").filter((v) => typeof v === "string" && v),
      agendaFromPlan: form.get("agendaFromPlan") === "on",
    });
    const created = await createWorkshop(context.app.db, actorOf(user), input);
    return redirect(`/workshops/${created.id}`);
  } catch (err) {
    if (err instanceof DomainError) return data({ error: err.message }, { status: err.status });
    if (err instanceof ZodError) return data({ error: err.issues.map((i) => i.message).join(" ") }, { status: 400 });
    throw err;
  }
}

export default function NewWorkshop() {
  const { plan, organisations, priorityCount } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="stack-lg">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/workshops">Workshops</Link> <span aria-hidden="true">›</span> Set up a workshop
      </nav>
      <div>
        <h1>
          Set up a workshop
          <span className="h1-sub">on {plan.title}</span>
        </h1>
      </div>
      {result?.error ? (
        <div className="error-summary" role="alert" aria-labelledby="new-error-title" tabIndex={-1}>
          <h2 id="new-error-title">There is a problem</h2>
          <p>{result.error}</p>
        </div>
      ) : null}
      <Form method="post" className="stack narrow-wide">
        <input type="hidden" name="planId" value={plan.id} />
        <div className="field">
          <label htmlFor="title">Title</label>
          <input id="title" name="title" required minLength={3} maxLength={120} placeholder="e.g. Regeneration priorities: partners' session" />
        </div>
        <div className="field">
          <label htmlFor="scheduledFor">Date and start time (UK time)</label>
          <input id="scheduledFor" name="scheduledFor" type="datetime-local" required />
        </div>
        <fieldset className="fieldset">
          <legend>Invited organisations</legend>
          <p className="hint">
            Members of an invited organisation can join even without access to the plan (they see what the workshop shows,
            not the plan). Partners with access to the plan can always join.
          </p>
          <div className="checkbox-grid">
            {organisations.map((o) => (
              <div className="checkbox" key={o.id}>
                <input type="checkbox" id={`org-${o.id}`} name="organisationId" value={o.id} defaultChecked={o.suggested} />
                <label htmlFor={`org-${o.id}`}>{o.name}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <div className="checkbox">
          <input type="checkbox" id="agendaFromPlan" name="agendaFromPlan" defaultChecked />
          <label htmlFor="agendaFromPlan">
            {priorityCount
              ? `Start the agenda with the plan's ${priorityCount} priorities, ${DEFAULT_TIME_BOX_MINUTES} minutes each`
              : `Start the agenda with the ${plan.kind === "engagement_proposal" ? "proposal's" : "plan's"} sections, ${DEFAULT_TIME_BOX_MINUTES} minutes each`}
          </label>
        </div>
        <p className="hint">You can change the agenda, time boxes and invitations on the workshop page before and during the session.</p>
        <button type="submit" className="button" disabled={busy}>
          Create the workshop
        </button>
      </Form>
    </div>
  );
}
