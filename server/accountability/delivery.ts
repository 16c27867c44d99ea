/**
 * Everything the board, the reports and "my organisation" say about delivery, loaded with a few
 * set-based queries per plan and combined with the partnership's RAG rules in memory.
 */
import { groupBy } from "../group-by";
import { sliceEvery } from "../yield-budget";
import type { DB } from "../../db/connection";
import { deliveryRows, lastStatusReportBefore, listRagRules, statusReportRatings } from "../../db/queries/delivery";
import { planPrioritiesInOrder } from "../../db/queries/priorities";
import type { OwnerRole, OwnerStatus, ProgressStatus, RagColour } from "../../db/schema";
import { daysBetween, londonDateOf } from "./dates";
import { direction, evaluateRag, type RagResult, type RagRuleData } from "./rag";

export interface OwnerView {
  organisationId: string;
  name: string;
  shortName: string;
  role: OwnerRole;
  status: OwnerStatus;
}

export interface MilestoneView {
  id: string;
  title: string;
  dueDate: string;
  completedOn: string | null;
  /** As at the report date. */
  state: "done" | "overdue" | "due";
}

export interface UpdateView {
  id: number;
  status: ProgressStatus;
  reportedOn: string;
  narrative: string;
  mitigation: string;
  authorName: string;
  authorOrganisationName: string;
}

export interface DeliveryAction {
  id: string;
  planId: string;
  title: string;
  priorityId: string | null;
  dueLabel: string;
  position: number;
  createdOn: string;
  lead: OwnerView | null;
  supporting: OwnerView[];
  milestones: MilestoneView[];
  nextMilestone: MilestoneView | null;
  latest: UpdateView | null;
  rag: RagResult;
  previous: RagColour | null;
  /** null when the plan has no report of record before the date. */
  direction: ReturnType<typeof direction> | null;
  kpis: { id: string; code: string; title: string }[];
  recommendations: { id: string; code: string; title: string }[];
}

export interface DeliveryPriority {
  id: string;
  code: string;
  title: string;
  actions: DeliveryAction[];
}

export interface Delivery {
  asAt: string;
  priorities: DeliveryPriority[];
  actions: DeliveryAction[];
  lastReport: { id: number; title: string; asAt: string } | null;
  rules: RagRuleData[];
}

export async function loadRagRules(db: DB): Promise<RagRuleData[]> {
  const rows = await listRagRules(db);
  return rows.map((r) => ({ ...r, enabled: r.enabled === 1 }));
}

/**
 * The delivery record of the given actions (one plan's, or one organisation's across plans) as at
 * a date. Direction of travel compares with the latest recorded status report of each plan dated
 * before `asAt`.
 */
export async function loadDeliveryForActions(
  db: DB,
  actionIds: string[] | { planId: string },
  asAt: string,
): Promise<{ actions: DeliveryAction[]; rules: RagRuleData[]; lastReports: Map<string, { id: number; title: string; asAt: string }> }> {
  const byPlan = !Array.isArray(actionIds);
  if (!byPlan && actionIds.length === 0) return { actions: [], rules: await loadRagRules(db), lastReports: new Map() };
  const [{ actions, owners, milestones, updates, kpis, recs }, rules] = await Promise.all([
    deliveryRows(db, byPlan ? { planId: (actionIds as { planId: string }).planId } : { actionIds: actionIds as string[] }),
    loadRagRules(db),
  ]);

  const planIds = [...new Set(actions.map((a) => a.plan_id))];
  const lastReports = new Map<string, { id: number; title: string; asAt: string }>();
  const previous = new Map<string, RagColour>();
  for (const planId of planIds) {
    const report = await lastStatusReportBefore(db, planId, asAt);
    if (!report) continue;
    lastReports.set(planId, { id: report.id, title: report.title, asAt: report.as_at });
    const entries = await statusReportRatings(db, report.id);
    for (const e of entries) previous.set(e.action_id, e.rag);
  }

  // A plan of 2,000 actions takes tens of ms to rate: other requests get a turn between slices.
  const slice = sliceEvery();
  await slice();
  const group = <T extends { action_id: string }>(rows: T[]) => groupBy(rows, (r) => r.action_id);
  const ownersBy = group(owners);
  const milestonesBy = group(milestones);
  const updatesBy = group(updates);
  const kpisBy = group(kpis);
  const recsBy = group(recs);

  const result: DeliveryAction[] = [];
  for (const a of actions) {
    await slice();
    result.push(rateOne(a));
  }
  return { actions: result, rules, lastReports };

  function rateOne(a: (typeof actions)[number]): DeliveryAction {
    const own = (ownersBy.get(a.id) ?? []).map(
      (o): OwnerView => ({ organisationId: o.organisation_id, name: o.name, shortName: o.short_name, role: o.role, status: o.status }),
    );
    const ms = (milestonesBy.get(a.id) ?? []).map((m): MilestoneView => {
      const done = m.completed_on !== null && daysBetween(m.completed_on, asAt) >= 0;
      return {
        id: m.id,
        title: m.title,
        dueDate: m.due_date,
        completedOn: done ? m.completed_on : null,
        state: done ? "done" : daysBetween(m.due_date, asAt) > 0 ? "overdue" : "due",
      };
    });
    const ups = (updatesBy.get(a.id) ?? []).filter((u) => daysBetween(u.reported_on, asAt) >= 0);
    const last = ups.at(-1);
    const createdOn = londonDateOf(a.created_at);
    const rag = evaluateRag(
      rules,
      {
        createdOn,
        hasAcceptedLead: own.some((o) => o.role === "lead" && o.status === "accepted"),
        milestones: ms.map((m) => ({ title: m.title, dueDate: m.dueDate, completedOn: m.completedOn })),
        updates: ups.map((u) => ({ status: u.status, reportedOn: u.reported_on })),
      },
      asAt,
    );
    const before = previous.get(a.id) ?? null;
    return {
      id: a.id,
      planId: a.plan_id,
      title: a.title,
      priorityId: a.priority_id,
      dueLabel: a.due_label,
      position: a.position,
      createdOn,
      // While another organisation is asked to take over, the accepted lead is the one shown.
      lead: own.find((o) => o.role === "lead" && o.status === "accepted") ?? own.find((o) => o.role === "lead") ?? null,
      supporting: own.filter((o) => o.role === "support"),
      milestones: ms,
      nextMilestone: ms.filter((m) => m.state !== "done").sort((x, y) => daysBetween(y.dueDate, x.dueDate))[0] ?? null,
      latest: last
        ? {
            id: last.id,
            status: last.status,
            reportedOn: last.reported_on,
            narrative: last.narrative,
            mitigation: last.mitigation,
            authorName: last.author_name,
            authorOrganisationName: last.author_organisation_name,
          }
        : null,
      rag,
      previous: lastReports.has(a.plan_id) ? before : null,
      direction: lastReports.has(a.plan_id) ? direction(rag.status, before) : null,
      kpis: (kpisBy.get(a.id) ?? []).map((k) => ({ id: k.id, code: k.code, title: k.title })),
      recommendations: (recsBy.get(a.id) ?? []).map((r) => ({ id: r.id, code: r.code, title: r.title })),
    };
  }
}

