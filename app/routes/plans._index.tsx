import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listAllGrants, listPlansWithCycle } from "../../db/queries/plan-cycle";
import { canCreatePlan, planRole, roleOnPlan } from "../../server/policy";
import { actorOf, requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "All plans – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const actor = actorOf(user);
  const { db } = context.app;
  const [plans, grants] = await Promise.all([listPlansWithCycle(db), listAllGrants(db)]);
  const visible = plans
    .map((p) => ({
      ...p,
      role: roleOnPlan(planRole(actor, grants.filter((g) => g.plan_id === p.id)), { archived: p.archived_at !== null }),
    }))
    .filter((p) => p.role !== "none");
  return { plans: visible, canCreate: canCreatePlan(actor) };
}

const ROLE: Record<string, string> = {
  facilitator: "you manage it",
  editor: "you edit",
  commenter: "you comment",
  viewer: "you read",
};

function period(start: string | null, end: string | null) {
  if (!start || !end) return null;
  const f = (d: string) => new Date(`${d}T12:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  return `${f(start)} to ${f(end)}`;
}

export default function AllPlans() {
  const { plans, canCreate } = useLoaderData<typeof loader>();
  const current = plans.filter((p) => !p.archived_at);
  const archived = plans.filter((p) => p.archived_at);
  return (
    <div className="stack-lg">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/dashboard">Dashboard</Link> <span aria-hidden="true">›</span> All plans
      </nav>
      <h1>All plans</h1>
      <p className="lead">Every action plan and engagement proposal you take part in, current and archived.</p>
      {canCreate ? (
        <p>
          <Link to="/plans/new" className="button">
            New action plan
          </Link>
        </p>
      ) : null}
      <section aria-labelledby="current-title" className="stack">
        <h2 id="current-title">Current</h2>
        {current.length === 0 ? (
          <p className="muted">
            {canCreate ? "There are no plans yet. Start with “New action plan”." : "You do not take part in any current plan yet. Ask your partnership's facilitator to add your organisation."}
          </p>
        ) : (
          <PlanList plans={current} />
        )}
      </section>
      <section aria-labelledby="archived-title" className="stack">
        <h2 id="archived-title">Archived</h2>
        {archived.length === 0 ? <p className="muted">No plan has been archived yet.</p> : <PlanList plans={archived} />}
      </section>
    </div>
  );
}

function PlanList({ plans }: { plans: ReturnType<typeof useLoaderData<typeof loader>>["plans"] }) {
  return (
    <ul className="plan-cards">
      {plans.map((p) => {
        const href = p.kind === "engagement_proposal" ? `/proposals/${encodeURIComponent(p.id)}` : `/plans/${encodeURIComponent(p.id)}`;
        return (
          <li key={p.id} className={`plan-card${p.archived_at ? " plan-card--archived" : ""}`} data-testid="plan-card">
            <h3>
              <Link to={href}>{p.title}</Link>
              <span className="tag">{p.kind === "engagement_proposal" ? "Engagement proposal" : "Action plan"}</span>
              {p.archived_at ? <span className="tag">Archived</span> : null}
            </h3>
            <p className="muted">
              {[period(p.period_start, p.period_end), p.strategy_title ? `under ${p.strategy_title}` : null, ROLE[p.role]].filter(Boolean).join(" · ")}
            </p>
            {p.summary ? <p>{p.summary}</p> : null}
          </li>
        );
      })}
    </ul>
  );
}
