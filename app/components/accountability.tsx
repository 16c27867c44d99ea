import { Link, NavLink } from "@remix-run/react";
import { formatDate } from "../../server/accountability/dates";

export type Rag = "red" | "amber" | "green";
export type Direction = "improved" | "worse" | "same" | "new";
export type ProgressStatus = "on_track" | "at_risk" | "off_track";

const RAG_TEXT: Record<Rag, string> = { red: "Red", amber: "Amber", green: "Green" };
/** A shape per status as well as a colour and a word: readable in greyscale and by colour-blind readers. */
const RAG_ICON: Record<Rag, string> = { red: "✕", amber: "!", green: "✓" };

export function RagBadge({ status, size = "normal" }: { status: Rag; size?: "normal" | "large" }) {
  return (
    <span className={`rag rag--${status}${size === "large" ? " rag--large" : ""}`} data-rag={status}>
      <span className="rag__icon" aria-hidden="true">
        {RAG_ICON[status]}
      </span>
      {RAG_TEXT[status]}
    </span>
  );
}

export function ragText(status: Rag): string {
  return RAG_TEXT[status];
}

const DIRECTION: Record<Direction, { arrow: string; text: string }> = {
  improved: { arrow: "↑", text: "Improved" },
  worse: { arrow: "↓", text: "Worse" },
  same: { arrow: "→", text: "No change" },
  new: { arrow: "", text: "New" },
};

export function DirectionLabel({ direction, previous }: { direction: Direction | null; previous: Rag | null }) {
  if (direction === null) {
    return (
      <span className="direction muted" data-direction="none">
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">No earlier report</span>
      </span>
    );
  }
  const d = DIRECTION[direction];
  return (
    <span className={`direction direction--${direction}`} data-direction={direction}>
      {d.arrow ? (
        <span aria-hidden="true" className="direction__arrow">
          {d.arrow}
        </span>
      ) : null}{" "}
      {d.text}
      {previous && direction !== "same" ? <span className="muted"> (was {RAG_TEXT[previous].toLowerCase()})</span> : null}
    </span>
  );
}

const STATUS_TEXT: Record<ProgressStatus, string> = { on_track: "On track", at_risk: "At risk", off_track: "Off track" };

export function ProgressStatusLabel({ status }: { status: ProgressStatus }) {
  return <span className={`progress-status progress-status--${status}`}>{STATUS_TEXT[status]}</span>;
}

export function statusText(status: ProgressStatus): string {
  return STATUS_TEXT[status];
}

export function MilestoneState({ m }: { m: { state: "done" | "overdue" | "due"; dueDate: string; completedOn: string | null } }) {
  if (m.state === "done") {
    return (
      <span className="ms-state ms-state--done">
        <span aria-hidden="true">✓ </span>Done {m.completedOn ? formatDate(m.completedOn) : ""}
      </span>
    );
  }
  if (m.state === "overdue") {
    return (
      <span className="ms-state ms-state--overdue">
        <span aria-hidden="true">! </span>Overdue, was due {formatDate(m.dueDate)}
      </span>
    );
  }
  return (
    <span className="ms-state ms-state--due">
      <span aria-hidden="true">○ </span>Due {formatDate(m.dueDate)}
    </span>
  );
}

export function When({ date }: { date: string }) {
  return <time dateTime={date}>{formatDate(date)}</time>;
}

/** The views of one plan: co-drafting, delivery, versions, authorship, reports. */
export function PlanNav({ planId }: { planId: string }) {
  const base = `/plans/${encodeURIComponent(planId)}`;
  const items = [
    { to: base, label: "Co-draft", end: true },
    { to: `${base}/board`, label: "Delivery board", end: false },
    { to: `${base}/versions`, label: "Versions", end: false },
    { to: `${base}/authorship`, label: "Who wrote this", end: false },
    { to: `${base}/reports`, label: "Reports and import", end: false },
  ];
  return (
    <nav aria-label="Plan views" className="plan-nav">
      <ul>
        {items.map((i) => (
          <li key={i.to}>
            <NavLink to={i.to} end={i.end} prefetch="intent">
              {i.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Breadcrumbs({ items }: { items: { to?: string; label: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      {items.map((item, i) => (
        <span key={i}>
          {i ? <span aria-hidden="true"> › </span> : null}
          {item.to ? <Link to={item.to}>{item.label}</Link> : <span aria-current="page">{item.label}</span>}
        </span>
      ))}
    </nav>
  );
}
