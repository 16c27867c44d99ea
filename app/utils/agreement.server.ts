import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { loadAgreementFacts } from "../../db/queries/agreement";

export type AgreementFacts = Awaited<ReturnType<typeof loadAgreementFacts>>;
import type { AgreementStatus, OwnerRole, OwnerStatus, SuggestionStatus } from "../../db/schema";
import type { SessionUser } from "../../server/auth/sessions";
import { compareWords, shortFingerprint, type WordChange } from "../../server/documents/agreement-text";
import { agreementVerdict, latestSignOffs } from "../../server/domain/agreement-rules";
import { currentActionTexts, signOff, toFact, withdrawSignOff, type AgreementChange } from "../../server/domain/agreement";
import { createSuggestion, decideSuggestion, NewSuggestionInput, withdrawSuggestion, type SuggestionChange } from "../../server/domain/suggestions";
import {
  canDecideSuggestion,
  canSignOff,
  canSuggest,
  canWithdrawSuggestion,
  type Actor,
  type EffectivePlanRole,
} from "../../server/policy";
import { groupBy, groupOf } from "../../server/group-by";
import { sliceEvery } from "../../server/yield-budget";
import { actorOf } from "./auth.server";

export interface PartnerSignOff {
  organisationId: string;
  organisationName: string;
  role: OwnerRole;
  /** How the partner is named on the subject, when not as lead or support (a proposal section's levels). */
  roleLabel?: string;
  /** The sign-off that counts for the current text, if any. */
  signed: { personName: string; at: string; short: string } | null;
  /** A sign-off of earlier words (or withdrawn), shown so nobody thinks it still counts. */
  earlier: { personName: string; at: string; short: string; kind: "signed" | "withdrawn" } | null;
}

export interface SuggestionView {
  id: string;
  quote: string;
  replacement: string;
  note: string;
  status: SuggestionStatus;
  createdAt: string;
  decidedAt: string | null;
  authorName: string;
  authorOrganisationName: string;
  decidedByName: string | null;
  decidedByOrganisationName: string | null;
  canWithdraw: boolean;
}

export interface Contributor {
  personName: string | null;
  organisationName: string | null;
  lastAt: string;
  acceptedSuggestions: number;
}

export interface ActionAgreementView {
  status: AgreementStatus;
  /** False when the editor cannot read the action's text (it shows a notice; nobody can sign). */
  readable: boolean;
  fingerprint: string;
  short: string;
  /** Agreed once, and the words have changed since. */
  changedSinceAgreed: boolean;
  /** Agreed once, with the current words, but a partner withdrew or the partners changed. */
  reopened: boolean;
  agreedAt: string | null;
  lastAgreed: { title: string; paragraphs: string[]; short: string } | null;
  comparison: { title: WordChange[]; body: WordChange[] } | null;
  partners: PartnerSignOff[];
  /** Organisations asked to be partners who have not accepted yet: they sign once they do. */
  askedPartners: string[];
  /** What the signed-in person may do for their own organisation. */
  mine: { organisationId: string; canSign: boolean; canWithdraw: boolean };
  suggestions: SuggestionView[];
  contributors: Contributor[];
}

interface PageAction {
  id: string;
  plan_id?: string;
  title: string;
  document_id: string;
}

interface PageOwner {
  action_id: string;
  organisation_id: string;
  organisation_name: string;
  role: OwnerRole;
  status: OwnerStatus;
}

