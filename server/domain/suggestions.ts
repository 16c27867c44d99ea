/**
 * Suggestions: a partner without edit rights (a VCF group, say) proposes replacement words for a
 * quoted range; an editor accepts or rejects. Server-authoritative: the suggestion lives in SQL
 * with its author taken from the session, and an accepted one becomes an edit of the live
 * document stored with the suggester as its author (so "who wrote this" names them).
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import { findActionText } from "../../db/queries/actions";
import { insertAuditRow } from "../../db/queries/audit";
import { findDocumentSubject } from "../../db/queries/documents";
import { closeOpenSuggestion, findSuggestionWithAuthor, insertSuggestion } from "../../db/queries/suggestions";
import type { SuggestionStatus, SuggestionSubjectType } from "../../db/schema";
import { readParagraphs } from "../documents/lexical-content";
import { locateQuote, QuoteMovedError, replaceQuotedRange } from "../documents/lexical-range-edit";
import { canDecideSuggestion, canSuggest, canWithdrawSuggestion, type Actor } from "../policy";
import type { SyncServer } from "../sync";
import { planActionHref, proposalHref } from "../notifications/links";
import { actorLabel, notifyPeople } from "../notifications/notify";
import { DomainError } from "./errors";
import { UNEXPECTED_FIELDS } from "./proposals";
import { loadPlanRole } from "./plan-access";

type Sync = Pick<SyncServer, "readDocument" | "applyServerChange">;

const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, " ");

export const NewSuggestionInput = z.object({
  actionId: z.string().min(1).max(200),
  quote: z
    .string()
    .transform(oneLine)
    .pipe(
      z
        .string()
        .min(1, "Copy the words you want to change into “Words to replace”.")
        .max(1000, "Choose at most 1,000 characters to replace; suggest a longer change in several parts."),
    ),
  replacement: z
    .string()
    .transform(oneLine)
    .pipe(z.string().max(2000, "Keep the replacement under 2,000 characters.")),
  note: z.string().trim().max(1000, "Keep the reason under 1,000 characters.").default(""),
  blockIndex: z.coerce.number().int().min(0).max(100_000).optional(),
  start: z.coerce.number().int().min(0).max(10_000_000).optional(),
});
export type NewSuggestionInput = z.infer<typeof NewSuggestionInput>;

export interface SuggestionChange {
  planId: string;
  /** The action or proposal section the words are in; absent for a proposal's own text. */
  actionId?: string;
  summary: string;
}

/** The text a suggestion is about: which subject, its document, and the name the messages use. */
interface SuggestionTarget {
  planId: string;
  subjectType: SuggestionSubjectType;
  subjectId: string;
  documentId: string;
  title: string;
  actionId?: string;
}

async function loadActionForText(db: DB, actionId: string) {
  const action = await findActionText(db, actionId);
  if (!action) throw new DomainError(404, "That action no longer exists. Reload the page to see the current plan.");
  return action;
}

async function audit(db: DB, actor: Actor, event: string, suggestionId: string, detail: Record<string, unknown>) {
  await insertAuditRow(db, {
    actor_user_id: actor.userId,
    actor_organisation_id: actor.organisationId,
    event,
    subject: `suggestion:${suggestionId}`,
    detail: JSON.stringify(detail),
    created_at: nowIso(),
  });
}

export async function createSuggestion(db: DB, sync: Sync, actor: Actor, input: NewSuggestionInput): Promise<SuggestionChange> {
  const action = await loadActionForText(db, input.actionId);
  return suggestWords(
    db,
    sync,
    actor,
    { planId: action.plan_id, subjectType: "action", subjectId: action.id, documentId: action.document_id, title: action.title, actionId: action.id },
    input,
  );
}

/** The same form on an engagement proposal names the document: its text, or a commitment's description. */
export const NewProposalSuggestionInput = NewSuggestionInput.omit({ actionId: true })
  .extend({ documentId: z.string().min(1).max(200) })
  .strict(UNEXPECTED_FIELDS);
export type NewProposalSuggestionInput = z.infer<typeof NewProposalSuggestionInput>;

const NO_SUCH_TEXT = "That text is not part of this proposal, or no longer exists. Reload the page to see the current proposal.";

/**
 * Suggesting different words on a proposal: on its own text (subject 'proposal_text') or on a
 * commitment (subject 'proposal_section', as its sign-off). The same rights and checks as on an
 * action: commenters (VCF groups) and up suggest, editors decide.
 */
