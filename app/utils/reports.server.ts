import { isIsoDate, todayInLondon } from "../../server/accountability/dates";
import { DOCX_MIME, reportFileName } from "../../server/accountability/report-docx";
import type { AppContext } from "../../server/context";
import type { SessionUser } from "../../server/auth/sessions";
import { asAtFrom } from "./plan-access.server";

export async function boardReportResponse(app: AppContext, user: SessionUser, plan: { id: string; title: string }, url: URL) {
  const today = todayInLondon();
  const { asAt } = asAtFrom(url, today, isIsoDate);
  // Loading and building take about 400 ms for 500 actions: a worker thread does both.
  const bytes = await app.workers.run("boardReport", {
    planId: plan.id,
    asAt,
    meta: { planTitle: plan.title, partnership: "Team Bury partnership", preparedBy: `${user.name} (${user.organisationName})`, preparedOn: today },
  });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": DOCX_MIME,
      "Content-Disposition": `attachment; filename="${reportFileName(plan.title, asAt)}"`,
      "Cache-Control": "no-store",
    },
  });
}

export async function actionsCsvResponse(app: AppContext, plan: { id: string; title: string }, url: URL) {
  const { asAt } = asAtFrom(url, todayInLondon(), isIsoDate);
  // A document open in someone's editor right now is read as flushed: every update accepted so
  // far is on disk before the worker thread reads the descriptions from the database.
  await app.sync.flush();
  const csv = await app.workers.run("actionsCsv", { planId: plan.id, asAt });
  const name = plan.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-actions-${asAt}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
