import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listPlansForActor } from "../../server/domain/plan-visibility";
import { listWorkshops, workshopIdsInvitingOrganisation } from "../../db/queries/workshops";
import { canCreateWorkshop } from "../../server/policy";
import { actorOf, requireUser } from "~/utils/auth.server";
import { formatScheduled } from "~/components/workshop/format";

export const meta: MetaFunction = () => [{ title: "Workshops – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.app;
  const plans = await listPlansForActor(db, actorOf(user));
  const invited = new Set(await workshopIdsInvitingOrganisation(db, user.organisationId));
  const all = await listWorkshops(db);
  const visiblePlans = new Set(plans.map((p) => p.id));
  const workshops = all.filter((w) => visiblePlans.has(w.plan_id) || invited.has(w.id));
  return {
    workshops,
    plansToRun: plans.filter((p) => canCreateWorkshop(p.role)).map((p) => ({ id: p.id, title: p.title })),
  };
}

const STATUS_LABEL: Record<string, string> = { live: "Live now", scheduled: "Coming up", closed: "Closed" };

export default function Workshops() {
  const { workshops, plansToRun } = useLoaderData<typeof loader>();
  const groups = (["live", "scheduled", "closed"] as const).map((status) => ({
    status,
    items: workshops.filter((w) => w.status === status),
  }));
  return (
    <div className="stack-lg">
      <div>
        <h1>Workshops</h1>
        <p className="lead">
          Facilitated sessions on a plan or proposal: the room adds ideas, votes, and leaves with actions and owners written
          into the plan.
        </p>
      </div>
      {plansToRun.length ? (
        <section aria-labelledby="run-title" className="panel">
          <h2 id="run-title">Run a workshop</h2>
          <ul>
            {plansToRun.map((p) => (
              <li key={p.id}>
                <Link to={`/workshops/new?plan=${encodeURIComponent(p.id)}`}>Set up a workshop on {p.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {workshops.length === 0 ? (
        <p className="empty">
          There are no workshops on your plans yet. When a facilitator invites your organisation, the workshop appears here.
        </p>
      ) : (
        groups
          .filter((g) => g.items.length)
          .map((g) => (
            <section key={g.status} aria-labelledby={`ws-${g.status}`}>
              <h2 id={`ws-${g.status}`}>{STATUS_LABEL[g.status]}</h2>
              <ul className="card-list">
                {g.items.map((w) => (
                  <li key={w.id} className="card">
                    <h3>
                      <Link to={`/workshops/${w.id}`}>{w.title}</Link>
                    </h3>
                    <p className="muted">
                      {formatScheduled(w.scheduled_for)} · on {w.plan_title}
                    </p>
                    {w.status === "closed" ? (
                      <p>
                        <Link to={`/workshops/${w.id}/record`}>Read the record</Link>
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ))
      )}
    </div>
  );
}