export async function createProposalSuggestion(
  db: DB,
  sync: Sync,
  actor: Actor,
  planId: string,
  input: NewProposalSuggestionInput,
): Promise<SuggestionChange> {
  const doc = await findDocumentSubject(db, input.documentId);
  if (!doc || doc.plan_id !== planId) throw new DomainError(404, NO_SUCH_TEXT);
  const target: SuggestionTarget | null =
    doc.action_id && doc.action_title
      ? { planId, subjectType: "proposal_section", subjectId: doc.action_id, documentId: doc.id, title: doc.action_title, actionId: doc.action_id }
      : doc.kind === "plan_overview"
        ? { planId, subjectType: "proposal_text", subjectId: planId, documentId: doc.id, title: doc.plan_title }
        : null;
  if (!target) throw new DomainError(404, NO_SUCH_TEXT);
  return suggestWords(db, sync, actor, target, input);
}

async function suggestWords(
  db: DB,
  sync: Sync,
  actor: Actor,
  target: SuggestionTarget,
  input: Omit<NewSuggestionInput, "actionId">,
): Promise<SuggestionChange> {
  const role = await loadPlanRole(db, actor, target.planId);
  if (!canSuggest(role)) {
    throw new DomainError(403, "Only partners who can comment on this plan can suggest changes. Ask the plan's facilitator for access.");
  }
  if (input.quote === input.replacement) {
    throw new DomainError(400, "The replacement is the same as the words you chose. Change the replacement words, or cancel.");
  }
  const paragraphs = await sync.readDocument(target.documentId, (doc) => readParagraphs(doc));
  const found = locateQuote(paragraphs, { quote: input.quote, blockIndex: input.blockIndex, start: input.start });
  if (found === "not-found") {
    throw new DomainError(
      400,
      `“${clip(input.quote)}” is not in the current text of “${target.title}”. Copy the words exactly as they appear (the text may have changed since you chose them).`,
    );
  }
  if (found === "ambiguous") {
    throw new DomainError(
      400,
      `“${clip(input.quote)}” appears more than once in “${target.title}”. Select the words in the text, or include a few words around them, so it is clear which place you mean.`,
    );
  }
  const id = `sug-${randomUUID()}`;
  await inTransaction(db, async (trx) => {
    await insertSuggestion(trx, {
      id,
      plan_id: target.planId,
      subject_type: target.subjectType,
      subject_id: target.subjectId,
      document_id: target.documentId,
      author_user_id: actor.userId,
      author_organisation_id: actor.organisationId,
      block_index: found.blockIndex,
      start_offset: found.start,
      end_offset: found.end,
      quote: found.quote,
      replacement: input.replacement,
      note: input.note,
      created_at: nowIso(),
    });
    await audit(trx, actor, "suggestion.created", id, {
      ...(target.actionId ? { actionId: target.actionId } : {}),
      subjectType: target.subjectType,
      subjectId: target.subjectId,
      quote: found.quote,
      replacement: input.replacement,
    });
  });
  return {
    planId: target.planId,
    actionId: target.actionId,
    summary: `A change to “${target.title}” was suggested: “${clip(found.quote)}” → “${clip(input.replacement)}”.`,
  };
}

/** `planId`: the page it was sent from; a suggestion of another plan is not found there. */
async function loadSuggestion(db: DB, suggestionId: string, planId?: string) {
  const s = await findSuggestionWithAuthor(db, suggestionId);
  if (!s || (planId !== undefined && s.plan_id !== planId)) throw new DomainError(404, "That suggestion no longer exists. Reload the page.");
  /** The action or proposal section, for the page's live nudge; none for a proposal's own text. */
  return { ...s, action_id: s.subject_type === "proposal_text" ? undefined : s.subject_id };
}

function alreadyDecided(status: SuggestionStatus): DomainError {
  return new DomainError(409, `This suggestion was already ${status}. Reload the page to see the current text.`);
}

// Two editors pressing "accept" at once must not apply the same words twice: decisions on one
// suggestion are serialised within the process (the sync server is single-process too).
const deciding = new Set<string>();

/**
 * Accepting applies exactly the quoted range, through the sync server's durable path, with the
 * suggester as author; if the quote is no longer there, nothing changes and the editor is told.
 * Rejecting changes no text.
 */
