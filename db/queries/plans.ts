import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { PlanTable } from "../schema";

/**
 * Every plan with its grants and action count. Who may see which plan is the domain's question
 * (server/domain/plan-visibility.ts), so the grants come back for it to decide.
 */
export async function listPlansWithGrants(db: DB) {
  const plans = await db
    .selectFrom("plans")
    .select(["id", "title", "summary", "kind", "status"])
    .orderBy("created_at")
    .orderBy("title")
    .execute();
  const grants = await db.selectFrom("plan_grants").select(["plan_id", "organisation_id", "user_id", "role"]).execute();
  const counts = await db
    .selectFrom("actions")
    .select((eb) => ["plan_id", eb.fn.countAll<number>().as("actions")])
    .groupBy("plan_id")
    .execute();
  const countBy = new Map(counts.map((c) => [c.plan_id, Number(c.actions)]));
  return plans.map((p) => ({
    ...p,
    grants: grants.filter((g) => g.plan_id === p.id),
    actions: countBy.get(p.id) ?? 0,
  }));
}

/** Every action an organisation leads or supports (or is asked to), across the plans the actor sees. */
export async function actionsForOrganisation(db: DB, organisationId: string, visiblePlanIds: string[]) {
  if (visiblePlanIds.length === 0) return [];
  return db
    .selectFrom("action_owners")
    .innerJoin("actions", "actions.id", "action_owners.action_id")
    .innerJoin("plans", "plans.id", "actions.plan_id")
    .leftJoin("priorities", "priorities.id", "actions.priority_id")
    .select([
      "actions.id",
      "actions.title",
      "actions.due_label",
      "actions.plan_id",
      "plans.title as plan_title",
      "priorities.title as priority_title",
      "action_owners.role",
      "action_owners.status",
    ])
    .where("action_owners.organisation_id", "=", organisationId)
    .where("actions.plan_id", "in", visiblePlanIds)
    .orderBy("action_owners.status", "desc")
    .orderBy("plans.title")
    .orderBy("actions.position")
    .execute();
}

export async function loadPlan(db: DB, planId: string) {
  return db
    .selectFrom("plans")
    .leftJoin("strategies", "strategies.id", "plans.strategy_id")
    .select([
      "plans.id",
      "plans.title",
      "plans.summary",
      "plans.kind",
      "plans.status",
      "strategies.title as strategy_title",
      "strategies.vision as strategy_vision",
    ])
    .where("plans.id", "=", planId)
    .executeTakeFirst();
}

/**
 * The plan page's contents. `onlyActionId` narrows actions, owners and history to one action (a
 * card redrawn after a live event), leaving the plan-wide lists as they are.
 */
export async function loadPlanContents(db: DB, planId: string, onlyActionId?: string) {
  const [priorities, actions, owners, history, overview, recommendations] = await Promise.all([
    db
      .selectFrom("plan_priorities")
      .innerJoin("priorities", "priorities.id", "plan_priorities.priority_id")
      .leftJoin("themes", "themes.id", "priorities.theme_id")
      .leftJoin("departments", "departments.id", "priorities.department_id")
      .select([
        "priorities.id",
        "priorities.code",
        "priorities.title",
        "priorities.description",
        "themes.name as theme_name",
        "departments.name as department_name",
      ])
      .where("plan_priorities.plan_id", "=", planId)
      .orderBy("plan_priorities.position")
      .execute(),
    db
      .selectFrom("actions")
      .innerJoin("documents", "documents.id", "actions.document_id")
      .select([
        "actions.id",
        "actions.priority_id",
        "actions.title",
        "actions.status",
        "actions.due_label",
        "actions.document_id",
        "documents.plain_text",
      ])
      .where("actions.plan_id", "=", planId)
      .$if(onlyActionId !== undefined, (q) => q.where("actions.id", "=", onlyActionId!))
      .orderBy("actions.position")
      .execute(),
    db
      .selectFrom("action_owners")
      .innerJoin("actions", "actions.id", "action_owners.action_id")
      .innerJoin("organisations", "organisations.id", "action_owners.organisation_id")
      .select([
        "action_owners.action_id",
        "action_owners.organisation_id",
        "action_owners.role",
        "action_owners.status",
        "action_owners.requested_by",
        "action_owners.held_role",
        "organisations.name as organisation_name",
      ])
      .where("actions.plan_id", "=", planId)
      .$if(onlyActionId !== undefined, (q) => q.where("actions.id", "=", onlyActionId!))
      .orderBy("action_owners.role")
      .orderBy("organisations.name")
      .execute(),
    db
      .selectFrom("ownership_history as h")
      .innerJoin("actions", "actions.id", "h.action_id")
      .innerJoin("organisations as o", "o.id", "h.organisation_id")
      .leftJoin("users as u", "u.id", "h.actor_user_id")
      .leftJoin("organisations as ao", "ao.id", "h.actor_organisation_id")
      .select([
        "h.id",
        "h.action_id",
        "h.event",
        "h.from_role",
        "h.from_status",
        "h.to_role",
        "h.to_status",
        "h.note",
        "h.created_at",
        "o.name as organisation_name",
        "u.name as actor_name",
        "ao.name as actor_organisation_name",
      ])
      .where("actions.plan_id", "=", planId)
      .$if(onlyActionId !== undefined, (q) => q.where("actions.id", "=", onlyActionId!))
      .orderBy("h.id", "desc")
      .execute(),
    db
      .selectFrom("documents")
      .select(["id", "plain_text"])
      .where("plan_id", "=", planId)
      .where("kind", "=", "plan_overview")
      .executeTakeFirst(),
    db
      .selectFrom("plan_recommendations")
      .innerJoin("recommendations", "recommendations.id", "plan_recommendations.recommendation_id")
      .select(["recommendations.id", "recommendations.code", "recommendations.title", "recommendations.source"])
      .where("plan_recommendations.plan_id", "=", planId)
      .orderBy("recommendations.code")
      .execute(),
  ]);
  return { priorities, actions, owners, history, overview, recommendations };
}

