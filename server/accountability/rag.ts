/**
 * RAG status from the partnership's rules. Pure: (rules, facts about one action, today) ->
 * { status, reasons }. The rules are rows a facilitator edits (table rag_rules), so changing a
 * threshold changes every status at the next page load, with no deploy.
 *
 * The facts are the action's whole record (every milestone, every update); the evaluator looks
 * only at what was known on `today` (milestones completed by then, updates dated by then). So the
 * same function answers "what is the status now?" and "what was it at the end of Q2?".
 */
import type { ProgressStatus, RagColour, RagRuleKind } from "../../db/schema";
import { daysBetween, formatDate } from "./dates";

export interface RagRuleData {
  id: string;
  colour: "red" | "amber";
  kind: RagRuleKind;
  /** milestone_overdue: overdue by more than N days; due_soon_without_update: due within N days; no_recent_update: no update for more than N days. */
  days: number | null;
  /** due_soon_without_update: "no update in the last M days". */
  since_days: number | null;
  /** owner_reports: the status that triggers the rule. */
  report_status: ProgressStatus | null;
  enabled: boolean | number;
  position: number;
}

export interface MilestoneFact {
  title: string;
  dueDate: string;
  completedOn: string | null;
}

export interface UpdateFact {
  status: ProgressStatus;
  reportedOn: string;
}

export interface ActionFacts {
  /** The date the action was added to the plan (an action with no update yet counts from here). */
  createdOn: string;
  hasAcceptedLead: boolean;
  milestones: readonly MilestoneFact[];
  /** In the order they were posted; the latest dated on or before `today` is the owner's view. */
  updates: readonly UpdateFact[];
}

export interface RagReason {
  ruleId: string;
  colour: "red" | "amber";
  text: string;
}

export interface RagResult {
  status: RagColour;
  reasons: RagReason[];
}

export const STATUS_LABEL: Record<ProgressStatus, string> = {
  on_track: "on track",
  at_risk: "at risk",
  off_track: "off track",
};

export const RAG_LABEL: Record<RagColour, string> = { red: "Red", amber: "Amber", green: "Green" };

const RANK: Record<RagColour, number> = { green: 0, amber: 1, red: 2 };

export function worse(a: RagColour, b: RagColour): RagColour {
  return RANK[a] >= RANK[b] ? a : b;
}

