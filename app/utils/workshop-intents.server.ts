import { z } from "zod";
import type { DB } from "../../db/connection";
import { DomainError } from "../../server/domain/errors";
import type { WorkshopAccess, WorkshopChange } from "../../server/domain/workshops/access";
import { captureIdea, recordDecision } from "../../server/domain/workshops/decisions";
import { addIdea, createGroup, editIdea, mergeIdea, removeIdea, setIdeaGroup } from "../../server/domain/workshops/ideas";
import { answerPoll, closePoll, openPoll } from "../../server/domain/workshops/polls";
import { setWorkshopOptions } from "../../server/domain/workshops/settings";
import { changeTimer, closeWorkshop, goToItem, setPlanLock, startSession, TimerInput } from "../../server/domain/workshops/session";
import {
  addAgendaItem,
  moveAgendaItem,
  removeAgendaItem,
  setInvitations,
  updateAgendaItem,
  updateDetails,
} from "../../server/domain/workshops/setup";
import { addDot, closeVote, openVote, removeDot, revealVote } from "../../server/domain/workshops/votes";

function ref(what: string) {
  return z.coerce
    .number({ invalid_type_error: `That ${what} is not part of this workshop. Reload the page and try again.` })
    .int(`That ${what} is not part of this workshop. Reload the page and try again.`)
    .positive(`That ${what} is not part of this workshop. Reload the page and try again.`);
}
const ItemId = ref("agenda item");
const IdeaId = ref("idea");
const VoteId = ref("vote");
const OptionId = ref("option");
const PollId = ref("poll");
const AnswerId = z.coerce
  .number({ invalid_type_error: "Choose one of the answers." })
  .int("Choose one of the answers.")
  .positive("Choose one of the answers.");
/** A checkbox: present ("on") when ticked, absent when not. */
const Ticked = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true" || v === "1");

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start-session") }),
  z.object({ intent: z.literal("go-to-item"), itemId: ItemId }),
  z.object({ intent: z.literal("next-item") }),
  z.object({ intent: z.literal("previous-item") }),
  z.object({ intent: z.literal("timer"), timer: z.string(), minutes: z.string().optional() }),
  z.object({ intent: z.literal("lock-plan") }),
  z.object({ intent: z.literal("unlock-plan") }),
  z.object({ intent: z.literal("close-workshop") }),
  z.object({ intent: z.literal("update-details"), title: z.string().default(""), scheduledFor: z.string().default("") }),
  z.object({
    intent: z.literal("add-item"),
    kind: z.string().default(""),
    linkId: z.string().default(""),
    title: z.string().default(""),
    minutes: z.string().default(""),
  }),
  z.object({ intent: z.literal("update-item"), itemId: ItemId, title: z.string().default(""), minutes: z.string().default("") }),
  z.object({ intent: z.literal("move-item"), itemId: ItemId, direction: z.enum(["up", "down"]) }),
  z.object({ intent: z.literal("remove-item"), itemId: ItemId }),
  z.object({ intent: z.literal("set-invitations") }),
  z.object({ intent: z.literal("add-idea"), itemId: ItemId, text: z.string().default("") }),
  z.object({ intent: z.literal("remove-idea"), ideaId: IdeaId }),
  z.object({ intent: z.literal("edit-idea"), ideaId: IdeaId, text: z.string().default("") }),
  z.object({
    intent: z.literal("open-poll"),
    itemId: ItemId,
    kind: z.string().default(""),
    question: z.string().default(""),
    options: z.string().default(""),
  }),
  z.object({ intent: z.literal("answer-poll"), pollId: PollId, optionId: AnswerId, reason: z.string().default("") }),
  z.object({ intent: z.literal("close-poll"), pollId: PollId }),
  z.object({ intent: z.literal("set-options"), anonymousIdeas: Ticked, autoStartTimer: Ticked }),
  z.object({ intent: z.literal("create-group"), itemId: ItemId, label: z.string().default("") }),
  z.object({ intent: z.literal("set-idea-group"), ideaId: IdeaId, groupId: z.string().default("") }),
  z.object({ intent: z.literal("merge-idea"), ideaId: IdeaId, intoIdeaId: z.string().default("") }),
  z.object({
    intent: z.literal("open-vote"),
    itemId: ItemId,
    subject: z.string().default(""),
    allowance: z.string().default(""),
    title: z.string().default(""),
  }),
  z.object({ intent: z.literal("add-dot"), voteId: VoteId, optionId: OptionId }),
  z.object({ intent: z.literal("remove-dot"), voteId: VoteId, optionId: OptionId }),
  z.object({ intent: z.literal("close-vote"), voteId: VoteId }),
  z.object({ intent: z.literal("reveal-vote"), voteId: VoteId }),
  z.object({ intent: z.literal("record-decision"), itemId: ItemId, text: z.string().default("") }),
  z.object({
    intent: z.literal("capture-idea"),
    ideaId: IdeaId,
    title: z.string().default(""),
    priorityId: z.string().default(""),
    leadOrganisationId: z.string().default(""),
    description: z.string().default(""),
  }),
]);

