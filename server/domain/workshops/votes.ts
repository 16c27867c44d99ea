import { z } from "zod";
import { isUniqueViolation } from "../../../db/dialect";
import type { DB } from "../../../db/connection";
import { inTransaction, nowIso } from "../../../db/connection";
import {
  deleteDot,
  dotSlotsOf,
  findActionPriority,
  findLatestDot,
  findOpenVote,
  findVote,
  findVoteOption,
  insertDot,
  insertVote,
  insertVoteOption,
  lockParticipantForVoting,
  updateVote,
  votableActions,
  votableIdeas,
} from "../../../db/queries/workshop-votes";
import { DomainError } from "../errors";
import {
  actorUserId,
  audit,
  bumpVersion,
  ensureParticipant,
  recheck,
  requireItem,
  type Trx,
  type WorkshopAccess,
  type WorkshopChange,
} from "./access";

export const MAX_OPTIONS = 40;

export const OpenVoteInput = z.object({
  itemId: z.coerce.number().int().positive(),
  subject: z.enum(["ideas", "actions"], { message: "Choose whether the room votes on ideas or on actions." }),
  allowance: z.coerce
    .number({ invalid_type_error: "Give the number of votes each person has." })
    .int("Give a whole number of votes.")
    .min(1, "Give each person at least 1 vote.")
    .max(10, "Give each person at most 10 votes."),
  title: z.string().trim().max(140, "Keep the question under 140 characters.").default(""),
});

async function requireVote(trx: Trx, workshopId: string, voteId: number) {
  const vote = await findVote(trx, voteId);
  if (!vote || vote.workshop_id !== workshopId) {
    throw new DomainError(404, "That vote is not part of this workshop. Reload the page to see the current vote.");
  }
  return vote;
}

function closedMessage(): DomainError {
  return new DomainError(409, "This vote has closed, so votes can no longer be cast or changed.");
}

export async function openVote(db: DB, access: WorkshopAccess, raw: unknown): Promise<WorkshopChange> {
  const input = OpenVoteInput.parse(raw);
  let title = "";
  await inTransaction(db, async (trx) => {
    const fresh = await recheck(trx, access, "workshop:run");
    if (fresh.workshop.status !== "live") throw new DomainError(409, "Start the session before opening a vote.");
    const item = await requireItem(trx, access.workshop.id, input.itemId);
    const open = await findOpenVote(trx, access.workshop.id);
    if (open) throw new DomainError(409, `Close the open vote “${open.title}” before opening another.`);

    let options: { label: string; idea_id: number | null; action_id: string | null }[];
    if (input.subject === "ideas") {
      const ideas = await votableIdeas(trx, item.id);
      options = ideas.map((i) => ({ label: i.text, idea_id: i.id, action_id: null }));
      if (options.length < 2) throw new DomainError(409, "There are fewer than two ideas on this item to vote on. Add ideas first.");
    } else {
      let priorityId = item.priority_id;
      if (!priorityId && item.action_id) {
        priorityId = await findActionPriority(trx, item.action_id);
      }
      const actions = await votableActions(trx, access.workshop.plan_id, priorityId);
      options = actions.map((a) => ({ label: a.title, idea_id: null, action_id: a.id }));
      if (options.length < 2) throw new DomainError(409, "There are fewer than two actions under this item to vote on.");
    }
    if (options.length > MAX_OPTIONS) {
      throw new DomainError(409, `A vote can have at most ${MAX_OPTIONS} options; merge or group ideas first.`);
    }
    title = input.title || (input.subject === "ideas" ? `Which ideas on “${item.title}” should we take forward?` : `Which actions under “${item.title}” matter most?`);
    const voteId = await insertVote(trx, {
      workshop_id: access.workshop.id,
      item_id: item.id,
      title,
      subject: input.subject,
      allowance: input.allowance,
      status: "open",
      opened_by: actorUserId(access),
      opened_at: nowIso(),
      closed_at: null,
      revealed_at: null,
    });
    for (const [i, o] of options.entries()) {
      await insertVoteOption(trx, { vote_id: voteId, position: i + 1, label: o.label, idea_id: o.idea_id, action_id: o.action_id });
    }
    await audit(trx, access, "workshop.vote_opened", { voteId, allowance: input.allowance, options: options.length });
    await bumpVersion(trx, access.workshop.id);
  });
  return {
    workshopId: access.workshop.id,
    summary: `Voting is open: ${input.allowance} vote${input.allowance === 1 ? "" : "s"} each.`,
    parts: ["votes"],
  };
}

