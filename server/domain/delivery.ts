/**
 * Facts of record about delivery: progress updates, milestones, and an action's links to KPIs and
 * recommendations. Each function checks the policy, writes in one transaction with its history,
 * and throws DomainError with a message a person can act on.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import type { MilestoneEvent } from "../../db/schema";
import { daysBetween, formatDate, isIsoDate, todayInLondon } from "../accountability/dates";
import { STATUS_LABEL } from "../accountability/rag";
import { can, canDo, canReportProgress, type Actor } from "../policy";
import { DomainError } from "./errors";
import { loadPlanRole } from "./plan-access";
import { findActionHeading, touchAction } from "../../db/queries/action-owners";
import { findActionPriorityId, setActionPriority } from "../../db/queries/actions";
import { insertAuditRow } from "../../db/queries/audit";
import {
  findKpiLabel,
  findMilestoneWithAction,
  insertMilestone,
  insertMilestoneChange,
  insertProgressUpdateReturningId,
  lastMilestonePosition,
  linkActionKpiIfAbsent,
  linkActionRecommendationIfAbsent,
  ownerAnswersOfAction,
  unlinkActionKpi,
  unlinkActionRecommendation,
  updateMilestone,
} from "../../db/queries/delivery";
import { findPlanPriorityWithTitle } from "../../db/queries/priorities";
import { findRecommendationLabel } from "../../db/queries/recommendations";

const IsoDate = (what: string) =>
  z
    .string()
    .trim()
    .refine(isIsoDate, `Enter ${what} as a real date, for example 2022-09-30.`);

export const ProgressUpdateInput = z
  .object({
    actionId: z.string().min(1).max(200),
    status: z.enum(["on_track", "at_risk", "off_track"], { message: "Choose on track, at risk or off track." }),
    reportedOn: IsoDate("the date of the update"),
    narrative: z
      .string()
      .trim()
      .min(10, "Say what has happened since the last update (at least 10 characters).")
      .max(5000, "Keep the update under 5,000 characters."),
    mitigation: z.string().trim().max(5000, "Keep the mitigation under 5,000 characters.").default(""),
  })
  .superRefine((v, ctx) => {
    if (v.status !== "on_track" && v.mitigation.length < 10) {
      ctx.addIssue({
        code: "custom",
        path: ["mitigation"],
        message: `An action ${STATUS_LABEL[v.status]} needs its mitigation: say what will bring it back on track, and by when (at least 10 characters).`,
      });
    }
  });
export type ProgressUpdateInput = z.infer<typeof ProgressUpdateInput>;

async function loadActionWithOwners(db: DB, actionId: string) {
  const action = await findActionHeading(db, actionId);
  if (!action) throw new DomainError(404, "That action no longer exists. Reload the page to see the current plan.");
  const owners = await ownerAnswersOfAction(db, actionId);
  return { action, owners };
}

export interface DeliveryChange {
  planId: string;
  actionId: string;
  summary: string;
}

/**
 * An owner's dated statement about delivery. The author and their organisation come from the
 * session, never from the form; updates are never edited or deleted (the table refuses it): a
 * correction is a new update.
 */
