/** Plans as a cycle: periods, archive state, priorities of a plan, carried actions. */
import type { DB } from "../connection";

export async function findPlanArchive(db: DB, planId: string) {
  return (
    (await db
      .selectFrom("plans")
      .select(["id", "title", "archived_at", "archived_by"])
      .where("id", "=", planId)
      .executeTakeFirst()) ?? null
  );
}

export async function isDocumentPlanArchived(db: DB, documentId: string): Promise<boolean> {
  const row = await db
    .selectFrom("documents as d")
    .innerJoin("plans as p", "p.id", "d.plan_id")
    .select("p.archived_at")
    .where("d.id", "=", documentId)
    .executeTakeFirst();
  return row?.archived_at != null;
}

export async function listPlansWithCycle(db: DB) {
  return db
    .selectFrom("plans")
    .leftJoin("strategies", "strategies.id", "plans.strategy_id")
    .select([
      "plans.id",
      "plans.title",
      "plans.summary",
      "plans.kind",
      "plans.period_start",
      "plans.period_end",
      "plans.archived_at",
      "plans.previous_plan_id",
      "plans.created_at",
      "strategies.title as strategy_title",
    ])
    .orderBy("plans.period_start", "desc")
    .orderBy("plans.created_at", "desc")
    .orderBy("plans.title")
    .execute();
}

export async function listAllGrants(db: DB) {
  return db.selectFrom("plan_grants").select(["plan_id", "organisation_id", "user_id", "role"]).execute();
}

export async function planDocumentIds(db: DB, planId: string): Promise<string[]> {
  const rows = await db.selectFrom("documents").select("id").where("plan_id", "=", planId).execute();
  return rows.map((r) => r.id);
}

export async function listStrategies(db: DB) {
  return db.selectFrom("strategies").select(["id", "title", "vision"]).orderBy("title").execute();
}

export async function listOrganisations(db: DB) {
  return db.selectFrom("organisations").select(["id", "name", "short_name"]).orderBy("name").execute();
}

export async function findStrategy(db: DB, id: string) {
  return (await db.selectFrom("strategies").select(["id", "title"]).where("id", "=", id).executeTakeFirst()) ?? null;
}

export async function idTaken(db: DB, table: "plans" | "strategies" | "priorities" | "themes", id: string): Promise<boolean> {
  return (await db.selectFrom(table).select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
}

export async function findThemeByName(db: DB, strategyId: string, name: string) {
  return (
    (await db
      .selectFrom("themes")
      .select("id")
      .where("strategy_id", "=", strategyId)
      .where("name", "=", name)
      .executeTakeFirst()) ?? null
  );
}

export async function maxThemePosition(db: DB, strategyId: string): Promise<number> {
  const row = await db
    .selectFrom("themes")
    .select((eb) => eb.fn.max("position").as("max"))
    .where("strategy_id", "=", strategyId)
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

/** The plan's priorities in order, retired ones included (flagged), with their grouping. */
export async function listPlanPriorities(db: DB, planId: string) {
  return db
    .selectFrom("plan_priorities as pp")
    .innerJoin("priorities as p", "p.id", "pp.priority_id")
    .leftJoin("themes as t", "t.id", "p.theme_id")
    .leftJoin("departments as d", "d.id", "p.department_id")
    .select([
      "p.id",
      "p.code",
      "p.title",
      "p.description",
      "p.strategy_id",
      "p.theme_id",
      "p.department_id",
      "t.name as theme_name",
      "d.name as department_name",
      "pp.position",
      "pp.retired_at",
    ])
    .where("pp.plan_id", "=", planId)
    .orderBy("pp.position")
    .execute();
}

export async function countActionsByPriority(db: DB, planId: string) {
  const rows = await db
    .selectFrom("actions")
    .select((eb) => ["priority_id", eb.fn.countAll<number>().as("n")])
    .where("plan_id", "=", planId)
    .groupBy("priority_id")
    .execute();
  return new Map(rows.map((r) => [r.priority_id, Number(r.n)]));
}

/** History rows about a subject (a plan or an action), newest first, with who did it. */
export async function listAuditFor(db: DB, subject: string, eventPrefix: string) {
  return db
    .selectFrom("audit_log as a")
    .leftJoin("users as u", "u.id", "a.actor_user_id")
    .leftJoin("organisations as o", "o.id", "a.actor_organisation_id")
    .select(["a.id", "a.event", "a.detail", "a.created_at", "u.name as actor_name", "o.name as actor_organisation"])
    .where("a.subject", "=", subject)
    .where("a.event", "like", `${eventPrefix}%`)
    .orderBy("a.id", "desc")
    .limit(200)
    .execute();
}

export async function findCarriedLinks(db: DB, actionId: string) {
  const [from, to] = await Promise.all([
    db
      .selectFrom("actions as me")
      .innerJoin("actions as prev", "prev.id", "me.carried_from_action_id")
      .innerJoin("plans as p", "p.id", "prev.plan_id")
      .leftJoin("priorities as pr", "pr.id", "prev.priority_id")
      .select(["prev.id", "prev.title", "prev.plan_id", "p.title as plan_title", "p.period_start", "p.period_end", "pr.code as priority_code"])
      .where("me.id", "=", actionId)
      .executeTakeFirst(),
    db
      .selectFrom("actions as next")
      .innerJoin("plans as p", "p.id", "next.plan_id")
      .leftJoin("priorities as pr", "pr.id", "next.priority_id")
      .select(["next.id", "next.title", "next.plan_id", "p.title as plan_title", "p.period_start", "p.period_end", "pr.code as priority_code"])
      .where("next.carried_from_action_id", "=", actionId)
      .execute(),
  ]);
  return { from: from ?? null, to };
}

/**
 * One organisation's pending requests in a plan, with what re-deriving each action's agreement
 * needs (its words live in its document; only actions with an agreement state are re-derived).
 */
export async function pendingRequestsOf(db: DB, planId: string, organisationId: string) {
  return db
    .selectFrom("action_owners as o")
    .innerJoin("actions as a", "a.id", "o.action_id")
    .leftJoin("agreement_state as s", (j) => j.onRef("s.subject_id", "=", "a.id").on("s.subject_type", "=", "action"))
    .select(["o.action_id", "o.role", "a.plan_id", "a.title", "a.document_id", "s.status as agreement_status"])
    .where("a.plan_id", "=", planId)
    .where("o.organisation_id", "=", organisationId)
    .where("o.status", "=", "pending")
    .orderBy("a.position")
    .orderBy("a.id")
    .execute();
}

export async function planPriorityIds(db: DB, planId: string) {
  return db.selectFrom("plan_priorities").select("priority_id").where("plan_id", "=", planId).execute();
}

export async function planCycleSettings(db: DB, planId: string) {
  return db.selectFrom("plans").select(["archived_at", "kind", "period_start", "period_end"]).where("id", "=", planId).executeTakeFirstOrThrow();
}

export async function planPeriod(db: DB, planId: string) {
  return db.selectFrom("plans").select(["period_start", "period_end", "strategy_id"]).where("id", "=", planId).executeTakeFirstOrThrow();
}

/** The priorities a plan takes up, in the plan's order. */
export async function planPriorityOptions(db: DB, planId: string) {
  return db
    .selectFrom("plan_priorities as pp")
    .innerJoin("priorities as p", "p.id", "pp.priority_id")
    .select(["p.id", "p.code", "p.title"])
    .where("pp.plan_id", "=", planId)
    .orderBy("pp.position")
    .execute();
}

export async function planPriorityChoices(db: DB, planId: string) {
  return db
    .selectFrom("plan_priorities")
    .innerJoin("priorities", "priorities.id", "plan_priorities.priority_id")
    .select(["priorities.id", "priorities.code", "priorities.title"])
    .where("plan_priorities.plan_id", "=", planId)
    .orderBy("plan_priorities.position")
    .execute();
}

export async function listGroupingNames(db: DB) {
  return Promise.all([
    db.selectFrom("themes").select("name").orderBy("position").execute(),
    db.selectFrom("departments").select("name").orderBy("name").execute(),
  ]);
}

/** The rows behind a plan page's cycle facts: the plan, its neighbours, carried actions, retired priorities, requests waiting for an organisation. */
export async function planCycleRows(db: DB, organisationId: string, planId: string) {
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
      .where("action_owners.organisation_id", "=", organisationId)
      .where("action_owners.status", "=", "pending")
      .executeTakeFirst(),
  ]);
  return { plan, previous, next, carried, retired, pending };
}