export async function decideSuggestion(
  db: DB,
  sync: Sync,
  actor: Actor,
  input: { suggestionId: string; accept: boolean; note?: string; planId?: string },
): Promise<SuggestionChange> {
  const s = await loadSuggestion(db, input.suggestionId, input.planId);
  const role = await loadPlanRole(db, actor, s.plan_id);
  if (!canDecideSuggestion(role)) {
    throw new DomainError(403, "Only editors of this plan can accept or reject suggestions.");
  }
  if (s.status !== "open") throw alreadyDecided(s.status);
  if (deciding.has(s.id)) throw new DomainError(409, "Another editor is deciding this suggestion right now. Reload the page in a moment.");
  deciding.add(s.id);
  try {
    if (input.accept) {
      try {
        await sync.applyServerChange(
          s.document_id,
          { userId: s.author_user_id, organisationId: s.author_organisation_id },
          (doc) =>
            void replaceQuotedRange(
              doc,
              { blockIndex: s.block_index, start: s.start_offset, end: s.end_offset, quote: s.quote },
              s.replacement,
            ),
        );
      } catch (error) {
        if (error instanceof QuoteMovedError) {
          throw new DomainError(
            409,
            error.reason === "ambiguous"
              ? `The text has moved on: “${clip(s.quote)}” now appears more than once, so it is not clear where ${s.author_name}'s change goes. Nothing was changed; edit the text yourself or reject the suggestion.`
              : `The text has moved on: “${clip(s.quote)}” is no longer in “${s.action_title}”. Nothing was changed; edit the text yourself, or reject the suggestion and ask ${s.author_name} to suggest again.`,
          );
        }
        throw error;
      }
    }
    const status: SuggestionStatus = input.accept ? "accepted" : "rejected";
    // The decision and its audit row in one transaction: a fact of record with its history.
    await inTransaction(db, async (trx) => {
      const closed = await closeOpenSuggestion(trx, s.id, {
        status,
        decided_by_user_id: actor.userId,
        decided_by_organisation_id: actor.organisationId,
        decided_at: nowIso(),
        decision_note: input.note ?? "",
      });
      if (!closed) throw alreadyDecided("decided" as SuggestionStatus);
      await audit(trx, actor, `suggestion.${status}`, s.id, { actionId: s.action_id });
      const by = await actorLabel(trx, actor);
      await notifyPeople(
        trx,
        {
          kind: "suggestion_decided",
          planId: s.plan_id,
          summary: input.accept
            ? `${by} accepted your suggestion for “${s.action_title}”: it now reads “${clip(s.replacement)}”.`
            : `${by} did not take up your suggestion for “${s.action_title}”${input.note ? `: ${input.note}` : "."}`,
          link: s.subject_type.startsWith("proposal")
            ? proposalHref(s.plan_id, s.action_id ? `commitment-${s.action_id}` : undefined)
            : planActionHref(s.plan_id, s.subject_id),
          actor,
        },
        [s.author_user_id],
      );
    });
    return {
      planId: s.plan_id,
      actionId: s.action_id,
      summary: input.accept
        ? `${s.author_name}'s suggestion for “${s.action_title}” was accepted: the text now reads “${clip(s.replacement)}”.`
        : `${s.author_name}'s suggestion for “${s.action_title}” was not taken up.`,
    };
  } finally {
    deciding.delete(s.id);
  }
}

export async function withdrawSuggestion(db: DB, actor: Actor, input: { suggestionId: string; planId?: string }): Promise<SuggestionChange> {
  const s = await loadSuggestion(db, input.suggestionId, input.planId);
  await loadPlanRole(db, actor, s.plan_id);
  if (!canWithdrawSuggestion(actor, s)) {
    if (s.status !== "open") throw alreadyDecided(s.status);
    throw new DomainError(403, "Only the person who made a suggestion can withdraw it.");
  }
  await inTransaction(db, async (trx) => {
    await closeOpenSuggestion(trx, s.id, { status: "withdrawn", decided_by_user_id: actor.userId, decided_by_organisation_id: actor.organisationId, decided_at: nowIso() });
    await audit(trx, actor, "suggestion.withdrawn", s.id, { actionId: s.action_id });
  });
  return { planId: s.plan_id, actionId: s.action_id, summary: `${s.author_name} withdrew a suggestion for “${s.action_title}”.` };
}

function clip(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
