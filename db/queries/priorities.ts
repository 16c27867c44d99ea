/** Priorities of strategies, as plans take them up. */
import type { Insertable, Updateable } from "kysely";
import type { DB } from "../connection";
import type { PlanPriorityTable, PriorityTable } from "../schema";

export async function prioritiesByIds(db: DB, ids: string[]) {
  return db.selectFrom("priorities").select(["id", "code", "title"]).where("id", "in", ids).execute();
}

export async function insertPriorityIfAbsent(db: DB, row: Insertable<PriorityTable>): Promise<void> {
  await db.insertInto("priorities").values(row).onConflict((oc) => oc.doNothing()).execute();
}

/** Puts a priority into a plan unless it is there already. */
export async function insertPlanPriorityIfAbsent(db: DB, row: Insertable<PlanPriorityTable>): Promise<void> {
  await db.insertInto("plan_priorities").values(row).onConflict((oc) => oc.doNothing()).execute();
}

/** The first `limit` priorities of a plan, in the plan's order. */
export async function firstPlanPriorities(db: DB, planId: string, limit: number) {
  return db
    .selectFrom("plan_priorities as pp")
    .innerJoin("priorities as p", "p.id", "pp.priority_id")
    .select(["p.id", "p.title"])
    .where("pp.plan_id", "=", planId)
    .orderBy("pp.position")
    .limit(limit)
    .execute();
}

/** A plan's priorities by code, for matching the codes of an import file. */
export async function planPriorityCodes(db: DB, planId: string) {
  return db
    .selectFrom("plan_priorities")
    .innerJoin("priorities", "priorities.id", "plan_priorities.priority_id")
    .select(["priorities.id", "priorities.code"])
    .where("plan_priorities.plan_id", "=", planId)
    .execute();
}

/** A plan's priorities in the plan's order. */
export async function planPrioritiesInOrder(db: DB, planId: string) {
  return db
    .selectFrom("plan_priorities")
    .innerJoin("priorities", "priorities.id", "plan_priorities.priority_id")
    .select(["priorities.id", "priorities.code", "priorities.title"])
    .where("plan_priorities.plan_id", "=", planId)
    .orderBy("plan_priorities.position")
    .execute();
}

/** One of a plan's priorities with its code, title and whether the plan retired it. */
export async function findPlanPriorityWithTitle(db: DB, planId: string, priorityId: string) {
  return db
    .selectFrom("plan_priorities")
    .innerJoin("priorities", "priorities.id", "plan_priorities.priority_id")
    .select(["priorities.id", "priorities.code", "priorities.title", "plan_priorities.retired_at"])
    .where("plan_priorities.plan_id", "=", planId)
    .where("priorities.id", "=", priorityId)
    .executeTakeFirst();
}

export async function insertPlanPriority(db: DB, row: Insertable<PlanPriorityTable>): Promise<void> {
  await db.insertInto("plan_priorities").values(row).execute();
}

export async function updatePlanPriority(db: DB, planId: string, priorityId: string, row: Updateable<PlanPriorityTable>): Promise<void> {
  await db.updateTable("plan_priorities").set(row).where("plan_id", "=", planId).where("priority_id", "=", priorityId).execute();
}
