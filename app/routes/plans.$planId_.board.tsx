import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { coverageMatrix, loadPlanDelivery, ragCounts, type DeliveryAction } from "../../server/accountability/delivery";
import { financialQuarter, formatDate, isIsoDate, todayInLondon } from "../../server/accountability/dates";
import { Breadcrumbs, DirectionLabel, MilestoneState, PlanNav, ProgressStatusLabel, RagBadge, When, type Rag } from "~/components/accountability";
import { asAtFrom, requirePlanAccess } from "~/utils/plan-access.server";
import { useLiveRecord } from "~/utils/use-live-record";
import { partnersTakingPart } from "../../db/queries/plan-grants";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Delivery board: ${data?.plan.title ?? "plan"} – Co-design Workspace` },
];

const TIMELINE_ITEMS_PER_QUARTER = 6;
const MAX_QUARTERS = 8;
/** Rows shown before "Show all": a board meeting filters; a printout shows all. */
const TABLE_PAGE = 25;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const planId = params.planId ?? "";
  const { plan } = await requirePlanAccess(request, context, planId);
  const url = new URL(request.url);
  const today = todayInLondon();
  const { asAt, error } = asAtFrom(url, today, isIsoDate);
  const delivery = await loadPlanDelivery(context.app.db, planId, asAt);
  const taking = await partnersTakingPart(context.app.db, planId);
  const coverage = coverageMatrix(delivery, taking);
  const priorityCode = new Map(delivery.priorities.map((p) => [p.id, p.code]));

  const filters = {
    priority: url.searchParams.get("priority") ?? "",
    partner: url.searchParams.get("partner") ?? "",
    role: url.searchParams.get("role") ?? "",
    rag: url.searchParams.get("rag") ?? "",
    quarter: url.searchParams.get("quarter") ?? "",
    q: (url.searchParams.get("q") ?? "").trim().slice(0, 100),
  };
  const matches = (a: DeliveryAction) => {
    if (filters.priority && a.priorityId !== filters.priority) return false;
    if (filters.rag && a.rag.status !== filters.rag) return false;
    if (filters.partner) {
      const owners = [...(a.lead ? [a.lead] : []), ...a.supporting];
      const mine = owners.filter((o) => o.organisationId === filters.partner);
      if (filters.role === "lead" ? !mine.some((o) => o.role === "lead") : filters.role === "support" ? !mine.some((o) => o.role === "support") : mine.length === 0) return false;
    }
    if (filters.quarter && !a.milestones.some((m) => financialQuarter(m.dueDate).key === filters.quarter)) return false;
    if (filters.q && !a.title.toLowerCase().includes(filters.q.toLowerCase())) return false;
    return true;
  };
  const filtered = delivery.actions.filter(matches);
  const showAll = url.searchParams.get("all") === "1";
  const shownRows = showAll ? filtered : filtered.slice(0, TABLE_PAGE);

  // Milestone timeline: financial quarters from the earliest to the latest due date.
  const quarters = new Map<string, { key: string; label: string; start: string; end: string; items: { actionId: string; actionTitle: string; title: string; state: "done" | "overdue" | "due"; dueDate: string; completedOn: string | null }[] }>();
  for (const a of delivery.actions) {
    for (const m of a.milestones) {
      const q = financialQuarter(m.dueDate);
      const entry = quarters.get(q.key) ?? { ...q, items: [] };
      entry.items.push({ actionId: a.id, actionTitle: a.title, title: m.title, state: m.state, dueDate: m.dueDate, completedOn: m.completedOn });
      quarters.set(q.key, entry);
    }
  }
  const allQuarters = [...quarters.values()].sort((x, y) => x.start.localeCompare(y.start));
  const nowKey = financialQuarter(asAt).key;
  // Long plans: the quarters around the report date.
  let shown = allQuarters;
  if (allQuarters.length > MAX_QUARTERS) {
    const at = Math.max(0, allQuarters.findIndex((q) => q.key >= nowKey));
    const start = Math.min(Math.max(0, at - 2), allQuarters.length - MAX_QUARTERS);
    shown = allQuarters.slice(start, start + MAX_QUARTERS);
  }
  const timeline = shown.map((q) => {
    const order = { overdue: 0, due: 1, done: 2 } as const;
    const items = [...q.items].sort((x, y) => order[x.state] - order[y.state] || x.dueDate.localeCompare(y.dueDate));
    return {
      key: q.key,
      label: q.label,
      start: q.start,
      end: q.end,
      isNow: q.key === nowKey,
      counts: { done: q.items.filter((i) => i.state === "done").length, overdue: q.items.filter((i) => i.state === "overdue").length, due: q.items.filter((i) => i.state === "due").length },
      items: items.slice(0, TIMELINE_ITEMS_PER_QUARTER),
      more: Math.max(0, items.length - TIMELINE_ITEMS_PER_QUARTER),
    };
  });

  const counts = ragCounts(delivery.actions);
  const moved = {
    improved: delivery.actions.filter((a) => a.direction === "improved").length,
    worse: delivery.actions.filter((a) => a.direction === "worse").length,
    same: delivery.actions.filter((a) => a.direction === "same").length,
    added: delivery.actions.filter((a) => a.direction === "new").length,
  };

  return {
    plan: { id: plan.id, title: plan.title },
    today,
    asAt,
    asAtError: error,
    lastReport: delivery.lastReport,
    counts,
    moved,
    coverage,
    timeline,
    timelineHidden: allQuarters.length - shown.length,
    timelineNow:
      shown.length === 0 || shown.some((q) => q.key === nowKey)
        ? null
        : nowKey > shown[shown.length - 1].key
          ? "after"
          : "before",
    quarterEnds: allQuarters.map((q) => q.end).filter((d) => d <= today),
    filters,
    priorities: delivery.priorities.map((p) => ({ id: p.id, code: p.code, title: p.title })),
    partners: coverage.columns,
    quarterOptions: allQuarters.map((q) => ({ key: q.key, label: q.label })),
    total: delivery.actions.length,
    matching: filtered.length,
    showAll,
    rows: shownRows.map((a) => ({
      id: a.id,
      title: a.title,
      priorityCode: a.priorityId ? (priorityCode.get(a.priorityId) ?? "") : "",
      lead: a.lead ? { name: a.lead.name, pending: a.lead.status === "pending" } : null,
      supporting: a.supporting.map((s) => ({ name: s.name, pending: s.status === "pending" })),
      next: a.nextMilestone,
      latest: a.latest ? { status: a.latest.status, reportedOn: a.latest.reportedOn } : null,
      rag: a.rag.status,
      reasons: a.rag.reasons.map((r) => r.text),
      direction: a.direction,
      previous: a.previous,
    })),
  };
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function Board() {
  const data = useLoaderData<typeof loader>();
  const announcement = useLiveRecord([data.plan.id]);
  const { plan, asAt, today } = data;
  const base = `/plans/${plan.id}`;
  return (
    <div className="stack-lg board">
      <div>
        <Breadcrumbs items={[{ to: "/dashboard", label: "Dashboard" }, { to: base, label: plan.title }, { label: "Delivery board" }]} />
        <h1>
          Delivery board
          <span className="h1-sub">{plan.title}</span>
        </h1>
        <PlanNav planId={plan.id} />
      </div>
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>

      <div className="board__asat">
        <Form method="get" className="inline-fields" aria-label="Report date">
          <div className="field">
            <label htmlFor="asAt">Status as at</label>
            <input id="asAt" name="asAt" type="date" defaultValue={asAt} max={today} />
          </div>
          <button className="button button--secondary">Show</button>
          {asAt !== today ? (
            <Link to="." className="board__today">
              Back to today
            </Link>
          ) : null}
        </Form>
        {data.quarterEnds.length ? (
          <p className="board__quarters">
            Quarter ends:{" "}
            {data.quarterEnds.map((d, i) => (
              <span key={d}>
                {i ? " · " : ""}
                {d === asAt ? <strong aria-current="true">{formatDate(d)}</strong> : <Link to={`?asAt=${d}`}>{formatDate(d)}</Link>}
              </span>
            ))}
          </p>
        ) : null}
        <p className="muted board__basis">
          Status as at <strong>{formatDate(asAt)}</strong>, set by the partnership's <Link to="/rag-rules">RAG rules</Link>.{" "}
          {data.lastReport ? (
            <>
              Direction of travel since the report “{data.lastReport.title}” (as at {formatDate(data.lastReport.asAt)}).
            </>
          ) : (
            <>No report of record before this date yet, so there is no direction of travel.</>
          )}{" "}
          <Link to={`${base}/reports?asAt=${asAt}`}>Word report, CSV and print</Link>
        </p>
        {data.asAtError ? (
          <div className="notice notice--error" role="alert">
            {data.asAtError}
          </div>
        ) : null}
      </div>

      <RagSummary data={data} />
      <CoverageMatrix data={data} />
      <Timeline data={data} />
      <ActionsTable data={data} />
    </div>
  );
}

function RagSummary({ data }: { data: Data }) {
  const { counts, moved } = data;
  const pct = (n: number) => (counts.total ? Math.round((n / counts.total) * 100) : 0);
  const filterLink = (rag: Rag) => `?${new URLSearchParams({ ...(data.asAt !== data.today ? { asAt: data.asAt } : {}), rag }).toString()}#actions`;
  return (
    <section aria-labelledby="summary-title" className="panel board__summary">
      <h2 id="summary-title">RAG summary</h2>
      {counts.total === 0 ? (
        <p className="empty">This plan has no actions yet, so there is nothing to rate.</p>
      ) : (
        <>
          <ul className="rag-tiles" data-testid="rag-counts">
            {(["red", "amber", "green"] as const).map((s) => (
              <li key={s} className={`rag-tile rag-tile--${s}`}>
                <Link to={filterLink(s)} className="rag-tile__link">
                  <span className="rag-tile__count" data-testid={`count-${s}`}>
                    {counts[s]}
                  </span>
                  <RagBadge status={s} />
                  <span className="rag-tile__pct">{pct(counts[s])}% of actions</span>
                </Link>
              </li>
            ))}
          </ul>
          <div className="ragbar" aria-hidden="true">
            {(["red", "amber", "green"] as const)
              .filter((s) => counts[s] > 0)
              .map((s) => (
                <span key={s} className={`ragbar__part ragbar__part--${s}`} style={{ flexGrow: counts[s] }}>
                  {pct(counts[s]) >= 8 ? `${counts[s]}` : ""}
                </span>
              ))}
          </div>
          <p className="board__moved">
            {data.lastReport ? (
              <>
                Since the last report: <strong>{moved.improved}</strong> improved, <strong>{moved.worse}</strong> got worse, {moved.same} unchanged
                {moved.added ? `, ${moved.added} new` : ""}.
              </>
            ) : (
              <>Record a report of record on the Reports page to see the direction of travel next time.</>
            )}
          </p>
        </>
      )}
    </section>
  );
}

