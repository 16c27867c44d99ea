import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePlanRole } from "../../server/domain/plan-access";
import { DomainError } from "../../server/domain/errors";
import { actorOf, requireUser } from "~/utils/auth.server";
import { loadActionCard } from "~/utils/plan-card.server";

/**
 * One action's card data (JSON), with the same rights as the plan page: what an open plan page
 * fetches when a live event names that action, instead of reloading the whole plan.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const actor = actorOf(user);
  const planId = params.planId ?? "";
  try {
    const role = await requirePlanRole(context.app.db, actor, planId);
    const card = await loadActionCard(context, actor, role, planId, params.actionId ?? "");
    return Response.json(card, { headers: { "Cache-Control": "no-store" } });
  } catch (err) {
    if (err instanceof DomainError) throw new Response(err.message, { status: err.status });
    throw err;
  }
}
