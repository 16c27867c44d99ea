import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import type { SessionUser } from "../../server/auth/sessions";
import {
  deleteComment,
  editComment,
  hideComment,
  reply,
  setThreadStatus,
  startThread,
  unhideComment,
  type CommentChange,
} from "../../server/domain/comments";
import { DomainError } from "../../server/domain/errors";
import {
  removePowerSharingRow,
  respondToPowerSharing,
  setPowerSharing,
  withdrawPowerSharingRequest,
  type PowerSharingChange,
} from "../../server/domain/power-sharing";
import { createCommitment, inviteCommenters, markProposalSeen, NewCommitmentInput, InviteInput, UNEXPECTED_FIELDS } from "../../server/domain/proposals";
import {
  createProposalSuggestion,
  decideSuggestion,
  NewProposalSuggestionInput,
  withdrawSuggestion,
  type SuggestionChange,
} from "../../server/domain/suggestions";
import { actorOf } from "./auth.server";
import { handleSectionIntent, refreshSectionPartners, SECTION_INTENTS } from "./section-agreement.server";

const COMMENT_INTENTS = {
  "start-thread": (db, docs, actor, planId, fields) => startThread(db, docs, actor, planId, fields),
  reply: (db, _docs, actor, planId, fields) => reply(db, actor, planId, fields),
  "edit-comment": (db, _docs, actor, planId, fields) => editComment(db, actor, planId, fields),
  "delete-comment": (db, _docs, actor, planId, fields) => deleteComment(db, actor, planId, fields),
  "hide-comment": (db, _docs, actor, planId, fields) => hideComment(db, actor, planId, fields),
  "unhide-comment": (db, _docs, actor, planId, fields) => unhideComment(db, actor, planId, fields),
  "resolve-thread": (db, _docs, actor, planId, fields) => setThreadStatus(db, actor, planId, fields, "resolved"),
  "reopen-thread": (db, _docs, actor, planId, fields) => setThreadStatus(db, actor, planId, fields, "open"),
} satisfies Record<
  string,
  (
    db: AppLoadContext["app"]["db"],
    docs: AppLoadContext["app"]["sync"],
    actor: ReturnType<typeof actorOf>,
    planId: string,
    fields: Record<string, unknown>,
  ) => Promise<CommentChange>
>;

const SuggestionId = z.object({ suggestionId: z.string().min(1).max(200) }).strict(UNEXPECTED_FIELDS);

/** Different words for the proposal's text or a commitment, as on an action: commenters suggest, editors decide. */
const SUGGESTION_INTENTS = {
  suggest: (db, sync, actor, planId, fields) => createProposalSuggestion(db, sync, actor, planId, NewProposalSuggestionInput.parse(emptyHintsAsUndefined(fields))),
  "accept-suggestion": (db, sync, actor, planId, fields) =>
    decideSuggestion(db, sync, actor, { ...SuggestionId.parse(fields), accept: true, planId }),
  "reject-suggestion": (db, sync, actor, planId, fields) =>
    decideSuggestion(db, sync, actor, { ...SuggestionId.parse(fields), accept: false, planId }),
  "withdraw-suggestion": (db, _sync, actor, planId, fields) => withdrawSuggestion(db, actor, { ...SuggestionId.parse(fields), planId }),
} satisfies Record<
  string,
  (
    db: AppLoadContext["app"]["db"],
    sync: AppLoadContext["app"]["sync"],
    actor: ReturnType<typeof actorOf>,
    planId: string,
    fields: Record<string, unknown>,
  ) => Promise<SuggestionChange>
>;

/** The selection hints are optional: a form without JavaScript sends them empty. */
function emptyHintsAsUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, (k === "blockIndex" || k === "start") && v === "" ? undefined : v]));
}

const POWER_SHARING_INTENTS = {
  "set-power-sharing": (db, actor, fields) => setPowerSharing(db, actor, fields),
  "accept-power-sharing": (db, actor, fields) => respondToPowerSharing(db, actor, fields, true),
  "decline-power-sharing": (db, actor, fields) => respondToPowerSharing(db, actor, fields, false),
  "withdraw-power-sharing": (db, actor, fields) => withdrawPowerSharingRequest(db, actor, fields),
  "remove-power-sharing": (db, actor, fields) => removePowerSharingRow(db, actor, fields),
} satisfies Record<
  string,
  (db: AppLoadContext["app"]["db"], actor: ReturnType<typeof actorOf>, fields: Record<string, unknown>) => Promise<PowerSharingChange>
>;

/**
 * One change on a proposal for the signed-in user; every open page of the proposal is told.
 * The form's `intent` picks the change; the other fields are validated by the domain, which
 * refuses fields it does not expect (an author, say) rather than ignoring them.
 */
export async function handleProposalIntent(
  context: AppLoadContext,
  user: SessionUser,
  planId: string,
  form: FormData,
): Promise<string> {
  const { db, sync, events } = context.app;
  const actor = actorOf(user);
  const actorName = `${user.name} (${user.organisationName})`;
  const intent = form.get("intent");
  const fields: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key !== "intent" && key !== "organisationIds") fields[key] = value;
  }

  if (typeof intent === "string" && Object.hasOwn(COMMENT_INTENTS, intent)) {
    const change = await COMMENT_INTENTS[intent as keyof typeof COMMENT_INTENTS](db, sync, actor, planId, fields);
    events.publish({ planId, kind: "comment", threadId: change.threadId, actorName, summary: change.summary });
    return change.summary;
  }
  if (typeof intent === "string" && Object.hasOwn(POWER_SHARING_INTENTS, intent)) {
    const change = await POWER_SHARING_INTENTS[intent as keyof typeof POWER_SHARING_INTENTS](db, actor, fields);
    if (change.planId !== planId) throw new DomainError(404, "That commitment is not part of this proposal. Reload the page.");
    events.publish({ planId, kind: "power_sharing", actionId: change.actionId, actorName, summary: change.summary });
    // The section's partners are its power-sharing record: who must sign may have changed.
    await refreshSectionPartners(context, planId, change.actionId);
    return change.summary;
  }
  if (typeof intent === "string" && Object.hasOwn(SUGGESTION_INTENTS, intent)) {
    const change = await SUGGESTION_INTENTS[intent as keyof typeof SUGGESTION_INTENTS](db, sync, actor, planId, fields);
    events.publish({ planId, kind: "suggestion", actionId: change.actionId, actorName, summary: change.summary });
    return change.summary;
  }
  if (typeof intent === "string" && SECTION_INTENTS.has(intent)) {
    return handleSectionIntent(context, user, planId, { ...fields, intent });
  }
  switch (intent) {
    case "create-commitment": {
      const change = await createCommitment(db, actor, planId, NewCommitmentInput.parse(fields));
      events.publish({ planId, kind: "action", actionId: change.id, actorName, summary: `${user.name} added a commitment.` });
      return change.summary;
    }
    case "invite-commenters": {
      const change = await inviteCommenters(db, actor, planId, InviteInput.parse({ ...fields, organisationIds: form.getAll("organisationIds") }));
      events.publish({ planId, kind: "plan", actorName, summary: change.summary });
      return change.summary;
    }
    case "mark-seen":
      await markProposalSeen(db, user.userId, planId);
      return "Marked as seen: the list of changes starts again from now.";
    default:
      throw new DomainError(400, "That request was not understood. Reload the page and try again.");
  }
}
