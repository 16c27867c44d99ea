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

/**
 * Who may invite a person with a partnership role (issue 13): an admin anyone; a facilitator
 * members and facilitators of the partnership, never an administrator.
 */
export function canInvite(actor: Actor, role: SystemRole): boolean {
  if (actor.systemRole === "admin") return true;
  return actor.systemRole === "facilitator" && role !== "admin";
}

/** Deactivating a person ends their access to everything: administrators only, never themselves. */
export function canDeactivate(actor: Actor, targetUserId: number): boolean {
  return actor.systemRole === "admin" && actor.userId !== targetUserId;
}

/** Facilitators create plans and set rights; admins too. */
export function canCreatePlan(actor: Actor): boolean {
  return actor.systemRole === "admin" || actor.systemRole === "facilitator";
}

// ---------------------------------------------------------------------------------------------
// Engagement proposals: comments, moderation, power-sharing (issue 3)
// ---------------------------------------------------------------------------------------------

/**
 * A partner editor may start an engagement proposal: facilitators and admins, and any member of an
 * organisation that edits at least one plan of the partnership. Commenters and viewers may not.
 */
export function canCreateEngagementProposal(actor: Actor, organisationEditsAPlan: boolean): boolean {
  return canCreatePlan(actor) || organisationEditsAPlan;
}

/** Editors invite further organisations to comment (they cannot hand out editing rights). */
export function canInviteCommenters(role: EffectivePlanRole): boolean {
  return atLeast(role, "editor");
}

/** Commenting needs no right to change the text: the server adds the anchor mark on the commenter's behalf. */
export function canStartThread(role: EffectivePlanRole): boolean {
  return can(role, "plan:comment");
}

export interface ThreadFacts {
  created_by: number;
  status: "open" | "resolved";
}

/** Replies go to open threads; a resolved thread is reopened first. */
export function canReply(role: EffectivePlanRole, thread: ThreadFacts): boolean {
  return can(role, "plan:comment") && thread.status === "open";
}

/** The person who started a thread, or any editor, resolves and reopens it. */
export function canResolveThread(actor: Actor, role: EffectivePlanRole, thread: ThreadFacts): boolean {
  if (!can(role, "plan:comment")) return false;
  return thread.created_by === actor.userId || atLeast(role, "editor");
}

export interface CommentFacts {
  author_user_id: number;
  deleted_at: string | null;
  hidden_at: string | null;
}

/**
 * Only the author edits or deletes a comment, and only while they may still comment on the plan.
 * Nobody else can put words in someone's mouth: facilitators hide, with a recorded reason, instead.
 * A hidden comment cannot be edited (that would undo the moderation) but its author may delete it.
 */
export function canEditComment(actor: Actor, role: EffectivePlanRole, comment: CommentFacts): boolean {
  return (
    can(role, "plan:comment") &&
    comment.author_user_id === actor.userId &&
    comment.deleted_at === null &&
    comment.hidden_at === null
  );
}

export function canDeleteComment(actor: Actor, role: EffectivePlanRole, comment: CommentFacts): boolean {
  return can(role, "plan:comment") && comment.author_user_id === actor.userId && comment.deleted_at === null;
}

/** Facilitators (and admins) hide and unhide comments; the reason is recorded with who did it. */
export function canModerateComments(role: EffectivePlanRole): boolean {
  return can(role, "plan:manage");
}

/** A hidden comment's words stay visible to its author and to facilitators, for the record. */
export function canReadHiddenComment(actor: Actor, role: EffectivePlanRole, comment: CommentFacts): boolean {
  return canModerateComments(role) || comment.author_user_id === actor.userId;
}

/**
 * Power-sharing rows are for the partners that co-draft the proposal. An editor sets its own
 * organisation's row at once ("direct"); a row for another partner is a request that waits for
 * that partner ("request"). Commenters and viewers do neither.
 */
export function powerSharingChange(
  actor: Actor,
  role: EffectivePlanRole,
  organisationId: string,
): "direct" | "request" | "refused" {
  if (!atLeast(role, "editor")) return "refused";
  return organisationId === actor.organisationId ? "direct" : "request";
}

/** Only an editor of the named organisation accepts or declines a request for its row, as with ownership. */
export function canRespondToPowerSharing(
  actor: Actor,
  role: EffectivePlanRole,
  request: { organisation_id: string },
): boolean {
  return actor.organisationId === request.organisation_id && atLeast(role, "editor");
}

/** A request is withdrawn by the person who made it, an editor of the organisation that made it, or a facilitator. */
export function canWithdrawPowerSharingRequest(
  actor: Actor,
  role: EffectivePlanRole,
  request: { requested_by: number | null; requested_by_organisation_id: string | null },
): boolean {
  if (!atLeast(role, "editor")) return false;
  return (
    role === "facilitator" ||
    request.requested_by === actor.userId ||
    request.requested_by_organisation_id === actor.organisationId
  );
}

/** An agreed row is the partner's own word: only that partner's editors withdraw it. */
export function canRemovePowerSharingRow(
  actor: Actor,
  role: EffectivePlanRole,
  row: { organisation_id: string },
): boolean {
  return atLeast(role, "editor") && row.organisation_id === actor.organisationId;
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

interface IdeaFacts {
  participant_id: number | null;
  group_id: number | null;
  merged_into_id: number | null;
}

/**
 * An idea is its author's until the facilitator organises it (groups or merges it). An
 * anonymous idea has no author on record, so only the facilitator can change it.
 */
function isOwnUnorganisedIdea(role: WorkshopRole, idea: IdeaFacts, participantId: number | null): boolean {
  return (
    role !== "none" &&
    participantId !== null &&
    idea.participant_id !== null &&
    idea.participant_id === participantId &&
    idea.group_id === null &&
    idea.merged_into_id === null
  );
}

/** The author takes back their own idea until it is organised; the facilitator may remove any (a room needs moderating). */
export function canRemoveIdea(role: WorkshopRole, idea: IdeaFacts, participantId: number | null): boolean {
  return role === "facilitator" || isOwnUnorganisedIdea(role, idea, participantId);
}

/** The author edits their own idea until it is organised; the facilitator may reword any, and the change is shown. */
export function canEditIdea(role: WorkshopRole, idea: IdeaFacts, participantId: number | null): boolean {
  return role === "facilitator" || isOwnUnorganisedIdea(role, idea, participantId);
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

// ---------------------------------------------------------------------------------------------
// The planning cycle (issue 12): plans and priorities, archive, the next plan
// ---------------------------------------------------------------------------------------------

/**
 * An archived plan is the record of a finished period: everyone reads it, nobody changes it,
 * facilitators included. Applied wherever a plan role is worked out (HTTP and the sync socket),
 * so every right derived from the role disappears with it. Unarchiving is checked on the
 * partnership role (`canArchivePlan`), not the plan role, so it stays possible.
 */
export function roleOnPlan(role: EffectivePlanRole, plan: { archived: boolean }): EffectivePlanRole {
  return plan.archived && atLeast(role, "viewer") ? "viewer" : role;
}

/** Facilitators (and admins) create plans, manage their priorities, archive and unarchive them. */
export function canArchivePlan(actor: Actor): boolean {
  return canCreatePlan(actor);
}

/** Title and due date are the partners' shared wording: any editor (not during a workshop lock). */
export function canEditActionDetails(role: EffectivePlanRole, planLocked: boolean): boolean {
  return canWhilePlanLocked(role, "action:edit-details", planLocked);
}