/**
 * One dot on one option. The allowance is checked and the dot written in one transaction, with
 * the person's participant row locked (lockParticipantForVoting), and each dot takes a numbered
 * slot (1..allowance) that is unique per person and vote: two tabs racing cannot both take the
 * last one, nor both pick the same free slot.
 */
export async function addDot(db: DB, access: WorkshopAccess, input: { voteId: number; optionId: number }): Promise<WorkshopChange> {
  let participantId = 0;
  let left = 0;
  try {
    await inTransaction(db, async (trx) => {
      const fresh = await recheck(trx, access, "workshop:vote");
      const vote = await requireVote(trx, access.workshop.id, input.voteId);
      if (vote.status !== "open") throw closedMessage();
      const option = await findVoteOption(trx, vote.id, input.optionId);
      if (!option) throw new DomainError(400, "Choose one of this vote's options.");
      participantId = (await ensureParticipant(trx, fresh)).participantId;
      await lockParticipantForVoting(trx, participantId);
      const used = await dotSlotsOf(trx, vote.id, participantId);
      if (used.length >= vote.allowance) {
        throw new DomainError(409, `You have used all ${vote.allowance} of your votes. Take one back to move it.`);
      }
      const taken = new Set(used.map((u) => u.slot));
      let slot = 1;
      while (taken.has(slot)) slot += 1;
      await insertDot(trx, { vote_id: vote.id, option_id: option.id, participant_id: participantId, slot, created_at: nowIso() });
      left = vote.allowance - used.length - 1;
      await bumpVersion(trx, access.workshop.id);
    });
  } catch (err) {
    // The unique slot held: another request of the same person took the last vote first.
    if (isUniqueViolation(err, "workshop_dots")) {
      throw new DomainError(409, "You have used all of your votes. Take one back to move it.");
    }
    throw err;
  }
  return {
    workshopId: access.workshop.id,
    summary: `Vote added. You have ${left} vote${left === 1 ? "" : "s"} left.`,
    parts: ["votes"],
    mine: [participantId],
  };
}

export async function removeDot(db: DB, access: WorkshopAccess, input: { voteId: number; optionId: number }): Promise<WorkshopChange> {
  let participantId = 0;
  await inTransaction(db, async (trx) => {
    const fresh = await recheck(trx, access, "workshop:vote");
    const vote = await requireVote(trx, access.workshop.id, input.voteId);
    if (vote.status !== "open") throw closedMessage();
    participantId = (await ensureParticipant(trx, fresh)).participantId;
    // Two take-backs at once must not both find, and report removing, the same dot.
    await lockParticipantForVoting(trx, participantId);
    const dot = await findLatestDot(trx, vote.id, input.optionId, participantId);
    if (!dot) throw new DomainError(409, "You have no vote on that option to take back.");
    await deleteDot(trx, dot.id);
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: "Vote taken back.", parts: ["votes"], mine: [participantId] };
}

export async function closeVote(db: DB, access: WorkshopAccess, input: { voteId: number }): Promise<WorkshopChange> {
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    const vote = await requireVote(trx, access.workshop.id, input.voteId);
    if (vote.status !== "open") throw new DomainError(409, "This vote is already closed.");
    await updateVote(trx, vote.id, { status: "closed", closed_at: nowIso() });
    await audit(trx, access, "workshop.vote_closed", { voteId: vote.id });
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: "Voting is closed. Reveal the results when the room is ready.", parts: ["votes"] };
}

/** Reveals the counts to everyone; an open vote closes first, so nobody votes knowing them. */
export async function revealVote(db: DB, access: WorkshopAccess, input: { voteId: number }): Promise<WorkshopChange> {
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    const vote = await requireVote(trx, access.workshop.id, input.voteId);
    if (vote.revealed_at !== null) throw new DomainError(409, "The results of this vote are already shown.");
    const now = nowIso();
    await updateVote(trx, vote.id, { status: "closed", closed_at: vote.closed_at ?? now, revealed_at: now });
    await audit(trx, access, "workshop.vote_revealed", { voteId: vote.id });
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: "The results are shown to everyone.", parts: ["votes"] };
}
