/** Actions of a plan: their rows and the choices a page offers. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { ActionTable } from "../schema";

export async function planActionOptions(db: DB, planId: string) {
  return db.selectFrom("actions").select(["id", "title", "priority_id"]).where("plan_id", "=", planId).orderBy("position").execute();
}

export async function findActionWithPriority(db: DB, actionId: string) {
  return db
    .selectFrom("actions")
    .leftJoin("priorities", "priorities.id", "actions.priority_id")
    .select(["actions.id", "actions.plan_id", "actions.title", "actions.document_id", "actions.due_label", "actions.priority_id", "priorities.code as priority_code", "priorities.title as priority_title", "priorities.department_id"])
    .where("actions.id", "=", actionId)
    .executeTakeFirst();
}

export async function findActionPlanId(db: DB, actionId: string) {
  return db.selectFrom("actions").select(["plan_id"]).where("id", "=", actionId).executeTakeFirst();
}

export async function findPlanPriority(db: DB, planId: string, priorityId: string) {
  return db
    .selectFrom("plan_priorities")
    .select(["priority_id", "retired_at"])
    .where("plan_id", "=", planId)
    .where("priority_id", "=", priorityId)
    .executeTakeFirst();
}

export async function lastActionPosition(db: DB, planId: string) {
  return db
    .selectFrom("actions")
    .select((eb) => eb.fn.max("position").as("max"))
    .where("plan_id", "=", planId)
    .executeTakeFirst();
}

export async function insertAction(db: DB, row: Insertable<ActionTable>) {
  await db.insertInto("actions").values(row).execute();
}

export async function findActionDetails(db: DB, actionId: string) {
  return db
    .selectFrom("actions")
    .select(["id", "plan_id", "title", "due_label", "document_id"])
    .where("id", "=", actionId)
    .executeTakeFirst();
}

export async function setActionDetails(db: DB, actionId: string, details: { title: string; due_label: string; updated_at: string }) {
  await db.updateTable("actions").set(details).where("id", "=", actionId).execute();
}

/** Ids of actions whose id starts with `prefix` (the seed's own actions: "act-p-"). */
export async function actionIdsStartingWith(db: DB, prefix: string): Promise<string[]> {
  return (await db.selectFrom("actions").select("id").where("id", "like", `${prefix}%`).execute()).map((a) => a.id);
}

/** Actions whose id starts with `prefix`, each with its accepted lead organisation. */
export async function actionsWithAcceptedLead(db: DB, prefix: string) {
  return db
    .selectFrom("actions as a")
    .innerJoin("action_owners as o", (j) => j.onRef("o.action_id", "=", "a.id").on("o.role", "=", "lead").on("o.status", "=", "accepted"))
    .select(["a.id", "a.title", "o.organisation_id as lead"])
    .where("a.id", "like", `${prefix}%`)
    .execute();
}

/** Each action of a plan with its description document. */
export async function actionDocumentsOfPlan(db: DB, planId: string) {
  return db.selectFrom("actions").select(["id", "document_id"]).where("plan_id", "=", planId).execute();
}

/** What identifies the plan's existing actions, so an import does not add them twice. */
export async function actionKeysOfPlan(db: DB, planId: string) {
  return db.selectFrom("actions").select(["id", "priority_id", "title", "due_label"]).where("plan_id", "=", planId).execute();
}

/** An action with what its text's pages need: its plan, title and description document. */
export async function findActionText(db: DB, actionId: string) {
  return db.selectFrom("actions").select(["id", "plan_id", "title", "document_id"]).where("id", "=", actionId).executeTakeFirst();
}

export async function findActionPriorityId(db: DB, actionId: string) {
  return db.selectFrom("actions").select(["id", "plan_id", "title", "priority_id"]).where("id", "=", actionId).executeTakeFirst();
}

export async function setActionPriority(db: DB, actionId: string, priorityId: string, now: string): Promise<void> {
  await db.updateTable("actions").set({ priority_id: priorityId, updated_at: now }).where("id", "=", actionId).execute();
}
