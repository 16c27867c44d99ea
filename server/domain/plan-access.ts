import type { DB } from "../../db/connection";
import { findPlanArchive } from "../../db/queries/plan-cycle";
import { grantsOfPlan } from "../../db/queries/plan-grants";
import { planExists } from "../../db/queries/plans";
import { findPlanLock } from "../../db/queries/workshops";
import { canWhilePlanLocked, planRole, roleOnPlan, type Actor, type EffectivePlanRole, type PlanPermission } from "../policy";
import { DomainError } from "./errors";

export async function loadPlanRole(db: DB, actor: Actor, planId: string): Promise<EffectivePlanRole> {
  const grants = await grantsOfPlan(db, planId);
  const plan = await findPlanArchive(db, planId);
  return roleOnPlan(planRole(actor, grants), { archived: plan?.archived_at != null });
}

/**
 * An archived plan refuses every change with a sentence saying why (the role is already capped
 * to viewer by `loadPlanRole`; this gives the person the reason instead of "only editors can").
 */
export async function refuseIfArchived(db: DB, planId: string): Promise<void> {
  const plan = await findPlanArchive(db, planId);
  if (plan?.archived_at) {
    throw new DomainError(
      403,
      `“${plan.title}” is archived, so it is read-only for everyone. A facilitator can unarchive it from the plan's page if it needs to change.`,
    );
  }
}

/** 404 for plans that do not exist and for plans the actor may not see: no probing for ids. */
export async function requirePlanRole(db: DB, actor: Actor, planId: string): Promise<EffectivePlanRole> {
  const exists = await planExists(db, planId);
  const role = exists ? await loadPlanRole(db, actor, planId) : "none";
  if (role === "none") throw new DomainError(404, "There is no plan at this address, or you have not been given access to it.");
  return role;
}

/**
 * While a workshop holds the plan's lock, changes to the plan are the facilitator's: the room
 * decides, the facilitator writes it down. Call after the ordinary permission check. The answer
 * is 403, as for an archived plan: for this person the change is not allowed now (a facilitator
 * may make it), and sending it again will not help until the workshop unlocks the plan.
 */
export async function requirePlanUnlocked(
  db: DB,
  role: EffectivePlanRole,
  planId: string,
  permission: PlanPermission,
): Promise<void> {
  await refuseIfArchived(db, planId);
  const lock = await findPlanLock(db, planId);
  if (lock && !canWhilePlanLocked(role, permission, true)) {
    throw new DomainError(
      403,
      `Editing of this plan is locked while the workshop “${lock.title}” is running. Bring your change to the workshop; the facilitator unlocks the plan afterwards.`,
    );
  }
}