/** Agreement, suggestions and authorship of every action on a plan page, keyed by action id. */
export async function agreementForPlan(
  context: AppLoadContext,
  planId: string,
  actor: Actor,
  role: EffectivePlanRole,
  actions: readonly PageAction[],
  owners: readonly PageOwner[],
  /** Already read (one card's facts, shared by the requests for it: app/utils/plan-card.server.ts). */
  knownFacts?: AgreementFacts,
): Promise<{ byAction: Record<string, ActionAgreementView>; mayDecideSuggestions: boolean; maySuggest: boolean }> {
  const { db, sync } = context.app;
  // One step after another, giving other requests a turn between them once one has run long (a
  // plan of 2,000 actions): on SQLite each query runs on the event loop.
  const slice = sliceEvery();
  const texts = await currentActionTexts(
    db,
    sync,
    actions.map((a) => ({ id: a.id, plan_id: planId, title: a.title, document_id: a.document_id })),
  );
  await slice();
  // One action (a card after a live event): its facts only.
  const facts = knownFacts ?? (await loadAgreementFacts(db, planId, actions.length === 1 ? actions[0].id : undefined));
  await slice();
  const byAction: Record<string, ActionAgreementView> = {};
  const ownersOf = groupBy(owners, (o) => o.action_id);
  const signOffsOf = groupBy(facts.signOffs, (s) => s.subject_id);
  const statesOf = groupBy(facts.states, (s) => s.subject_id);
  const agreedTextsOf = groupBy(facts.agreedTexts, (t) => t.subject_id);
  const suggestionsOf = groupBy(facts.suggestions, (s) => s.subject_id);
  const contributorsOf = groupBy(facts.contributors, (c) => c.document_id);
  for (const a of actions) {
    const text = texts.get(a.id)!;
    const theirOwners = groupOf(ownersOf, a.id);
    const theirSuggestions = groupOf(suggestionsOf, a.id);
    const accepted = theirOwners.filter((o) => o.status === "accepted");
    const named = accepted.map((o) => o.organisation_id);
    const rows = groupOf(signOffsOf, a.id);
    const signOffFacts = rows.map(toFact);
    const verdict = agreementVerdict({ named, signOffs: signOffFacts, fingerprint: text.fingerprint });
    const latest = latestSignOffs(signOffFacts);
    const rowById = new Map(rows.map((r) => [r.id, r]));
    const state = groupOf(statesOf, a.id)[0] ?? null;
    const agreedText = state?.agreed_fingerprint
      ? groupOf(agreedTextsOf, a.id).find((t) => t.fingerprint === state.agreed_fingerprint)
      : undefined;
    const lastAgreed = agreedText
      ? { title: agreedText.title, paragraphs: JSON.parse(agreedText.paragraphs) as string[], short: shortFingerprint(agreedText.fingerprint) }
      : null;
    const changedSinceAgreed = verdict.status !== "agreed" && state?.agreed_fingerprint != null && state.agreed_fingerprint !== text.fingerprint;
    const mayAct = canSignOff(actor, role, { organisationId: actor.organisationId, namedOrganisationIds: named });
    byAction[a.id] = {
      status: verdict.status,
      readable: text.readable,
      fingerprint: text.fingerprint,
      short: shortFingerprint(text.fingerprint),
      changedSinceAgreed,
      reopened: verdict.status !== "agreed" && state?.agreed_fingerprint === text.fingerprint,
      agreedAt: verdict.status === "agreed" ? (state?.agreed_at ?? null) : null,
      lastAgreed,
      comparison: changedSinceAgreed && lastAgreed ? compareWords(lastAgreed, text) : null,
      partners: accepted.map((o) => {
        const fact = latest.get(o.organisation_id);
        const row = fact ? rowById.get(fact.id) : undefined;
        const counts = verdict.signed.includes(o.organisation_id);
        const view = row ? { personName: row.person_name, at: row.created_at, short: shortFingerprint(row.fingerprint) } : null;
        return {
          organisationId: o.organisation_id,
          organisationName: o.organisation_name,
          role: o.role,
          signed: counts ? view : null,
          earlier: !counts && view && fact ? { ...view, kind: fact.kind } : null,
        };
      }),
      askedPartners: theirOwners.filter((o) => o.status === "pending").map((o) => o.organisation_name),
      mine: {
        organisationId: actor.organisationId,
        canSign: mayAct && text.readable && !verdict.signed.includes(actor.organisationId),
        // Withdrawing is offered while the sign-off counts; one for earlier words already does not.
        canWithdraw: mayAct && verdict.signed.includes(actor.organisationId),
      },
      suggestions: theirSuggestions.map((s) => ({
          id: s.id,
          quote: s.quote,
          replacement: s.replacement,
          note: s.note,
          status: s.status,
          createdAt: s.created_at,
          decidedAt: s.decided_at,
          authorName: s.author_name,
          authorOrganisationName: s.author_organisation_name,
          decidedByName: s.decided_by_name,
          decidedByOrganisationName: s.decided_by_organisation_name,
          canWithdraw: canWithdrawSuggestion(actor, s),
        })),
      contributors: groupOf(contributorsOf, a.document_id)
        .map((c) => ({
          personName: c.person_name,
          organisationName: c.organisation_name,
          lastAt: String(c.last_at),
          acceptedSuggestions: theirSuggestions.filter((s) => s.status === "accepted" && s.author_user_id === c.user_id).length,
        }))
        .sort((x, y) => (x.personName === null ? -1 : y.personName === null ? 1 : y.lastAt.localeCompare(x.lastAt))),
    };
  }
  return { byAction, mayDecideSuggestions: canDecideSuggestion(role), maySuggest: canSuggest(role) };
}