export async function postProgressUpdate(
  db: DB,
  actor: Actor,
  input: ProgressUpdateInput,
  today = todayInLondon(),
): Promise<DeliveryChange & { id: number }> {
  const { action, owners } = await loadActionWithOwners(db, input.actionId);
  const role = await loadPlanRole(db, actor, action.plan_id);
  if (role === "none") throw new DomainError(404, "That action no longer exists. Reload the page to see the current plan.");
  if (!canReportProgress(actor, role, owners)) {
    throw new DomainError(
      403,
      "Only the lead or a supporting partner of this action (once they have accepted), or a facilitator, can post progress updates.",
    );
  }
  if (daysBetween(today, input.reportedOn) > 0) {
    throw new DomainError(400, `An update cannot be dated in the future: use today (${formatDate(today)}) or an earlier date.`);
  }
  if (daysBetween("2000-01-01", input.reportedOn) < 0) {
    throw new DomainError(400, "That date is too far in the past. Check the year.");
  }
  const id = await inTransaction(db, async (trx) => {
    const id = await insertProgressUpdateReturningId(trx, {
      action_id: action.id,
      status: input.status,
      reported_on: input.reportedOn,
      narrative: input.narrative,
      mitigation: input.mitigation,
      author_user_id: actor.userId,
      author_organisation_id: actor.organisationId,
      created_at: nowIso(),
    });
    await touchAction(trx, action.id, nowIso());
    return id;
  });
  return {
    id,
    planId: action.plan_id,
    actionId: action.id,
    summary: `Progress update on “${action.title}”: ${STATUS_LABEL[input.status]}.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Milestones
// ---------------------------------------------------------------------------------------------

export const MilestoneInput = z.object({
  actionId: z.string().min(1).max(200),
  title: z
    .string()
    .trim()
    .min(3, "Give the milestone a title of at least 3 characters.")
    .max(160, "Keep the milestone title under 160 characters."),
  dueDate: IsoDate("the due date"),
});

async function recordMilestoneChange(
  trx: DB,
  actor: Actor,
  m: { id: string; action_id: string },
  event: MilestoneEvent,
  from: string | null,
  to: string | null,
) {
  await insertMilestoneChange(trx, {
    milestone_id: m.id,
    action_id: m.action_id,
    event,
    from_value: from,
    to_value: to,
    actor_user_id: actor.userId,
    actor_organisation_id: actor.organisationId,
    created_at: nowIso(),
  });
}

async function requirePlanner(db: DB, actor: Actor, planId: string) {
  const role = await loadPlanRole(db, actor, planId);
  if (!canDo(role, "milestone:plan")) {
    throw new DomainError(403, "Only editors of this plan can add or change milestones.");
  }
  return role;
}

export async function addMilestone(db: DB, actor: Actor, input: z.infer<typeof MilestoneInput>): Promise<DeliveryChange> {
  const { action } = await loadActionWithOwners(db, input.actionId);
  await requirePlanner(db, actor, action.plan_id);
  const id = `ms-${randomUUID()}`;
  await inTransaction(db, async (trx) => {
    const last = await lastMilestonePosition(trx, action.id);
    const now = nowIso();
    await insertMilestone(trx, {
      id,
      action_id: action.id,
      title: input.title,
      due_date: input.dueDate,
      completed_on: null,
      completed_by: null,
      position: last + 1,
      removed_at: null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordMilestoneChange(trx, actor, { id, action_id: action.id }, "created", null, `${input.dueDate} · ${input.title}`);
  });
  return { planId: action.plan_id, actionId: action.id, summary: `Milestone “${input.title}” added to “${action.title}”.` };
}

async function loadMilestone(db: DB, milestoneId: string) {
  const m = await findMilestoneWithAction(db, milestoneId);
  if (!m || m.removed_at) throw new DomainError(404, "That milestone no longer exists. Reload the page.");
  return m;
}

export const MilestoneEditInput = z.object({
  milestoneId: z.string().min(1).max(200),
  title: MilestoneInput.shape.title,
  dueDate: IsoDate("the due date"),
});

/** Renaming and rescheduling are kept as separate, dated changes: the board sees every re-plan. */
export async function editMilestone(db: DB, actor: Actor, input: z.infer<typeof MilestoneEditInput>): Promise<DeliveryChange> {
  const m = await loadMilestone(db, input.milestoneId);
  await requirePlanner(db, actor, m.plan_id);
  if (m.title === input.title && m.due_date === input.dueDate) {
    throw new DomainError(400, "Nothing changed: edit the title or the due date first.");
  }
  await inTransaction(db, async (trx) => {
    await updateMilestone(trx, m.id, { title: input.title, due_date: input.dueDate, updated_at: nowIso() });
    if (m.title !== input.title) await recordMilestoneChange(trx, actor, m, "renamed", m.title, input.title);
    if (m.due_date !== input.dueDate) await recordMilestoneChange(trx, actor, m, "rescheduled", m.due_date, input.dueDate);
  });
  const moved = m.due_date !== input.dueDate ? ` moved from ${formatDate(m.due_date)} to ${formatDate(input.dueDate)}` : " renamed";
  return { planId: m.plan_id, actionId: m.action_id, summary: `Milestone “${input.title}”${moved}.` };
}

export async function removeMilestone(db: DB, actor: Actor, milestoneId: string): Promise<DeliveryChange> {
  const m = await loadMilestone(db, milestoneId);
  await requirePlanner(db, actor, m.plan_id);
  await inTransaction(db, async (trx) => {
    await updateMilestone(trx, m.id, { removed_at: nowIso(), updated_at: nowIso() });
    await recordMilestoneChange(trx, actor, m, "removed", `${m.due_date} · ${m.title}`, null);
  });
  return { planId: m.plan_id, actionId: m.action_id, summary: `Milestone “${m.title}” removed from “${m.action_title}”.` };
}

export const CompleteMilestoneInput = z.object({
  milestoneId: z.string().min(1).max(200),
  completedOn: IsoDate("the date it was completed"),
});

/** Saying a milestone is done is a delivery claim: the same rule as a progress update. */
export async function completeMilestone(
  db: DB,
  actor: Actor,
  input: z.infer<typeof CompleteMilestoneInput>,
  today = todayInLondon(),
): Promise<DeliveryChange> {
  const m = await loadMilestone(db, input.milestoneId);
  const { owners } = await loadActionWithOwners(db, m.action_id);
  const role = await loadPlanRole(db, actor, m.plan_id);
  if (!canReportProgress(actor, role, owners)) {
    throw new DomainError(403, "Only the lead or a supporting partner of this action, or a facilitator, can mark its milestones done.");
  }
  if (daysBetween(today, input.completedOn) > 0) {
    throw new DomainError(400, "A milestone cannot be completed in the future. Use today's date or an earlier one.");
  }
  if (m.completed_on) throw new DomainError(409, `This milestone was already marked done on ${formatDate(m.completed_on)}.`);
  await inTransaction(db, async (trx) => {
    await updateMilestone(trx, m.id, { completed_on: input.completedOn, completed_by: actor.userId, updated_at: nowIso() });
    await recordMilestoneChange(trx, actor, m, "completed", null, input.completedOn);
  });
  return { planId: m.plan_id, actionId: m.action_id, summary: `Milestone “${m.title}” of “${m.action_title}” marked done.` };
}

export async function reopenMilestone(db: DB, actor: Actor, milestoneId: string): Promise<DeliveryChange> {
  const m = await loadMilestone(db, milestoneId);
  const { owners } = await loadActionWithOwners(db, m.action_id);
  const role = await loadPlanRole(db, actor, m.plan_id);
  if (!canReportProgress(actor, role, owners)) {
    throw new DomainError(403, "Only the lead or a supporting partner of this action, or a facilitator, can reopen its milestones.");
  }
  if (!m.completed_on) throw new DomainError(409, "This milestone is not marked done.");
  await inTransaction(db, async (trx) => {
    await updateMilestone(trx, m.id, { completed_on: null, completed_by: null, updated_at: nowIso() });
    await recordMilestoneChange(trx, actor, m, "reopened", m.completed_on, null);
  });
  return { planId: m.plan_id, actionId: m.action_id, summary: `Milestone “${m.title}” of “${m.action_title}” reopened.` };
}

// ---------------------------------------------------------------------------------------------
// Links: action <-> KPI, action <-> recommendation
// ---------------------------------------------------------------------------------------------

export const LinkInput = z.object({
  actionId: z.string().min(1).max(200),
  kind: z.enum(["kpi", "recommendation"]),
  targetId: z.string().min(1, "Choose what to link from the list.").max(200),
});

async function audit(db: DB, actor: Actor, event: string, subject: string, detail: object) {
  await insertAuditRow(db, {
    actor_user_id: actor.userId,
    actor_organisation_id: actor.organisationId,
    event,
    subject,
    detail: JSON.stringify(detail),
    created_at: nowIso(),
  });
}

export async function setLink(
  db: DB,
  actor: Actor,
  input: z.infer<typeof LinkInput>,
  linked: boolean,
): Promise<DeliveryChange> {
  const { action } = await loadActionWithOwners(db, input.actionId);
  const role = await loadPlanRole(db, actor, action.plan_id);
  if (!canDo(role, "action:link")) throw new DomainError(403, "Only editors of this plan can change what an action is linked to.");
  const target =
    input.kind === "kpi"
      ? await findKpiLabel(db, input.targetId)
      : await findRecommendationLabel(db, input.targetId);
  if (!target) throw new DomainError(400, `Choose a ${input.kind === "kpi" ? "KPI" : "recommendation"} from the list.`);
  const what = input.kind === "kpi" ? `KPI ${target.label}` : `recommendation ${target.label}`;
  await inTransaction(db, async (trx) => {
    if (input.kind === "kpi") {
      if (linked) {
        await linkActionKpiIfAbsent(trx, { action_id: action.id, kpi_id: target.id, linked_by: actor.userId, linked_at: nowIso() });
      } else {
        await unlinkActionKpi(trx, action.id, target.id);
      }
    } else if (linked) {
      await linkActionRecommendationIfAbsent(trx, {
        action_id: action.id,
        recommendation_id: target.id,
        linked_by: actor.userId,
        linked_at: nowIso(),
      });
    } else {
      await unlinkActionRecommendation(trx, action.id, target.id);
    }
    await audit(trx, actor, linked ? `action.${input.kind}.linked` : `action.${input.kind}.unlinked`, action.id, { target: target.id });
  });
  return {
    planId: action.plan_id,
    actionId: action.id,
    summary: linked ? `“${action.title}” now serves ${what}.` : `“${action.title}” no longer linked to ${what}.`,
  };
}

export const PriorityInput = z.object({
  actionId: z.string().min(1).max(200),
  priorityId: z.string().min(1, "Choose one of this plan's priorities.").max(200),
});

/** Moving an action to another priority of its plan: an editor's change, audited. */
export async function setPriority(db: DB, actor: Actor, input: z.infer<typeof PriorityInput>): Promise<DeliveryChange> {
  const action = await findActionPriorityId(db, input.actionId);
  if (!action) throw new DomainError(404, "That action no longer exists. Reload the page to see the current plan.");
  const role = await loadPlanRole(db, actor, action.plan_id);
  if (!can(role, "action:edit-details")) throw new DomainError(403, "Only editors of this plan can move an action to another priority.");
  const priority = await findPlanPriorityWithTitle(db, action.plan_id, input.priorityId);
  if (!priority) throw new DomainError(400, "Choose one of this plan's priorities.");
  if (priority.retired_at) throw new DomainError(400, `${priority.code} is retired: choose one of the plan's current priorities.`);
  if (priority.id === action.priority_id) throw new DomainError(400, `“${action.title}” already serves ${priority.code}.`);
  await inTransaction(db, async (trx) => {
    await setActionPriority(trx, action.id, priority.id, nowIso());
    await audit(trx, actor, "action.priority.changed", action.id, { from: action.priority_id, to: priority.id });
  });
  return { planId: action.plan_id, actionId: action.id, summary: `“${action.title}” now serves ${priority.code} ${priority.title}.` };
}
