/**
 * The power-sharing record of an engagement commitment: for each stage (plan, do, review) and each
 * co-drafting partner, a level on the spectrum inform < consult < involve < collaborate < empower,
 * what that partner will do, and a review date.
 *
 * Same guarantees as action ownership (ownership.ts): a partner sets its own row at once; a row
 * proposed for another partner waits in power_sharing_requests until an editor of THAT partner
 * accepts or declines; every change is written in one transaction together with its row in the
 * append-only power_sharing_history.
 */
import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import type { EngagementLevel, EngagementStage, PowerSharingEvent } from "../../db/schema";
import { usersOfOrganisations } from "../../db/queries/accounts";
import { findActionHeading, findOrganisationName, touchAction } from "../../db/queries/action-owners";
import { findOrganisationGrant, grantsOfPlan } from "../../db/queries/plan-grants";
import {
  deletePowerSharing,
  deletePowerSharingRequest,
  findPowerSharing,
  findPowerSharingRequest,
  insertPowerSharingHistory,
  upsertPowerSharing,
  upsertPowerSharingRequest,
} from "../../db/queries/power-sharing";
import {
  canRemovePowerSharingRow,
  canRespondToPowerSharing,
  canWithdrawPowerSharingRequest,
  planRole,
  powerSharingChange,
  type Actor,
} from "../policy";
import { proposalHref } from "../notifications/links";
import { notifyPeople } from "../notifications/notify";
import { DomainError } from "./errors";
import { requireProposal, UNEXPECTED_FIELDS } from "./proposals";

type Trx = DB;

export const STAGES: readonly EngagementStage[] = ["plan", "do", "review"];
export const LEVELS: readonly EngagementLevel[] = ["inform", "consult", "involve", "collaborate", "empower"];

export const STAGE_LABEL: Record<EngagementStage, string> = { plan: "Plan", do: "Do", review: "Review" };
export const LEVEL_LABEL: Record<EngagementLevel, string> = {
  inform: "Inform",
  consult: "Consult",
  involve: "Involve",
  collaborate: "Collaborate",
  empower: "Empower",
};

const Cell = {
  actionId: z.string().min(1).max(200),
  stage: z.enum(["plan", "do", "review"], { message: "Choose the stage: plan, do or review." }),
  organisationId: z.string().min(1, "Choose the partner organisation.").max(200),
};

export const SetPowerSharingInput = z
  .object({
    ...Cell,
    level: z.enum(["inform", "consult", "involve", "collaborate", "empower"], {
      message: "Choose a level: inform, consult, involve, collaborate or empower.",
    }),
    commitment: z
      .string({ required_error: "Say what this partner will do at this stage." })
      .trim()
      .min(3, "Say what this partner will do at this stage.")
      .max(1000, "Keep what the partner will do under 1,000 characters."),
    reviewDate: z
      .string({ required_error: "Give a review date." })
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Give the review date as a date, for example 2025-03-31.")
      .refine((d) => {
        const parsed = new Date(`${d}T00:00:00Z`);
        return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d && d >= "2000-01-01" && d <= "2100-12-31";
      }, "Give a real review date, for example 2025-03-31."),
  })
  .strict(UNEXPECTED_FIELDS);
export const CellInput = z.object(Cell).strict(UNEXPECTED_FIELDS);

export interface PowerSharingChange {
  planId: string;
  actionId: string;
  summary: string;
  outcome: "set" | "requested" | "accepted" | "declined" | "withdrawn" | "removed";
}

interface Values {
  level: EngagementLevel;
  commitment: string;
  review_date: string;
}

async function loadCommitment(db: DB, actor: Actor, actionId: string) {
  const action = await findActionHeading(db, actionId);
  if (!action) throw new DomainError(404, "That commitment does not exist (any more). Reload the page.");
  const { role } = await requireProposal(db, actor, action.plan_id);
  return { action, role };
}

async function organisationName(db: DB, organisationId: string) {
  const org = await findOrganisationName(db, organisationId);
  if (!org) throw new DomainError(400, "Choose a partner organisation from the list.");
  return org;
}

async function history(
  trx: Trx,
  actor: Actor,
  cell: { action_id: string; stage: EngagementStage; organisation_id: string },
  event: PowerSharingEvent,
  from: Values | null,
  to: Values | null,
  note = "",
) {
  await insertPowerSharingHistory(trx, {
    action_id: cell.action_id,
    stage: cell.stage,
    organisation_id: cell.organisation_id,
    event,
    from_level: from?.level ?? null,
    from_commitment: from?.commitment ?? null,
    from_review_date: from?.review_date ?? null,
    to_level: to?.level ?? null,
    to_commitment: to?.commitment ?? null,
    to_review_date: to?.review_date ?? null,
    actor_user_id: actor.userId,
    actor_organisation_id: actor.organisationId,
    note,
    created_at: nowIso(),
  });
}

