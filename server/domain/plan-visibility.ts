/**
 * Which plans and proposals a person may see. The query modules return every row with its grants;
 * the rule that turns grants into a role lives in server/policy.ts, so it is applied here and
 * db/ stays free of permission logic.
 */
import type { DB } from "../../db/connection";
import { listPlansWithGrants } from "../../db/queries/plans";
import { listProposalsWithGrants } from "../../db/queries/proposals";
import { planRole, type Actor, type EffectivePlanRole } from "../policy";

export async function listPlansForActor(db: DB, actor: Actor) {
  return (await listPlansWithGrants(db))
    .map(({ grants, ...p }) => ({ ...p, role: planRole(actor, grants) as EffectivePlanRole }))
    .filter((p) => p.role !== "none");
}

/** Every engagement proposal the actor can see, with comment threads counted by status and by the organisation that started them. */
export async function listProposalsForActor(db: DB, actor: Actor) {
  return (await listProposalsWithGrants(db))
    .map(({ grants, ...p }) => ({ ...p, role: planRole(actor, grants) }))
    .filter((p) => p.role !== "none");
}
