/** Loader helpers of the planning-cycle pages. */
import type { DB } from "../../db/connection";

/** Names a priority can be grouped under: the strategies' themes (the 3Rs…) and the departments. */
export async function groupingOptions(db: DB): Promise<string[]> {
  const [themes, departments] = await Promise.all([
    db.selectFrom("themes").select("name").orderBy("position").execute(),
    db.selectFrom("departments").select("name").orderBy("name").execute(),
  ]);
  return [...new Set([...themes.map((t) => t.name), ...departments.map((d) => d.name)])];
}

/** What a plan page shows about the plan's place in the cycle: period, archive, carried actions, requests waiting. */
export async function planCycleFacts(db: DB, actor: { organisationId: string; systemRole: string }, planId: string) {
  const plan = await db
    .selectFrom("plans")
    .select(["id", "period_start", "period_end", "archived_at", "previous_plan_id"])
    .where("id", "=", planId)
    .executeTakeFirstOrThrow();
  const [previous, next, carried, retired, pending] = await Promise.all([
    plan.previous_plan_id
      ? db.selectFrom("plans").select(["id", "title"]).where("id", "=", plan.previous_plan_id).executeTakeFirst()
      : Promise.resolve(undefined),
    db.selectFrom("plans").select(["id", "title"]).where("previous_plan_id", "=", planId).execute(),
    db
      .selectFrom("actions as a")
      .innerJoin("actions as prev", "prev.id", "a.carried_from_action_id")
      .innerJoin("plans as pp", "pp.id", "prev.plan_id")
      .leftJoin("priorities as pr", "pr.id", "prev.priority_id")
      .select(["a.id", "prev.id as from_id", "prev.plan_id as from_plan_id", "pp.period_start", "pp.period_end", "pp.title as from_plan_title", "pr.code as from_code"])
      .where("a.plan_id", "=", planId)
      .execute(),
    db.selectFrom("plan_priorities").select("priority_id").where("plan_id", "=", planId).where("retired_at", "is not", null).execute(),
    db
      .selectFrom("action_owners")
      .innerJoin("actions", "actions.id", "action_owners.action_id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("actions.plan_id", "=", planId)
      .where("action_owners.organisation_id", "=", actor.organisationId)
      .where("action_owners.status", "=", "pending")
      .executeTakeFirst(),
  ]);
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
