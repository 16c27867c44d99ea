import type { DB } from "../../db/connection";
import { findPlanLock } from "../../db/queries/workshops";
import { canWhilePlanLocked, planRole, type Actor, type EffectivePlanRole, type PlanPermission } from "../policy";
import { DomainError } from "./errors";

export async function loadPlanRole(db: DB, actor: Actor, planId: string): Promise<EffectivePlanRole> {
  const grants = await db
    .selectFrom("plan_grants")
    .select(["organisation_id", "user_id", "role"])
    .where("plan_id", "=", planId)
    .execute();
  return planRole(actor, grants);
}

/** 404 for plans that do not exist and for plans the actor may not see: no probing for ids. */
export async function requirePlanRole(db: DB, actor: Actor, planId: string): Promise<EffectivePlanRole> {
  const plan = await db.selectFrom("plans").select("id").where("id", "=", planId).executeTakeFirst();
  const role = plan ? await loadPlanRole(db, actor, planId) : "none";
  if (role === "none") throw new DomainError(404, "There is no plan at this address, or you have not been given access to it.");
  return role;
}

/**
 * While a workshop holds the plan's lock, changes to the plan are the facilitator's: the room
 * decides, the facilitator writes it down. Call after the ordinary permission check.
 */
export async function requirePlanUnlocked(
  db: DB,
  role: EffectivePlanRole,
  planId: string,
  permission: PlanPermission,
): Promise<void> {
  const lock = await findPlanLock(db, planId);
  if (lock && !canWhilePlanLocked(role, permission, true)) {
    throw new DomainError(
      409,
      `Editing of this plan is locked while the workshop “${lock.title}” is running. Bring your change to the workshop; the facilitator unlocks the plan afterwards.`,
    );
  }
}
