import { z } from "zod";
import type { DB } from "../../../db/connection";
import { inTransaction, nowIso } from "../../../db/connection";
import { findLeadOwner } from "../../../db/queries/action-owners";
import {
  claimIdeaForCapture,
  findIdea,
  findPlanKind,
  markIdeaCaptured,
  releaseAllCaptureClaims,
  releaseCaptureClaim,
} from "../../../db/queries/workshop-ideas";
import { insertWorkshopDecision } from "../../../db/queries/workshops";
import { createAction, NewActionInput } from "../actions";
import { createCommitment, NewCommitmentInput } from "../proposals";
import { DomainError } from "../errors";
import { actorUserId, audit, bumpVersion, recheck, requireItem, type WorkshopAccess, type WorkshopChange } from "./access";

export const DecisionText = z
  .string({ required_error: "Write the decision before recording it." })
  .trim()
  .min(3, "Write the decision before recording it (at least 3 characters).")
  .max(500, "Keep a decision under 500 characters.");

export async function recordDecision(db: DB, access: WorkshopAccess, input: { itemId: number; text: unknown }): Promise<WorkshopChange> {
  const text = DecisionText.parse(input.text);
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    await requireItem(trx, access.workshop.id, input.itemId);
    await insertWorkshopDecision(trx, {
      workshop_id: access.workshop.id,
      item_id: input.itemId,
      text,
      idea_id: null,
      action_id: null,
      recorded_by: actorUserId(access),
      created_at: nowIso(),
    });
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: "Decision recorded.", parts: ["decisions"] };
}

export const CaptureInput = z.object({
  ideaId: z.coerce.number().int().positive(),
  title: z.string(),
  priorityId: z.string({ required_error: "Choose the priority this action serves." }).min(1, "Choose the priority this action serves."),
  leadOrganisationId: z
    .string({ required_error: "Choose the partner asked to lead this action." })
    .min(1, "Choose the partner asked to lead this action."),
  description: z.string().default(""),
});

/** On an engagement proposal an idea becomes a commitment: an action of the proposal with no priority or lead yet. */
export const CaptureCommitmentInput = z.object({
  ideaId: z.coerce.number().int().positive(),
  title: z.string().default(""),
  description: z.string().default(""),
});

/**
 * Turns an idea into an action in the workshop's plan (or a commitment, on an engagement proposal), with a lead partner asked (pending until
 * that organisation accepts, as any ownership request), and records the decision. The idea is
 * claimed first, so a double click or a second facilitator cannot make the action twice; if
 * making the action fails, the claim is released and nothing else has changed.
 */
export async function captureIdea(db: DB, access: WorkshopAccess, raw: unknown): Promise<WorkshopChange> {
  if (access.principal.kind !== "user") throw new DomainError(403, "Only a facilitator runs the workshop.");
  const proposal = (await findPlanKind(db, access.workshop.plan_id)) === "engagement_proposal";
  const input = proposal ? { ...CaptureCommitmentInput.parse(raw), priorityId: "", leadOrganisationId: "" } : CaptureInput.parse(raw);
  const actor = access.principal.actor;
  const workshopId = access.workshop.id;

  let idea: { id: number; item_id: number; text: string };
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    const row = await findIdea(trx, input.ideaId);
    if (!row || row.workshop_id !== workshopId || row.removed_at !== null || row.merged_into_id !== null) {
      throw new DomainError(404, "That idea is no longer on the board. Reload the page to see the current ideas.");
    }
    if (row.capture_status !== null) throw new DomainError(409, "This idea has already been made into an action.");
    await claimIdeaForCapture(trx, row.id);
    idea = row;
  });

  const release = () => releaseCaptureClaim(db, input.ideaId);

  let created: { id: string };
  let actionInput: { title: string };
  try {
    if (proposal) {
      actionInput = NewCommitmentInput.parse({
        title: input.title.trim() || idea!.text.slice(0, 160),
        description: input.description.trim() || `${idea!.text}\n\nFrom the workshop “${access.workshop.title}”.`,
      });
      created = await createCommitment(db, actor, access.workshop.plan_id, actionInput as z.infer<typeof NewCommitmentInput>);
    } else {
      actionInput = NewActionInput.parse({
        planId: access.workshop.plan_id,
        priorityId: input.priorityId,
        title: input.title.trim() || idea!.text.slice(0, 160),
        description: input.description.trim() || `${idea!.text}\n\nFrom the workshop “${access.workshop.title}”.`,
        leadOrganisationId: input.leadOrganisationId,
      });
      created = await createAction(db, actor, actionInput as NewActionInput);
    }
  } catch (err) {
    await release();
    throw err;
  }

  const lead = await findLeadOwner(db, created.id);
  const leadText = lead ? `${lead.name}${lead.status === "pending" ? " asked to lead (pending until it accepts)" : " leads it"}` : "no lead partner yet";
  const what = proposal ? "a commitment of the proposal" : "an action in the plan";
  await inTransaction(db, async (trx) => {
    await markIdeaCaptured(trx, idea.id, created.id);
    await insertWorkshopDecision(trx, {
      workshop_id: workshopId,
      item_id: idea.item_id,
      text: `Make “${actionInput.title}” ${what}; ${leadText}.`,
      idea_id: idea.id,
      action_id: created.id,
      recorded_by: actor.userId,
      created_at: nowIso(),
    });
    await audit(trx, access, "workshop.idea_captured", { ideaId: idea.id, actionId: created.id });
    await bumpVersion(trx, workshopId);
  });
  return {
    workshopId,
    summary: `“${actionInput.title}” is now ${what}; ${leadText}.`,
    parts: [{ board: idea!.item_id }, "decisions"],
    actionCreated: { planId: access.workshop.plan_id, actionId: created.id, title: actionInput.title },
  };
}

/**
 * A claim lives only as long as the request that made it. After a crash between claiming an idea
 * and linking its action, the claim would block the idea for ever: release them at start-up.
 */
export async function releaseCaptureClaims(db: DB): Promise<number> {
  return releaseAllCaptureClaims(db);
}
