import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { documentsAuthorship } from "../../server/accountability/authorship-view";
import { Breadcrumbs, PlanNav } from "~/components/accountability";
import { AuthoredParagraphs } from "~/components/authorship";
import { requirePlanAccess } from "~/utils/plan-access.server";
import { planDocumentsWithActions } from "../../db/queries/documents";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Who wrote this: ${data?.plan.title ?? "plan"} – Co-design Workspace` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const planId = params.planId ?? "";
  const { plan } = await requirePlanAccess(request, context, planId);
  const { db, sync } = context.app;
  const docs = await planDocumentsWithActions(db, planId);
  docs.sort((a, b) => (a.kind === "plan_overview" ? -1 : b.kind === "plan_overview" ? 1 : (a.position ?? 0) - (b.position ?? 0)));
  const authorship = await documentsAuthorship(db, sync, docs.map((d) => d.id));
  const texts = docs.map((d) => ({
    id: d.id,
    actionId: d.action_id,
    label: d.kind === "plan_overview" ? "Overview" : `${d.code ? `${d.code} · ` : ""}${d.title}`,
    paragraphs: authorship.get(d.id) ?? [],
  }));
  // Who appears anywhere in the plan's text, with how much of it is theirs.
  const totals = new Map<string, { name: string; characters: number }>();
  for (const t of texts) {
    for (const p of t.paragraphs) {
      for (const a of p.authors) {
        const key = a.userName ? `${a.userName}|${a.organisationName}` : "imported";
        const name = a.userName ? `${a.userName} (${a.organisationName})` : "Imported from the source documents";
        const entry = totals.get(key) ?? { name, characters: 0 };
        entry.characters += a.characters;
        totals.set(key, entry);
      }
    }
  }
  return {
    plan: { id: plan.id, title: plan.title },
    texts,
    totals: [...totals.values()].sort((a, b) => b.characters - a.characters),
  };
}

export default function Authorship() {
  const { plan, texts, totals } = useLoaderData<typeof loader>();
  const all = totals.reduce((n, t) => n + t.characters, 0) || 1;
  return (
    <div className="stack-lg">
      <div>
        <Breadcrumbs items={[{ to: "/dashboard", label: "Dashboard" }, { to: `/plans/${plan.id}`, label: plan.title }, { label: "Who wrote this" }]} />
        <h1>
          Who wrote this
          <span className="h1-sub">{plan.title}</span>
        </h1>
        <PlanNav planId={plan.id} />
      </div>
      <p className="lead">
        For each paragraph, the people and organisations whose edits it still contains, from the server's record of every accepted edit.
        Text loaded from the source documents shows as imported; a restored version is credited to the person who restored it.
      </p>
      <section aria-labelledby="totals-title" className="panel">
        <h2 id="totals-title">Share of the current text</h2>
        <table className="table table--compact share-table">
          <caption className="visually-hidden">Characters of the current text by author</caption>
          <thead>
            <tr>
              <th scope="col">Author</th>
              <th scope="col" className="num">
                Characters
              </th>
              <th scope="col">Share</th>
            </tr>
          </thead>
          <tbody>
            {totals.map((t) => (
              <tr key={t.name}>
                <th scope="row">{t.name}</th>
                <td className="num">{t.characters.toLocaleString("en-GB")}</td>
                <td>
                  <span className="share-bar" aria-hidden="true">
                    <span style={{ width: `${Math.max(1, Math.round((t.characters / all) * 100))}%` }} />
                  </span>{" "}
                  {Math.round((t.characters / all) * 100)}%
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <ol className="version-texts">
        {texts.map((t) => (
          <li key={t.id} className="version-text">
            <h2 className="version-text__label">
              {t.actionId ? <Link to={`/plans/${plan.id}/actions/${t.actionId}`}>{t.label}</Link> : t.label}
            </h2>
            <AuthoredParagraphs paragraphs={t.paragraphs} label={t.label} />
          </li>
        ))}
      </ol>
    </div>
  );
}
