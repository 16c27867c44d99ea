/**
 * Engagement proposals: plans of kind "engagement_proposal". Rights (plan_grants), the proposal text
 * (the plan's overview document), sync and presence are the plan's. Engagement commitments are the
 * plan's actions (no priority), each with its own rich-text description and a power-sharing record.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import { listOrganisationIds, organisationsByIds } from "../../db/queries/accounts";
import { insertAction, lastActionPosition } from "../../db/queries/actions";
import { insertAuditRow } from "../../db/queries/audit";
import { insertGrant, organisationEditsAnyPlan, organisationGrantsOfPlan } from "../../db/queries/plan-grants";
import { findPlanRow, insertPlan } from "../../db/queries/plans";
import { findProposalVisit, markProposalVisitSeen, upsertProposalVisit } from "../../db/queries/proposals";
import { can, canCreateEngagementProposal, canInviteCommenters, type Actor } from "../policy";
import { createDocument } from "./documents";
import { DomainError } from "./errors";
import { loadPlanRole } from "./plan-access";

/** Forms name no author or organisation: a field the form should not have is refused, not ignored. */
export const UNEXPECTED_FIELDS =
  "This form sent fields the workspace does not accept, such as an author or organisation: changes are always made as the signed-in person and their organisation. Reload the page and try again.";

export const PROPOSAL_KIND = "engagement_proposal" as const;

const NOT_FOUND = "There is no engagement proposal at this address, or you have not been given access to it.";

/** The proposal and the actor's role on it; 404 alike for a missing proposal, another kind of plan, or no access. */
export async function requireProposal(db: DB, actor: Actor, planId: string) {
  const plan = await findPlanRow(db, planId);
  if (!plan || plan.kind !== PROPOSAL_KIND) throw new DomainError(404, NOT_FOUND);
  const role = await loadPlanRole(db, actor, planId);
  if (role === "none") throw new DomainError(404, NOT_FOUND);
  return { plan, role };
}

/** Whether the actor's organisation edits at least one plan: what makes it a partner that may start proposals. */
export async function organisationEditsAPlan(db: DB, organisationId: string): Promise<boolean> {
  return organisationEditsAnyPlan(db, organisationId);
}

const paragraphs = (text: string) =>
  text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);

const OrganisationIds = z
  .array(z.string().min(1).max(200))
  .max(200, "Choose at most 200 organisations at a time.")
  .default([]);

export const NewProposalInput = z
  .object({
    title: z
      .string()
      .trim()
      .min(5, "Give the proposal a title of at least 5 characters.")
      .max(160, "Keep the title under 160 characters."),
    summary: z.string().trim().max(500, "Keep the summary under 500 characters.").default(""),
    text: z.string().trim().max(20_000, "Keep the first draft under 20,000 characters; partners add to it afterwards.").default(""),
    partnerOrganisationIds: OrganisationIds,
    commenterOrganisationIds: OrganisationIds,
  })
  .strict(UNEXPECTED_FIELDS);
export type NewProposalInput = z.infer<typeof NewProposalInput>;

/**
 * A partner editor starts a proposal: their organisation and the chosen partners co-draft it
 * (editors), the chosen groups comment on it. Everything in one transaction, with an audit row.
 */
export async function createProposal(db: DB, actor: Actor, input: NewProposalInput): Promise<{ id: string }> {
  if (!canCreateEngagementProposal(actor, await organisationEditsAPlan(db, actor.organisationId))) {
    throw new DomainError(
      403,
      "Only partners who co-draft plans can start an engagement proposal. Ask a partner or the facilitator to start one and invite you to comment.",
    );
  }
  const editors = new Set([actor.organisationId, ...input.partnerOrganisationIds]);
  const commenters = new Set(input.commenterOrganisationIds.filter((id) => !editors.has(id)));
  const knownIds = new Set(await listOrganisationIds(db));
  const unknown = [...editors, ...commenters].filter((id) => !knownIds.has(id));
  if (unknown.length > 0) throw new DomainError(400, "Choose partner and commenting organisations from the lists.");

  const id = `proposal-${randomUUID()}`;
  const now = nowIso();
  await inTransaction(db, async (trx) => {
    await insertPlan(trx, {
      id,
      kind: PROPOSAL_KIND,
      title: input.title,
      summary: input.summary,
      strategy_id: null,
      status: "draft",
      created_by: actor.userId,
      created_at: now,
    });
    const grants = [
      ...[...editors].map((organisationId) => ({ organisationId, role: "editor" as const })),
      ...[...commenters].map((organisationId) => ({ organisationId, role: "commenter" as const })),
    ];
    for (const g of grants) {
      await insertGrant(trx, { plan_id: id, organisation_id: g.organisationId, user_id: null, role: g.role, granted_by: actor.userId, created_at: now });
    }
    await createDocument(trx, {
      id: `doc-${id}-overview`,
      planId: id,
      kind: "plan_overview",
      paragraphs: paragraphs(input.text),
      userId: actor.userId,
      organisationId: actor.organisationId,
    });
    await insertAuditRow(trx, {
      actor_user_id: actor.userId,
      actor_organisation_id: actor.organisationId,
      event: "proposal.created",
      subject: id,
      detail: JSON.stringify({ title: input.title, editors: [...editors], commenters: [...commenters] }),
      created_at: now,
    });
  });
  return { id };
}

