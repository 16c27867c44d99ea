import { z } from "zod";
import type { DB } from "../../../db/connection";
import { inTransaction, nowIso } from "../../../db/connection";
import {
  anyIdeaInOpenVote,
  findIdea,
  findIdeaGroup,
  hasMergedIdeas,
  insertIdea,
  insertIdeaGroup,
  moveMergedIdeas,
  updateIdea,
  writeIdeaText,
} from "../../../db/queries/workshop-ideas";
import { canEditIdea, canRemoveIdea } from "../../policy";
import { DomainError } from "../errors";
import {
  actorUserId,
  bumpVersion,
  ensureParticipant,
  recheck,
  requireItem,
  type Trx,
  type WorkshopAccess,
  type WorkshopChange,
} from "./access";

export const IDEA_MAX = 280;

export const IdeaText = z
  .string({ required_error: "Write your idea before adding it." })
  .trim()
  .min(1, "Write your idea before adding it.")
  .max(IDEA_MAX, `Keep an idea short: ${IDEA_MAX} characters at most. Add a second idea for the rest.`);

const GroupLabel = z
  .string({ required_error: "Give the group a name." })
  .trim()
  .min(1, "Give the group a name.")
  .max(60, "Keep a group's name under 60 characters.");

async function requireIdea(trx: Trx, workshopId: string, ideaId: number) {
  const idea = await findIdea(trx, ideaId);
  if (!idea || idea.workshop_id !== workshopId || idea.removed_at !== null) {
    throw new DomainError(404, "That idea is no longer on the board. Reload the page to see the current ideas.");
  }
  return idea;
}

async function inOpenVote(trx: Trx, ideaIds: number[]): Promise<boolean> {
  return anyIdeaInOpenVote(trx, ideaIds);
}

export async function addIdea(db: DB, access: WorkshopAccess, input: { itemId: number; text: unknown }): Promise<WorkshopChange> {
  const text = IdeaText.parse(input.text);
  let participantCreated = false;
  await inTransaction(db, async (trx) => {
    const fresh = await recheck(trx, access, "workshop:add-idea");
    await requireItem(trx, access.workshop.id, input.itemId);
    const { participantId, created } = await ensureParticipant(trx, fresh);
    participantCreated = created;
    // Anonymous: the idea keeps no trace of its author, not even for the facilitator.
    const anonymous = fresh.workshop.anonymous_ideas === 1;
    await insertIdea(trx, {
      workshop_id: access.workshop.id,
      item_id: input.itemId,
      participant_id: anonymous ? null : participantId,
      text,
      group_id: null,
      merged_into_id: null,
      removed_at: null,
      capture_status: null,
      captured_action_id: null,
      created_at: nowIso(),
    });
    await bumpVersion(trx, access.workshop.id);
  });
  return {
    workshopId: access.workshop.id,
    summary: "Your idea is on the board.",
    parts: participantCreated ? [{ board: input.itemId }, "participants"] : [{ board: input.itemId }],
  };
}

export async function removeIdea(db: DB, access: WorkshopAccess, input: { ideaId: number }): Promise<WorkshopChange> {
  let itemId = 0;
  await inTransaction(db, async (trx) => {
    const fresh = await recheck(trx, access, "workshop:add-idea");
    const idea = await requireIdea(trx, access.workshop.id, input.ideaId);
    itemId = idea.item_id;
    const { participantId } = await ensureParticipant(trx, fresh);
    if (!canRemoveIdea(fresh.role, idea, participantId)) {
      throw new DomainError(
        403,
        idea.participant_id === participantId && participantId !== null
          ? "The facilitator has organised this idea, so it stays on the board. Ask the facilitator to remove it."
          : "Only the person who added an idea, or the facilitator, can remove it.",
      );
    }
    if (idea.capture_status !== null) throw new DomainError(409, "This idea has become an action, so it stays on the board.");
    if (await inOpenVote(trx, [idea.id])) throw new DomainError(409, "The room is voting on this idea. Remove it after the vote closes.");
    await updateIdea(trx, idea.id, { removed_at: nowIso() });
    // Ideas merged into it go back on the board on their own.
    await moveMergedIdeas(trx, idea.id, null);
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: "The idea was removed from the board.", parts: [{ board: itemId }] };
}

export async function createGroup(db: DB, access: WorkshopAccess, input: { itemId: number; label: unknown }): Promise<WorkshopChange> {
  const label = GroupLabel.parse(input.label);
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    await requireItem(trx, access.workshop.id, input.itemId);
    await insertIdeaGroup(trx, { workshop_id: access.workshop.id, item_id: input.itemId, label, created_at: nowIso() });
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: `Made the group “${label}”.`, parts: [{ board: input.itemId }] };
}

