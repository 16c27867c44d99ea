import type { DB } from "../connection";
import type { ReportSettingsTable } from "../schema";

export async function findReportSettings(db: DB, planId: string) {
  return db.selectFrom("report_settings").selectAll().where("plan_id", "=", planId).executeTakeFirst();
}

export async function saveReportSettings(db: DB, row: ReportSettingsTable): Promise<void> {
  const { plan_id: _planId, ...rest } = row;
  await db
    .insertInto("report_settings")
    .values(row)
    .onConflict((oc) => oc.column("plan_id").doUpdateSet(rest))
    .execute();
}

export async function insertAudit(
  db: DB,
  row: { actor_user_id: number | null; actor_organisation_id: string | null; event: string; subject: string; detail: string; created_at: string },
): Promise<void> {
  await db.insertInto("audit_log").values(row).execute();
}

/** The plan's summary and the recommendations it answers, for the report's background section. */
export async function planBackground(db: DB, planId: string) {
  const [plan, answers] = await Promise.all([
    db.selectFrom("plans").select(["summary"]).where("id", "=", planId).executeTakeFirst(),
    db
      .selectFrom("plan_recommendations as pr")
      .innerJoin("recommendations as r", "r.id", "pr.recommendation_id")
      .select(["r.code", "r.title", "r.source"])
      .where("pr.plan_id", "=", planId)
      .orderBy("r.source")
      .orderBy("r.code")
      .execute(),
  ]);
  return { summary: plan?.summary ?? "", answers };
}
