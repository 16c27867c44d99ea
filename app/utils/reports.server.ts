import { exportActionsCsv } from "../../server/accountability/csv";
import { isIsoDate, todayInLondon } from "../../server/accountability/dates";
import { loadPlanDelivery } from "../../server/accountability/delivery";
import { buildBoardReport, DOCX_MIME, reportFileName } from "../../server/accountability/report-docx";
import { signOffTrailForPlan } from "../../db/queries/agreement";
import { readContent, UNREADABLE_NOTICE } from "../../server/documents/lexical-content";
import type { AppContext } from "../../server/context";
import type { SessionUser } from "../../server/auth/sessions";
import { asAtFrom } from "./plan-access.server";

export async function boardReportResponse(app: AppContext, user: SessionUser, plan: { id: string; title: string }, url: URL) {
  const today = todayInLondon();
  const { asAt } = asAtFrom(url, today, isIsoDate);
  const [delivery, signOffTrail] = await Promise.all([loadPlanDelivery(app.db, plan.id, asAt), signOffTrailForPlan(app.db, plan.id)]);
  const buffer = await buildBoardReport(delivery, {
    planTitle: plan.title,
    partnership: "Team Bury partnership",
    preparedBy: `${user.name} (${user.organisationName})`,
    preparedOn: today,
    signOffTrail,
  });
  return new Response(new Uint8Array(buffer), {
    headers: {
      "Content-Type": DOCX_MIME,
      "Content-Disposition": `attachment; filename="${reportFileName(plan.title, asAt)}"`,
      "Cache-Control": "no-store",
    },
  });
}

export async function actionsCsvResponse(app: AppContext, plan: { id: string; title: string }, url: URL) {
  const { asAt } = asAtFrom(url, todayInLondon(), isIsoDate);
  const delivery = await loadPlanDelivery(app.db, plan.id, asAt);
  const docs = await app.db.selectFrom("actions").select(["id", "document_id"]).where("plan_id", "=", plan.id).execute();
  const descriptions = new Map<string, string>();
  for (const d of docs) {
    // Read through the sync server: a document open in someone's editor right now is read live.
    const content = await app.sync.readDocument(d.document_id, (doc) => readContent(doc));
    descriptions.set(d.id, content.readable ? content.paragraphs.join("\n\n") : UNREADABLE_NOTICE);
  }
  const csv = exportActionsCsv(delivery.priorities, descriptions);
  const name = plan.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-actions-${asAt}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
