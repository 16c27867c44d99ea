import type { Transaction } from "kysely";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import type { ActionOwner, Database, OwnerRole, OwnershipEvent } from "../../db/schema";
import { can, canRemoveOwner, canRespondToOwnership, type Actor } from "../policy";
import {
  deleteActionOwner,
  findActionHeading,
  findActionOwner,
  findOrganisationName,
  insertActionOwner,
  insertOwnershipHistory,
  listActionOwners,
  touchAction,
  updateActionOwner,
} from "../../db/queries/action-owners";
import { planActionHref } from "../notifications/links";
import { actorLabel, membersWithRole, notifyPeople } from "../notifications/notify";
import { DomainError } from "./errors";
import { loadPlanRole, requirePlanUnlocked } from "./plan-access";

type Trx = Transaction<Database>;

async function loadAction(db: DB, actionId: string) {
  const action = await findActionHeading(db, actionId);
  if (!action) throw new DomainError(404, "That action no longer exists. Reload the page to see the current plan.");
  return action;
}

async function requireOrganisation(db: DB | Trx, organisationId: string) {
  const org = await findOrganisationName(db, organisationId);
  if (!org) throw new DomainError(400, "Choose a partner organisation from the list.");
  return org;
}

async function history(
  trx: Trx,
  actor: Actor,
  actionId: string,
  organisationId: string,
  event: OwnershipEvent,
  from: Pick<ActionOwner, "role" | "status"> | null,
  to: Pick<ActionOwner, "role" | "status"> | null,
  note = "",
) {
  await insertOwnershipHistory(trx, {
      action_id: actionId,
      organisation_id: organisationId,
      event,
      from_role: from?.role ?? null,
      from_status: from?.status ?? null,
      to_role: to?.role ?? null,
      to_status: to?.status ?? null,
      actor_user_id: actor.userId,
      actor_organisation_id: actor.organisationId,
      note,
      created_at: nowIso(),
  });
}

export interface OwnershipChange {
  planId: string;
  actionTitle: string;
  summary: string;
}

/**
 * Names an organisation as lead or supporting partner. Naming your own organisation takes effect
 * at once; naming another creates a pending request that only that organisation can answer.
 * An accepted lead can be replaced only by the lead organisation itself (handing over) or a
 * facilitator, so no partner is pushed out of a role it holds.
 */
export async function nameOwner(
  db: DB,
  actor: Actor,
  input: { actionId: string; organisationId: string; role: OwnerRole },
): Promise<OwnershipChange> {
  return inTransaction(db, (trx) => nameOwnerIn(trx, actor, input));
}

/**
 * `nameOwner` inside a transaction the caller holds, so an operation that creates an action and
 * names its lead commits both or neither (the checks read inside it too, so nothing changes
 * between the check and the write).
 */
export async function nameOwnerIn(
  trx: Trx,
  actor: Actor,
  input: { actionId: string; organisationId: string; role: OwnerRole },
): Promise<OwnershipChange> {
  const db = trx;
  const action = await loadAction(db, input.actionId);
  const role = await loadPlanRole(db, actor, action.plan_id);
  if (!can(role, "ownership:propose")) {
    throw new DomainError(403, "Only editors of this plan can name lead or supporting partners.");
  }
  await requirePlanUnlocked(db, role, action.plan_id, "ownership:propose");
  const org = await requireOrganisation(db, input.organisationId);
  const status = input.organisationId === actor.organisationId ? "accepted" : "pending";

  {
    const owners = await listActionOwners(trx, action.id);
    const existing = owners.find((o) => o.organisation_id === input.organisationId);
    if (existing && existing.role === input.role) {
      throw new DomainError(
        409,
        `${org.name} is already ${existing.status === "pending" ? "asked to be" : "named as"} ${input.role === "lead" ? "the lead partner" : "a supporting partner"}.`,
      );
    }
    if (input.role === "lead") {
      const lead = owners.find((o) => o.role === "lead" && o.organisation_id !== input.organisationId);
      if (lead) {
        const maySupersede =
          lead.status === "pending"
            ? canRemoveOwner(actor, role, lead)
            : role === "facilitator" || lead.organisation_id === actor.organisationId;
        if (!maySupersede) {
          throw new DomainError(
            409,
            "Another partner already leads this action. Ask them to hand over the lead, or ask a facilitator.",
          );
        }
        await deleteActionOwner(trx, action.id, lead.organisation_id);
        await history(trx, actor, action.id, lead.organisation_id, "removed", lead, null, "replaced as lead");
      }
    }
    const now = nowIso();
    const row = {
      role: input.role,
      status,
      requested_by: actor.userId,
      requested_at: now,
      responded_by: status === "accepted" ? actor.userId : null,
      responded_at: status === "accepted" ? now : null,
    } as const;
    if (existing) {
      await updateActionOwner(trx, action.id, input.organisationId, row);
      await history(trx, actor, action.id, input.organisationId, "role_changed", existing, row);
    } else {
      await insertActionOwner(trx, { action_id: action.id, organisation_id: input.organisationId, ...row });
      await history(trx, actor, action.id, input.organisationId, status === "accepted" ? "accepted" : "proposed", null, row);
    }
    await touchAction(trx, action.id, now);
    if (status === "pending") {
      // The request and the email telling its editors are one fact: both commit, or neither.
      await notifyPeople(
        trx,
        {
          kind: "ownership_request",
          planId: action.plan_id,
          summary: `${await actorLabel(trx, actor)} asks ${org.name} to ${input.role === "lead" ? "lead" : "support"} “${action.title}”. An editor from ${org.name} can accept or decline.`,
          link: planActionHref(action.plan_id, action.id),
          actor,
        },
        await membersWithRole(trx, action.plan_id, [input.organisationId], "editor"),
      );
    }
  }

  const what = input.role === "lead" ? "lead partner" : "supporting partner";
  return {
    planId: action.plan_id,
    actionTitle: action.title,
    summary:
      status === "accepted"
        ? `${org.name} is now ${what} for “${action.title}”.`
        : `${org.name} has been asked to be ${what} for “${action.title}”.`,
  };
}

