import type { LoaderFunctionArgs } from "@remix-run/node";
import { canDo } from "../../server/policy";
import { requirePlanAccess } from "~/utils/plan-access.server";
import { boardReportResponse } from "~/utils/reports.server";

/** GET /plans/:planId/report.odt?asAt=YYYY-MM-DD: the Cabinet / board report as OpenDocument text. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, role, plan } = await requirePlanAccess(request, context, params.planId ?? "");
  if (!canDo(role, "plan:export")) throw new Response("You cannot export this plan.", { status: 403 });
  return boardReportResponse(context.app, user, plan, new URL(request.url), "odt");
}
