import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import type { SessionUser } from "../../server/auth/sessions";
import { compareWords, shortFingerprint } from "../../server/documents/agreement-text";
import { refreshAgreement, signOff, withdrawSignOff, type AgreementChange } from "../../server/domain/agreement";
import { subjectAgreements } from "../../server/domain/agreement-summary";
import { DomainError } from "../../server/domain/errors";
import { canSignOff, type Actor, type EffectivePlanRole } from "../../server/policy";
import type { ActionAgreementView } from "./agreement.server";
import { actorOf } from "./auth.server";

/**
 * Sign-off of the sections of an engagement proposal, on the same terms as actions: the same
 * domain functions, trail and verdict, with subject type 'proposal_section', whose partners are
 * the organisations of the section's power-sharing record.
 */
export interface SectionAgreementSummary {
  agreed: number;
  total: number;
  /** Per partner named on any section: how many of its sections it has signed (current words). */
  partners: { organisationId: string; organisationName: string; signed: number; named: number }[];
}

export async function sectionAgreementForProposal(
  context: AppLoadContext,
  planId: string,
  actor: Actor,
  role: EffectivePlanRole,
  sections: readonly { id: string; title: string; document_id: string }[],
  levels: readonly { action_id: string; organisation_id: string; stage: string; level: string }[],
): Promise<{ bySection: Record<string, ActionAgreementView>; summary: SectionAgreementSummary }> {
  const agreements = await subjectAgreements(context.app.db, context.app.sync, "proposal_section", planId, sections);
  const bySection: Record<string, ActionAgreementView> = {};
  const partners = new Map<string, SectionAgreementSummary["partners"][number]>();
  let agreed = 0;
  for (const s of sections) {
    const a = agreements.get(s.id)!;
    if (a.status === "agreed") agreed += 1;
    const mayAct = canSignOff(actor, role, { organisationId: actor.organisationId, namedOrganisationIds: a.named });
    const lastAgreed = a.lastAgreed ? { title: a.lastAgreed.title, paragraphs: a.lastAgreed.paragraphs, short: shortFingerprint(a.lastAgreed.fingerprint) } : null;
    for (const p of a.partners) {
      const entry = partners.get(p.organisationId) ?? { organisationId: p.organisationId, organisationName: p.organisationName, signed: 0, named: 0 };
      entry.named += 1;
      if (p.signed) entry.signed += 1;
      partners.set(p.organisationId, entry);
    }
    bySection[s.id] = {
      status: a.status,
      fingerprint: a.text.fingerprint,
      readable: a.text.readable,
      short: shortFingerprint(a.text.fingerprint),
      changedSinceAgreed: a.changedSinceAgreed,
      reopened: a.reopened,
      agreedAt: a.agreedAt,
      lastAgreed,
      comparison: a.changedSinceAgreed && a.lastAgreed ? compareWords(a.lastAgreed, a.text) : null,
      partners: a.partners.map((p) => ({
        ...p,
        role: "support" as const,
        roleLabel: levels
          .filter((l) => l.action_id === s.id && l.organisation_id === p.organisationId)
          .map((l) => `${l.level} at the ${l.stage} stage`)
          .join(", "),
      })),
      askedPartners: [],
      mine: {
        organisationId: actor.organisationId,
        // Nobody signs words the server cannot read (issue 10): the page says why instead.
        canSign: mayAct && a.text.readable && !a.signed.includes(actor.organisationId),
        canWithdraw: mayAct && a.signed.includes(actor.organisationId),
      },
      suggestions: [],
      contributors: [],
    };
  }
  return {
    bySection,
    summary: { agreed, total: sections.length, partners: [...partners.values()].sort((x, y) => x.organisationName.localeCompare(y.organisationName)) },
  };
}

const Id = z.string().min(1).max(200);
const SectionIntent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("sign-off"),
    actionId: Id,
    organisationId: Id,
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/, "The page did not say which text you are signing. Reload the page and try again."),
  }),
  z.object({ intent: z.literal("withdraw-sign-off"), actionId: Id, organisationId: Id }),
]);
export const SECTION_INTENTS: ReadonlySet<string> = new Set(SectionIntent.options.map((o) => o.shape.intent.value));

/** A partner signs off (or withdraws from) a section of this proposal; every open page is told. */
export async function handleSectionIntent(context: AppLoadContext, user: SessionUser, planId: string, fields: Record<string, unknown>): Promise<string> {
  const input = SectionIntent.parse(fields);
  const { db, sync, events } = context.app;
  const actor = actorOf(user);
  const subject = { ...input, subjectType: "proposal_section" as const };
  const change: AgreementChange = input.intent === "sign-off" ? await signOff(db, sync, actor, { ...subject, fingerprint: input.fingerprint }) : await withdrawSignOff(db, sync, actor, subject);
  if (change.planId !== planId) throw new DomainError(404, "That section is not part of this proposal. Reload the page.");
  events.publish({ planId, kind: "agreement", actionId: change.actionId, actorName: `${user.name} (${user.organisationName})`, summary: change.summary });
  return change.summary;
}

/** The partners of a section are its power-sharing record: re-derive its agreement when that changes. */
export async function refreshSectionPartners(context: AppLoadContext, planId: string, sectionId: string): Promise<void> {
  const change = await refreshAgreement(context.app.db, context.app.sync, sectionId, "partners_changed", "proposal_section");
  if (change) context.app.events.publish({ planId, kind: "agreement", actionId: change.actionId, summary: change.summary });
}
