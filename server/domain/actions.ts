import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DB } from "../../db/connection";
import { nowIso } from "../../db/connection";
import { can, type Actor } from "../policy";
import { createDocument } from "./documents";
import { DomainError } from "./errors";
import { loadPlanRole, requirePlanUnlocked } from "./plan-access";
import { nameOwner } from "./ownership";

export const NewActionInput = z.object({
  planId: z.string().min(1),
  priorityId: z.string().min(1, "Choose the priority this action serves."),
  title: z
    .string()
    .trim()
    .min(3, "Give the action a title of at least 3 characters.")
    .max(160, "Keep the title under 160 characters; put detail in the description."),
  description: z.string().trim().max(5000, "Keep the first description under 5,000 characters.").default(""),
  leadOrganisationId: z.string().optional(),
  dueLabel: z.string().trim().max(40).default(""),
});
export type NewActionInput = z.infer<typeof NewActionInput>;

export async function createAction(db: DB, actor: Actor, input: NewActionInput) {
  const role = await loadPlanRole(db, actor, input.planId);
  if (!can(role, "action:create")) {
    throw new DomainError(403, "Only editors of this plan can add actions.");
  }
  await requirePlanUnlocked(db, role, input.planId, "action:create");
  const inPlan = await db
    .selectFrom("plan_priorities")
    .select(["priority_id", "retired_at"])
    .where("plan_id", "=", input.planId)
    .where("priority_id", "=", input.priorityId)
    .executeTakeFirst();
  if (!inPlan) throw new DomainError(400, "Choose one of this plan's priorities.");
  if (inPlan.retired_at) throw new DomainError(400, "That priority is retired: add the action under one of the plan's current priorities.");

  const id = `act-${randomUUID()}`;
  const documentId = `doc-${randomUUID()}`;
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom("actions")
      .select((eb) => eb.fn.max("position").as("max"))
      .where("plan_id", "=", input.planId)
      .executeTakeFirst();
    await createDocument(trx, {
      id: documentId,
      planId: input.planId,
      kind: "action_description",
      paragraphs: input.description ? input.description.split(/\n{2,}/) : [],
      userId: actor.userId,
      organisationId: actor.organisationId,
    });
    await trx
      .insertInto("actions")
      .values({
        id,
        plan_id: input.planId,
        priority_id: input.priorityId,
        document_id: documentId,
        title: input.title,
        due_label: input.dueLabel,
        position: Number(last?.max ?? 0) + 1,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
  });
  if (input.leadOrganisationId) {
    await nameOwner(db, actor, { actionId: id, organisationId: input.leadOrganisationId, role: "lead" });
  }
  return { id, documentId };
}
