/**
 * The second year: archive a finished plan (read-only for everyone, on HTTP and the sync
 * socket, until a facilitator unarchives it), and start the next plan from it, carrying forward
 * the unfinished actions the facilitator chooses. Ownership is agreed per plan, on equal terms:
 * every partner of a carried action is asked again, and only its own editors answer.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DB } from "../../db/connection";
import type { OwnerRole, OwnerStatus } from "../../db/schema";
import { inTransaction, nowIso } from "../../db/connection";
import { findOrganisationName, insertActionOwner, insertOwnershipHistory, touchAction, updateActionOwner } from "../../db/queries/action-owners";
import { insertAction } from "../../db/queries/actions";
import { insertActionKpi, insertActionRecommendation, insertMilestone, insertMilestoneChange } from "../../db/queries/delivery";
import {
  carriedActionParts,
  carryCandidateRows,
  findPlanArchive,
  findPlanForNext,
  listPlanPriorities,
  pendingRequestsOf,
  planDocumentIds,
  setPlanArchived,
} from "../../db/queries/plan-cycle";
import { insertPlanRecommendation, planRecommendationIds } from "../../db/queries/recommendations";
import { readContent } from "../documents/lexical-content";
import { canArchivePlan, canCreatePlan, canRespondToOwnership, type Actor } from "../policy";
import type { SyncServer } from "../sync";
import { audit } from "./admin";
import { readActionText, rederiveAgreementIn, type SubjectText } from "./agreement";
import { createDocument } from "./documents";
import { membersWithRole, notifyPeople } from "../notifications/notify";
import { DomainError } from "./errors";
import { loadPlanRole, refuseIfArchived } from "./plan-access";
import { insertPlan, PlanInput, PriorityInput } from "./plan-setup";

type Sync = Pick<SyncServer, "readDocument" | "refreshAccess">;

// ---------------------------------------------------------------------------------------------
// Archive
// ---------------------------------------------------------------------------------------------

export async function setArchived(db: DB, sync: Sync, actor: Actor, planId: string, archived: boolean): Promise<string> {
  if (!canArchivePlan(actor)) throw new DomainError(403, "Only a facilitator or an administrator can archive or unarchive a plan.");
  const plan = await findPlanArchive(db, planId);
  if (!plan) throw new DomainError(404, "There is no plan at this address.");
  if ((plan.archived_at !== null) === archived) {
    throw new DomainError(409, archived ? `“${plan.title}” is already archived.` : `“${plan.title}” is not archived.`);
  }
  const now = nowIso();
  await inTransaction(db, async (trx) => {
    await setPlanArchived(trx, planId, archived ? { at: now, by: actor.userId } : null);
    await audit(trx, actor, archived ? "plan.archived" : "plan.unarchived", planId, {
      from: archived ? "current" : "archived",
      to: archived ? "archived" : "current",
    });
  });
  // Open editors of its documents turn read-only (or writable again) without a reload: the sync
  // server re-asks the policy for each connection, as it does when grants or a workshop lock change.
  const docs = new Set(await planDocumentIds(db, planId));
  await sync.refreshAccess((_p, documentId) => docs.has(documentId), { documentIds: [...docs] });
  return archived
    ? `“${plan.title}” is archived: it is read-only for everyone and stays readable, searchable and reportable.`
    : `“${plan.title}” is current again: partners can change it.`;
}

// ---------------------------------------------------------------------------------------------
// The next plan from this one
// ---------------------------------------------------------------------------------------------

/** Actions not yet finished: no milestones, or a milestone not yet done. Finished ones stay behind as the record. */
export async function unfinishedActions(db: DB, planId: string) {
  const { actions, milestones, owners } = await carryCandidateRows(db, planId);
  return actions
    .map((a) => {
      const ms = milestones.filter((m) => m.action_id === a.id);
      return {
        ...a,
        milestonesOpen: ms.filter((m) => m.completed_on === null).length,
        milestonesDone: ms.filter((m) => m.completed_on !== null).length,
        owners: owners
          .filter((o) => o.action_id === a.id)
          .map((o) => ({ organisationId: o.organisation_id, role: o.role, status: o.status, heldRole: o.held_role, name: o.name })),
      };
    })
    .filter((a) => a.milestonesOpen > 0 || a.milestonesDone === 0);
}

