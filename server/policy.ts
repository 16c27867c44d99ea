/**
 * The one set of permission rules. Pure functions over plain data: the HTTP loaders and actions
 * and the sync server all ask here, so a right cannot exist in one place and not the other.
 */
import type { OwnerRole, OwnerStatus, PlanRole, SystemRole } from "../db/schema";

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
// Accountability (issue 5): delivery records, RAG rules, versions, reports
// ---------------------------------------------------------------------------------------------

export interface OwnerFact {
  organisation_id: string;
  role: OwnerRole;
  status: OwnerStatus;
}

/** The actor's organisation has accepted the lead or a supporting role on the action. */
export function isOwningOrganisation(actor: Actor, owners: readonly OwnerFact[]): boolean {
  return owners.some((o) => o.organisation_id === actor.organisationId && o.status === "accepted");
}

/**
 * Progress updates (and marking a milestone done) are claims about delivery, so only the partners
 * delivering may make them: an accepted lead or supporting organisation, or a facilitator. A pending
 * request is not ownership yet. Within an owning organisation, anyone who takes part in the plan may
 * report (a commenting VCF partner delivers too), but not someone whose grant makes them a viewer
 * (e.g. a scrutiny officer: scrutiny reads the reports, it does not write them).
 */
export function canReportProgress(actor: Actor, role: EffectivePlanRole, owners: readonly OwnerFact[]): boolean {
  if (role === "facilitator") return true;
  if (!atLeast(role, "commenter")) return false;
  return isOwningOrganisation(actor, owners);
}

export type AccountabilityPermission =
  | "milestone:plan"
  | "action:link"
  | "version:save"
  | "version:restore"
  | "status-report:record"
  | "plan:export"
  | "plan:import";

const ACCOUNTABILITY_NEEDED: Record<AccountabilityPermission, EffectivePlanRole> = {
  // Milestones and links are part of the plan partners co-design: any editor.
  "milestone:plan": "editor",
  "action:link": "editor",
  // A version only records; restoring changes everyone's text, which editors can do anyway, and
  // nothing is lost (the current text is saved as a version first).
  "version:save": "editor",
  "version:restore": "editor",
  // Issuing the board's report of record is the facilitator's job.
  "status-report:record": "facilitator",
  "plan:export": "viewer",
  "plan:import": "editor",
};

export function canDo(role: EffectivePlanRole, permission: AccountabilityPermission): boolean {
  return atLeast(role, ACCOUNTABILITY_NEEDED[permission]);
}

/** The partnership's RAG rules apply to every plan: set by facilitators (and admins). */
export function canEditRagRules(actor: Actor): boolean {
  return actor.systemRole === "facilitator" || actor.systemRole === "admin";
}