/** improved | worse | same, comparing `now` with an earlier status. */
export function direction(now: RagColour, before: RagColour | null): "improved" | "worse" | "same" | "new" {
  if (before === null) return "new";
  if (RANK[now] < RANK[before]) return "improved";
  if (RANK[now] > RANK[before]) return "worse";
  return "same";
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

/** The latest update dated on or before `today` (later posts win ties: they correct earlier ones). */
export function latestUpdate(updates: readonly UpdateFact[], today: string): UpdateFact | null {
  let latest: UpdateFact | null = null;
  for (const u of updates) {
    if (daysBetween(u.reportedOn, today) < 0) continue;
    if (!latest || daysBetween(latest.reportedOn, u.reportedOn) >= 0) latest = u;
  }
  return latest;
}

function openOn(m: MilestoneFact, today: string): boolean {
  return m.completedOn === null || daysBetween(m.completedOn, today) < 0;
}

/** Plain-language statement of a rule, e.g. "Red when a milestone is overdue by more than 14 days". */
export function describeRule(rule: Pick<RagRuleData, "colour" | "kind" | "days" | "since_days" | "report_status">): string {
  const colour = RAG_LABEL[rule.colour];
  switch (rule.kind) {
    case "milestone_overdue":
      return (rule.days ?? 0) === 0
        ? `${colour} when a milestone is overdue (past its due date and not complete)`
        : `${colour} when a milestone is overdue by more than ${plural(rule.days ?? 0, "day")}`;
    case "owner_reports":
      return `${colour} when the owner's latest update says ${STATUS_LABEL[rule.report_status ?? "off_track"]}`;
    case "due_soon_without_update":
      return `${colour} when a milestone is due within ${plural(rule.days ?? 0, "day")} and there has been no update in the last ${plural(rule.since_days ?? 0, "day")}`;
    case "no_recent_update":
      return `${colour} when there has been no update for more than ${plural(rule.days ?? 0, "day")} (an action whose milestones are all done is delivered, and exempt)`;
    case "no_lead":
      return `${colour} when no partner has accepted the lead`;
  }
}

function check(rule: RagRuleData, facts: ActionFacts, today: string): string | null {
  switch (rule.kind) {
    case "milestone_overdue": {
      const limit = rule.days ?? 0;
      const late = facts.milestones
        .filter((m) => openOn(m, today))
        .map((m) => ({ m, late: daysBetween(m.dueDate, today) }))
        .filter((x) => x.late > limit)
        .sort((a, b) => b.late - a.late);
      if (late.length === 0) return null;
      const first = late[0];
      const more = late.length > 1 ? ` (and ${plural(late.length - 1, "other milestone")})` : "";
      return `“${first.m.title}” was due ${formatDate(first.m.dueDate)}: ${plural(first.late, "day")} overdue${more}.`;
    }
    case "owner_reports": {
      const latest = latestUpdate(facts.updates, today);
      if (!latest || latest.status !== rule.report_status) return null;
      return `The owner reported it ${STATUS_LABEL[latest.status]} on ${formatDate(latest.reportedOn)}.`;
    }
    case "due_soon_without_update": {
      const window = rule.days ?? 0;
      const since = rule.since_days ?? 0;
      const soon = facts.milestones
        .filter((m) => openOn(m, today))
        .map((m) => ({ m, left: daysBetween(today, m.dueDate) }))
        .filter((x) => x.left >= 0 && x.left <= window)
        .sort((a, b) => a.left - b.left);
      if (soon.length === 0) return null;
      const latest = latestUpdate(facts.updates, today);
      if (latest && daysBetween(latest.reportedOn, today) <= since) return null;
      const when = soon[0].left === 0 ? "today" : `in ${plural(soon[0].left, "day")}`;
      const last = latest ? `the last update was ${formatDate(latest.reportedOn)}` : "there is no update yet";
      return `“${soon[0].m.title}” is due ${when} (${formatDate(soon[0].m.dueDate)}) and ${last}.`;
    }
    case "no_recent_update": {
      // A delivered action (every milestone done) has nothing left to report on.
      if (facts.milestones.length > 0 && facts.milestones.every((m) => !openOn(m, today))) return null;
      const limit = rule.days ?? 0;
      const latest = latestUpdate(facts.updates, today);
      const from = latest ? latest.reportedOn : facts.createdOn;
      const quiet = daysBetween(from, today);
      if (quiet <= limit) return null;
      return latest
        ? `No update for ${plural(quiet, "day")} (last on ${formatDate(latest.reportedOn)}).`
        : `No update since the action was added ${plural(quiet, "day")} ago.`;
    }
    case "no_lead":
      return facts.hasAcceptedLead ? null : "No partner has accepted the lead for this action.";
  }
}

/**
 * Red if any enabled red rule matches, else amber if any amber rule matches, else green.
 * Every matching rule is given as a reason (red first), so the board sees all that is wrong;
 * a rule that only repeats a more severe one of the same kind (amber "overdue" under red
 * "overdue by more than 14 days") is left out.
 */
export function evaluateRag(rules: readonly RagRuleData[], facts: ActionFacts, today: string): RagResult {
  const reasons: (RagReason & { kind: RagRuleKind })[] = [];
  const ordered = [...rules].sort((a, b) => RANK[b.colour] - RANK[a.colour] || a.position - b.position);
  for (const rule of ordered) {
    if (!rule.enabled) continue;
    const text = check(rule, facts, today);
    if (!text) continue;
    if (reasons.some((r) => r.kind === rule.kind && RANK[r.colour] > RANK[rule.colour])) continue;
    reasons.push({ ruleId: rule.id, colour: rule.colour, text, kind: rule.kind });
  }
  const status = reasons.reduce<RagColour>((s, r) => worse(s, r.colour), "green");
  return { status, reasons: reasons.map(({ ruleId, colour, text }) => ({ ruleId, colour, text })) };
}
