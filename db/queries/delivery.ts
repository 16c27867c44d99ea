/** Delivery of actions: progress updates, milestones and the measures (KPIs) they move. */
import type { ExpressionBuilder, Insertable, Updateable } from "kysely";
import type { DB } from "../connection";
import type { ActionKpiTable, ActionRecommendationTable, KpiTable, MilestoneChangeTable, MilestoneTable, ProgressUpdateTable } from "../schema";

/** An action's progress updates, newest first, with their authors. */
export async function progressUpdatesOfAction(db: DB, actionId: string) {
  return db
    .selectFrom("progress_updates as u")
    .innerJoin("users", "users.id", "u.author_user_id")
    .innerJoin("organisations", "organisations.id", "u.author_organisation_id")
    .select(["u.id", "u.status", "u.reported_on", "u.narrative", "u.mitigation", "u.created_at", "users.name as author_name", "users.system_role as author_role", "organisations.name as author_organisation"])
    .where("u.action_id", "=", actionId)
    .orderBy("u.reported_on", "desc")
    .orderBy("u.id", "desc")
    .execute();
}

/** The history of an action's milestones, newest first. */
export async function milestoneChangesOfAction(db: DB, actionId: string) {
  return db
    .selectFrom("milestone_changes as c")
    .leftJoin("users", "users.id", "c.actor_user_id")
    .leftJoin("organisations", "organisations.id", "c.actor_organisation_id")
    .leftJoin("milestones", "milestones.id", "c.milestone_id")
    .select(["c.id", "c.event", "c.from_value", "c.to_value", "c.created_at", "users.name as actor_name", "organisations.name as actor_organisation", "milestones.title as milestone_title"])
    .where("c.action_id", "=", actionId)
    .orderBy("c.id", "desc")
    .execute();
}

export async function listKpiOptions(db: DB) {
  return db
    .selectFrom("kpis")
    .leftJoin("departments", "departments.id", "kpis.department_id")
    .select(["kpis.id", "kpis.code", "kpis.title", "kpis.department_id", "departments.name as department_name"])
    .orderBy("kpis.position")
    .execute();
}

export async function findMilestoneAction(db: DB, milestoneId: string) {
  return db.selectFrom("milestones").select("action_id").where("id", "=", milestoneId).executeTakeFirst();
}

/** Inserts a KPI unless its id is taken (the seed's idempotence). */
export async function insertKpiIfAbsent(db: DB, row: Insertable<KpiTable>): Promise<void> {
  await db.insertInto("kpis").values(row).onConflict((oc) => oc.doNothing()).execute();
}

/** Inserts a milestone unless its id is taken; true when it was inserted. */
export async function insertMilestoneIfAbsent(db: DB, row: Insertable<MilestoneTable>): Promise<boolean> {
  const inserted = await db.insertInto("milestones").values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function insertMilestoneChange(db: DB, row: Insertable<MilestoneChangeTable>): Promise<void> {
  await db.insertInto("milestone_changes").values(row).execute();
}

export async function insertProgressUpdate(db: DB, row: Insertable<ProgressUpdateTable>): Promise<void> {
  await db.insertInto("progress_updates").values(row).execute();
}

export async function hasProgressUpdates(db: DB, actionId: string): Promise<boolean> {
  return (await db.selectFrom("progress_updates").select("id").where("action_id", "=", actionId).limit(1).executeTakeFirst()) !== undefined;
}

export async function findMilestoneState(db: DB, milestoneId: string) {
  return db.selectFrom("milestones").select(["id", "due_date", "completed_on", "removed_at"]).where("id", "=", milestoneId).executeTakeFirst();
}

export async function milestoneChangeEvents(db: DB, milestoneId: string) {
  return db.selectFrom("milestone_changes").select("event").where("milestone_id", "=", milestoneId).execute();
}

export async function setMilestoneCompleted(db: DB, milestoneId: string, completedOn: string, completedBy: number, now: string): Promise<void> {
  await db.updateTable("milestones").set({ completed_on: completedOn, completed_by: completedBy, updated_at: now }).where("id", "=", milestoneId).execute();
}

/** Links an action to a recommendation it answers; an existing link is left alone. */
export async function linkActionRecommendationIfAbsent(db: DB, row: Insertable<ActionRecommendationTable>): Promise<void> {
  await db.insertInto("action_recommendations").values(row).onConflict((oc) => oc.doNothing()).execute();
}

/** Links an action to a KPI it moves; an existing link is left alone. */
export async function linkActionKpiIfAbsent(db: DB, row: Insertable<ActionKpiTable>): Promise<void> {
  await db.insertInto("action_kpis").values(row).onConflict((oc) => oc.doNothing()).execute();
}

export async function milestonesOfAction(db: DB, actionId: string) {
  return db.selectFrom("milestones").select(["id", "due_date", "title"]).where("action_id", "=", actionId).execute();
}

export async function setMilestoneDueDate(db: DB, milestoneId: string, dueDate: string, now: string): Promise<void> {
  await db.updateTable("milestones").set({ due_date: dueDate, updated_at: now }).where("id", "=", milestoneId).execute();
}

export async function listKpiCodes(db: DB) {
  return db.selectFrom("kpis").select(["id", "code"]).execute();
}

export async function listRagRules(db: DB) {
  return db.selectFrom("rag_rules").selectAll().orderBy("position").execute();
}

/**
 * The rows a delivery record is made of, for one plan's actions or for the given actions: the
 * actions, their owners, open milestones, progress updates, KPIs and recommendations. Every query
 * joins `actions`, so one filter scopes them all.
 */
export async function deliveryRows(db: DB, scope: { planId: string } | { actionIds: string[] }) {
  const where = (eb: ExpressionBuilder<any, any>) =>
    "planId" in scope ? eb("actions.plan_id", "=", scope.planId) : eb("actions.id", "in", scope.actionIds);
  const [actions, owners, milestones, updates, kpis, recs] = await Promise.all([
    db
      .selectFrom("actions")
      .select(["actions.id", "actions.plan_id", "actions.title", "actions.priority_id", "actions.due_label", "actions.position", "actions.created_at"])
      .where(where)
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
        "organisations.name",
        "organisations.short_name",
      ])
      .where(where)
      .orderBy("organisations.name")
      .execute(),
    db
      .selectFrom("milestones")
      .innerJoin("actions", "actions.id", "milestones.action_id")
      .select(["milestones.id", "milestones.action_id", "milestones.title", "milestones.due_date", "milestones.completed_on", "milestones.position"])
      .where("milestones.removed_at", "is", null)
      .where(where)
      .orderBy("milestones.due_date")
      .orderBy("milestones.position")
      .execute(),
    db
      .selectFrom("progress_updates as u")
      .innerJoin("actions", "actions.id", "u.action_id")
      .innerJoin("users", "users.id", "u.author_user_id")
      .innerJoin("organisations", "organisations.id", "u.author_organisation_id")
      .select([
        "u.id",
        "u.action_id",
        "u.status",
        "u.reported_on",
        "u.narrative",
        "u.mitigation",
        "users.name as author_name",
        "organisations.name as author_organisation_name",
      ])
      .where(where)
      .orderBy("u.reported_on")
      .orderBy("u.id")
      .execute(),
    db
      .selectFrom("action_kpis")
      .innerJoin("actions", "actions.id", "action_kpis.action_id")
      .innerJoin("kpis", "kpis.id", "action_kpis.kpi_id")
      .select(["action_kpis.action_id", "kpis.id", "kpis.code", "kpis.title"])
      .where(where)
      .orderBy("kpis.position")
      .execute(),
    db
      .selectFrom("action_recommendations")
      .innerJoin("actions", "actions.id", "action_recommendations.action_id")
      .innerJoin("recommendations", "recommendations.id", "action_recommendations.recommendation_id")
      .select(["action_recommendations.action_id", "recommendations.id", "recommendations.code", "recommendations.title"])
      .where(where)
      .orderBy("recommendations.code")
      .execute(),
  ]);
  return { actions, owners, milestones, updates, kpis, recs };
}

