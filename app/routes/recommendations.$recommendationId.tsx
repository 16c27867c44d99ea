import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listPlansForActor } from "../../server/domain/plan-visibility";
import { formatDate, todayInLondon } from "../../server/accountability/dates";
import { loadDeliveryForActions, ragCounts } from "../../server/accountability/delivery";
import { Breadcrumbs, MilestoneState, ProgressStatusLabel, RagBadge, When } from "~/components/accountability";
import { actorOf, requireUser } from "~/utils/auth.server";
import { prioritiesByIds } from "../../db/queries/priorities";
import { findRecommendation, linkedActionIds, plansRespondingTo } from "../../db/queries/recommendations";
import { reviewsOfActions } from "../../db/queries/status-reports";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Recommendation ${data?.recommendation.code ?? ""} – Co-design Workspace` },
];

/**
 * Traceability: a recommendation -> the plans that respond to it -> their priorities -> the actions
 * linked to it -> their updates, and the reports of record that rated them. Each action links back.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.app;
  const recommendation = await findRecommendation(db, params.recommendationId ?? "");
  if (!recommendation) throw new Response("There is no such recommendation.", { status: 404 });
  const plans = await listPlansForActor(db, actorOf(user));
  const planIds = plans.map((p) => p.id);
  const [responding, linked] = await Promise.all([
    plansRespondingTo(db, recommendation.id),
    planIds.length ? linkedActionIds(db, recommendation.id, planIds) : [],
  ]);
  const today = todayInLondon();
  const { actions } = await loadDeliveryForActions(db, linked.map((l) => l.id), today);
  const priorities = actions.length
    ? await prioritiesByIds(db, [...new Set(actions.map((a) => a.priorityId ?? ""))])
    : [];
  const reviews = actions.length
    ? await reviewsOfActions(db, actions.map((a) => a.id))
    : [];
  const planTitle = new Map(plans.map((p) => [p.id, p.title]));
  const reviewList = [...new Map(reviews.map((r) => [r.id, { id: r.id, title: r.title, asAt: r.as_at, planTitle: planTitle.get(r.plan_id) ?? "" }])).values()].map(
    (r) => {
      const entries = reviews.filter((e) => e.id === r.id);
      return { ...r, counts: ragCounts(entries.map((e) => ({ rag: { status: e.rag, reasons: [] } }))) };
    },
  );
  return {
    recommendation,
    plans: responding.filter((r) => planIds.includes(r.plan_id)).map((r) => ({ id: r.plan_id, title: planTitle.get(r.plan_id) ?? r.plan_id })),
    counts: ragCounts(actions),
    priorities: priorities.map((p) => ({
      ...p,
      actions: actions
        .filter((a) => a.priorityId === p.id)
        .map((a) => ({
          id: a.id,
          planId: a.planId,
          planTitle: planTitle.get(a.planId) ?? "",
          title: a.title,
          rag: a.rag.status,
          reasons: a.rag.reasons.map((r) => r.text),
          lead: a.lead?.name ?? null,
          next: a.nextMilestone,
          latest: a.latest,
        })),
    })),
    reviews: reviewList,
  };
}

export default function RecommendationTrace() {
  const data = useLoaderData<typeof loader>();
  const r = data.recommendation;
  return (
    <div className="stack-lg">
      <div>
        <Breadcrumbs items={[{ to: "/dashboard", label: "Dashboard" }, { to: "/recommendations", label: "Recommendations" }, { label: `Recommendation ${r.code}` }]} />
        <h1>
          Recommendation {r.code}: {r.title}
          <span className="h1-sub">{r.source}</span>
        </h1>
      </div>
      <blockquote className="quote">{r.text}</blockquote>

      <section aria-labelledby="plans-title">
        <h2 id="plans-title">Plans that respond to it</h2>
        {data.plans.length === 0 ? (
          <p className="empty">No plan you can see responds to this recommendation yet.</p>
        ) : (
          <ul>
            {data.plans.map((p) => (
              <li key={p.id}>
                <Link to={`/plans/${p.id}/board`}>{p.title}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="trace-title">
        <h2 id="trace-title">Priorities and actions that serve it</h2>
        {data.priorities.length === 0 ? (
          <p className="empty">No action is linked to this recommendation yet. Editors link an action to it from the action's delivery page (“What this action serves”).</p>
        ) : (
          <>
            <p>
              {data.counts.total} action{data.counts.total === 1 ? "" : "s"}: {data.counts.red} red, {data.counts.amber} amber, {data.counts.green} green.
            </p>
            {data.priorities.map((p) => (
              <div key={p.id} className="trace-priority">
                <h3>
                  <span className="matrix__code">{p.code}</span> {p.title}
                </h3>
                <ul className="trace-actions">
                  {p.actions.map((a) => (
                    <li key={a.id} className="trace-action">
                      <p>
                        <RagBadge status={a.rag} /> <Link to={`/plans/${a.planId}/actions/${a.id}`}>{a.title}</Link>{" "}
                        <span className="muted">
                          ({a.lead ?? "no lead partner"}, {a.planTitle})
                        </span>
                      </p>
                      {a.reasons.length ? <p className="reason-line">{a.reasons.join(" ")}</p> : null}
                      <p className="muted">
                        {a.next ? (
                          <>
                            Next milestone: {a.next.title}, <MilestoneState m={a.next} />.{" "}
                          </>
                        ) : null}
                        {a.latest ? (
                          <>
                            Latest update <When date={a.latest.reportedOn} />: <ProgressStatusLabel status={a.latest.status} /> — {a.latest.narrative}{" "}
                            <Link to={`/plans/${a.planId}/actions/${a.id}#update-${a.latest.id}`}>
                              Read <span className="visually-hidden">the update on {a.title}</span>
                            </Link>
                          </>
                        ) : (
                          "No progress update yet."
                        )}
                      </p>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </>
        )}
      </section>

      <section aria-labelledby="reviews-title">
        <h2 id="reviews-title">Reviews</h2>
        {data.reviews.length === 0 ? (
          <p className="empty">No report of record has rated these actions yet.</p>
        ) : (
          <table className="table">
            <caption className="visually-hidden">Reports of record that rated the actions serving this recommendation</caption>
            <thead>
              <tr>
                <th scope="col">Report</th>
                <th scope="col">As at</th>
                <th scope="col">Its actions then</th>
              </tr>
            </thead>
            <tbody>
              {data.reviews.map((v) => (
                <tr key={v.id}>
                  <td>
                    {v.title} <span className="muted">({v.planTitle})</span>
                  </td>
                  <td>{formatDate(v.asAt)}</td>
                  <td>
                    {v.counts.red} red, {v.counts.amber} amber, {v.counts.green} green
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
