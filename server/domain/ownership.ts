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
import type { SyncServer } from "../sync";
import { applyAgreementRefresh, readForAgreementRefresh, type AgreementChange, type AgreementRefreshRead } from "./agreement";
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
  /** The agreement the change re-derived (a partner who must sign came or went), if it changed. */
  agreement: AgreementChange | null;
}

type Reader = Pick<SyncServer, "readDocument">;

/**
 * Runs an ownership change and re-derives the action's agreement in ONE transaction: who is
 * named, its history and the agreement status it leads to commit together or not at all. The
 * words are read first, outside the transaction (a document may be live in the sync server;
 * changing partners never changes the words). Without `sync` (creating an action, which nobody
 * has signed yet) there is nothing to re-derive.
 */
async function withAgreement(
  db: DB,
  sync: Reader | undefined,
  actor: Actor,
  actionId: string,
  change: (trx: Trx) => Promise<Omit<OwnershipChange, "agreement">>,
): Promise<OwnershipChange> {
  const read: AgreementRefreshRead | null = sync ? await readForAgreementRefresh(db, sync, actionId) : null;
  return inTransaction(db, async (trx) => {
    const done = await change(trx);
    const agreement = read ? await applyAgreementRefresh(trx, read, "partners_changed", actor) : null;
    return { ...done, agreement };
  });
}

const WHAT: Record<OwnerRole, string> = { lead: "lead partner", support: "supporting partner" };

/**
 * A request the organisation has not answered goes away (withdrawn, declined or superseded). An
 * organisation asked to change role keeps the role it held (a supporting partner asked to take
 * over as lead who declines is still a supporting partner); one that held nothing leaves.
 */
async function dropRequest(trx: Trx, actor: Actor, actionId: string, request: ActionOwner, event: OwnershipEvent, note = "") {
  if (request.held_role) {
    const to = { role: request.held_role, status: "accepted" as const };
    await updateActionOwner(trx, actionId, request.organisation_id, { ...to, held_role: null });
    await history(trx, actor, actionId, request.organisation_id, event, request, to, note);
  } else {
    await deleteActionOwner(trx, actionId, request.organisation_id);
    await history(trx, actor, actionId, request.organisation_id, event, request, event === "declined" ? { role: request.role, status: "declined" } : null, note);
  }
}

/**
 * Names an organisation as lead or supporting partner. Naming your own organisation takes effect
 * at once; naming another creates a pending request that only that organisation can answer.
 * An accepted lead can be superseded only by the lead organisation itself (handing over) or a
 * facilitator, so no partner is pushed out of a role it holds. Asking another organisation to
 * take over as lead leaves the current lead in place until the request is accepted.
 */
