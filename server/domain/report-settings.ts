/**
 * The words a facilitator writes into a plan's Cabinet / board report before downloading it.
 * Stored per plan (report_settings) with an audit row in the same transaction, so the paper
 * the next person downloads says the same, and who last changed it is on record.
 */
import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import { findReportSettings, insertAudit, saveReportSettings } from "../../db/queries/report-settings";
import { DEFAULT_WORDS, type ReportWords } from "../accountability/board-report";
import { isIsoDate } from "../accountability/dates";
import { canDo, type Actor } from "../policy";
import { DomainError } from "./errors";
import { requirePlanRole } from "./plan-access";

const line = (what: string, max: number) =>
  z
    .string({ required_error: `Give ${what}.` })
    .trim()
    .min(1, `Give ${what}.`)
    .max(max, `Keep ${what} under ${max} characters.`)
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s), `Remove the control characters from ${what}.`);

export const ReportWordsInput = z.object({
  planId: z.string().min(1).max(200),
  meeting: line("the meeting the report goes to, for example Cabinet", 120),
  meetingDate: z
    .string()
    .trim()
    .max(10)
    .refine((d) => d === "" || isIsoDate(d), "Give the date of the meeting as a date, for example 2026-03-18, or leave it empty."),
  reportOf: line("who the report is of, for example the Leader of the Council", 200),
  classification: line("the classification, for example Open", 60),
  recommendations: z.string().max(10000, "Keep the recommendations under 10,000 characters.").refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s), "Remove the control characters from the recommendations."),
  reasons: z.string().max(10000, "Keep the reasons under 10,000 characters.").refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s), "Remove the control characters from the reasons."),
});

export async function reportWords(db: DB, planId: string): Promise<ReportWords & { updatedAt: string | null }> {
  const row = await findReportSettings(db, planId);
  if (!row) return { ...DEFAULT_WORDS, updatedAt: null };
  return {
    meeting: row.meeting,
    meetingDate: row.meeting_date,
    reportOf: row.report_of,
    classification: row.classification,
    recommendations: row.recommendations,
    reasons: row.reasons,
    updatedAt: row.updated_at,
  };
}

/** Only a facilitator writes the report's words (as they record the report of record). */
export async function saveReportWords(db: DB, actor: Actor, raw: unknown): Promise<string> {
  const input = ReportWordsInput.parse(raw);
  const role = await requirePlanRole(db, actor, input.planId);
  if (!canDo(role, "status-report:record")) {
    throw new DomainError(403, "Only a facilitator of this plan writes the report's recommendations. Ask the facilitator to add yours.");
  }
  const now = nowIso();
  await inTransaction(db, async (trx) => {
    await saveReportSettings(trx, {
      plan_id: input.planId,
      meeting: input.meeting,
      meeting_date: input.meetingDate,
      report_of: input.reportOf,
      classification: input.classification,
      recommendations: input.recommendations.replace(/\r\n/g, "\n").trim(),
      reasons: input.reasons.replace(/\r\n/g, "\n").trim(),
      updated_by: actor.userId,
      updated_by_organisation_id: actor.organisationId,
      updated_at: now,
    });
    await insertAudit(trx, {
      actor_user_id: actor.userId,
      actor_organisation_id: actor.organisationId,
      event: "report_words_saved",
      subject: input.planId,
      detail: JSON.stringify({ meeting: input.meeting, meetingDate: input.meetingDate, classification: input.classification }),
      created_at: now,
    });
  });
  return `The report's words are saved. Every download of this plan's report now carries them.`;
}