export async function setPlanArchived(db: DB, planId: string, archived: { at: string; by: number } | null): Promise<void> {
  await db
    .updateTable("plans")
    .set({ archived_at: archived?.at ?? null, archived_by: archived?.by ?? null })
    .where("id", "=", planId)
    .execute();
}

/** What starting the next plan needs of the previous one. */
export async function findPlanForNext(db: DB, planId: string) {
  return db
    .selectFrom("plans")
    .select(["id", "title", "kind", "strategy_id", "period_start", "period_end"])
    .where("id", "=", planId)
    .executeTakeFirst();
}

/** A plan's actions with their live milestones and their owners not declined: what carrying forward chooses from. */
export async function carryCandidateRows(db: DB, planId: string) {
  const [actions, milestones, owners] = await Promise.all([
    db
      .selectFrom("actions")
      .leftJoin("priorities", "priorities.id", "actions.priority_id")
      .select(["actions.id", "actions.title", "actions.priority_id", "actions.due_label", "actions.document_id", "priorities.code as priority_code"])
      .where("actions.plan_id", "=", planId)
      .orderBy("actions.position")
      .execute(),
    db
      .selectFrom("milestones")
      .innerJoin("actions", "actions.id", "milestones.action_id")
      .select(["milestones.action_id", "milestones.completed_on"])
      .where("actions.plan_id", "=", planId)
      .where("milestones.removed_at", "is", null)
      .execute(),
    db
      .selectFrom("action_owners")
      .innerJoin("actions", "actions.id", "action_owners.action_id")
      .innerJoin("organisations", "organisations.id", "action_owners.organisation_id")
      .select(["action_owners.action_id", "action_owners.organisation_id", "action_owners.role", "action_owners.status", "action_owners.held_role", "organisations.name"])
      .where("actions.plan_id", "=", planId)
      .where("action_owners.status", "!=", "declined")
      .execute(),
  ]);
  return { actions, milestones, owners };
}

/** What a carried action takes with it: its recommendation and KPI links and its open milestones. */
export async function carriedActionParts(db: DB, actionId: string) {
  const [recLinks, kpiLinks, milestones] = await Promise.all([
    db.selectFrom("action_recommendations").select("recommendation_id").where("action_id", "=", actionId).execute(),
    db.selectFrom("action_kpis").select("kpi_id").where("action_id", "=", actionId).execute(),
    db
      .selectFrom("milestones")
      .select(["title", "due_date", "position"])
      .where("action_id", "=", actionId)
      .where("removed_at", "is", null)
      .where("completed_on", "is", null)
      .orderBy("position")
      .execute(),
  ]);
  return { recLinks, kpiLinks, milestones };
}
