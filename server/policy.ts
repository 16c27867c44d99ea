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

export function syncAccess(role: EffectivePlanRole): SyncAccess {
  if (can(role, "plan:edit-text")) return "write";
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
// Agreement on equal terms: sign-off and suggestions
// ---------------------------------------------------------------------------------------------

/** Why someone may not sign off (or withdraw a sign-off) for an organisation; null if they may. */
export type SignOffRefusal = "not-own-organisation" | "not-named" | "not-editor";

/**
 * A sign-off is an organisation's own act: only an editor who belongs to that organisation
 * gives it or withdraws it, and only for an organisation named on the subject (an accepted lead
 * or supporting partner). Facilitators and admins sign only for their own organisation, like
 * anyone else; nobody signs for another partner, and nobody marks a subject agreed: the
 * server derives that from the partners' sign-offs.
 */
export function signOffRefusal(
  actor: Actor,
  role: EffectivePlanRole,
  input: { organisationId: string; namedOrganisationIds: readonly string[] },
): SignOffRefusal | null {
  if (input.organisationId !== actor.organisationId) return "not-own-organisation";
  if (!input.namedOrganisationIds.includes(input.organisationId)) return "not-named";
  if (!atLeast(role, "editor")) return "not-editor";
  return null;
}

export function canSignOff(
  actor: Actor,
  role: EffectivePlanRole,
  input: { organisationId: string; namedOrganisationIds: readonly string[] },
): boolean {
  return signOffRefusal(actor, role, input) === null;
}

/** Proposing replacement words needs the right to comment: commenters (a VCF group) and up. */
export function canSuggest(role: EffectivePlanRole): boolean {
  return can(role, "plan:comment");
}

/** Accepting or rejecting a suggestion changes (or keeps) the text: editors decide. */
export function canDecideSuggestion(role: EffectivePlanRole): boolean {
  return can(role, "plan:edit-text");
}

/** The author may take back their own suggestion while it is open. */
export function canWithdrawSuggestion(
  actor: Actor,
  suggestion: { author_user_id: number; status: string },
): boolean {
  return suggestion.status === "open" && suggestion.author_user_id === actor.userId;
}