/** Puts an idea in a group of the same item (or takes it out, with groupId null). */
export async function setIdeaGroup(
  db: DB,
  access: WorkshopAccess,
  input: { ideaId: number; groupId: number | null },
): Promise<WorkshopChange> {
  let itemId = 0;
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    const idea = await requireIdea(trx, access.workshop.id, input.ideaId);
    itemId = idea.item_id;
    if (input.groupId !== null) {
      const group = await findIdeaGroup(trx, input.groupId);
      if (!group || group.item_id !== idea.item_id) {
        throw new DomainError(400, "Choose a group on the same agenda item as the idea.");
      }
    }
    await updateIdea(trx, idea.id, { group_id: input.groupId });
    await bumpVersion(trx, access.workshop.id);
  });
  return {
    workshopId: access.workshop.id,
    summary: input.groupId === null ? "The idea is no longer in a group." : "The idea is in its group.",
    parts: [{ board: itemId }],
  };
}

/**
 * Merges one idea into another on the same item: the merged idea leaves the board but is kept
 * (and shown) under the one it joined, and in the record.
 */
export async function mergeIdea(
  db: DB,
  access: WorkshopAccess,
  input: { ideaId: number; intoIdeaId: number },
): Promise<WorkshopChange> {
  let itemId = 0;
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    if (input.ideaId === input.intoIdeaId) throw new DomainError(400, "Choose a different idea to merge into.");
    const idea = await requireIdea(trx, access.workshop.id, input.ideaId);
    const into = await requireIdea(trx, access.workshop.id, input.intoIdeaId);
    itemId = idea.item_id;
    if (idea.item_id !== into.item_id) throw new DomainError(400, "Ideas can only be merged with ideas on the same agenda item.");
    if (idea.merged_into_id !== null || into.merged_into_id !== null) {
      throw new DomainError(409, "One of these ideas has already been merged. Reload the page to see the board.");
    }
    if (idea.capture_status !== null) throw new DomainError(409, "This idea has become an action; merge others into it instead.");
    if (await inOpenVote(trx, [idea.id, into.id])) throw new DomainError(409, "The room is voting on these ideas. Merge them after the vote closes.");
    await updateIdea(trx, idea.id, { merged_into_id: into.id, group_id: null });
    // Anything merged into the merged idea now sits under the surviving one.
    await moveMergedIdeas(trx, idea.id, into.id);
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: "The ideas were merged.", parts: [{ board: itemId }] };
}

/**
 * New words for an idea: its author's until the facilitator organises it; the facilitator may
 * reword any for clarity. The previous words are kept, and the board shows that it changed.
 */
export async function editIdea(db: DB, access: WorkshopAccess, input: { ideaId: number; text: unknown }): Promise<WorkshopChange> {
  const text = IdeaText.parse(input.text);
  let itemId = 0;
  let role = "author" as "author" | "facilitator";
  await inTransaction(db, async (trx) => {
    const fresh = await recheck(trx, access, "workshop:add-idea");
    const idea = await requireIdea(trx, access.workshop.id, input.ideaId);
    itemId = idea.item_id;
    const { participantId } = await ensureParticipant(trx, fresh);
    if (!canEditIdea(fresh.role, idea, participantId)) {
      throw new DomainError(
        403,
        idea.participant_id === participantId && participantId !== null
          ? "The facilitator has organised this idea, so its words are fixed. Ask the facilitator to reword it."
          : "Only the person who added an idea, or the facilitator, can change its words.",
      );
    }
    if (idea.merged_into_id !== null) throw new DomainError(409, "This idea has been merged into another. Change the idea it joined instead.");
    if (idea.capture_status !== null) throw new DomainError(409, "This idea has become an action; change the action in the plan instead.");
    if (await inOpenVote(trx, [idea.id])) throw new DomainError(409, "The room is voting on this idea. Change its words after the vote closes.");
    if (fresh.role !== "facilitator" && (await hasMergedIdeas(trx, idea.id))) {
      throw new DomainError(403, "The facilitator has merged other ideas into this one, so its words are fixed. Ask the facilitator to reword it.");
    }
    if (idea.text === text) throw new DomainError(400, "The words are the same as before. Change them, or cancel.");
    role = fresh.role === "facilitator" ? "facilitator" : "author";
    await writeIdeaText(trx, { ideaId: idea.id, previous: idea.text, text, role, userId: role === "facilitator" ? actorUserId(access) : null, now: nowIso() });
    await bumpVersion(trx, access.workshop.id);
  });
  return {
    workshopId: access.workshop.id,
    summary: role === "facilitator" ? "The idea is reworded; the board shows that you changed it." : "Your idea is changed.",
    parts: [{ board: itemId }],
  };
}