interface CarryOwner {
  organisationId: string;
  role: OwnerRole;
  status: OwnerStatus;
  heldRole: OwnerRole | null;
  name: string;
}

/**
 * Who a carried action's new plan asks, and for what: each partner the role it holds (a partner
 * asked to change role keeps the one it had, the change is not carried), and a partner only asked
 * so far is asked again. A request to take over as lead while another partner leads is not
 * carried: the new plan would otherwise ask two organisations to lead the same action.
 */
export function carriedOwners(owners: readonly CarryOwner[]): {
  asked: { organisationId: string; role: OwnerRole }[];
  /** Requests left behind, with the role the partner is asked for instead (null: none). */
  notCarried: (CarryOwner & { askedAs: OwnerRole | null })[];
} {
  const leads = owners.some((o) => o.status === "accepted" && o.role === "lead");
  const asked: { organisationId: string; role: OwnerRole }[] = [];
  const notCarried: (CarryOwner & { askedAs: OwnerRole | null })[] = [];
  for (const o of owners) {
    if (o.status === "accepted") asked.push({ organisationId: o.organisationId, role: o.role });
    else if (o.heldRole) {
      asked.push({ organisationId: o.organisationId, role: o.heldRole });
      notCarried.push({ ...o, askedAs: o.heldRole });
    } else if (o.role === "lead" && leads) notCarried.push({ ...o, askedAs: null });
    else asked.push({ organisationId: o.organisationId, role: o.role });
  }
  return { asked, notCarried };
}

export const NextPlanInput = z.object({
  plan: PlanInput.innerType().omit({ priorities: true }).extend({
    // Each priority of the next plan may come from one of the previous plan's (its actions follow it).
    priorities: z
      .array(PriorityInput.extend({ fromPriorityId: z.string().max(200).default("") }))
      .min(1, "Keep or add at least one priority: actions are added under a priority.")
      .max(60),
  }),
  // Per unfinished action: carry it forward or leave it behind.
  decisions: z.record(z.string().min(1).max(200), z.enum(["carry", "leave"])),
});
export type NextPlanInput = z.infer<typeof NextPlanInput>;

export interface NextPlanResult {
  planId: string;
  carried: { fromActionId: string; actionId: string }[];
  left: string[];
}