export const WORKSHOP_INTENTS: ReadonlySet<string> = new Set<string>(Intent.options.map((o) => o.shape.intent.value));

/** Validates one form post and runs it as the caller; the domain checks the policy. */
export async function runWorkshopIntent(db: DB, access: WorkshopAccess, form: FormData): Promise<WorkshopChange> {
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
  if (typeof fields.intent !== "string" || !WORKSHOP_INTENTS.has(fields.intent)) {
    throw new DomainError(400, "That request was not understood. Reload the page and try again.");
  }
  const input = Intent.parse(fields);
  switch (input.intent) {
    case "start-session":
      return startSession(db, access);
    case "go-to-item":
      return goToItem(db, access, { itemId: input.itemId });
    case "next-item":
      return goToItem(db, access, { direction: "next" });
    case "previous-item":
      return goToItem(db, access, { direction: "previous" });
    case "timer":
      return changeTimer(db, access, TimerInput.parse({ timer: input.timer, minutes: input.minutes }));
    case "lock-plan":
      return setPlanLock(db, access, true);
    case "unlock-plan":
      return setPlanLock(db, access, false);
    case "close-workshop":
      return closeWorkshop(db, access);
    case "update-details":
      return updateDetails(db, access, input);
    case "add-item":
      return addAgendaItem(db, access, input);
    case "update-item":
      return updateAgendaItem(db, access, input);
    case "move-item":
      return moveAgendaItem(db, access, input);
    case "remove-item":
      return removeAgendaItem(db, access, input);
    case "set-invitations":
      return setInvitations(db, access, {
        organisationIds: form.getAll("organisationId").filter((v): v is string => typeof v === "string" && v !== ""),
      });
    case "add-idea":
      return addIdea(db, access, input);
    case "remove-idea":
      return removeIdea(db, access, input);
    case "edit-idea":
      return editIdea(db, access, input);
    case "open-poll":
      return openPoll(db, access, input);
    case "answer-poll":
      return answerPoll(db, access, input);
    case "close-poll":
      return closePoll(db, access, input);
    case "set-options":
      return setWorkshopOptions(db, access, input);
    case "create-group":
      return createGroup(db, access, input);
    case "set-idea-group":
      return setIdeaGroup(db, access, {
        ideaId: input.ideaId,
        groupId: input.groupId === "" ? null : ref("group").parse(input.groupId),
      });
    case "merge-idea":
      return mergeIdea(db, access, {
        ideaId: input.ideaId,
        intoIdeaId: z.coerce
          .number({ invalid_type_error: "Choose the idea to merge into." })
          .int()
          .positive("Choose the idea to merge into.")
          .parse(input.intoIdeaId || "0"),
      });
    case "open-vote":
      return openVote(db, access, input);
    case "add-dot":
      return addDot(db, access, input);
    case "remove-dot":
      return removeDot(db, access, input);
    case "close-vote":
      return closeVote(db, access, input);
    case "reveal-vote":
      return revealVote(db, access, input);
    case "record-decision":
      return recordDecision(db, access, input);
    case "capture-idea":
      return captureIdea(db, access, input);
  }
}