function CoverageMatrix({ data }: { data: Data }) {
  const { coverage } = data;
  const gaps = coverage.rows.filter((r) => r.gap === "no-lead" || r.gap === "no-actions");
  return (
    <section aria-labelledby="coverage-title" className="coverage">
      <h2 id="coverage-title">Who leads and supports what</h2>
      <p className="muted">Priorities down the side, partners across. A priority no partner leads is a gap the board should fill.</p>
      {gaps.length ? (
        <div className="notice notice--warning" data-testid="coverage-gaps">
          <strong>
            {gaps.length} {gaps.length === 1 ? "priority has" : "priorities have"} no lead partner:
          </strong>{" "}
          {gaps.map((g, i) => (
            <span key={g.priority.id}>
              {i ? "; " : ""}
              {g.priority.code} {g.priority.title}
            </span>
          ))}
          .
        </div>
      ) : (
        <p className="notice notice--success">Every priority has a lead partner.</p>
      )}
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="coverage-title">
        <table className="matrix stack-narrow" data-testid="coverage-matrix">
          <caption className="visually-hidden">
            Priorities by partner: number of actions each partner leads or supports. Gaps are marked “No lead partner”.
          </caption>
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col" className="num">
                Actions
              </th>
              {coverage.columns.map((c) => (
                <th scope="col" key={c.id} className="matrix__org">
                  <abbr title={c.name}>{c.shortName}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {coverage.rows.map((r) => (
              <tr key={r.priority.id} className={r.gap === "no-lead" || r.gap === "no-actions" ? "matrix__row--gap" : undefined} data-gap={r.gap ?? ""} data-priority={r.priority.code}>
                <th scope="row">
                  <span className="matrix__code">{r.priority.code}</span> {r.priority.title}
                  {r.gap === "no-lead" || r.gap === "no-actions" ? (
                    <span className="gap-flag">
                      <span aria-hidden="true">⚠ </span>No lead partner{r.gap === "no-actions" ? " (no actions yet)" : ""}
                    </span>
                  ) : r.gap === "some-without-lead" ? (
                    <span className="gap-flag gap-flag--partial">
                      <span aria-hidden="true">⚠ </span>
                      {r.withoutLead} of {r.actions} actions without a lead
                    </span>
                  ) : null}
                </th>
                <td className="num" data-label="Actions">{r.actions}</td>
                {coverage.columns.map((c) => {
                  const cell = r.cells[c.id];
                  if (!cell) {
                    return (
                      <td key={c.id} className="matrix__cell matrix__cell--empty">
                        <span className="visually-hidden">none</span>
                      </td>
                    );
                  }
                  return (
                    <td key={c.id} data-label={c.name} className={`matrix__cell${cell.lead ? " matrix__cell--lead" : cell.support ? " matrix__cell--support" : ""}`}>
                      {cell.lead ? <span className="cell-tag cell-tag--lead">Leads {cell.lead}</span> : null}
                      {cell.leadPending ? <span className="cell-tag cell-tag--pending">Asked to lead {cell.leadPending}</span> : null}
                      {cell.support ? <span className="cell-tag cell-tag--support">Supports {cell.support}</span> : null}
                      {cell.supportPending ? <span className="cell-tag cell-tag--pending">Asked to support {cell.supportPending}</span> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Timeline({ data }: { data: Data }) {
  if (data.timeline.length === 0) {
    return (
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Milestone timeline</h2>
        <p className="empty">No milestones yet. Add them on each action's page.</p>
      </section>
    );
  }
  const link = (quarter: string) =>
    `?${new URLSearchParams({ ...(data.asAt !== data.today ? { asAt: data.asAt } : {}), quarter }).toString()}#actions`;
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Milestone timeline</h2>
      <p className="muted">
        By financial quarter. <span className="ms-state ms-state--overdue"><span aria-hidden="true">! </span>overdue</span>,{" "}
        <span className="ms-state ms-state--due"><span aria-hidden="true">○ </span>due</span>,{" "}
        <span className="ms-state ms-state--done"><span aria-hidden="true">✓ </span>done</span> as at {formatDate(data.asAt)}.
        {data.timelineHidden ? ` ${data.timelineHidden} other quarters are not shown; filter the table by quarter to see them.` : ""}
        {data.timelineNow === "after" ? ` The report date is after the last quarter with milestones.` : ""}
        {data.timelineNow === "before" ? ` The report date is before the first quarter with milestones.` : ""}
      </p>
      <ol className="timeline" style={{ gridTemplateColumns: `repeat(${data.timeline.length}, minmax(11rem, 1fr))` }}>
        {data.timeline.map((q) => (
          <li key={q.key} className={`timeline__quarter${q.isNow ? " timeline__quarter--now" : ""}`}>
            <h3>
              {q.label}
              {q.isNow ? <span className="timeline__now">Report date</span> : null}
            </h3>
            <p className="timeline__range">
              {formatDate(q.start)} – {formatDate(q.end)}
            </p>
            <div className="timeline__bar" aria-hidden="true">
              {(["overdue", "due", "done"] as const)
                .filter((k) => q.counts[k] > 0)
                .map((k) => (
                  <span key={k} className={`timeline__bar-part timeline__bar-part--${k}`} style={{ flexGrow: q.counts[k] }} />
                ))}
            </div>
            <p className="timeline__counts">
              {q.counts.overdue ? <span className="ms-state ms-state--overdue">{q.counts.overdue} overdue</span> : null}
              {q.counts.due ? <span className="ms-state ms-state--due">{q.counts.due} due</span> : null}
              {q.counts.done ? <span className="ms-state ms-state--done">{q.counts.done} done</span> : null}
            </p>
            <ul className="timeline__items">
              {q.items.map((m, i) => (
                <li key={`${m.actionId}-${i}`} className={`timeline__item timeline__item--${m.state}`}>
                  <span className="timeline__mark" aria-hidden="true">
                    {m.state === "done" ? "✓" : m.state === "overdue" ? "!" : ""}
                  </span>
                  <Link to={`/plans/${data.plan.id}/actions/${m.actionId}`}>{m.actionTitle}</Link>
                  <span className="visually-hidden">
                    : {m.title}, {m.state === "done" ? "done" : m.state === "overdue" ? "overdue" : "due"} {formatDate(m.dueDate)}
                  </span>
                </li>
              ))}
            </ul>
            {q.more ? (
              <Link to={link(q.key)} className="timeline__more">
                and {q.more} more <span className="visually-hidden">in {q.label}</span>
              </Link>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function ActionsTable({ data }: { data: Data }) {
  const f = data.filters;
  const filtered = Object.values(f).some(Boolean);
  return (
    <section aria-labelledby="actions-title" id="actions">
      <h2 id="actions-title">Actions</h2>
      <Form method="get" className="filters" aria-label="Filter actions">
        {data.asAt !== data.today ? <input type="hidden" name="asAt" value={data.asAt} /> : null}
        <div className="field">
          <label htmlFor="f-priority">Priority</label>
          <select id="f-priority" name="priority" defaultValue={f.priority}>
            <option value="">All priorities</option>
            {data.priorities.map((p) => (
              <option key={p.id} value={p.id}>
                {p.code} {p.title.length > 50 ? `${p.title.slice(0, 48)}…` : p.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-partner">Partner</label>
          <select id="f-partner" name="partner" defaultValue={f.partner}>
            <option value="">Any partner</option>
            {data.partners.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-role">Partner's role</label>
          <select id="f-role" name="role" defaultValue={f.role}>
            <option value="">Leads or supports</option>
            <option value="lead">Leads</option>
            <option value="support">Supports</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-rag">Status</label>
          <select id="f-rag" name="rag" defaultValue={f.rag}>
            <option value="">Any status</option>
            <option value="red">Red</option>
            <option value="amber">Amber</option>
            <option value="green">Green</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-quarter">Milestone due in</label>
          <select id="f-quarter" name="quarter" defaultValue={f.quarter}>
            <option value="">Any quarter</option>
            {data.quarterOptions.map((q) => (
              <option key={q.key} value={q.key}>
                {q.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-q">Title contains</label>
          <input id="f-q" name="q" type="search" defaultValue={f.q} maxLength={100} />
        </div>
        <div className="filters__buttons">
          <button className="button">Filter</button>
          {filtered ? (
            <Link to={data.asAt !== data.today ? `?asAt=${data.asAt}#actions` : "?#actions"}>Clear filters</Link>
          ) : null}
        </div>
      </Form>
      <p role="status" className="muted" data-testid="shown-count">
        {data.matching === data.total ? `${data.total} actions` : `${data.matching} of ${data.total} actions match`}
        {data.rows.length < data.matching ? `; showing the first ${data.rows.length}` : ""}.
      </p>
      {data.rows.length === 0 ? (
        <p className="empty">{data.total === 0 ? "This plan has no actions yet." : "No action matches these filters. Clear a filter to see more."}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="actions-title">
          <table className="table table--compact board-table stack-narrow" data-testid="board-table">
            <caption className="visually-hidden">Actions with owners, next milestone, latest update, RAG status and direction of travel</caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Lead and supporting partners</th>
                <th scope="col">Next milestone</th>
                <th scope="col">Latest update</th>
                <th scope="col">Status</th>
                <th scope="col">Since last report</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id} data-action-id={r.id} data-rag={r.rag}>
                  <td data-label="Action">
                    <span className="matrix__code">{r.priorityCode}</span>{" "}
                    <Link to={`/plans/${data.plan.id}/actions/${r.id}`}>{r.title}</Link>
                  </td>
                  <td data-label="Lead and supporting partners">
                    {r.lead ? (
                      <strong>
                        {r.lead.name}
                        {r.lead.pending ? " (asked)" : ""}
                      </strong>
                    ) : (
                      <span className="gap">No lead</span>
                    )}
                    {r.supporting.length ? (
                      <span className="muted">
                        {" "}
                        with {r.supporting.map((s) => `${s.name}${s.pending ? " (asked)" : ""}`).join(", ")}
                      </span>
                    ) : null}
                  </td>
                  <td data-label="Next milestone">{r.next ? <><span className="ms-title">{r.next.title}</span><br /><MilestoneState m={r.next} /></> : <span className="muted">None open</span>}</td>
                  <td data-label="Latest update">
                    {r.latest ? (
                      <>
                        <ProgressStatusLabel status={r.latest.status} />
                        <br />
                        <When date={r.latest.reportedOn} />
                      </>
                    ) : (
                      <span className="muted">No update yet</span>
                    )}
                  </td>
                  <td data-label="Status">
                    <RagBadge status={r.rag} />
                    {r.reasons.length ? (
                      <details className="reasons">
                        <summary>
                          Why <span className="visually-hidden">{r.title} is {r.rag}</span>
                        </summary>
                        <ul>
                          {r.reasons.map((t, i) => (
                            <li key={i}>{t}</li>
                          ))}
                        </ul>
                      </details>
                    ) : null}
                  </td>
                  <td data-label="Since last report">
                    <DirectionLabel direction={r.direction} previous={r.previous} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.rows.length < data.matching ? (
        <p>
          <Link to={`?${showAllQuery(data)}#actions`} data-testid="show-all">
            Show all {data.matching} actions
          </Link>{" "}
          <span className="muted">(to print the whole table, show all first)</span>
        </p>
      ) : null}
    </section>
  );
}

function showAllQuery(data: Data): string {
  const q = new URLSearchParams();
  if (data.asAt !== data.today) q.set("asAt", data.asAt);
  for (const [k, v] of Object.entries(data.filters)) if (v) q.set(k, v);
  q.set("all", "1");
  return q.toString();
}
