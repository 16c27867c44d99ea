import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { listPlansForActor } from "../../server/domain/plan-visibility";
import { search, SEARCH_SOURCES, type SearchKind } from "../../db/queries/search";
import { MARK_END, MARK_START } from "../../db/queries/search-marks";
import { Breadcrumbs } from "~/components/accountability";
import { actorOf, requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Search – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 200);
  const known = new Set(SEARCH_SOURCES.map((s) => s.kind));
  const kinds = url.searchParams.getAll("kind").filter((k): k is SearchKind => known.has(k as SearchKind));
  const plans = await listPlansForActor(context.app.db, actorOf(user));
  const hits = q ? await search(context.app.db, { q, kinds, visiblePlanIds: plans.map((p) => p.id), liveTexts: context.app.sync.unsavedPlainTexts() }) : [];
  const planTitle = new Map(plans.map((p) => [p.id, p.title]));
  return {
    q,
    kinds,
    sources: SEARCH_SOURCES.map((s) => ({ kind: s.kind, label: s.label })),
    hits: hits.map((h) => ({ ...h, planTitle: h.planId ? (planTitle.get(h.planId) ?? "") : "" })),
  };
}

/** Text with \u0001…\u0002 markers, as React elements: no HTML from the index is ever injected. */
function Marked({ text }: { text: string }) {
  const parts = text.split(new RegExp(`(${MARK_START}[^${MARK_END}]*${MARK_END})`, "u"));
  return (
    <>
      {parts.map((p, i) =>
        p.startsWith(MARK_START) ? <mark key={i}>{p.slice(1, -1)}</mark> : <Fragment key={i}>{p}</Fragment>,
      )}
    </>
  );
}

const KIND_LABEL: Record<string, string> = { plan: "Plan", action: "Action", update: "Progress update", recommendation: "Recommendation", comment: "Comment" };

export default function Search() {
  const { q, kinds, sources, hits } = useLoaderData<typeof loader>();
  return (
    <div className="stack-lg">
      <div>
        <Breadcrumbs items={[{ to: "/dashboard", label: "Dashboard" }, { label: "Search" }]} />
        <h1>Search</h1>
      </div>
      <Form method="get" role="search" className="search-form" aria-label="Search plans, actions and updates">
        <div className="field field--grow">
          <label htmlFor="q">Search plans, actions, progress updates and recommendations</label>
          <input id="q" name="q" type="search" defaultValue={q} maxLength={200} />
        </div>
        <fieldset className="checkboxes">
          <legend>Only these</legend>
          {sources.map((s) => (
            <div key={s.kind} className="checkbox">
              <input type="checkbox" id={`kind-${s.kind}`} name="kind" value={s.kind} defaultChecked={kinds.includes(s.kind)} />
              <label htmlFor={`kind-${s.kind}`}>{s.label}</label>
            </div>
          ))}
        </fieldset>
        <button className="button">Search</button>
      </Form>
      {q ? (
        <section aria-labelledby="results-title">
          <h2 id="results-title" role="status">
            {hits.length === 0 ? `Nothing found for “${q}”` : `${hits.length}${hits.length >= 50 ? "+" : ""} result${hits.length === 1 ? "" : "s"} for “${q}”`}
          </h2>
          {hits.length === 0 ? (
            <p className="empty">Try fewer or shorter words: every word must appear, and a word finds the words it starts (“partner” finds “partnership”).</p>
          ) : (
            <ol className="results" data-testid="results">
              {hits.map((h) => (
                <li key={`${h.kind}-${h.refId}`} className="result">
                  <p className="result__kind">
                    {KIND_LABEL[h.kind] ?? h.kind}
                    {h.planTitle ? <span className="muted"> · {h.planTitle}</span> : null}
                  </p>
                  <h3 className="result__title">
                    <Link to={h.url}>
                      <Marked text={h.titleMarked} />
                    </Link>
                  </h3>
                  {h.snippet.trim() ? (
                    <p className="result__snippet">
                      <Marked text={h.snippet} />
                    </p>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}
    </div>
  );
}
