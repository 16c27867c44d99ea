import { isIsoDate, todayInLondon } from "../../server/accountability/dates";
import type { ReportMeta } from "../../server/accountability/board-report";
import { DOCX_MIME, reportFileName } from "../../server/accountability/report-docx";
import { ODT_MIME } from "../../server/accountability/report-odt";
import { convertToPdf } from "../../server/accountability/report-pdf";
import { subjectsOfPlan } from "../../db/queries/agreement-subjects";
import { planBackground } from "../../db/queries/report-settings";
import { reportAgreement, subjectAgreements } from "../../server/domain/agreement-summary";
import { reportWords } from "../../server/domain/report-settings";
import type { AppContext } from "../../server/context";
import type { SessionUser } from "../../server/auth/sessions";
import { asAtFrom } from "./plan-access.server";

/**
 * What the board report says besides the delivery record, as plain data: the facilitator's
 * words, the plan's background and each action's agreement (its words read live through the
 * sync server, as the plan page reads them). The worker thread loads the delivery record and the
 * sign-off trail itself and builds the file.
 */
export async function boardReportMeta(
  app: AppContext,
  user: SessionUser,
  plan: { id: string; title: string },
): Promise<Omit<ReportMeta, "signOffTrail">> {
  const [words, background, subjects] = await Promise.all([reportWords(app.db, plan.id), planBackground(app.db, plan.id), subjectsOfPlan(app.db, plan.id)]);
  const agreements = await subjectAgreements(app.db, app.sync, "action", plan.id, subjects);
  return {
    planTitle: plan.title,
    partnership: "Team Bury partnership",
    preparedBy: `${user.name} (${user.organisationName})`,
    preparedOn: todayInLondon(),
    words,
    agreement: Object.fromEntries([...agreements].map(([id, a]) => [id, reportAgreement(a)])),
    planSummary: background.summary,
    answers: background.answers.map((r) => ({ code: r.code, title: r.title })),
  };
}

const MIME = { docx: DOCX_MIME, odt: ODT_MIME, pdf: "application/pdf" } as const;

export async function boardReportResponse(
  app: AppContext,
  user: SessionUser,
  plan: { id: string; title: string },
  url: URL,
  format: "docx" | "odt" | "pdf" = "docx",
) {
  const { asAt } = asAtFrom(url, todayInLondon(), isIsoDate);
  const meta = await boardReportMeta(app, user, plan);
  // Loading and building take hundreds of ms for 500 actions: a worker thread does both, for
  // Word and ODF alike. The PDF is LibreOffice's conversion of the .odt, in a child process.
  const file = await app.workers.run("boardReport", { planId: plan.id, asAt, format: format === "docx" ? "docx" : "odt", meta });
  const bytes = format === "pdf" ? await convertToPdf(Buffer.from(file), "odt") : file;
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": MIME[format],
      "Content-Disposition": `attachment; filename="${reportFileName(plan.title, asAt, format)}"`,
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
