import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { actionsForOrganisation } from "../../db/queries/plans";
import { listPlansForActor } from "../../server/domain/plan-visibility";
import { inboxFor } from "../../server/notifications/inbox";
import { InboxList } from "~/components/InboxList";
import { StatusMessage } from "~/components/StatusMessage";
import { OwnerBadge } from "~/components/ownership";
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
  const [ours, inbox] = await Promise.all([
    actionsForOrganisation(db, user.organisationId, planIds),
    inboxFor(db, { ...actorOf(user), organisationName: user.organisationName }),
  ]);
  return {
    user: { name: user.name, organisationId: user.organisationId, organisationName: user.organisationName },
    plans,
    ours,
    waiting: inbox.waiting,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = Object.fromEntries(await request.formData());
  return runAction(() => handleOwnershipIntent(context, user, form));
}

export default function Dashboard() {
  const { user, plans, ours, waiting } = useLoaderData<typeof loader>();
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

      <section aria-labelledby="waiting-title" className="panel">
        <h2 id="waiting-title">Waiting for you</h2>
        {waiting.length === 0 ? (
          <p className="muted">Nothing is waiting for you or for {user.organisationName}: no requests to answer and nothing new.</p>
        ) : (
          <InboxList items={waiting} testId="waiting-for-you" busy={busy} answerOwnership />
        )}
        <p>
          <Link to="/notifications">All notifications</Link>
        </p>
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
