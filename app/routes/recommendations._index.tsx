import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listPlansForActor } from "../../server/domain/plan-visibility";
import { todayInLondon } from "../../server/accountability/dates";
import { loadDeliveryForActions, ragCounts } from "../../server/accountability/delivery";
import { Breadcrumbs, RagBadge } from "~/components/accountability";
import { actorOf, requireUser } from "~/utils/auth.server";
import { actionLinksInPlans, listPlanRecommendationLinks, listRecommendations } from "../../db/queries/recommendations";

export const meta: MetaFunction = () => [{ title: "Recommendations – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.app;
  const plans = await listPlansForActor(db, actorOf(user));
  const planIds = plans.map((p) => p.id);
  const [recommendations, links, planLinks] = await Promise.all([
    listRecommendations(db),
    planIds.length ? actionLinksInPlans(db, planIds) : [],
    listPlanRecommendationLinks(db),
  ]);
  const { actions } = await loadDeliveryForActions(db, [...new Set(links.map((l) => l.id))], todayInLondon());
  const rag = new Map(actions.map((a) => [a.id, a]));
  const sources = [...new Set(recommendations.map((r) => r.source))];
  return {
    sources: sources.map((source) => ({
      source,
      recommendations: recommendations
        .filter((r) => r.source === source)
        .map((r) => {
          const linked = links.filter((l) => l.recommendation_id === r.id).map((l) => rag.get(l.id)!).filter(Boolean);
          return {
            ...r,
            plans: planLinks.filter((p) => p.recommendation_id === r.id && planIds.includes(p.plan_id)).length,
            actions: linked.length,
            counts: ragCounts(linked),
          };
        }),
    })),
  };
}

export default function Recommendations() {
  const { sources } = useLoaderData<typeof loader>();
  return (
    <div className="stack-lg">
      <div>
        <Breadcrumbs items={[{ to: "/dashboard", label: "Dashboard" }, { label: "Recommendations" }]} />
        <h1>
          Recommendations
          <span className="h1-sub">From the peer challenges to the plans, actions and updates that answer them</span>
        </h1>
      </div>
      {sources.map((s) => (
        <section key={s.source} aria-labelledby={`src-${s.source}`}>
          <h2 id={`src-${s.source}`}>{s.source}</h2>
          <table className="table">
            <caption className="visually-hidden">Recommendations of {s.source} and the delivery against them</caption>
            <thead>
              <tr>
                <th scope="col">Recommendation</th>
                <th scope="col" className="num">
                  Plans
                </th>
                <th scope="col" className="num">
                  Actions
                </th>
                <th scope="col">Status of its actions</th>
              </tr>
            </thead>
            <tbody>
              {s.recommendations.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/recommendations/${r.id}`}>
                      {r.code}. {r.title}
                    </Link>
                  </td>
                  <td className="num">{r.plans}</td>
                  <td className="num">{r.actions}</td>
                  <td>
                    {r.actions === 0 ? (
                      <span className="muted">No action linked yet</span>
                    ) : (
                      <span className="rag-counts">
                        {(["red", "amber", "green"] as const)
                          .filter((c) => r.counts[c] > 0)
                          .map((c) => (
                            <span key={c}>
                              {r.counts[c]} <RagBadge status={c} />
                            </span>
                          ))}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
