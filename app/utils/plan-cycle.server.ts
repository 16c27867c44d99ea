/** Loader helpers of the planning-cycle pages. */
import type { DB } from "../../db/connection";
import { listGroupingNames, planCycleRows } from "../../db/queries/plan-cycle";

/** Names a priority can be grouped under: the strategies' themes (the 3Rs…) and the departments. */
export async function groupingOptions(db: DB): Promise<string[]> {
  const [themes, departments] = await listGroupingNames(db);
  return [...new Set([...themes.map((t) => t.name), ...departments.map((d) => d.name)])];
}

/** What a plan page shows about the plan's place in the cycle: period, archive, carried actions, requests waiting. */
export async function planCycleFacts(db: DB, actor: { organisationId: string; systemRole: string }, planId: string) {
  const { plan, previous, next, carried, retired, pending } = await planCycleRows(db, actor.organisationId, planId);
  const label = (start: string | null, end: string | null, fallback: string) =>
    start && end ? (start.slice(0, 4) === end.slice(0, 4) ? start.slice(0, 4) : `${start.slice(0, 4)}-${end.slice(2, 4)}`) : fallback;
  return {
    archived: plan.archived_at !== null,
    period: plan.period_start && plan.period_end ? { start: plan.period_start, end: plan.period_end } : null,
    previous: previous ?? null,
    next,
    carriedFrom: Object.fromEntries(
      carried.map((c) => [c.id, { actionId: c.from_id, planId: c.from_plan_id, text: `carried from ${label(c.period_start, c.period_end, c.from_plan_title)}${c.from_code ? `: ${c.from_code}` : ""}` }]),
    ),
    retired: retired.map((r) => r.priority_id),
    pendingForMyOrganisation: Number(pending?.n ?? 0),
    canManage: actor.systemRole === "facilitator" || actor.systemRole === "admin",
  };
}
