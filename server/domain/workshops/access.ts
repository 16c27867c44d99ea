import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../../db/connection";
import { nowIso } from "../../../db/connection";
import { insertAuditRow } from "../../../db/queries/audit";
import {
  bumpWorkshopVersion,
  findUserParticipantId,
  findWorkshopItem,
  insertUserParticipantIfAbsent,
  isOrganisationInvited,
  loadWorkshop,
  type PartName,
} from "../../../db/queries/workshops";
import type { Database, Workshop } from "../../../db/schema";
import {
  canInWorkshop,
  workshopRole,
  type Actor,
  type EffectivePlanRole,
  type WorkshopPermission,
  type WorkshopRole,
  type WorkshopViewer,
} from "../../policy";
import { DomainError } from "../errors";
import { loadPlanRole } from "../plan-access";

export type Trx = Transaction<Database>;

/** Who is asking: a signed-in person, or a guest holding a session for one workshop. */
export type WorkshopPrincipal =
  | { kind: "user"; actor: Actor; name: string }
  | { kind: "guest"; workshopId: string; participantId: number; name: string };

export interface WorkshopAccess {
  workshop: Workshop;
  role: WorkshopRole;
  planRole: EffectivePlanRole;
  principal: WorkshopPrincipal;
}

/** What changed, so the route can tell the open pages (and, for a lock, the sync server). */
export interface WorkshopChange {
  workshopId: string;
  summary: string;
  parts: (Exclude<PartName, "board"> | { board: number })[];
  /** Whose own dots changed. */
  mine?: number[];
  /** The plan's lock changed: re-check live editors and nudge plan pages. */
  lockChangedOnPlan?: string;
  /** The workshop closed: guest streams end. */
  closed?: boolean;
  /** An action was created in the plan. */
  actionCreated?: { planId: string; actionId: string; title: string };
}

const NOT_FOUND = "There is no workshop at this address, or you have not been invited to it.";

export async function resolveWorkshopAccess(db: DB, principal: WorkshopPrincipal, workshopId: string): Promise<WorkshopAccess> {
  const workshop = await loadWorkshop(db, workshopId);
  if (!workshop) throw new DomainError(404, NOT_FOUND);
  let viewer: WorkshopViewer;
  let planRole: EffectivePlanRole = "none";
  if (principal.kind === "user") {
    planRole = await loadPlanRole(db, principal.actor, workshop.plan_id);
    const organisationInvited = await isOrganisationInvited(db, workshopId, principal.actor.organisationId);
    viewer = { kind: "user", planRole, organisationInvited };
  } else {
    viewer = { kind: "guest", guestWorkshopId: principal.workshopId };
  }
  const role = workshopRole(viewer, workshop);
  if (role === "none") {
    if (principal.kind === "guest" && principal.workshopId === workshopId) {
      throw new DomainError(403, GUEST_ENDED);
    }
    throw new DomainError(404, NOT_FOUND);
  }
  return { workshop, role, planRole, principal };
}

/** Refusals that say why: not yet started, already closed, or not your part to play. */
export function requireWorkshopPermission(access: WorkshopAccess, permission: WorkshopPermission): void {
  const { role, workshop } = access;
  if (canInWorkshop(role, permission, workshop.status)) return;
  if (workshop.status === "closed" && permission !== "workshop:view-record") {
    throw new DomainError(409, "This workshop is closed, so nothing in it can change any more. Its record is kept as it was.");
  }
  switch (permission) {
    case "workshop:run":
      throw new DomainError(403, "Only a facilitator runs the workshop.");
    case "workshop:vote":
      if (role === "facilitator") throw new DomainError(403, "Facilitators run the vote but do not vote in it.");
      throw new DomainError(409, "The session has not started yet: voting opens when the facilitator starts it.");
    case "workshop:add-idea":
      throw new DomainError(409, "The session has not started yet: ideas open when the facilitator starts it.");
    case "workshop:view-record":
      throw new DomainError(403, "The workshop record is for signed-in partners. Ask the facilitator for a copy.");
    case "workshop:view":
      throw new DomainError(404, NOT_FOUND);
  }
}

const GUEST_ENDED = "This workshop has been closed, so guest access to it has ended. Thank you for taking part.";

/**
 * Re-reads the workshop inside the writing transaction and checks the permission again, so a
 * request that raced the facilitator closing the workshop (or the vote) changes nothing.
 */
export async function recheck(trx: Kysely<Database>, access: WorkshopAccess, permission: WorkshopPermission): Promise<WorkshopAccess> {
  const workshop = await loadWorkshop(trx, access.workshop.id);
  if (!workshop) throw new DomainError(404, NOT_FOUND);
  if (access.role === "guest" && workshop.status === "closed") throw new DomainError(403, GUEST_ENDED);
  const fresh = { ...access, workshop };
  requireWorkshopPermission(fresh, permission);
  return fresh;
}

export async function bumpVersion(trx: Kysely<Database>, workshopId: string): Promise<void> {
  await bumpWorkshopVersion(trx, workshopId);
}

/**
 * The person's attendance row, made on first use while the session is live (or at once for
 * facilitators). Returns the id and whether this call created it.
 */
export async function ensureParticipant(
  db: Kysely<Database>,
  access: WorkshopAccess,
): Promise<{ participantId: number; created: boolean }> {
  const { principal, workshop } = access;
  if (principal.kind === "guest") return { participantId: principal.participantId, created: false };
  const existing = await findUserParticipantId(db, workshop.id, principal.actor.userId);
  if (existing !== null) return { participantId: existing, created: false };
  const inserted = await insertUserParticipantIfAbsent(db, {
    workshop_id: workshop.id,
    user_id: principal.actor.userId,
    organisation_id: principal.actor.organisationId,
    display_name: principal.name,
    kind: access.role === "facilitator" ? "facilitator" : "participant",
    joined_at: nowIso(),
  });
  if (inserted !== null) return { participantId: inserted, created: true };
  // Someone else's request made it between the two statements: theirs is the row.
  const again = await findUserParticipantId(db, workshop.id, principal.actor.userId);
  if (again === null) throw new Error(`Attendance row of user ${principal.actor.userId} in workshop ${workshop.id} vanished.`);
  return { participantId: again, created: false };
}

/** The participant id without creating one (null for someone who has not taken part yet). */
export async function findParticipantId(db: DB, access: WorkshopAccess): Promise<number | null> {
  const { principal, workshop } = access;
  if (principal.kind === "guest") return principal.participantId;
  return findUserParticipantId(db, workshop.id, principal.actor.userId);
}

export function actorUserId(access: WorkshopAccess): number | null {
  return access.principal.kind === "user" ? access.principal.actor.userId : null;
}

/** An agenda item of THIS workshop, or a refusal naming the problem. */
export async function requireItem(db: Kysely<Database>, workshopId: string, itemId: number) {
  const item = await findWorkshopItem(db, itemId);
  if (!item) throw new DomainError(404, "That agenda item no longer exists. Reload the page to see the current agenda.");
  if (item.workshop_id !== workshopId) {
    throw new DomainError(400, "That agenda item belongs to another workshop. Choose an item from this workshop's agenda.");
  }
  return item;
}

export async function audit(
  trx: Kysely<Database>,
  access: WorkshopAccess,
  event: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await insertAuditRow(trx, {
    actor_user_id: actorUserId(access),
    actor_organisation_id: access.principal.kind === "user" ? access.principal.actor.organisationId : null,
    event,
    subject: `workshop:${access.workshop.id}`,
    detail: JSON.stringify(detail),
    created_at: nowIso(),
  });
}