export async function startNextPlan(db: DB, sync: Sync, actor: Actor, previousPlanId: string, input: NextPlanInput): Promise<NextPlanResult> {
  if (!canCreatePlan(actor)) throw new DomainError(403, "Only a facilitator or an administrator can start the next plan.");
  const previous = await findPlanForNext(db, previousPlanId);
  if (!previous || previous.kind !== "action_plan") throw new DomainError(404, "There is no action plan at this address.");
  const parsedPlan = PlanInput.safeParse({ ...input.plan, strategyId: input.plan.strategyId || previous.strategy_id || "" });
  if (!parsedPlan.success) throw parsedPlan.error;
  const planInput = parsedPlan.data;
  const oldPriorities = new Set((await listPlanPriorities(db, previousPlanId)).map((p) => p.id));
  for (const p of input.plan.priorities) {
    if (p.fromPriorityId && !oldPriorities.has(p.fromPriorityId)) throw new DomainError(400, "A priority names one that is not in the previous plan. Reload the page.");
  }
  const unfinished = await unfinishedActions(db, previousPlanId);
  const undecided = unfinished.filter((a) => !input.decisions[a.id]);
  if (undecided.length) {
    throw new DomainError(400, `Choose carry forward or leave behind for every unfinished action (still to choose: ${undecided.map((a) => a.title).slice(0, 3).join("; ")}).`);
  }
  const unknown = Object.keys(input.decisions).filter((id) => !unfinished.some((a) => a.id === id));
  if (unknown.length) throw new DomainError(400, "Only the previous plan's unfinished actions can be carried forward. Reload the page.");
  const toCarry = unfinished.filter((a) => input.decisions[a.id] === "carry");
  const keptPriority = new Map(input.plan.priorities.map((p, i) => [p.fromPriorityId, i] as const));
  for (const a of toCarry) {
    if (!a.priority_id || !keptPriority.has(a.priority_id)) {
      throw new DomainError(400, `“${a.title}” is carried forward but its priority ${a.priority_code ?? ""} is not in the next plan: keep the priority, or leave the action behind.`);
    }
  }
  // Read the carried texts first: live documents are read from the sync server, outside any transaction.
  const texts = new Map<string, string[]>();
  for (const a of toCarry) {
    const content = await sync.readDocument(a.document_id, (doc) => readContent(doc));
    if (!content.readable) {
      throw new DomainError(409, `The description of “${a.title}” cannot be read, so it cannot be carried forward yet. Restore a saved version of it, or leave it behind.`);
    }
    texts.set(a.id, content.paragraphs);
  }
  const label = periodLabel(previous.period_start, previous.period_end) ?? previous.title;

  const result = await inTransaction(db, async (trx) => {
    const { planId, priorityIds } = await insertPlan(trx, actor, planInput, { previousPlanId });
    const now = nowIso();
    const recs = await planRecommendationIds(trx, previousPlanId);
    for (const r of recs) await insertPlanRecommendation(trx, planId, r.recommendation_id);
    const carried: NextPlanResult["carried"] = [];
    for (const [i, a] of toCarry.entries()) {
      const id = `act-${randomUUID()}`;
      const documentId = `doc-${randomUUID()}`;
      await createDocument(trx, { id: documentId, planId, kind: "action_description", paragraphs: texts.get(a.id) ?? [], userId: actor.userId, organisationId: actor.organisationId });
      await insertAction(trx, {
        id,
        plan_id: planId,
        priority_id: priorityIds[keptPriority.get(a.priority_id!)!]!,
        document_id: documentId,
        title: a.title,
        due_label: a.due_label,
        position: i + 1,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
        carried_from_action_id: a.id,
      });
      const { recLinks, kpiLinks, milestones } = await carriedActionParts(trx, a.id);
      for (const r of recLinks) await insertActionRecommendation(trx, { action_id: id, recommendation_id: r.recommendation_id, linked_by: actor.userId, linked_at: now });
      for (const k of kpiLinks) await insertActionKpi(trx, { action_id: id, kpi_id: k.kpi_id, linked_by: actor.userId, linked_at: now });
      for (const m of milestones) {
        const milestoneId = `ms-${randomUUID()}`;
        await insertMilestone(trx, { id: milestoneId, action_id: id, title: m.title, due_date: m.due_date, completed_on: null, completed_by: null, position: m.position, removed_at: null, created_by: actor.userId, created_at: now, updated_at: now });
        await insertMilestoneChange(trx, { milestone_id: milestoneId, action_id: id, event: "created", from_value: null, to_value: `${m.due_date} · ${m.title} (carried from ${label})`, actor_user_id: actor.userId, actor_organisation_id: actor.organisationId, created_at: now });
      }
      // Partners are asked again: ownership is agreed per plan, and only each partner's editors answer.
      for (const o of carriedOwners(a.owners).asked) {
        await insertActionOwner(trx, { action_id: id, organisation_id: o.organisationId, role: o.role, status: "pending", requested_by: actor.userId, requested_at: now, responded_by: null, responded_at: null });
        await insertOwnershipHistory(trx, {
          action_id: id,
          organisation_id: o.organisationId,
          event: "proposed",
          from_role: null,
          from_status: null,
          to_role: o.role,
          to_status: "pending",
          actor_user_id: actor.userId,
          actor_organisation_id: actor.organisationId,
          note: `carried from ${label}: asked again for the new plan`,
          created_at: now,
        });
      }
      await audit(trx, actor, "action.carried", id, { from: { planId: previousPlanId, actionId: a.id }, to: { planId, actionId: id } });
      await audit(trx, actor, "action.carried_forward", a.id, { from: { planId: previousPlanId }, to: { planId, actionId: id } });
      carried.push({ fromActionId: a.id, actionId: id });
    }
    const left = unfinished.filter((a) => input.decisions[a.id] === "leave").map((a) => a.id);
    for (const actionId of left) await audit(trx, actor, "action.left_behind", actionId, { from: { planId: previousPlanId }, to: { planId } });
    // One notice per organisation asked to confirm (not one per action), with the new plan.
    const asked = new Map<string, number>();
    for (const a of toCarry) for (const o of a.owners) if (o.organisationId !== actor.organisationId) asked.set(o.organisationId, (asked.get(o.organisationId) ?? 0) + 1);
    for (const [organisationId, n] of asked) {
      await notifyPeople(
        trx,
        {
          kind: "carry_forward",
          planId,
          summary: `${n} ${n === 1 ? "action your organisation led or supported was" : "actions your organisation led or supported were"} carried into “${input.plan.title}”. Please confirm your organisation's role in each, or decline it.`,
          link: `/plans/${encodeURIComponent(planId)}?mine=1`,
          actor,
        },
        await membersWithRole(trx, planId, [organisationId], "editor"),
      );
    }
    return { planId, carried, left };
  });
  return result;
}