const Id = z.string().min(1).max(200);

export const AgreementIntent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("sign-off"),
    actionId: Id,
    organisationId: Id,
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/, "The page did not say which text you are signing. Reload the page and try again."),
  }),
  z.object({ intent: z.literal("withdraw-sign-off"), actionId: Id, organisationId: Id }),
  z.object({ intent: z.literal("suggest") }).passthrough(),
  z.object({ intent: z.literal("accept-suggestion"), suggestionId: Id }),
  z.object({ intent: z.literal("reject-suggestion"), suggestionId: Id }),
  z.object({ intent: z.literal("withdraw-suggestion"), suggestionId: Id }),
]);

export const AGREEMENT_INTENTS = new Set([
  "sign-off",
  "withdraw-sign-off",
  "suggest",
  "accept-suggestion",
  "reject-suggestion",
  "withdraw-suggestion",
]);

/** Runs one sign-off or suggestion intent for the signed-in user and tells every open page of the plan. */
export async function handleAgreementIntent(
  context: AppLoadContext,
  user: SessionUser,
  form: Record<string, unknown>,
): Promise<string> {
  const input = AgreementIntent.parse(form);
  const { db, sync, events } = context.app;
  const actor = actorOf(user);
  let change: AgreementChange | SuggestionChange;
  let kind: "agreement" | "suggestion" = "agreement";
  switch (input.intent) {
    case "sign-off":
      change = await signOff(db, sync, actor, input);
      break;
    case "withdraw-sign-off":
      change = await withdrawSignOff(db, sync, actor, input);
      break;
    case "suggest":
      kind = "suggestion";
      change = await createSuggestion(db, sync, actor, NewSuggestionInput.parse(emptyAsUndefined(form)));
      break;
    case "accept-suggestion":
    case "reject-suggestion":
      kind = "suggestion";
      change = await decideSuggestion(db, sync, actor, {
        suggestionId: input.suggestionId,
        accept: input.intent === "accept-suggestion",
      });
      break;
    case "withdraw-suggestion":
      kind = "suggestion";
      change = await withdrawSuggestion(db, actor, input);
      break;
  }
  events.publish({
    planId: change.planId,
    kind,
    actionId: change.actionId,
    actorName: `${user.name} (${user.organisationName})`,
    summary: change.summary,
  });
  return change.summary;
}

/** The selection hints are optional: a form without JavaScript sends them empty. */
function emptyAsUndefined(form: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(form).map(([k, v]) => [k, (k === "blockIndex" || k === "start") && v === "" ? undefined : v]),
  );
}
