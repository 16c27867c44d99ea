import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import { findOrganisationById, findOrganisationClash, findUserIdByEmail, insertOrganisation } from "../../db/queries/accounts";
import { insertAuditRow } from "../../db/queries/audit";
import { deleteGrant, insertGrant } from "../../db/queries/plan-grants";
import { planExists } from "../../db/queries/plans";
import { canAdminister, canCreatePlan, type Actor } from "../policy";
import { DomainError } from "./errors";

const SECTORS = ["council", "nhs", "police", "fire", "housing", "education", "business", "vcf", "other"] as const;

export const NewOrganisation = z.object({
  name: z.string().trim().min(2, "Enter the organisation's name.").max(120),
  shortName: z.string().trim().min(2, "Enter a short name, like “Bury College”.").max(40),
  sector: z.enum(SECTORS, { message: "Choose the organisation's sector." }),
});

export const GrantInput = z.object({
  planId: z.string().min(1, "Choose a plan."),
  organisationId: z.string().optional(),
  userEmail: z.string().trim().toLowerCase().optional(),
  role: z.enum(["editor", "commenter", "viewer", "none"]),
});

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
}

/** The audit row (who, organisation, when, what): written in the caller's transaction. */
export async function audit(db: DB, actor: Actor, event: string, subject: string, detail: object) {
  await insertAuditRow(db, {
    actor_user_id: actor.userId,
    actor_organisation_id: actor.organisationId,
    event,
    subject,
    detail: JSON.stringify(detail),
    created_at: nowIso(),
  });
}

export async function createOrganisation(db: DB, actor: Actor, input: z.infer<typeof NewOrganisation>) {
  if (!canAdminister(actor)) throw new DomainError(403, "Only an administrator can add organisations.");
  const id = slug(input.name);
  const clash = await findOrganisationClash(db, id, input.name);
  if (clash) throw new DomainError(409, `An organisation called “${input.name}” already exists.`);
  await insertOrganisation(db, { id, name: input.name, short_name: input.shortName, sector: input.sector, created_at: nowIso() });
  await audit(db, actor, "organisation.created", id, input);
  return id;
}

/** Sets (or with role "none" removes) an organisation's or a person's right on a plan. */
export async function setGrant(db: DB, actor: Actor, input: z.infer<typeof GrantInput>) {
  if (!canCreatePlan(actor)) throw new DomainError(403, "Only a facilitator or administrator can change who takes part in a plan.");
  if (!(await planExists(db, input.planId))) throw new DomainError(400, "Choose a plan from the list.");
  let userId: number | null = null;
  let organisationId: string | null = null;
  if (input.userEmail) {
    userId = await findUserIdByEmail(db, input.userEmail);
    if (userId === null) throw new DomainError(400, `There is no account for ${input.userEmail}.`);
  } else if (input.organisationId) {
    const org = await findOrganisationById(db, input.organisationId);
    if (!org) throw new DomainError(400, "Choose an organisation from the list.");
    organisationId = org.id;
  } else {
    throw new DomainError(400, "Choose an organisation or enter a person's email address.");
  }
  await inTransaction(db, async (trx) => {
    await deleteGrant(trx, input.planId, { userId, organisationId });
    if (input.role !== "none") {
      await insertGrant(trx, {
        plan_id: input.planId,
        user_id: userId,
        organisation_id: organisationId,
        role: input.role,
        granted_by: actor.userId,
        created_at: nowIso(),
      });
    }
    await audit(trx, actor, "plan.grant", input.planId, { userId, organisationId, role: input.role });
  });
  return { userId, organisationId };
}
