/** Recommendations (of inspections, reviews…) and the plans and actions that respond to them. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { RecommendationTable } from "../schema";

export async function findRecommendation(db: DB, id: string) {
  return db.selectFrom("recommendations").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listRecommendations(db: DB) {
  return db.selectFrom("recommendations").select(["id", "code", "title", "source"]).orderBy("source").orderBy("code").execute();
}

export async function plansRespondingTo(db: DB, recommendationId: string) {
  return db.selectFrom("plan_recommendations").select("plan_id").where("recommendation_id", "=", recommendationId).execute();
}

export async function listPlanRecommendationLinks(db: DB) {
  return db.selectFrom("plan_recommendations").select(["recommendation_id", "plan_id"]).execute();
}

export async function planRecommendationIds(db: DB, planId: string) {
  return db.selectFrom("plan_recommendations").select("recommendation_id").where("plan_id", "=", planId).execute();
}

/** Actions of the given plans linked to one recommendation. */
export async function linkedActionIds(db: DB, recommendationId: string, planIds: string[]) {
  return db
    .selectFrom("action_recommendations")
    .innerJoin("actions", "actions.id", "action_recommendations.action_id")
    .select("actions.id")
    .where("action_recommendations.recommendation_id", "=", recommendationId)
    .where("actions.plan_id", "in", planIds)
    .execute();
}

/** Every recommendation-to-action link on actions of the given plans. */
export async function actionLinksInPlans(db: DB, planIds: string[]) {
  return db
    .selectFrom("action_recommendations")
    .innerJoin("actions", "actions.id", "action_recommendations.action_id")
    .select(["action_recommendations.recommendation_id", "actions.id"])
    .where("actions.plan_id", "in", planIds)
    .execute();
}

/** Records that a plan answers a recommendation; an existing link is left alone. */
export async function linkPlanRecommendationIfAbsent(db: DB, planId: string, recommendationId: string): Promise<void> {
  await db.insertInto("plan_recommendations").values({ plan_id: planId, recommendation_id: recommendationId }).onConflict((oc) => oc.doNothing()).execute();
}

export async function insertRecommendationIfAbsent(db: DB, row: Insertable<RecommendationTable>): Promise<void> {
  await db.insertInto("recommendations").values(row).onConflict((oc) => oc.doNothing()).execute();
}

export async function listRecommendationCodes(db: DB) {
  return db.selectFrom("recommendations").select(["id", "code"]).execute();
}

/** A recommendation's id and code, as a link target. */
export async function findRecommendationLabel(db: DB, recommendationId: string) {
  return db.selectFrom("recommendations").select(["id", "code as label"]).where("id", "=", recommendationId).executeTakeFirst();
}

export async function insertPlanRecommendation(db: DB, planId: string, recommendationId: string): Promise<void> {
  await db.insertInto("plan_recommendations").values({ plan_id: planId, recommendation_id: recommendationId }).execute();
}