/** Only an editor of the named organisation answers its request: nobody accepts for another partner. */
export async function respondToOwnership(
  db: DB,
  actor: Actor,
  input: { actionId: string; organisationId: string; accept: boolean },
): Promise<OwnershipChange> {
  const action = await loadAction(db, input.actionId);
  const role = await loadPlanRole(db, actor, action.plan_id);
  const org = await requireOrganisation(db, input.organisationId);
  const outcome = await inTransaction(db, async (trx) => {
    const request = await findActionOwner(trx, action.id, input.organisationId);
    if (!request || request.status !== "pending") {
      throw new DomainError(409, "There is no open request for this organisation on this action any more.");
    }
    if (!canRespondToOwnership(actor, role, request)) {
      throw new DomainError(
        403,
        `Only an editor from ${org.name} can accept or decline this request.`,
      );
    }
    const now = nowIso();
    if (input.accept) {
      const to = { role: request.role, status: "accepted" as const };
      await updateActionOwner(trx, action.id, input.organisationId, { status: "accepted", responded_by: actor.userId, responded_at: now });
      await history(trx, actor, action.id, input.organisationId, "accepted", request, to);
    } else {
      await deleteActionOwner(trx, action.id, input.organisationId);
      await history(trx, actor, action.id, input.organisationId, "declined", request, {
        role: request.role,
        status: "declined",
      });
    }
    await touchAction(trx, action.id, now);
    return request.role;
  });
  const what = outcome === "lead" ? "lead partner" : "supporting partner";
  return {
    planId: action.plan_id,
    actionTitle: action.title,
    summary: `${org.name} ${input.accept ? "accepted" : "declined"} being ${what} for “${action.title}”.`,
  };
}

export async function removeOwner(
  db: DB,
  actor: Actor,
  input: { actionId: string; organisationId: string },
): Promise<OwnershipChange> {
  const action = await loadAction(db, input.actionId);
  const role = await loadPlanRole(db, actor, action.plan_id);
  const org = await requireOrganisation(db, input.organisationId);
  if (role !== "none") await requirePlanUnlocked(db, role, action.plan_id, "ownership:propose");
  await inTransaction(db, async (trx) => {
    const owner = await findActionOwner(trx, action.id, input.organisationId);
    if (!owner) throw new DomainError(409, `${org.name} is no longer named on this action.`);
    if (!canRemoveOwner(actor, role, owner)) {
      throw new DomainError(
        403,
        `Only ${org.name} itself or a facilitator can take ${org.name} off this action.`,
      );
    }
    await deleteActionOwner(trx, action.id, input.organisationId);
    await history(trx, actor, action.id, input.organisationId, "removed", owner, null);
    await touchAction(trx, action.id, nowIso());
  });
  return {
    planId: action.plan_id,
    actionTitle: action.title,
    summary: `${org.name} was taken off “${action.title}”.`,
  };
}
