import type { LoaderFunctionArgs } from "@remix-run/node";
import { canDo } from "../../server/policy";
import { pdfAvailable } from "../../server/accountability/report-pdf";
import { requirePlanAccess } from "~/utils/plan-access.server";
import { boardReportResponse } from "~/utils/reports.server";

/** GET /plans/:planId/report.pdf?asAt=YYYY-MM-DD: the report as PDF, when LibreOffice is installed. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, role, plan } = await requirePlanAccess(request, context, params.planId ?? "");
  if (!canDo(role, "plan:export")) throw new Response("You cannot export this plan.", { status: 403 });
  if (!(await pdfAvailable())) {
    throw new Response("This server cannot make PDFs (LibreOffice is not installed). Download the .odt or Word report and save it as PDF.", {
      status: 404,
    });
  }
  return boardReportResponse(context.app, user, plan, new URL(request.url), "pdf");
}
