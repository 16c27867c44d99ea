import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PollResults } from "~/components/workshop/Polls";
import { VoteResults } from "~/components/workshop/VoteResults";
import { formatScheduled, formatTime, plural } from "~/components/workshop/format";
import { requireUser } from "~/utils/auth.server";
import { loadRecordFor } from "~/utils/workshop-record.server";
import { planActionHref } from "~/utils/plan-filters";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Record: ${data?.record.workshop.title ?? "Workshop"} – Co-design Workspace` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  const { record, access } = await loadRecordFor(request, context, params.workshopId ?? "");
  return { record, canSeePlan: access.planRole !== "none" };
}

const STATUS: Record<string, string> = { scheduled: "not started yet", live: "in progress", closed: "closed" };

export default function WorkshopRecordPage() {
  const { record, canSeePlan } = useLoaderData<typeof loader>();
  const { workshop } = record;
  const itemTitle = new Map(record.agenda.map((i) => [i.id, `${i.position}. ${i.title}`]));
  const people = record.attendance.reduce((n, g) => n + g.people.length, 0);
  return (
    <div className="stack-lg record">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/workshops">Workshops</Link> <span aria-hidden="true">›</span>{" "}
        <Link to={`/workshops/${workshop.id}`}>{workshop.title}</Link> <span aria-hidden="true">›</span> Record
      </nav>
      <div>
        <h1>
          Workshop record
          <span className="h1-sub">
            {workshop.title} · {formatScheduled(workshop.scheduledFor)} · on{" "}
            {canSeePlan ? <Link to={`/plans/${workshop.planId}`}>{workshop.planTitle}</Link> : workshop.planTitle}
          </span>
        </h1>
        <p className="access-note">
          This workshop is {STATUS[workshop.status]}.
          {workshop.status !== "closed" ? " The record grows as the session goes on; vote counts appear once shown in the room." : ""}
          {workshop.facilitator ? ` Facilitated by ${workshop.facilitator}.` : ""}
        </p>
      </div>
      <div className="downloads">
        <a className="button button--secondary" href={`/workshops/${workshop.id}/record.docx`} download>
          Download as Word (.docx)
        </a>
        <a className="button button--secondary" href={`/workshops/${workshop.id}/record.csv`} download>
          Download as CSV
        </a>
      </div>

      <section aria-labelledby="rec-agenda" className="record-section">
        <h2 id="rec-agenda">Agenda</h2>
        {record.agenda.length === 0 ? (
          <p className="empty">The agenda was empty.</p>
        ) : (
          <table className="table">
            <caption className="visually-hidden">Agenda</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Item</th>
                <th scope="col">About</th>
                <th scope="col">Time box</th>
              </tr>
            </thead>
            <tbody>
              {record.agenda.map((i) => (
                <tr key={i.id}>
                  <td>{i.position}</td>
                  <td>{i.title}</td>
                  <td>{i.linkLabel ?? "—"}</td>
                  <td>{i.minutes} min</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="rec-attendance" className="record-section">
        <h2 id="rec-attendance">Attendance by organisation</h2>
        <p>{plural(people, "person", "people")} took part.</p>
        {record.attendance.length === 0 ? (
          <p className="empty">Nobody has joined yet.</p>
        ) : (
          <table className="table" data-testid="attendance">
            <caption className="visually-hidden">Attendance by organisation</caption>
            <thead>
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">People</th>
              </tr>
            </thead>
            <tbody>
              {record.attendance.map((g) => (
                <tr key={g.organisation}>
                  <th scope="row">
                    {g.organisation} <span className="muted">({g.people.length})</span>
                  </th>
                  <td>{g.people.map((p) => `${p.name}${p.kind === "facilitator" ? " (facilitator)" : ""}`).join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {record.invited.length ? (
          <p>
            Invited:{" "}
            {record.invited.map((o, i) => (
              <span key={o.id}>
                {i ? ", " : ""}
                {o.name}
                {o.attended ? "" : " (not present)"}
              </span>
            ))}
            .
          </p>
        ) : null}
      </section>

      <section aria-labelledby="rec-ideas" className="record-section">
        <h2 id="rec-ideas">Ideas</h2>
        {record.ideas.map((b) => (
          <div key={b.itemId} className="record-item">
            <h3>{itemTitle.get(b.itemId)}</h3>
            {b.ideas.length === 0 ? (
              <p className="muted">No ideas.</p>
            ) : (
              <ul>
                {b.ideas.map((idea, i) => (
                  <li key={i}>
                    {idea.text} <span className="muted">({idea.byLabel}{idea.group ? `; group: ${idea.group}` : ""})</span>
                    {idea.action ? <span className="badge badge--accepted"> Became an action</span> : null}
                    {idea.merged.length ? (
                      <ul>
                        {idea.merged.map((m, j) => (
                          <li key={j} className="muted">
                            merged in: {m}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </section>

      <section aria-labelledby="rec-votes" className="record-section">
        <h2 id="rec-votes">Votes</h2>
        {record.votes.length === 0 ? <p className="muted">No votes were held.</p> : null}
        {record.votes.map((v) => (
          <div key={v.id} className="record-item">
            <h3>{v.title}</h3>
            <p className="muted">
              On {v.itemTitle}. {plural(v.allowance, "vote")} each; {plural(v.dotsCast, "vote")} cast by {plural(v.voters, "person", "people")}.
              {v.revealed ? "" : " The results were not shown in the session."}
            </p>
            {v.results ? <VoteResults vote={v} /> : <p>The counts are added here once the facilitator shows them or closes the workshop.</p>}
          </div>
        ))}
      </section>

      <section aria-labelledby="rec-polls" className="record-section" data-testid="record-polls">
        <h2 id="rec-polls">Polls and consent checks</h2>
        {record.polls.length === 0 ? <p className="muted">No polls or consent checks were held.</p> : null}
        {record.polls.map((p) => (
          <div key={p.id} className="record-item">
            <h3>
              {p.kind === "consent" ? "Consent check" : "Poll"}: {p.question}
            </h3>
            <p className="muted">
              On {p.itemTitle}. {plural(p.answered, "person", "people")} answered.
            </p>
            {p.results ? <PollResults poll={p} /> : <p>Still open: the answers are added here when the facilitator closes it.</p>}
          </div>
        ))}
      </section>

      <section aria-labelledby="rec-decisions" className="record-section">
        <h2 id="rec-decisions">Decisions</h2>
        {record.decisions.length === 0 ? (
          <p className="muted">No decisions were recorded.</p>
        ) : (
          <ul>
            {record.decisions.map((d) => (
              <li key={d.id}>
                {d.itemTitle ? <strong>{d.itemTitle}: </strong> : null}
                {d.text} <span className="muted">({formatTime(d.createdAt)}{d.recordedBy ? `, ${d.recordedBy}` : ""})</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="rec-actions" className="record-section">
        <h2 id="rec-actions">Actions created</h2>
        {record.actions.length === 0 ? (
          <p className="muted">No actions were created in this workshop.</p>
        ) : (
          <table className="table" data-testid="actions-created">
            <caption className="visually-hidden">Actions created in this workshop</caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Priority</th>
                <th scope="col">Lead partner</th>
              </tr>
            </thead>
            <tbody>
              {record.actions.map((a) => (
                <tr key={a.id}>
                  <td>{canSeePlan ? <Link to={planActionHref(workshop.planId, a.id)}>{a.title}</Link> : a.title}</td>
                  <td>{a.priority ?? "—"}</td>
                  <td>
                    {a.lead ?? "No lead partner yet"}
                    {a.lead ? <span className={`badge badge--${a.leadStatus}`}> {a.leadStatus === "pending" ? "pending" : "accepted"}</span> : null}
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
