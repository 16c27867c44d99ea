/**
 * An action's title and due date are the partners' shared wording, editable by any editor. The
 * title is part of the words partners sign off, so changing it re-opens agreement exactly as a
 * change of the description does: the new title, its history row and the re-derived agreement
 * (with its own trail row, naming who changed it) are written in one transaction.
 */
import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import { findActionDetails, setActionDetails } from "../../db/queries/actions";
import { canEditActionDetails, type Actor } from "../policy";
import type { SyncServer } from "../sync";
import { audit } from "./admin";
import { readActionText, recordVerdict } from "./agreement";
import { DomainError } from "./errors";
import { loadPlanRole, refuseIfArchived, requirePlanUnlocked } from "./plan-access";

export const ActionDetailsInput = z.object({
  actionId: z.string().min(1).max(200),
  title: z
    .string({ required_error: "Give the action a title of at least 3 characters." })
    .trim()
    .min(3, "Give the action a title of at least 3 characters.")
    .max(160, "Keep the title under 160 characters; put detail in the description."),
  dueLabel: z.string().trim().max(40, "Keep “Due” under 40 characters (e.g. “March 2027”); put dates in the milestones.").default(""),
});
export type ActionDetailsInput = z.infer<typeof ActionDetailsInput>;

export interface ActionDetailsChange {
  planId: string;
  actionId: string;
  summary: string;
  /** The change re-opened an agreed action. */
  reopened: boolean;
}

export async function editActionDetails(
  db: DB,
  sync: Pick<SyncServer, "readDocument">,
  actor: Actor,
  input: ActionDetailsInput,
): Promise<ActionDetailsChange> {
  const action = await findActionDetails(db, input.actionId);
  if (!action) throw new DomainError(404, "That action no longer exists. Reload the page to see the current plan.");
  const role = await loadPlanRole(db, actor, action.plan_id);
  if (role === "none") throw new DomainError(404, "That action no longer exists, or you do not have access to its plan.");
  await refuseIfArchived(db, action.plan_id);
  // The role first, then the workshop lock: a viewer is told what they lack, an editor why not now.
  if (!canEditActionDetails(role, false)) throw new DomainError(403, "Only editors of this plan can change an action's title or due date.");
  await requirePlanUnlocked(db, role, action.plan_id, "action:edit-details");
  const titleChanged = input.title !== action.title;
  const dueChanged = input.dueLabel !== action.due_label;
  if (!titleChanged && !dueChanged) throw new DomainError(409, "Nothing changed: the title and due date already read like that.");
  // The description is read before the transaction (it may be live in the sync server).
  const text = titleChanged ? await readActionText(sync, { title: input.title, document_id: action.document_id }) : null;
  const result = await inTransaction(db, async (trx) => {
    const now = nowIso();
    await setActionDetails(trx, action.id, { title: input.title, due_label: input.dueLabel, updated_at: now });
    if (titleChanged) await audit(trx, actor, "action.title.changed", action.id, { from: action.title, to: input.title });
    if (dueChanged) await audit(trx, actor, "action.due.changed", action.id, { from: action.due_label, to: input.dueLabel });
    if (!text) return null;
    return recordVerdict(trx, { ...action, type: "action", title: input.title }, text, "text_changed", actor);
  });
  const reopened = result !== null && result.from === "agreed" && result.verdict.status !== "agreed";
  const parts = [
    titleChanged ? `“${action.title}” is now called “${input.title}”` : null,
    dueChanged ? `${titleChanged ? "its" : `“${action.title}”`} due date is now ${input.dueLabel ? `“${input.dueLabel}”` : "not set"}` : null,
  ].filter(Boolean);
  const sentence = parts.join(", and ");
  return {
    planId: action.plan_id,
    actionId: action.id,
    reopened,
    summary: `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.${reopened ? " The title is part of the agreed words, so sign-off is open again." : ""}`,
  };
}