/** The level, commitment and review date of a row or request: what history records and comparisons use. */
const valuesOf = (r: Values | undefined): Values | undefined =>
  r && { level: r.level, commitment: r.commitment, review_date: r.review_date };

const sameValues = (a: Values | undefined | null, b: Values) =>
  !!a && a.level === b.level && a.commitment === b.commitment && a.review_date === b.review_date;

/**
 * Records a level. For the actor's own organisation it is agreed at once (and answers any open
 * request for that cell); for another partner it becomes a request that only that partner answers.
 */
export async function setPowerSharing(db: DB, actor: Actor, raw: unknown): Promise<PowerSharingChange> {
  const input = SetPowerSharingInput.parse(raw);
  const { action, role } = await loadCommitment(db, actor, input.actionId);
  const kind = powerSharingChange(actor, role, input.organisationId);
  if (kind === "refused") {
    throw new DomainError(403, "Only partners who co-draft this proposal (editors) can record power-sharing levels.");
  }
  const org = await organisationName(db, input.organisationId);
  const grant = await findOrganisationGrant(db, action.plan_id, input.organisationId);
  if (input.organisationId !== actor.organisationId && grant?.role !== "editor") {
    throw new DomainError(
      400,
      `${org.name} does not co-draft this proposal, so it has no row in the power-sharing record. Ask the facilitator to make ${org.name} a partner first.`,
    );
  }
  const values: Values = { level: input.level, commitment: input.commitment, review_date: input.reviewDate };
  const cell = { action_id: action.id, stage: input.stage, organisation_id: input.organisationId };
  const stage = STAGE_LABEL[input.stage].toLowerCase();
  const now = nowIso();

  await inTransaction(db, async (trx) => {
    const row = valuesOf(await findPowerSharing(trx, cell));
    const request = valuesOf(await findPowerSharingRequest(trx, cell));
    if (kind === "direct") {
      if (sameValues(row, values)) throw new DomainError(409, `${org.name} already agreed exactly this for the ${stage} stage; nothing changed.`);
      if (request) {
        await deletePowerSharingRequest(trx, cell);
        await history(trx, actor, cell, "superseded", request, null, `${org.name} set its own row instead`);
      }
      await upsertPowerSharing(trx, { ...cell, ...values, agreed_by: actor.userId, agreed_at: now });
      await history(trx, actor, cell, "set", row ?? null, values);
    } else {
      if (sameValues(row, values)) throw new DomainError(409, `${org.name} already agreed exactly this for the ${stage} stage; nothing changed.`);
      if (sameValues(request, values)) throw new DomainError(409, `${org.name} has already been asked exactly this; it is waiting for their answer.`);
      if (request) {
        await history(trx, actor, cell, "superseded", request, null, "replaced by a newer request");
      }
      await upsertPowerSharingRequest(trx, {
        ...cell,
        ...values,
        requested_by: actor.userId,
        requested_by_organisation_id: actor.organisationId,
        requested_at: now,
      });
      await history(trx, actor, cell, "proposed", row ?? null, values);
      await notifyEditors(trx, actor, action.plan_id, input.organisationId, {
        summary: `${org.name} is asked to ${LEVEL_LABEL[input.level].toLowerCase()} at the ${stage} stage of “${action.title}”. An editor from ${org.name} can accept or decline.`,
        actionId: action.id,
      });
    }
    await touchAction(trx, action.id, now);
  });

  return {
    planId: action.plan_id,
    actionId: action.id,
    outcome: kind === "direct" ? "set" : "requested",
    summary:
      kind === "direct"
        ? `${org.name} will ${LEVEL_LABEL[input.level].toLowerCase()} at the ${stage} stage of “${action.title}”.`
        : `${org.name} has been asked to ${LEVEL_LABEL[input.level].toLowerCase()} at the ${stage} stage of “${action.title}”; it waits for their answer.`,
  };
}

/** Tells the editors of an organisation (who can answer) that a request waits for them. */
async function notifyEditors(trx: Trx, actor: Actor, planId: string, organisationId: string, n: { summary: string; actionId: string }) {
  const [users, grants] = await Promise.all([
    usersOfOrganisations(trx, [organisationId]),
    grantsOfPlan(trx, planId),
  ]);
  const editors = users.filter((u) => {
    const role = planRole({ userId: u.id, organisationId: u.organisation_id, systemRole: u.system_role }, grants);
    return canRespondToPowerSharing({ userId: u.id, organisationId: u.organisation_id, systemRole: u.system_role }, role, { organisation_id: organisationId });
  });
  // With the request, in its transaction: the notification rows and the emails wanted at once.
  await notifyPeople(trx, { kind: "power_sharing_request", planId, summary: n.summary, link: proposalHref(planId, `commitment-${n.actionId}`), actor }, editors.map((u) => u.id));
}