export async function nameOwner(
  db: DB,
  actor: Actor,
  input: { actionId: string; organisationId: string; role: OwnerRole },
  sync?: Reader,
): Promise<OwnershipChange> {
  return withAgreement(db, sync, actor, input.actionId, (trx) => nameOwnerIn(trx, actor, input));
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
): Promise<Omit<OwnershipChange, "agreement">> {
  const db = trx;
  const action = await loadAction(db, input.actionId);
  const role = await loadPlanRole(db, actor, action.plan_id);
  if (!can(role, "ownership:propose")) {
    throw new DomainError(403, "Only editors of this plan can name lead or supporting partners.");
  }
  await requirePlanUnlocked(db, role, action.plan_id, "ownership:propose");
  const org = await requireOrganisation(db, input.organisationId);
  const status = input.organisationId === actor.organisationId ? "accepted" : "pending";

  const owners = await listActionOwners(trx, action.id);
  const existing = owners.find((o) => o.organisation_id === input.organisationId);
  if (existing && existing.role === input.role) {
    throw new DomainError(
      409,
      `${org.name} is already ${existing.status === "pending" ? "asked to be" : "named as"} ${input.role === "lead" ? "the lead partner" : "a supporting partner"}.`,
    );
  }
  const now = nowIso();
  let currentLead: (ActionOwner & { name: string }) | null = null;
  if (input.role === "lead") {
    const lead = owners.find((o) => o.role === "lead" && o.status === "accepted" && o.organisation_id !== input.organisationId);
    const asked = owners.find((o) => o.role === "lead" && o.status === "pending" && o.organisation_id !== input.organisationId);
    if (lead && !(role === "facilitator" || lead.organisation_id === actor.organisationId)) {
      throw new DomainError(409, "Another partner already leads this action. Ask them to hand over the lead, or ask a facilitator.");
    }
    if (asked) {
      // One request to take over at a time: a newer one replaces it, if this person may withdraw it.
      if (!canRemoveOwner(actor, role, asked)) {
        const askedName = (await requireOrganisation(db, asked.organisation_id)).name;
        throw new DomainError(409, `${askedName} has already been asked to take over as lead. Wait for their answer, or ask whoever asked to withdraw the request.`);
      }
      await dropRequest(trx, actor, action.id, asked, "removed", "replaced by a newer request to lead");
    }
    if (lead) {
      if (status === "accepted") {
        // Taking over at once (a facilitator naming their own organisation): the old lead steps down.
        await stepDown(trx, actor, action.id, lead, `${org.name} took over as lead`);
      } else {
        currentLead = { ...lead, name: (await requireOrganisation(db, lead.organisation_id)).name };
      }
    }
  }
  const row = {
    role: input.role,
    status,
    requested_by: actor.userId,
    requested_at: now,
    responded_by: status === "accepted" ? actor.userId : null,
    responded_at: status === "accepted" ? now : null,
    // What a decline gives back: the role already held, never a role only asked for.
    held_role: status === "pending" && existing?.status === "accepted" ? existing.role : null,
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

  return {
    planId: action.plan_id,
    actionTitle: action.title,
    summary:
      status === "accepted"
        ? `${org.name} is now ${WHAT[input.role]} for “${action.title}”.`
        : currentLead
          ? `${org.name} asked to take over as lead of “${action.title}”, pending; ${currentLead.name} leads until then.`
          : `${org.name} has been asked to be ${WHAT[input.role]} for “${action.title}”.`,
  };
}

/**
 * The lead hands over: it stays on the action as a supporting partner. People who handed over a
 * piece of work expect to keep seeing it and to be asked before its words are agreed; leaving is
 * one more, deliberate step (Remove), not a side effect of someone else accepting.
 */
async function stepDown(trx: Trx, actor: Actor, actionId: string, lead: ActionOwner, note: string) {
  const to = { role: "support" as const, status: "accepted" as const };
  await updateActionOwner(trx, actionId, lead.organisation_id, { ...to, held_role: null });
  await history(trx, actor, actionId, lead.organisation_id, "role_changed", lead, to, note);
}

/** Only an editor of the named organisation answers its request: nobody accepts for another partner. */
export async function respondToOwnership(
  db: DB,
  actor: Actor,
  input: { actionId: string; organisationId: string; accept: boolean },
  sync?: Reader,
): Promise<OwnershipChange> {
  const action = await loadAction(db, input.actionId);
  const role = await loadPlanRole(db, actor, action.plan_id);
  const org = await requireOrganisation(db, input.organisationId);
  return withAgreement(db, sync, actor, action.id, async (trx) => {
    const request = await findActionOwner(trx, action.id, input.organisationId);
    if (!request || request.status !== "pending") {
      throw new DomainError(409, "There is no open request for this organisation on this action any more.");
    }
    if (!canRespondToOwnership(actor, role, request)) {
      throw new DomainError(403, `Only an editor from ${org.name} can accept or decline this request.`);
    }
    const now = nowIso();
    let steppedDown = "";
    if (input.accept) {
      if (request.role === "lead") {
        const lead = (await listActionOwners(trx, action.id)).find(
          (o) => o.role === "lead" && o.status === "accepted" && o.organisation_id !== input.organisationId,
        );
        if (lead) {
          await stepDown(trx, actor, action.id, lead, `${org.name} took over as lead`);
          steppedDown = (await requireOrganisation(trx, lead.organisation_id)).name;
        }
      }
      const to = { role: request.role, status: "accepted" as const };
      await updateActionOwner(trx, action.id, input.organisationId, { status: "accepted", responded_by: actor.userId, responded_at: now, held_role: null });
      await history(trx, actor, action.id, input.organisationId, "accepted", request, to);
    } else {
      await dropRequest(trx, actor, action.id, request, "declined");
    }
    await touchAction(trx, action.id, now);
    return {
      planId: action.plan_id,
      actionTitle: action.title,
      summary: input.accept
        ? `${org.name} accepted being ${WHAT[request.role]} for “${action.title}”.${steppedDown ? ` ${steppedDown} stays on as a supporting partner.` : ""}`
        : `${org.name} declined being ${WHAT[request.role]} for “${action.title}”.`,
    };
  });
}

/** Takes an organisation off an action, or withdraws a request to it (it keeps any role it held). */
export async function removeOwner(
  db: DB,
  actor: Actor,
  input: { actionId: string; organisationId: string },
  sync?: Reader,
): Promise<OwnershipChange> {
  const action = await loadAction(db, input.actionId);
  const role = await loadPlanRole(db, actor, action.plan_id);
  const org = await requireOrganisation(db, input.organisationId);
  if (role !== "none") await requirePlanUnlocked(db, role, action.plan_id, "ownership:propose");
  return withAgreement(db, sync, actor, action.id, async (trx) => {
    const owner = await findActionOwner(trx, action.id, input.organisationId);
    if (!owner) throw new DomainError(409, `${org.name} is no longer named on this action.`);
    if (!canRemoveOwner(actor, role, owner)) {
      throw new DomainError(403, `Only ${org.name} itself or a facilitator can take ${org.name} off this action.`);
    }
    if (owner.status === "pending") await dropRequest(trx, actor, action.id, owner, "removed", "request withdrawn");
    else {
      await deleteActionOwner(trx, action.id, input.organisationId);
      await history(trx, actor, action.id, input.organisationId, "removed", owner, null);
    }
    await touchAction(trx, action.id, nowIso());
    return {
      planId: action.plan_id,
      actionTitle: action.title,
      summary:
        owner.status === "pending"
          ? `The request to ${org.name} on “${action.title}” was withdrawn.`
          : `${org.name} was taken off “${action.title}”.`,
    };
  });
}
