import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listPlansForActor } from "../../server/domain/plan-visibility";
import { formatDate, todayInLondon } from "../../server/accountability/dates";
import { loadDeliveryForActions, ragCounts } from "../../server/accountability/delivery";
import { Breadcrumbs, MilestoneState, ProgressStatusLabel, RagBadge, When } from "~/components/accountability";
import { actorOf, requireUser } from "~/utils/auth.server";

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
  const recommendation = await db.selectFrom("recommendations").selectAll().where("id", "=", params.recommendationId ?? "").executeTakeFirst();
  if (!recommendation) throw new Response("There is no such recommendation.", { status: 404 });
  const plans = await listPlansForActor(db, actorOf(user));
  const planIds = plans.map((p) => p.id);
  const [responding, linked] = await Promise.all([
    db.selectFrom("plan_recommendations").select("plan_id").where("recommendation_id", "=", recommendation.id).execute(),
    planIds.length
      ? db
          .selectFrom("action_recommendations")
          .innerJoin("actions", "actions.id", "action_recommendations.action_id")
          .select("actions.id")
          .where("action_recommendations.recommendation_id", "=", recommendation.id)
          .where("actions.plan_id", "in", planIds)
          .execute()
      : [],
  ]);
  const today = todayInLondon();
  const { actions } = await loadDeliveryForActions(db, linked.map((l) => l.id), today);
  const priorities = actions.length
    ? await db.selectFrom("priorities").select(["id", "code", "title"]).where("id", "in", [...new Set(actions.map((a) => a.priorityId ?? ""))]).execute()
    : [];
  const reviews = actions.length
    ? await db
        .selectFrom("status_report_entries as e")
        .innerJoin("status_reports as r", "r.id", "e.report_id")
        .select(["r.id", "r.title", "r.as_at", "r.plan_id", "e.action_id", "e.rag"])
        .where("e.action_id", "in", actions.map((a) => a.id))
        .orderBy("r.as_at", "desc")
        .execute()
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