export async function loadPlanDelivery(db: DB, planId: string, asAt: string): Promise<Delivery> {
  const [priorities, loaded] = await Promise.all([
    planPrioritiesInOrder(db, planId),
    loadDeliveryForActions(db, { planId }, asAt),
  ]);
  const byPriority = new Map<string, DeliveryAction[]>();
  for (const a of loaded.actions) {
    const key = a.priorityId ?? "";
    const list = byPriority.get(key);
    if (list) list.push(a);
    else byPriority.set(key, [a]);
  }
  return {
    asAt,
    priorities: priorities.map((p) => ({ ...p, actions: byPriority.get(p.id) ?? [] })),
    actions: loaded.actions,
    lastReport: loaded.lastReports.get(planId) ?? null,
    rules: loaded.rules,
  };
}

export interface RagCounts {
  red: number;
  amber: number;
  green: number;
  total: number;
}

export function ragCounts(actions: readonly Pick<DeliveryAction, "rag">[]): RagCounts {
  const counts = { red: 0, amber: 0, green: 0, total: actions.length };
  for (const a of actions) counts[a.rag.status] += 1;
  return counts;
}

export interface CoverageCell {
  lead: number;
  leadPending: number;
  support: number;
  supportPending: number;
}

export interface CoverageRow {
  priority: { id: string; code: string; title: string };
  actions: number;
  withoutLead: number;
  gap: "no-actions" | "no-lead" | "some-without-lead" | null;
  cells: Record<string, CoverageCell>;
}

/**
 * Priorities × partners: who leads and supports what, and where no partner leads. `alsoShow`
 * adds partners taking part in the plan with no role yet: an empty column is worth seeing too.
 * Columns: partners with the most roles first.
 */
export function coverageMatrix(
  delivery: Pick<Delivery, "priorities">,
  alsoShow: readonly { id: string; name: string; shortName: string }[] = [],
) {
  const partners = new Map<string, { id: string; name: string; shortName: string }>();
  for (const p of alsoShow) partners.set(p.id, p);
  const rows: CoverageRow[] = delivery.priorities.map((p) => {
    const cells: Record<string, CoverageCell> = {};
    let withoutLead = 0;
    for (const a of p.actions) {
      if (!(a.lead && a.lead.status === "accepted")) withoutLead += 1;
      for (const o of [...(a.lead ? [a.lead] : []), ...a.supporting]) {
        partners.set(o.organisationId, { id: o.organisationId, name: o.name, shortName: o.shortName });
        const cell = (cells[o.organisationId] ??= { lead: 0, leadPending: 0, support: 0, supportPending: 0 });
        if (o.role === "lead") o.status === "accepted" ? (cell.lead += 1) : (cell.leadPending += 1);
        else o.status === "accepted" ? (cell.support += 1) : (cell.supportPending += 1);
      }
    }
    const gap =
      p.actions.length === 0
        ? "no-actions"
        : withoutLead === p.actions.length
          ? "no-lead"
          : withoutLead > 0
            ? "some-without-lead"
            : null;
    return { priority: { id: p.id, code: p.code, title: p.title }, actions: p.actions.length, withoutLead, gap, cells };
  });
  const weight = (id: string) =>
    rows.reduce((n, r) => n + (r.cells[id] ? r.cells[id].lead * 1000 + r.cells[id].support : 0), 0);
  const weights = new Map([...partners.keys()].map((id) => [id, weight(id)]));
  const columns = [...partners.values()].sort((a, b) => weights.get(b.id)! - weights.get(a.id)! || a.name.localeCompare(b.name));
  return { columns, rows };
}