/** Only an editor of the named organisation answers its request: nobody accepts for another partner. */
export async function respondToPowerSharing(
  db: DB,
  actor: Actor,
  raw: unknown,
  accept: boolean,
): Promise<PowerSharingChange> {
  const input = CellInput.parse(raw);
  const { action, role } = await loadCommitment(db, actor, input.actionId);
  const org = await organisationName(db, input.organisationId);
  const cell = { action_id: action.id, stage: input.stage, organisation_id: input.organisationId };
  const stage = STAGE_LABEL[input.stage].toLowerCase();
  const now = nowIso();
  const request = await inTransaction(db, async (trx) => {
    const request = await findPowerSharingRequest(trx, cell);
    if (!request) throw new DomainError(409, `There is no open request for ${org.name} at the ${stage} stage any more. Reload the page.`);
    if (!canRespondToPowerSharing(actor, role, request)) {
      throw new DomainError(403, `Only an editor from ${org.name} can accept or decline this request.`);
    }
    const row = valuesOf(await findPowerSharing(trx, cell));
    await deletePowerSharingRequest(trx, cell);
    if (accept) {
      const values = { level: request.level, commitment: request.commitment, review_date: request.review_date };
      await upsertPowerSharing(trx, { ...cell, ...values, agreed_by: actor.userId, agreed_at: now });
      await history(trx, actor, cell, "accepted", row ?? null, values);
    } else {
      await history(trx, actor, cell, "declined", row ?? null, null, `declined: ${LEVEL_LABEL[request.level]}`);
    }
    await touchAction(trx, action.id, now);
    return request;
  });
  return {
    planId: action.plan_id,
    actionId: action.id,
    outcome: accept ? "accepted" : "declined",
    summary: `${org.name} ${accept ? "agreed" : "declined"} to ${LEVEL_LABEL[request.level].toLowerCase()} at the ${stage} stage of “${action.title}”.`,
  };
}

export async function withdrawPowerSharingRequest(db: DB, actor: Actor, raw: unknown): Promise<PowerSharingChange> {
  const input = CellInput.parse(raw);
  const { action, role } = await loadCommitment(db, actor, input.actionId);
  const org = await organisationName(db, input.organisationId);
  const cell = { action_id: action.id, stage: input.stage, organisation_id: input.organisationId };
  const stage = STAGE_LABEL[input.stage].toLowerCase();
  await inTransaction(db, async (trx) => {
    const request = await findPowerSharingRequest(trx, cell);
    if (!request) throw new DomainError(409, `There is no open request for ${org.name} at the ${stage} stage any more.`);
    if (!canWithdrawPowerSharingRequest(actor, role, request)) {
      throw new DomainError(403, "Only the partner who made this request, or a facilitator, can withdraw it.");
    }
    await deletePowerSharingRequest(trx, cell);
    await history(trx, actor, cell, "withdrawn", request, null);
  });
  return {
    planId: action.plan_id,
    actionId: action.id,
    outcome: "withdrawn",
    summary: `The request to ${org.name} for the ${stage} stage of “${action.title}” was withdrawn.`,
  };
}

export async function removePowerSharingRow(db: DB, actor: Actor, raw: unknown): Promise<PowerSharingChange> {
  const input = CellInput.parse(raw);
  const { action, role } = await loadCommitment(db, actor, input.actionId);
  const org = await organisationName(db, input.organisationId);
  const cell = { action_id: action.id, stage: input.stage, organisation_id: input.organisationId };
  const stage = STAGE_LABEL[input.stage].toLowerCase();
  await inTransaction(db, async (trx) => {
    const row = await findPowerSharing(trx, cell);
    if (!row) throw new DomainError(409, `${org.name} has no agreed level at the ${stage} stage.`);
    if (!canRemovePowerSharingRow(actor, role, row)) {
      throw new DomainError(403, `Only ${org.name} itself can withdraw what it agreed.`);
    }
    await deletePowerSharing(trx, cell);
    await history(trx, actor, cell, "removed", row, null);
  });
  return {
    planId: action.plan_id,
    actionId: action.id,
    outcome: "removed",
    summary: `${org.name} withdrew its level for the ${stage} stage of “${action.title}”.`,
  };
}
