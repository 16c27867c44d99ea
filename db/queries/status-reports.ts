/** Status reports of record: a plan's RAG ratings frozen as at a date. */
import type { Insertable } from "kysely";
import type { DB } from "../connection";
import type { StatusReportEntryTable, StatusReportTable } from "../schema";

/** Every rating of record the given actions had, newest report first. */
export async function reviewsOfActions(db: DB, actionIds: string[]) {
  return db
    .selectFrom("status_report_entries as e")
    .innerJoin("status_reports as r", "r.id", "e.report_id")
    .select(["r.id", "r.title", "r.as_at", "r.plan_id", "e.action_id", "e.rag"])
    .where("e.action_id", "in", actionIds)
    .orderBy("r.as_at", "desc")
    .execute();
}

/** A plan's reports of record, newest first, each with its count of reds, ambers and greens. */
export async function listPlanReports(db: DB, planId: string) {
  return db
    .selectFrom("status_reports as r")
    .leftJoin("users", "users.id", "r.created_by")
    .select((eb) => [
      "r.id",
      "r.title",
      "r.as_at",
      "r.created_at",
      "users.name as by",
      ...(["red", "amber", "green"] as const).map((c) =>
        eb.selectFrom("status_report_entries as e").whereRef("e.report_id", "=", "r.id").where("e.rag", "=", c).select((e) => e.fn.countAll<number>().as("n")).as(c),
      ),
    ])
    .where("r.plan_id", "=", planId)
    .orderBy("r.as_at", "desc")
    .orderBy("r.id", "desc")
    .execute();
}

export async function insertStatusReport(db: DB, row: Insertable<StatusReportTable>): Promise<number> {
  return (await db.insertInto("status_reports").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

export async function insertStatusReportEntry(db: DB, row: Insertable<StatusReportEntryTable>): Promise<void> {
  await db.insertInto("status_report_entries").values(row).execute();
}
