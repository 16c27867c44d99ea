import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listPlansForActor } from "../../server/domain/plan-visibility";
import { addDays, daysBetween, formatDate, todayInLondon } from "../../server/accountability/dates";
import { loadDeliveryForActions, ragCounts } from "../../server/accountability/delivery";
import { canReportProgress } from "../../server/policy";
import { Breadcrumbs, DirectionLabel, MilestoneState, ProgressStatusLabel, RagBadge, When } from "~/components/accountability";
import { actorOf, requireUser } from "~/utils/auth.server";
import { useLiveRecord } from "~/utils/use-live-record";
import { ownershipsOfOrganisation } from "../../db/queries/action-owners";

export const meta: MetaFunction = () => [{ title: "My organisation – Co-design Workspace" }];

const SOON_DAYS = 30;
const LIST_LIMIT = 12;

function limited<T>(rows: T[], showAll: boolean) {
  return { rows: showAll ? rows : rows.slice(0, LIST_LIMIT), total: rows.length };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.app;
  const actor = actorOf(user);
  const plans = await listPlansForActor(db, actor);
  const planIds = plans.map((p) => p.id);
  const owned = planIds.length
    ? await ownershipsOfOrganisation(db, user.organisationId, planIds)
    : [];
  const today = todayInLondon();
  const { actions } = await loadDeliveryForActions(db, [...new Set(owned.map((o) => o.action_id))], today);
  const planTitle = new Map(plans.map((p) => [p.id, p.title]));
  const roleOf = new Map(plans.map((p) => [p.id, p.role]));
  const ours = actions.map((a) => {
    const mine = owned.find((o) => o.action_id === a.id)!;
    const owners = [...(a.lead ? [a.lead] : []), ...a.supporting].map((o) => ({ organisation_id: o.organisationId, role: o.role, status: o.status }));
    return {
      id: a.id,
      planId: a.planId,
      planTitle: planTitle.get(a.planId) ?? "",
      title: a.title,
      role: mine.role,
      status: mine.status,
      lead: a.lead?.name ?? null,
      rag: a.rag.status,
      reasons: a.rag.reasons.map((r) => r.text),
      direction: a.direction,
      previous: a.previous,
      latest: a.latest ? { status: a.latest.status, reportedOn: a.latest.reportedOn } : null,
      late: a.milestones.filter((m) => m.state === "overdue"),
      soon: a.milestones.filter((m) => m.state === "due" && daysBetween(today, m.dueDate) <= SOON_DAYS),
      next: a.nextMilestone,
      canReport: canReportProgress(actor, roleOf.get(a.planId) ?? "none", owners),
    };
  });
  const url = new URL(request.url);
  const all = new Set(url.searchParams.getAll("all"));
  const accepted = ours.filter((a) => a.status === "accepted");
  const rank = { red: 0, amber: 1, green: 2 } as const;
  accepted.sort((x, y) => rank[x.rag] - rank[y.rag] || x.title.localeCompare(y.title));
  return {
    organisationName: user.organisationName,
    today,
    soonUntil: addDays(today, SOON_DAYS),
    counts: ragCounts(accepted.map((a) => ({ rag: { status: a.rag, reasons: [] } }))),
    planIds,
    lead: limited(accepted.filter((a) => a.role === "lead"), all.has("lead")),
    support: limited(accepted.filter((a) => a.role === "support"), all.has("support")),
    late: limited(
      accepted.filter((a) => a.late.length > 0).sort((x, y) => x.late[0].dueDate.localeCompare(y.late[0].dueDate)),
      all.has("late"),
    ),
    soon: limited(
      accepted.filter((a) => a.soon.length > 0).sort((x, y) => x.soon[0].dueDate.localeCompare(y.soon[0].dueDate)),
      all.has("soon"),
    ),
    pending: ours.filter((a) => a.status === "pending").length,
    byPlan: plans
      .map((p) => ({
        id: p.id,
        title: p.title,
        lead: accepted.filter((a) => a.planId === p.id && a.role === "lead").length,
        support: accepted.filter((a) => a.planId === p.id && a.role === "support").length,
      }))
      .filter((p) => p.lead + p.support > 0),
    organisationId: user.organisationId,
  };
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["lead"]["rows"][number];

export default function MyOrganisation() {
  const data = useLoaderData<typeof loader>();
  const announcement = useLiveRecord(data.planIds);
  return (
    <div className="stack-lg">
      <div>
        <Breadcrumbs items={[{ to: "/dashboard", label: "Dashboard" }, { label: "My organisation" }]} />
        <h1>
          {data.organisationName}
          <span className="h1-sub">What we lead and support, what is due and what is late</span>
        </h1>
        <p>
          <Link to="/my-organisation/statement">Partner statement</Link>: one page for your own board, as a page or in Word.
        </p>
      </div>
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
      <ul className="rag-tiles rag-tiles--compact" aria-label="Our actions by status">
        {(["red", "amber", "green"] as const).map((s) => (
          <li key={s} className={`rag-tile rag-tile--${s}`}>
            <span className="rag-tile__count">{data.counts[s]}</span> <RagBadge status={s} />
          </li>
        ))}
      </ul>
      {data.pending ? (
        <p className="notice notice--warning">
          {data.pending} {data.pending === 1 ? "request asks" : "requests ask"} {data.organisationName} to lead or support an action.{" "}
          <Link to="/dashboard">Answer on your dashboard</Link>.
        </p>
      ) : null}

      {data.byPlan.length ? (
        <p>
          On the delivery boards:{" "}
          {data.byPlan.map((p, i) => (
            <span key={p.id}>
              {i ? "; " : ""}
              <Link to={`/plans/${p.id}/board?partner=${data.organisationId}#actions`}>{p.title}</Link> (leads {p.lead}, supports {p.support})
            </span>
          ))}
          .
        </p>
      ) : null}

      <MilestoneList
        id="late"
        title="Late: milestones past their due date"
        list={data.late}
        pick={(a) => a.late}
        empty="Nothing of ours is late."
      />
      <MilestoneList
        id="soon"
        title={`Due by ${formatDate(data.soonUntil)}`}
        list={data.soon}
        pick={(a) => a.soon}
        empty="No milestone of ours is due in the next 30 days."
      />

      <OurTable id="lead" title={`Actions ${data.organisationName} leads`} list={data.lead} empty="Your organisation does not lead any action yet." />
      <OurTable id="support" title={`Actions ${data.organisationName} supports`} list={data.support} empty="Your organisation does not support any action yet." />
    </div>
  );
}

function ShowAll({ id, shown, total }: { id: string; shown: number; total: number }) {
  if (shown >= total) return null;
  return (
    <p>
      <Link to={`?all=${id}#${id}-title`}>
        Show all {total} <span className="visually-hidden">in this list</span>
      </Link>{" "}
      <span className="muted">(showing the first {shown}, worst first)</span>
    </p>
  );
}

function MilestoneList({
  id,
  title,
  list,
  pick,
  empty,
}: {
  id: string;
  title: string;
  list: { rows: Row[]; total: number };
  pick: (a: Row) => Row["late"];
  empty: string;
}) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {title} ({list.total})
      </h2>
      {list.total === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <>
          <table className="table table--compact" data-testid={`${id}-list`}>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Milestone</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.flatMap((a) =>
                pick(a).map((m, i) => (
                  <tr key={`${a.id}-${m.id}`}>
                    <td>
                      {i === 0 ? (
                        <>
                          <Link to={`/plans/${a.planId}/actions/${a.id}`}>{a.title}</Link>
                          <span className="muted"> · {a.role === "lead" ? "we lead" : "we support"}</span>
                        </>
                      ) : (
                        <span className="visually-hidden">{a.title}</span>
                      )}
                    </td>
                    <td>{m.title}</td>
                    <td>
                      <MilestoneState m={m} />
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          <ShowAll id={id} shown={list.rows.length} total={list.total} />
        </>
      )}
    </section>
  );
}

function OurTable({ id, title, list, empty }: { id: string; title: string; list: { rows: Row[]; total: number }; empty: string }) {
  const rows = list.rows;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {title} ({list.total})
      </h2>
      {rows.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-title`}>
          <table className="table table--compact" data-testid={`${id}-table`}>
            <caption className="visually-hidden">{title}, worst status first</caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Status</th>
                <th scope="col">Next milestone</th>
                <th scope="col">Latest update</th>
                <th scope="col">Since last report</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id} data-rag={a.rag}>
                  <td>
                    <Link to={`/plans/${a.planId}/actions/${a.id}`}>{a.title}</Link>
                    <br />
                    <span className="muted">
                      {a.planTitle}
                      {a.role === "support" && a.lead ? ` · led by ${a.lead}` : ""}
                    </span>
                  </td>
                  <td>
                    <RagBadge status={a.rag} />
                    {a.reasons.length ? <p className="reason-line">{a.reasons[0]}</p> : null}
                  </td>
                  <td>{a.next ? <><span className="ms-title">{a.next.title}</span><br /><MilestoneState m={a.next} /></> : <span className="muted">None open</span>}</td>
                  <td>
                    {a.latest ? (
                      <>
                        <ProgressStatusLabel status={a.latest.status} /> <When date={a.latest.reportedOn} />
                      </>
                    ) : (
                      <span className="muted">None yet</span>
                    )}
                    {a.canReport ? (
                      <>
                        <br />
                        <Link to={`/plans/${a.planId}/actions/${a.id}#new-update-title`}>
                          Post an update <span className="visually-hidden">on {a.title}</span>
                        </Link>
                      </>
                    ) : null}
                  </td>
                  <td>
                    <DirectionLabel direction={a.direction} previous={a.previous} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ShowAll id={id} shown={rows.length} total={list.total} />
        </div>
      )}
    </section>
  );
}
