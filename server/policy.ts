/**
 * The one set of permission rules. Pure functions over plain data: the HTTP loaders and actions
 * and the sync server all ask here, so a right cannot exist in one place and not the other.
 */
import type { OwnerStatus, PlanRole, SystemRole } from "../db/schema";

export interface Actor {
  userId: number;
  organisationId: string;
  systemRole: SystemRole;
}

export interface GrantRow {
  organisation_id: string | null;
  user_id: number | null;
  role: PlanRole;
}

/** "facilitator" is the partnership's facilitator role applied to a plan: manages it and edits it. */
export type EffectivePlanRole = "facilitator" | PlanRole | "none";

const RANK: Record<EffectivePlanRole, number> = {
  none: 0,
  viewer: 1,
  commenter: 2,
  editor: 3,
  facilitator: 4,
};

/**
 * A user-level grant is explicit and so wins over the organisation's grant (it can lower it:
 * a scrutiny member of an editing organisation may be a viewer). Facilitators and admins
 * manage every plan.
 */
export function planRole(actor: Actor, grants: readonly GrantRow[]): EffectivePlanRole {
  if (actor.systemRole === "facilitator" || actor.systemRole === "admin") return "facilitator";
  const own = grants.find((g) => g.user_id === actor.userId);
  if (own) return own.role;
  const org = grants.find((g) => g.organisation_id === actor.organisationId);
  return org ? org.role : "none";
}

export function atLeast(role: EffectivePlanRole, needed: EffectivePlanRole): boolean {
  return RANK[role] >= RANK[needed];
}

export type PlanPermission =
  | "plan:view"
  | "plan:comment"
  | "plan:edit-text"
  | "action:create"
  | "action:edit-details"
  | "ownership:propose"
  | "plan:manage";

const NEEDED: Record<PlanPermission, EffectivePlanRole> = {
  "plan:view": "viewer",
  "plan:comment": "commenter",
  "plan:edit-text": "editor",
  "action:create": "editor",
  "action:edit-details": "editor",
  "ownership:propose": "editor",
  "plan:manage": "facilitator",
};

export function can(role: EffectivePlanRole, permission: PlanPermission): boolean {
  return atLeast(role, NEEDED[permission]);
}

/** What the sync server lets a connection do with a plan's documents. */
export type SyncAccess = "write" | "read" | "none";

export function syncAccess(role: EffectivePlanRole, planLocked = false): SyncAccess {
  if (canWhilePlanLocked(role, "plan:edit-text", planLocked)) return "write";
  if (can(role, "plan:view")) return "read";
  return "none";
}

/**
 * Answering an ownership request is the named organisation's own decision: only its editors
 * (or facilitators who belong to it) may accept or decline. A facilitator of another
 * organisation cannot answer for it: equal terms means nobody signs for a partner.
 */
export function canRespondToOwnership(
  actor: Actor,
  role: EffectivePlanRole,
  request: { organisation_id: string; status: OwnerStatus },
): boolean {
  return (
    request.status === "pending" &&
    actor.organisationId === request.organisation_id &&
    atLeast(role, "editor")
  );
}

/**
 * Naming an owner: any editor may name their own or another organisation (the other one then
 * has to accept). Removing: an editor may withdraw their own organisation; a facilitator or the
 * editor who made a still-pending request may remove another's.
 */
export function canRemoveOwner(
  actor: Actor,
  role: EffectivePlanRole,
  owner: { organisation_id: string; status: OwnerStatus; requested_by: number | null },
): boolean {
  if (!atLeast(role, "editor")) return false;
  if (role === "facilitator") return true;
  if (owner.organisation_id === actor.organisationId) return true;
  return owner.status === "pending" && owner.requested_by === actor.userId;
}

export function canAdminister(actor: Actor): boolean {
  return actor.systemRole === "admin";
}

/** Facilitators create plans and set rights; admins too. */
export function canCreatePlan(actor: Actor): boolean {
  return actor.systemRole === "admin" || actor.systemRole === "facilitator";
}

// ---------------------------------------------------------------------------------------------
// Workshops: facilitated sessions on a plan (or proposal), and the plan lock they hold
// ---------------------------------------------------------------------------------------------

/**
 * While a live workshop has locked its plan, these changes are kept for facilitators: the room
 * decides, and the facilitator writes it down. Everyone keeps reading (and commenting), and a
 * partner still answers requests made to it (that is its own decision, not an edit of the plan).
 */
const LOCKED_DURING_WORKSHOP: ReadonlySet<PlanPermission> = new Set<PlanPermission>([
  "plan:edit-text",
  "action:create",
  "action:edit-details",
  "ownership:propose",
]);

export function canWhilePlanLocked(role: EffectivePlanRole, permission: PlanPermission, planLocked: boolean): boolean {
  if (!can(role, permission)) return false;
  return !planLocked || role === "facilitator" || !LOCKED_DURING_WORKSHOP.has(permission);
}

/** Only facilitators create and run workshops (the partnership role, on the plan). */
export function canCreateWorkshop(role: EffectivePlanRole): boolean {
  return role === "facilitator";
}

export type WorkshopRole = "facilitator" | "participant" | "guest" | "none";
export type WorkshopStatusForPolicy = "scheduled" | "live" | "closed";

/**
 * Who someone is in a workshop. A signed-in person takes part if they may see the plan or their
 * organisation is invited. A guest (no account, joined with the code) exists for one workshop
 * only, and stops existing when it closes.
 */
export type WorkshopViewer =
  | { kind: "user"; planRole: EffectivePlanRole; organisationInvited: boolean }
  | { kind: "guest"; guestWorkshopId: string };

export function workshopRole(viewer: WorkshopViewer, workshop: { id: string; status: WorkshopStatusForPolicy }): WorkshopRole {
  if (viewer.kind === "guest") {
    return viewer.guestWorkshopId === workshop.id && workshop.status !== "closed" ? "guest" : "none";
  }
  if (viewer.planRole === "facilitator") return "facilitator";
  if (viewer.planRole !== "none" || viewer.organisationInvited) return "participant";
  return "none";
}

export type WorkshopPermission =
  | "workshop:view"
  | "workshop:add-idea"
  | "workshop:vote"
  | "workshop:run"
  | "workshop:view-record";

/**
 * Ideas and votes only while the session is live. Facilitators scribe ideas for the room but do
 * not vote. The record is for people with accounts: guest access ends with the session.
 */
export function canInWorkshop(role: WorkshopRole, permission: WorkshopPermission, status: WorkshopStatusForPolicy): boolean {
  switch (permission) {
    case "workshop:view":
      return role !== "none";
    case "workshop:add-idea":
      return role !== "none" && status === "live";
    case "workshop:vote":
      return (role === "participant" || role === "guest") && status === "live";
    case "workshop:run":
      return role === "facilitator" && status !== "closed";
    case "workshop:view-record":
      return role === "facilitator" || role === "participant";
  }
}

/** The author takes back their own idea; the facilitator may remove any (a room needs moderating). */
export function canRemoveIdea(role: WorkshopRole, idea: { participant_id: number }, participantId: number | null): boolean {
  return role === "facilitator" || (role !== "none" && participantId !== null && idea.participant_id === participantId);
}
