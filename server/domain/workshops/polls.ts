/**
 * Ways to decide beside dot votes: a single-choice poll with options the facilitator types, and a
 * consent check (agree, stand aside, object; an objection needs a reason). Each person has one
 * answer per poll, which they may change until the facilitator closes it; the answers are shown,
 * by organisation, once it is closed. Every answer given is kept in the history.
 */
import { z } from "zod";
import type { DB } from "../../../db/connection";
import { inTransaction, nowIso } from "../../../db/connection";
import {
  CONSENT_OPTIONS,
  closePollRow,
  findOpenPoll,
  findPoll,
  findPollOption,
  insertPoll,
  writeAnswer,
} from "../../../db/queries/workshop-polls";
import { DomainError } from "../errors";
import { actorUserId, audit, bumpVersion, ensureParticipant, recheck, requireItem, type WorkshopAccess, type WorkshopChange } from "./access";

export const MAX_POLL_OPTIONS = 10;

const Question = z
  .string()
  .trim()
  .min(1, "Write the question (or, for a consent check, the proposal) the room answers.")
  .max(280, "Keep the question under 280 characters.");

export const OpenPollInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("choice"),
    itemId: z.number().int().positive(),
    question: Question,
    // One option per line, as the facilitator types them.
    options: z
      .string()
      .default("")
      .transform((raw) => raw.split(/\r?\n/).map((o) => o.trim()).filter((o) => o !== ""))
      .pipe(
        z
          .array(z.string().max(100, "Keep each option under 100 characters."))
          .min(2, "Give at least two options, one per line.")
          .max(MAX_POLL_OPTIONS, `Give at most ${MAX_POLL_OPTIONS} options.`)
          .refine((o) => new Set(o.map((x) => x.toLowerCase())).size === o.length, "Two options are the same. Give each option once."),
      ),
  }),
  z.object({ kind: z.literal("consent"), itemId: z.number().int().positive(), question: Question }),
], { errorMap: () => ({ message: "Choose a single-choice poll or a consent check." }) });

const Reason = z.string().trim().max(500, "Keep the reason under 500 characters.");

function notPartOfWorkshop(): DomainError {
  return new DomainError(404, "That poll is not part of this workshop. Reload the page to see the current poll.");
}

export async function openPoll(db: DB, access: WorkshopAccess, raw: unknown): Promise<WorkshopChange> {
  const input = OpenPollInput.parse(raw);
  await inTransaction(db, async (trx) => {
    const fresh = await recheck(trx, access, "workshop:run");
    if (fresh.workshop.status !== "live") throw new DomainError(409, "Start the session before opening a poll.");
    await requireItem(trx, access.workshop.id, input.itemId);
    const open = await findOpenPoll(trx, access.workshop.id);
    if (open) throw new DomainError(409, `Close the open poll “${open.question}” before opening another.`);
    const options =
      input.kind === "consent"
        ? CONSENT_OPTIONS.map((o) => ({ ...o }))
        : input.options.map((label, i) => ({ value: String(i + 1), label }));
    const pollId = await insertPoll(
      trx,
      { workshopId: access.workshop.id, itemId: input.itemId, kind: input.kind, question: input.question, openedBy: actorUserId(access), now: nowIso() },
      options,
    );
    await audit(trx, access, "workshop.poll_opened", { pollId, kind: input.kind, options: options.length });
    await bumpVersion(trx, access.workshop.id);
  });
  return {
    workshopId: access.workshop.id,
    summary: input.kind === "consent" ? "The consent check is open." : "The poll is open.",
    parts: ["polls"],
  };
}

/**
 * The person's one answer: a second answer replaces the first (the unique index on poll and
 * person holds even against two requests racing), and the history keeps both.
 */
export async function answerPoll(
  db: DB,
  access: WorkshopAccess,
  input: { pollId: number; optionId: number; reason: unknown },
): Promise<WorkshopChange> {
  if (access.role === "facilitator") throw new DomainError(403, "Facilitators run the poll but do not answer it.");
  const reasonText = Reason.parse(typeof input.reason === "string" ? input.reason : "");
  let participantId = 0;
  let label = "";
  await inTransaction(db, async (trx) => {
    const fresh = await recheck(trx, access, "workshop:vote");
    const poll = await findPoll(trx, input.pollId);
    if (!poll || poll.workshop_id !== access.workshop.id) throw notPartOfWorkshop();
    if (poll.status !== "open") throw new DomainError(409, "This poll has closed, so answers can no longer be given or changed.");
    const option = await findPollOption(trx, poll.id, input.optionId);
    if (!option) throw new DomainError(400, "Choose one of this poll's answers.");
    if (poll.kind === "consent" && option.value === "object" && reasonText.length < 3) {
      throw new DomainError(400, "An objection needs a reason: say what would have to change for you to agree.");
    }
    label = option.label;
    participantId = (await ensureParticipant(trx, fresh)).participantId;
    await writeAnswer(trx, { pollId: poll.id, participantId, optionId: option.id, reason: reasonText || null, now: nowIso() });
    await bumpVersion(trx, access.workshop.id);
  });
  return {
    workshopId: access.workshop.id,
    summary: `Your answer is “${label}”. You can change it until the facilitator closes the poll.`,
    parts: ["polls"],
    mine: [participantId],
  };
}

export async function closePoll(db: DB, access: WorkshopAccess, input: { pollId: number }): Promise<WorkshopChange> {
  await inTransaction(db, async (trx) => {
    await recheck(trx, access, "workshop:run");
    const poll = await findPoll(trx, input.pollId);
    if (!poll || poll.workshop_id !== access.workshop.id) throw notPartOfWorkshop();
    if (poll.status !== "open") throw new DomainError(409, "This poll is already closed.");
    await closePollRow(trx, poll.id, nowIso());
    await audit(trx, access, "workshop.poll_closed", { pollId: poll.id });
    await bumpVersion(trx, access.workshop.id);
  });
  return { workshopId: access.workshop.id, summary: "The poll is closed; everyone sees the answers by organisation.", parts: ["polls"] };
}
