import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { actionsForOrganisation, pendingRequestsForOrganisation } from "../../db/queries/plans";
import { listPlansForActor } from "../../server/domain/plan-visibility";
import { StatusMessage } from "~/components/StatusMessage";
import { OwnerBadge, roleLabel } from "~/components/ownership";
import { actorOf, requireUser } from "~/utils/auth.server";
import { handleOwnershipIntent } from "~/utils/ownership-intents.server";
import { runAction } from "~/utils/responses.server";
import { planActionHref } from "~/utils/plan-filters";

export const meta: MetaFunction = () => [{ title: "Dashboard – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.app;
  const plans = await listPlansForActor(db, actorOf(user));
  const planIds = plans.map((p) => p.id);
  const [ours, requests] = await Promise.all([
    actionsForOrganisation(db, user.organisationId, planIds),
    pendingRequestsForOrganisation(db, user.organisationId, planIds),
  ]);
  return {
    user: { name: user.name, organisationId: user.organisationId, organisationName: user.organisationName },
    plans,
    ours,
    requests,
    canAnswer: plans.some((p) => p.role === "editor" || p.role === "facilitator"),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = Object.fromEntries(await request.formData());
  return runAction(() => handleOwnershipIntent(context, user, form));
}

export default function Dashboard() {
  const { user, plans, ours, requests, canAnswer } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const leads = ours.filter((a) => a.role === "lead" && a.status === "accepted");
  const supports = ours.filter((a) => a.role === "support" && a.status === "accepted");
  return (
    <div className="stack-lg">
      <h1>
        Welcome, {user.name}
        <span className="h1-sub">{user.organisationName}</span>
      </h1>
      <StatusMessage result={result} />

      <section aria-labelledby="requests-title" className="panel">
        <h2 id="requests-title">Requests waiting for {user.organisationName}</h2>
        {requests.length === 0 ? (
          <p className="muted">No partner has asked your organisation to lead or support an action. Nothing to answer.</p>
        ) : (
          <ul className="request-list">
            {requests.map((r) => (
              <li key={`${r.action_id}-${r.role}`} className="request">
                <p>
                  <strong>{r.requested_by_name ?? "A partner"}</strong>
                  {r.requested_by_organisation ? ` (${r.requested_by_organisation})` : ""} asks {user.organisationName} to be{" "}
                  <strong>{roleLabel(r.role)}</strong> for{" "}
                  <Link to={planActionHref(r.plan_id, r.action_id)}>{r.title}</Link>{" "}
                  <span className="muted">in {r.plan_title}</span>.
                </p>
                {canAnswer ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="actionId" value={r.action_id} />
                    <input type="hidden" name="organisationId" value={user.organisationId} />
                    <button className="button" name="intent" value="accept-ownership" disabled={busy}>
                      Accept
                    </button>
                    <button className="button button--secondary" name="intent" value="decline-ownership" disabled={busy}>
                      Decline
                    </button>
                  </Form>
                ) : (
                  <p className="muted">An editor from your organisation can accept or decline this.</p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="plans-title">
        <h2 id="plans-title">Partnership plans</h2>
        {plans.length === 0 ? (
          <p>You have not been given access to any plan yet. Ask your partnership facilitator to add your organisation.</p>
        ) : (
          <ul className="card-list">
            {plans.map((p) => (
              <li key={p.id} className="card">
                <h3>
                  <Link to={p.kind === "engagement_proposal" ? `/proposals/${p.id}` : `/plans/${p.id}`}>{p.title}</Link>
                </h3>
                <p>{p.summary}</p>
                <p className="muted">
                  {p.actions} {p.kind === "engagement_proposal" ? "commitments" : "actions"} · your access:{" "}
                  <strong>{accessLabel(p.role)}</strong>
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="ours-title">
        <h2 id="ours-title">Actions {user.organisationName} leads or supports</h2>
        {leads.length + supports.length === 0 ? (
          <p className="muted">Your organisation is not named on any action yet.</p>
        ) : (
          <table className="table stack-narrow">
            <caption className="visually-hidden">Actions your organisation leads or supports</caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Plan and priority</th>
                <th scope="col">Due</th>
                <th scope="col">Our role</th>
              </tr>
            </thead>
            <tbody>
              {[...leads, ...supports].map((a) => (
                <tr key={`${a.id}-${a.role}`}>
                  <td data-label="Action">
                    <Link to={planActionHref(a.plan_id, a.id)}>{a.title}</Link>
                  </td>
                  <td data-label="Plan and priority">
                    {a.plan_title}
                    {a.priority_title ? <span className="muted"> · {a.priority_title}</span> : null}
                  </td>
                  <td data-label="Due">{a.due_label || "—"}</td>
                  <td data-label="Our role">
                    <OwnerBadge role={a.role} status={a.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

export function accessLabel(role: string): string {
  switch (role) {
    case "facilitator":
      return "facilitator";
    case "editor":
      return "can edit";
    case "commenter":
      return "can comment";
    default:
      return "can view";
  }
}
