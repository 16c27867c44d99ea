import type { AppLoadContext } from "@remix-run/node";
import { loadPlan } from "../../db/queries/plans";
import { DomainError } from "../../server/domain/errors";
import { requirePlanRole } from "../../server/domain/plan-access";
import { actorOf, requireUser } from "./auth.server";

/** Signed in, and allowed to see the plan (404 otherwise, so ids cannot be probed). */
export async function requirePlanAccess(request: Request, context: AppLoadContext, planId: string) {
  const user = await requireUser(request, context);
  const actor = actorOf(user);
  let role;
  try {
    role = await requirePlanRole(context.app.db, actor, planId);
  } catch (err) {
    if (err instanceof DomainError) throw new Response(err.message, { status: err.status });
    throw err;
  }
  const plan = await loadPlan(context.app.db, planId);
  if (!plan) throw new Response("There is no plan at this address.", { status: 404 });
  return { user, actor, role, plan };
}

/** ?asAt=YYYY-MM-DD, or today (Europe/London). */
export function asAtFrom(url: URL, today: string, isIsoDate: (s: string) => boolean): { asAt: string; error: string | null } {
  const raw = url.searchParams.get("asAt");
  if (!raw) return { asAt: today, error: null };
  if (!isIsoDate(raw)) return { asAt: today, error: `“${raw}” is not a date: showing today instead. Use the date picker, or YYYY-MM-DD.` };
  if (raw > today) return { asAt: today, error: "The status cannot be shown for a future date: showing today instead." };
  return { asAt: raw, error: null };
}
