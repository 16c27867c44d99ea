import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import { findPlanPriority, insertAction, lastActionPosition } from "../../db/queries/actions";
import { can, type Actor } from "../policy";
import { createDocument } from "./documents";
import { DomainError } from "./errors";
import { loadPlanRole, requirePlanUnlocked } from "./plan-access";
import { nameOwnerIn } from "./ownership";

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

/**
 * Creates the action, its description document and (if one is named) its lead in one
 * transaction: a lead that cannot be named leaves no half-made action behind.
 */
export async function createAction(db: DB, actor: Actor, input: NewActionInput) {
  return inTransaction(db, async (trx) => {
    const role = await loadPlanRole(trx, actor, input.planId);
    if (!can(role, "action:create")) {
      throw new DomainError(403, "Only editors of this plan can add actions.");
    }
    await requirePlanUnlocked(trx, role, input.planId, "action:create");
    const inPlan = await findPlanPriority(trx, input.planId, input.priorityId);
    if (!inPlan) throw new DomainError(400, "Choose one of this plan's priorities.");
    if (inPlan.retired_at) throw new DomainError(400, "That priority is retired: add the action under one of the plan's current priorities.");

    const id = `act-${randomUUID()}`;
    const documentId = `doc-${randomUUID()}`;
    const now = nowIso();
    const last = await lastActionPosition(trx, input.planId);
    await createDocument(trx, {
      id: documentId,
      planId: input.planId,
      kind: "action_description",
      paragraphs: input.description ? input.description.split(/\n{2,}/) : [],
      userId: actor.userId,
      organisationId: actor.organisationId,
    });
    await insertAction(trx, {
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
    });
    if (input.leadOrganisationId) {
      await nameOwnerIn(trx, actor, { actionId: id, organisationId: input.leadOrganisationId, role: "lead" });
    }
    return { id, documentId };
  });
}
