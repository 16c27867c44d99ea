/**
 * A status report of record: the RAG status of every action of a plan as at a date, as issued to
 * the partnership board or Cabinet. Kept as it was (the table refuses edits), so the next report's
 * direction of travel compares with what the board was actually told, even if rules change since.
 */
import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import { insertStatusReport, insertStatusReportEntry } from "../../db/queries/status-reports";
import { loadPlanDelivery, ragCounts } from "../accountability/delivery";
import { daysBetween, formatDate, isIsoDate, todayInLondon } from "../accountability/dates";
import { canDo, type Actor } from "../policy";
import { DomainError } from "./errors";
import { loadPlanRole } from "./plan-access";

export const StatusReportInput = z.object({
  planId: z.string().min(1).max(200),
  title: z
    .string()
    .trim()
    .min(3, "Give the report a title, for example “Q2 2022-23 partnership board report”.")
    .max(120, "Keep the title under 120 characters."),
  asAt: z.string().trim().refine(isIsoDate, "Enter the report date as a real date, for example 2022-09-30."),
});

export async function recordStatusReport(
  db: DB,
  actor: Actor,
  input: z.infer<typeof StatusReportInput>,
  today = todayInLondon(),
): Promise<{ id: number; summary: string }> {
  const role = await loadPlanRole(db, actor, input.planId);
  if (!canDo(role, "status-report:record")) {
    throw new DomainError(403, "Only a facilitator records the report of record. You can still download the report.");
  }
  if (daysBetween(today, input.asAt) > 0) throw new DomainError(400, "A report cannot be dated in the future.");
  const delivery = await loadPlanDelivery(db, input.planId, input.asAt);
  if (delivery.actions.length === 0) throw new DomainError(400, "This plan has no actions to report on yet.");
  const id = await inTransaction(db, async (trx) => {
    const reportId = await insertStatusReport(trx, {
      plan_id: input.planId,
      title: input.title,
      as_at: input.asAt,
      created_by: actor.userId,
      created_by_organisation_id: actor.organisationId,
      created_at: nowIso(),
    });
    for (const a of delivery.actions) {
      await insertStatusReportEntry(trx, {
        report_id: reportId,
        action_id: a.id,
        rag: a.rag.status,
        reasons: JSON.stringify(a.rag.reasons.map((r) => r.text)),
      });
    }
    return reportId;
  });
  const c = ragCounts(delivery.actions);
  return {
    id,
    summary: `Recorded “${input.title}” as at ${formatDate(input.asAt)}: ${c.red} red, ${c.amber} amber, ${c.green} green. Later reports show the direction of travel from it.`,
  };
}
