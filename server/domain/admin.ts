import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
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
  await db
    .insertInto("audit_log")
    .values({
      actor_user_id: actor.userId,
      actor_organisation_id: actor.organisationId,
      event,
      subject,
      detail: JSON.stringify(detail),
      created_at: nowIso(),
    })
    .execute();
}

export async function createOrganisation(db: DB, actor: Actor, input: z.infer<typeof NewOrganisation>) {
  if (!canAdminister(actor)) throw new DomainError(403, "Only an administrator can add organisations.");
  const id = slug(input.name);
  const clash = await db
    .selectFrom("organisations")
    .select("id")
    .where((eb) => eb.or([eb("id", "=", id), eb("name", "=", input.name)]))
    .executeTakeFirst();
  if (clash) throw new DomainError(409, `An organisation called “${input.name}” already exists.`);
  await db
    .insertInto("organisations")
    .values({ id, name: input.name, short_name: input.shortName, sector: input.sector, created_at: nowIso() })
    .execute();
  await audit(db, actor, "organisation.created", id, input);
  return id;
}

/** Sets (or with role "none" removes) an organisation's or a person's right on a plan. */
export async function setGrant(db: DB, actor: Actor, input: z.infer<typeof GrantInput>) {
  if (!canCreatePlan(actor)) throw new DomainError(403, "Only a facilitator or administrator can change who takes part in a plan.");
  const plan = await db.selectFrom("plans").select("id").where("id", "=", input.planId).executeTakeFirst();
  if (!plan) throw new DomainError(400, "Choose a plan from the list.");
  let userId: number | null = null;
  let organisationId: string | null = null;
  if (input.userEmail) {
    const user = await db.selectFrom("users").select("id").where("email", "=", input.userEmail).executeTakeFirst();
    if (!user) throw new DomainError(400, `There is no account for ${input.userEmail}.`);
    userId = user.id;
  } else if (input.organisationId) {
    const org = await db.selectFrom("organisations").select("id").where("id", "=", input.organisationId).executeTakeFirst();
    if (!org) throw new DomainError(400, "Choose an organisation from the list.");
    organisationId = org.id;
  } else {
    throw new DomainError(400, "Choose an organisation or enter a person's email address.");
  }
  await inTransaction(db, async (trx) => {
    let del = trx.deleteFrom("plan_grants").where("plan_id", "=", input.planId);
    del = userId !== null ? del.where("user_id", "=", userId) : del.where("organisation_id", "=", organisationId);
    await del.execute();
    if (input.role !== "none") {
      await trx
        .insertInto("plan_grants")
        .values({
          plan_id: input.planId,
          user_id: userId,
          organisation_id: organisationId,
          role: input.role,
          granted_by: actor.userId,
          created_at: nowIso(),
        })
        .execute();
    }
    await audit(trx, actor, "plan.grant", input.planId, { userId, organisationId, role: input.role });
  });
  return { userId, organisationId };
}
