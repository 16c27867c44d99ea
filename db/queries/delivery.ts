/** Delivery of actions: progress updates, milestones and the measures (KPIs) they move. */
import type { DB } from "../connection";

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