/** "2025-26" for a period from April 2025 to March 2026; null without a period. */
export function periodLabel(start: string | null, end: string | null): string | null {
  if (!start || !end) return null;
  const a = start.slice(0, 4);
  const b = end.slice(0, 4);
  return a === b ? a : `${a}-${b.slice(2)}`;
}

// ---------------------------------------------------------------------------------------------
// Re-confirmation: one organisation accepts all its requests in a plan at once
// ---------------------------------------------------------------------------------------------

export async function acceptAllRequests(db: DB, sync: Sync, actor: Actor, input: { planId: string; organisationId: string }) {
  const role = await loadPlanRole(db, actor, input.planId);
  if (role === "none") throw new DomainError(404, "There is no plan at this address, or you have not been given access to it.");
  await refuseIfArchived(db, input.planId);
  const org = await findOrganisationName(db, input.organisationId);
  if (!org) throw new DomainError(400, "Choose a partner organisation from the list.");
  if (!canRespondToOwnership(actor, role, { organisation_id: org.id, status: "pending" })) {
    throw new DomainError(403, `Only an editor from ${org.name} can accept ${org.name}'s requests.`);
  }
  const noneOpen = () => new DomainError(409, `${org.name} has no open requests in this plan.`);
  const seen = await pendingRequestsOf(db, input.planId, org.id);
  if (seen.length === 0) throw noneOpen();
  // The words of actions someone has signed are read first, outside the transaction: a document
  // may be live in the sync server. Accepting changes who is named, never the words.
  const texts = new Map<string, SubjectText>();
  for (const p of seen) if (p.agreement_status !== null) texts.set(p.action_id, await readActionText(sync, p));
  // Every accept, its history row and the agreement it re-derives: one transaction, all or nothing.
  const accepted = await inTransaction(db, async (trx) => {
    const pending = await pendingRequestsOf(trx, input.planId, org.id);
    if (pending.length === 0) throw noneOpen();
    if (pending.some((p) => p.agreement_status !== null && !texts.has(p.action_id))) {
      throw new DomainError(409, `${org.name}'s requests changed while they were being accepted. Reload the page and accept them again.`);
    }
    const now = nowIso();
    for (const p of pending) {
      await updateActionOwner(trx, p.action_id, org.id, { status: "accepted", responded_by: actor.userId, responded_at: now });
      await insertOwnershipHistory(trx, {
        action_id: p.action_id,
        organisation_id: org.id,
        event: "accepted",
        from_role: p.role,
        from_status: "pending",
        to_role: p.role,
        to_status: "accepted",
        actor_user_id: actor.userId,
        actor_organisation_id: actor.organisationId,
        note: "accepted with all of the organisation's requests in this plan",
        created_at: now,
      });
      await touchAction(trx, p.action_id, now);
    }
    // Partners changed: any agreement reached on these actions is re-derived, in the same write.
    for (const p of pending) {
      const text = texts.get(p.action_id);
      if (text) await rederiveAgreementIn(trx, { id: p.action_id, plan_id: p.plan_id, title: p.title, document_id: p.document_id }, text, "partners_changed", actor);
    }
    return pending.map((p) => p.action_id);
  });
  return { organisationName: org.name, accepted, summary: `${org.name} accepted ${accepted.length} request${accepted.length === 1 ? "" : "s"} in this plan.` };
}
