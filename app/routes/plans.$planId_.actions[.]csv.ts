import type { LoaderFunctionArgs } from "@remix-run/node";
import { canDo } from "../../server/policy";
import { requirePlanAccess } from "~/utils/plan-access.server";
import { actionsCsvResponse } from "~/utils/reports.server";

/** GET /plans/:planId/actions.csv: every action with owners, milestones, links and status. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { role, plan } = await requirePlanAccess(request, context, params.planId ?? "");
  if (!canDo(role, "plan:export")) throw new Response("You cannot export this plan.", { status: 403 });
  return actionsCsvResponse(context.app, plan, new URL(request.url));
}