/** The plan's latest status report of record dated before `asAt`. */
export async function lastStatusReportBefore(db: DB, planId: string, asAt: string) {
  return db
    .selectFrom("status_reports")
    .select(["id", "title", "as_at"])
    .where("plan_id", "=", planId)
    .where("as_at", "<", asAt)
    .orderBy("as_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

export async function statusReportRatings(db: DB, reportId: number) {
  return db.selectFrom("status_report_entries").select(["action_id", "rag"]).where("report_id", "=", reportId).execute();
}

/** An action's owners and their answers: who may report on its delivery. */
export async function ownerAnswersOfAction(db: DB, actionId: string) {
  return db.selectFrom("action_owners").select(["organisation_id", "role", "status"]).where("action_id", "=", actionId).execute();
}

export async function insertProgressUpdateReturningId(db: DB, row: Insertable<ProgressUpdateTable>): Promise<number> {
  const inserted = await db.insertInto("progress_updates").values(row).returning("id").executeTakeFirstOrThrow();
  return inserted.id;
}

export async function lastMilestonePosition(db: DB, actionId: string): Promise<number> {
  const last = await db
    .selectFrom("milestones")
    .select((eb) => eb.fn.max("position").as("max"))
    .where("action_id", "=", actionId)
    .executeTakeFirst();
  return Number(last?.max ?? 0);
}

export async function insertMilestone(db: DB, row: Insertable<MilestoneTable>): Promise<void> {
  await db.insertInto("milestones").values(row).execute();
}

/** A milestone with its action's plan and title (removed ones included: the caller decides). */
export async function findMilestoneWithAction(db: DB, milestoneId: string) {
  return db
    .selectFrom("milestones")
    .innerJoin("actions", "actions.id", "milestones.action_id")
    .select([
      "milestones.id",
      "milestones.action_id",
      "milestones.title",
      "milestones.due_date",
      "milestones.completed_on",
      "milestones.removed_at",
      "actions.plan_id",
      "actions.title as action_title",
    ])
    .where("milestones.id", "=", milestoneId)
    .executeTakeFirst();
}

export async function updateMilestone(db: DB, milestoneId: string, row: Updateable<MilestoneTable>): Promise<void> {
  await db.updateTable("milestones").set(row).where("id", "=", milestoneId).execute();
}

/** A KPI's id and code, as a link target. */
export async function findKpiLabel(db: DB, kpiId: string) {
  return db.selectFrom("kpis").select(["id", "code as label"]).where("id", "=", kpiId).executeTakeFirst();
}

export async function unlinkActionKpi(db: DB, actionId: string, kpiId: string): Promise<void> {
  await db.deleteFrom("action_kpis").where("action_id", "=", actionId).where("kpi_id", "=", kpiId).execute();
}

export async function unlinkActionRecommendation(db: DB, actionId: string, recommendationId: string): Promise<void> {
  await db.deleteFrom("action_recommendations").where("action_id", "=", actionId).where("recommendation_id", "=", recommendationId).execute();
}

export async function insertActionRecommendation(db: DB, row: Insertable<ActionRecommendationTable>): Promise<void> {
  await db.insertInto("action_recommendations").values(row).execute();
}

export async function insertActionKpi(db: DB, row: Insertable<ActionKpiTable>): Promise<void> {
  await db.insertInto("action_kpis").values(row).execute();
}