export async function pendingRequestsForOrganisation(db: DB, organisationId: string, visiblePlanIds: string[]) {
  if (visiblePlanIds.length === 0) return [];
  return db
    .selectFrom("action_owners")
    .innerJoin("actions", "actions.id", "action_owners.action_id")
    .innerJoin("plans", "plans.id", "actions.plan_id")
    .leftJoin("users", "users.id", "action_owners.requested_by")
    .leftJoin("organisations as ro", "ro.id", "users.organisation_id")
    .select([
      "actions.id as action_id",
      "actions.title",
      "actions.plan_id",
      "plans.title as plan_title",
      "action_owners.role",
      "action_owners.requested_at",
      "users.name as requested_by_name",
      "ro.name as requested_by_organisation",
    ])
    .where("action_owners.organisation_id", "=", organisationId)
    .where("action_owners.status", "=", "pending")
    .where("actions.plan_id", "in", visiblePlanIds)
    .orderBy("action_owners.requested_at", "desc")
    .execute();
}

export async function listOrganisations(db: DB) {
  return db.selectFrom("organisations").select(["id", "name", "short_name", "sector"]).orderBy("name").execute();
}

export async function planHeading(db: DB, planId: string) {
  return db.selectFrom("plans").select(["id", "title", "kind"]).where("id", "=", planId).executeTakeFirstOrThrow();
}

export async function listPlanTitles(db: DB) {
  return db.selectFrom("plans").select(["id", "title"]).orderBy("title").execute();
}

export async function planExists(db: DB, planId: string): Promise<boolean> {
  const plan = await db.selectFrom("plans").select("id").where("id", "=", planId).executeTakeFirst();
  return plan !== undefined;
}

/** The plan's own row as a proposal page shows it, kind included so the caller can tell proposals from plans. */
export async function findPlanRow(db: DB, planId: string) {
  return db
    .selectFrom("plans")
    .select(["id", "title", "summary", "status", "kind", "created_at", "created_by"])
    .where("id", "=", planId)
    .executeTakeFirst();
}

export async function insertPlan(db: DB, row: Insertable<PlanTable>): Promise<void> {
  await db.insertInto("plans").values(row).execute();
}

/** The plan started from `previousPlanId` ("Start the next plan from this one"), if any. */
export async function findPlanStartedFrom(db: DB, previousPlanId: string) {
  return db.selectFrom("plans").select("id").where("previous_plan_id", "=", previousPlanId).executeTakeFirst();
}

export async function setPlanPeriod(db: DB, planIds: readonly string[], periodStart: string, periodEnd: string): Promise<void> {
  await db.updateTable("plans").set({ period_start: periodStart, period_end: periodEnd }).where("id", "in", planIds).execute();
}

/** Inserts a plan unless its id is taken (the seed's idempotence). */
export async function insertPlanIfAbsent(db: DB, row: Insertable<PlanTable>): Promise<void> {
  await db.insertInto("plans").values(row).onConflict((oc) => oc.doNothing()).execute();
}

export async function findPlanStrategy(db: DB, planId: string) {
  return db.selectFrom("plans").select(["id", "strategy_id", "kind"]).where("id", "=", planId).executeTakeFirst();
}
