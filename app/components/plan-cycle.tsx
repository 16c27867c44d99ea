/** Pieces of the planning-cycle pages: the priorities editor (works without JavaScript, better with it). */
import { Form, Link, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";

export interface PriorityRowValue {
  key: string;
  code: string;
  title: string;
  description: string;
  grouping: string;
  fromPriorityId: string;
}

let nextKey = 0;
export function blankRow(): PriorityRowValue {
  nextKey += 1;
  return { key: `new-${nextKey}`, code: "", title: "", description: "", grouping: "", fromPriorityId: "" };
}

export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id}>
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  );
}

/** aria props for a control with a possible error beside it. */
export function invalid(id: string, message?: string) {
  return message ? { "aria-invalid": true as const, "aria-describedby": id } : {};
}

/**
 * One row per priority, posted as priorities[i].code/title/description/grouping. Without
 * JavaScript the spare blank rows (and "More rows", a submit button the action answers) add
 * priorities; with it, rows are added, moved and removed in place.
 */
export function PrioritiesEditor({
  initial,
  errors,
  groupings,
}: {
  initial: PriorityRowValue[];
  errors: Record<string, string>;
  groupings: string[];
}) {
  const [rows, setRows] = useState(initial);
  // Move and remove need JavaScript: shown only once the page is hydrated.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const move = (i: number, by: -1 | 1) =>
    setRows((r) => {
      const next = [...r];
      const j = i + by;
      if (j < 0 || j >= next.length) return r;
      [next[i], next[j]] = [next[j]!, next[i]!];
      return next;
    });
  return (
    <fieldset className="priorities-editor stack" aria-describedby="priorities-hint">
      <legend>Priorities</legend>
      <p className="hint" id="priorities-hint">
        A code (e.g. OPS-1), a title, what it means, and optionally a grouping such as one of the 3Rs or a department.
        Leave spare rows empty.
      </p>
      <FieldError id="priorities-error" message={errors["priorities"]} />
      <datalist id="grouping-options">
        {groupings.map((g) => (
          <option key={g} value={g} />
        ))}
      </datalist>
      <ol className="priority-rows">
        {rows.map((row, i) => {
          const f = (name: string) => `priorities[${i}].${name}`;
          const err = (name: string) => errors[f(name)];
          return (
            <li key={row.key} className="priority-row" data-testid="priority-row">
              <input type="hidden" name={f("fromPriorityId")} value={row.fromPriorityId} />
              <div className="priority-row__fields">
                <div className="field priority-row__code">
                  <label htmlFor={`p${i}-code`}>Code</label>
                  <input id={`p${i}-code`} name={f("code")} defaultValue={row.code} maxLength={20} {...invalid(`p${i}-code-error`, err("code"))} />
                  <FieldError id={`p${i}-code-error`} message={err("code")} />
                </div>
                <div className="field field--grow">
                  <label htmlFor={`p${i}-title`}>Title</label>
                  <input id={`p${i}-title`} name={f("title")} defaultValue={row.title} maxLength={160} {...invalid(`p${i}-title-error`, err("title"))} />
                  <FieldError id={`p${i}-title-error`} message={err("title")} />
                </div>
                <div className="field priority-row__group">
                  <label htmlFor={`p${i}-grouping`}>Grouping (optional)</label>
                  <input id={`p${i}-grouping`} name={f("grouping")} defaultValue={row.grouping} maxLength={80} list="grouping-options" />
                </div>
                <div className="field field--wide">
                  <label htmlFor={`p${i}-description`}>Description (optional)</label>
                  <textarea id={`p${i}-description`} name={f("description")} defaultValue={row.description} rows={2} maxLength={2000} {...invalid(`p${i}-description-error`, err("description"))} />
                  <FieldError id={`p${i}-description-error`} message={err("description")} />
                </div>
              </div>
              {hydrated ? (
              <div className="priority-row__tools">
                <button type="button" className="button button--secondary button--small" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move priority ${i + 1} up`}>
                  Move up
                </button>
                <button type="button" className="button button--secondary button--small" onClick={() => move(i, 1)} disabled={i === rows.length - 1} aria-label={`Move priority ${i + 1} down`}>
                  Move down
                </button>
                <button type="button" className="button button--secondary button--small" onClick={() => setRows((r) => r.filter((_, k) => k !== i))} aria-label={`Remove priority ${i + 1}`}>
                  Remove
                </button>
              </div>
              ) : null}
            </li>
          );
        })}
      </ol>
      <p>
        <button
          type="submit"
          name="intent"
          value="more-rows"
          className="button button--secondary"
          formNoValidate
          onClick={(e) => {
            // With JavaScript the row is added in place; without it the server answers with more rows.
            e.preventDefault();
            setRows((r) => [...r, blankRow()]);
          }}
        >
          Add a priority
        </button>
      </p>
    </fieldset>
  );
}

export function ParticipantsTable({
  organisations,
  roles,
  error,
}: {
  organisations: { id: string; name: string }[];
  roles: Record<string, string>;
  error?: string;
}) {
  return (
    <fieldset className="stack">
      <legend>Who takes part</legend>
      <p className="hint">
        Editors co-draft the plan and name partners for actions; commenters comment and suggest words; viewers read. Facilitators and
        administrators manage every plan.
      </p>
      <FieldError id="participants-error" message={error} />
      <table className="table table--compact participants-table">
        <thead>
          <tr>
            <th scope="col">Organisation</th>
            <th scope="col">Takes part as</th>
          </tr>
        </thead>
        <tbody>
          {organisations.map((o) => (
            <tr key={o.id}>
              <td>
                <label htmlFor={`role-${o.id}`}>{o.name}</label>
              </td>
              <td>
                <select id={`role-${o.id}`} name={`role:${o.id}`} defaultValue={roles[o.id] ?? "none"}>
                  <option value="none">Not taking part</option>
                  {(['editor', 'commenter', 'viewer'] as const).map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}

interface CycleFacts {
  archived: boolean;
  period: { start: string; end: string } | null;
  previous: { id: string; title: string } | null;
  next: { id: string; title: string }[];
  pendingForMyOrganisation: number;
  canManage: boolean;
}

const longDate = (d: string) =>
  new Date(`${d}T12:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** The plan's place in the cycle, on its page: period, archive state, previous and next plans, requests waiting. */
export function PlanCycleBar({ planId, cycle }: { planId: string; cycle: CycleFacts }) {
  return (
    <div className="plan-cycle stack">
      {cycle.archived ? (
        <p className="archived-note" data-testid="archived-note">
          <strong>Archived.</strong> This plan is read-only for everyone; it stays readable, searchable and reportable.
          {cycle.canManage ? <> A facilitator can unarchive it from <Link to={`/plans/${planId}/settings`}>Priorities and settings</Link>.</> : null}
        </p>
      ) : null}
      <p className="muted">
        {cycle.period ? <>Period: {longDate(cycle.period.start)} to {longDate(cycle.period.end)}. </> : null}
        {cycle.previous ? (
          <>
            Started from <Link to={`/plans/${cycle.previous.id}`}>{cycle.previous.title}</Link>.{" "}
          </>
        ) : null}
        {cycle.next.map((n) => (
          <span key={n.id}>
            Continued in <Link to={`/plans/${n.id}`}>{n.title}</Link>.{" "}
          </span>
        ))}
        <Link to={`/plans/${planId}/settings`}>Priorities and settings</Link>
        {cycle.canManage ? (
          <>
            {" · "}
            <Link to={`/plans/${planId}/next`}>Start the next plan from this one</Link>
          </>
        ) : null}
      </p>
      {cycle.pendingForMyOrganisation > 0 ? (
        <p className="notice" data-testid="requests-waiting">
          Your organisation has {cycle.pendingForMyOrganisation} request{cycle.pendingForMyOrganisation === 1 ? "" : "s"} to answer in this plan.{" "}
          <Link to={`/plans/${planId}/requests`}>See and answer them</Link>
        </p>
      ) : null}
    </div>
  );
}

/** One line of an action's own history (title, due date, carried forward), from its audit rows. */
export function detailsHistoryLine(event: string, detail: string): string {
  let d: Record<string, unknown> = {};
  try {
    d = JSON.parse(detail) as Record<string, unknown>;
  } catch {
    /* a bad stored row breaks only its own line */
  }
  const q = (v: unknown) => (typeof v === "string" && v ? `“${v}”` : "nothing");
  switch (event) {
    case "action.title.changed":
      return `changed the title from ${q(d.from)} to ${q(d.to)}`;
    case "action.due.changed":
      return `changed the due date from ${q(d.from)} to ${q(d.to)}`;
    case "action.carried":
      return "carried this action forward from the previous plan";
    case "action.carried_forward":
      return "carried this action forward into the next plan";
    case "action.left_behind":
      return "left this action behind when starting the next plan";
    case "action.priority.changed":
      return "moved this action to another priority";
    default:
      return event.replace(/^action\./, "").replace(/[._]/g, " ");
  }
}

interface CarriedLink {
  id: string;
  title: string;
  plan_id: string;
  plan_title: string;
  period_start: string | null;
  period_end: string | null;
  priority_code: string | null;
}

function cycleLabel(l: CarriedLink) {
  if (!l.period_start || !l.period_end) return l.plan_title;
  const a = l.period_start.slice(0, 4);
  const b = l.period_end.slice(0, 4);
  return a === b ? a : `${a}-${b.slice(2)}`;
}

export function ActionDetailsSection({
  planId,
  title,
  dueLabel,
  details,
}: {
  planId: string;
  title: string;
  dueLabel: string;
  details: {
    canEdit: boolean;
    history: { id: number; who: string | null; organisation: string | null; at: string; sentence: string }[];
    carried: { from: CarriedLink | null; to: CarriedLink[] };
  };
}) {
  const busy = useNavigation().state !== "idle";
  const { from, to } = details.carried;
  return (
    <section aria-labelledby="details-title" className="stack">
      <h2 id="details-title">Title and due date</h2>
      {from ? (
        <p data-testid="carried-from-link">
          Carried from {cycleLabel(from)}:{" "}
          <Link to={`/plans/${from.plan_id}/actions/${from.id}`}>
            {from.priority_code ? `${from.priority_code} ` : ""}
            {from.title}
          </Link>
        </p>
      ) : null}
      {to.map((t) => (
        <p key={t.id} data-testid="carried-to-link">
          Carried forward to {cycleLabel(t)}:{" "}
          <Link to={`/plans/${t.plan_id}/actions/${t.id}`}>
            {t.priority_code ? `${t.priority_code} ` : ""}
            {t.title}
          </Link>
        </p>
      ))}
      {details.canEdit ? (
        <Form method="post" className="panel stack" aria-labelledby="details-form-title">
          <h3 id="details-form-title">Change the title or due date</h3>
          <p className="hint">The title is part of the words partners sign off: changing it re-opens agreement, as a change of the description does.</p>
          <input type="hidden" name="intent" value="edit-details" />
          <div className="field">
            <label htmlFor="details-title-input">Title</label>
            <input id="details-title-input" name="title" defaultValue={title} required minLength={3} maxLength={160} key={title} />
          </div>
          <div className="field">
            <label htmlFor="details-due-input">Due (optional, e.g. March 2027)</label>
            <input id="details-due-input" name="dueLabel" defaultValue={dueLabel} maxLength={40} key={dueLabel} />
          </div>
          <p>
            <button className="button" disabled={busy}>
              Save title and due date
            </button>
          </p>
        </Form>
      ) : null}
      <h3>History of this action's title and due date</h3>
      {details.history.length === 0 ? (
        <p className="muted">No change to its title or due date has been recorded.</p>
      ) : (
        <ul className="history-list" data-testid="details-history">
          {details.history.map((h) => (
            <li key={h.id}>
              <strong>{h.who ?? "Someone"}</strong> {h.organisation ? `(${h.organisation}) ` : ""}
              {h.sentence} <span className="muted">on {new Date(h.at).toLocaleString("en-GB", { timeZone: "Europe/London" })}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="hint">
        <Link to={`/plans/${planId}`}>Back to the plan</Link>
      </p>
    </section>
  );
}