export const NewCommitmentInput = z
  .object({
    title: z
      .string()
      .trim()
      .min(3, "Give the commitment a title of at least 3 characters.")
      .max(160, "Keep the title under 160 characters; put detail in the description."),
    description: z.string().trim().max(5000, "Keep the first description under 5,000 characters.").default(""),
  })
  .strict(UNEXPECTED_FIELDS);

/** An engagement commitment: an action of the proposal without a priority, with its own live description. */
export async function createCommitment(
  db: DB,
  actor: Actor,
  planId: string,
  input: z.infer<typeof NewCommitmentInput>,
): Promise<{ id: string; summary: string }> {
  const { role } = await requireProposal(db, actor, planId);
  if (!can(role, "action:create")) {
    throw new DomainError(403, "Only partners who co-draft this proposal (editors) can add commitments.");
  }
  const id = `act-${randomUUID()}`;
  const documentId = `doc-${randomUUID()}`;
  const now = nowIso();
  await inTransaction(db, async (trx) => {
    const last = await lastActionPosition(trx, planId);
    await createDocument(trx, {
      id: documentId,
      planId,
      kind: "action_description",
      paragraphs: paragraphs(input.description),
      userId: actor.userId,
      organisationId: actor.organisationId,
    });
    await insertAction(trx, {
      id,
      plan_id: planId,
      priority_id: null,
      document_id: documentId,
      title: input.title,
      position: Number(last?.max ?? 0) + 1,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
  });
  return { id, summary: `Commitment added: “${input.title}”.` };
}

export const InviteInput = z
  .object({ organisationIds: z.array(z.string().min(1).max(200)).min(1, "Choose at least one organisation to invite.").max(200) })
  .strict(UNEXPECTED_FIELDS);

/** Editors invite organisations to comment. Organisations that already take part keep their rights. */
export async function inviteCommenters(
  db: DB,
  actor: Actor,
  planId: string,
  input: z.infer<typeof InviteInput>,
): Promise<{ summary: string; invited: string[] }> {
  const { role } = await requireProposal(db, actor, planId);
  if (!canInviteCommenters(role)) {
    throw new DomainError(403, "Only partners who co-draft this proposal (editors) can invite organisations to comment.");
  }
  const organisations = await organisationsByIds(db, input.organisationIds);
  if (organisations.length !== new Set(input.organisationIds).size) {
    throw new DomainError(400, "Choose organisations from the list.");
  }
  const now = nowIso();
  const invited = await inTransaction(db, async (trx) => {
    const existing = await organisationGrantsOfPlan(trx, planId);
    const taking = new Set(existing.map((g) => g.organisation_id));
    const fresh = organisations.filter((o) => !taking.has(o.id));
    for (const o of fresh) {
      await insertGrant(trx, { plan_id: planId, organisation_id: o.id, user_id: null, role: "commenter", granted_by: actor.userId, created_at: now });
    }
    if (fresh.length > 0) {
      await insertAuditRow(trx, {
        actor_user_id: actor.userId,
        actor_organisation_id: actor.organisationId,
        event: "proposal.commenters_invited",
        subject: planId,
        detail: JSON.stringify({ organisations: fresh.map((o) => o.id) }),
        created_at: now,
      });
    }
    return fresh.map((o) => o.name);
  });
  if (invited.length === 0) {
    throw new DomainError(409, "Those organisations already take part in this proposal; nothing changed.");
  }
  return { invited, summary: `Invited to comment: ${invited.join(", ")}.` };
}

/**
 * "Since your last visit" compares with what the person last saw: every load of the page, and
 * every live refresh of an open page, shows the proposal as it is, so it moves `last_seen_at` on;
 * the next load lists what others did after it. No time window: a window let a return within it
 * show nothing (a first visit's baseline was "none") and lose whatever happened in between. An
 * open page keeps the list it opened with (the browser holds it), so live refreshes do not empty
 * it. `at` is taken before the page reads anything, so a change landing while it reads is listed
 * again next time rather than never. Returns the baseline, or null for a first visit.
 */
export async function recordVisit(db: DB, userId: number, planId: string, now = new Date()): Promise<string | null> {
  const at = now.toISOString();
  const row = await findProposalVisit(db, userId, planId);
  const since = row?.last_seen_at ?? null;
  // since_at records the baseline of the latest load (what its list started from).
  await upsertProposalVisit(db, userId, planId, { since_at: since, last_seen_at: at });
  return since;
}

/** "I have seen these changes": the list of changes starts again from now. */
export async function markProposalSeen(db: DB, userId: number, planId: string): Promise<void> {
  const at = nowIso();
  await markProposalVisitSeen(db, userId, planId, at);
}
