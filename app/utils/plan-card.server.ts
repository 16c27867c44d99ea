import type { AppLoadContext } from "@remix-run/node";
import { loadAgreementFacts } from "../../db/queries/agreement";
import { loadPlanContents } from "../../db/queries/plans";
import { findPlanLock } from "../../db/queries/workshops";
import { loadDeliveryForActions } from "../../server/accountability/delivery";
import { todayInLondon } from "../../server/accountability/dates";
import { DomainError } from "../../server/domain/errors";
import { canRemoveOwner, canRespondToOwnership, canWhilePlanLocked, type Actor, type EffectivePlanRole } from "../../server/policy";
import { agreementForPlan, type ActionAgreementView } from "./agreement.server";
import type { AgreementFilter } from "./plan-filters";

type Contents = Awaited<ReturnType<typeof loadPlanContents>>;
type Owner = Contents["owners"][number];

/** The agreement filter an action falls under: its status, or "changed" once agreed words changed. */
export function agreementFilterOf(view: { status: "draft" | "proposed" | "agreed"; changedSinceAgreed: boolean } | undefined): AgreementFilter {
  if (!view) return "draft";
  return view.changedSinceAgreed ? "changed" : view.status;
}

/** Asked to take a role and not answered yet, or a partner that has not signed off these words. */
export function needsOrganisation(actor: Actor, owners: readonly Owner[], actionId: string, view: ActionAgreementView | undefined): boolean {
  const mine = owners.filter((o) => o.action_id === actionId && o.organisation_id === actor.organisationId);
  return mine.some((o) => o.status === "pending") || Boolean(view?.partners.some((p) => p.organisationId === actor.organisationId && !p.signed));
}

/** Owners as a card shows them, with what this person may do about each. */
export function ownersForCard(actor: Actor, role: EffectivePlanRole, owners: readonly Owner[], locked: boolean) {
  return owners.map((o) => ({
    ...o,
    canRespond: canRespondToOwnership(actor, role, o),
    canRemove: canRemoveOwner(actor, role, o) && canWhilePlanLocked(role, "ownership:propose", locked),
  }));
}

/**
 * One action's card, as the plan page's loader builds it, for a live event about that action: the
 * page swaps in this card instead of reloading the whole plan (issue 14). Only this action's text
 * is read and its agreement derived; the rest is a few SQL reads, shared by everyone asking at once.
 */
export async function loadActionCard(context: AppLoadContext, actor: Actor, role: EffectivePlanRole, planId: string, actionId: string) {
  const { contents, lock, delivery, agreementFacts } = await cardFacts(context, planId, actionId);
  const action = contents.actions.find((a) => a.id === actionId);
  if (!action) throw new DomainError(404, "That action is no longer in this plan. Reload the page to see the current plan.");
  const theirOwners = contents.owners.filter((o) => o.action_id === actionId);
  const agreement = await agreementForPlan(context, planId, actor, role, [action], theirOwners, agreementFacts);
  const view = agreement.byAction[actionId];
  return {
    action: {
      ...action,
      rag: delivery.actions.find((a) => a.id === actionId)?.rag.status ?? ("green" as const),
      agreementStatus: agreementFilterOf(view),
      needsMe: needsOrganisation(actor, theirOwners, actionId, view),
      owners: ownersForCard(actor, role, theirOwners, lock !== null),
      history: contents.history.filter((h) => h.action_id === actionId),
    },
    agreement: view,
  };
}

type CardFacts = Awaited<ReturnType<typeof readCardFacts>>;

async function readCardFacts(context: AppLoadContext, planId: string, actionId: string) {
  const { db } = context.app;
  const [contents, lock, delivery, agreementFacts] = await Promise.all([
    loadPlanContents(db, planId, actionId),
    findPlanLock(db, planId),
    loadDeliveryForActions(db, [actionId], todayInLondon()),
    loadAgreementFacts(db, planId, actionId),
  ]);
  return { contents, lock, delivery, agreementFacts };
}

const sharedReads = new Map<string, { reads: Promise<CardFacts>; until: number }>();
// Long enough to cover every page of one event (the 60 pages of the bench ask over ~100 ms), short
// enough that a change which announces nothing (a new contributor's name) shows a moment later.
const SHARED_FOR_MS = 250;

/**
 * The reads of a card that do not depend on who asks, shared by the requests for the same card
 * made within a moment of each other: after a live event every open page asks for it, and reading
 * it once for all of them is most of what the event costs the server. Keyed by the plan's event
 * count on this node, so a request that follows an event never gets reads made before it; the
 * live text is still read per request (the sign-off button follows it). The results are shared:
 * callers build new objects and never change them.
 */
function cardFacts(context: AppLoadContext, planId: string, actionId: string): Promise<CardFacts> {
  const now = Date.now();
  const key = `${planId}\u0000${actionId}\u0000${context.app.events.count(planId)}`;
  const shared = sharedReads.get(key);
  if (shared && shared.until > now) return shared.reads;
  if (sharedReads.size >= 200) for (const [k, v] of sharedReads) if (v.until <= now) sharedReads.delete(k);
  const reads = readCardFacts(context, planId, actionId);
  sharedReads.set(key, { reads, until: now + SHARED_FOR_MS });
  // A failed read (the action was deleted: 404) is not kept for the next request.
  reads.catch(() => sharedReads.delete(key));
  return reads;
}
