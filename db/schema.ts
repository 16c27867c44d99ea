import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/** The one typed view of the database. Timestamps are ISO-8601 UTC strings. */
export interface Database {
  organisations: OrganisationTable;
  users: UserTable;
  sessions: SessionTable;
  strategies: StrategyTable;
  themes: ThemeTable;
  departments: DepartmentTable;
  priorities: PriorityTable;
  recommendations: RecommendationTable;
  plans: PlanTable;
  plan_recommendations: PlanRecommendationTable;
  plan_priorities: PlanPriorityTable;
  plan_grants: PlanGrantTable;
  documents: DocumentTable;
  document_updates: DocumentUpdateTable;
  document_snapshots: DocumentSnapshotTable;
  actions: ActionTable;
  action_owners: ActionOwnerTable;
  ownership_history: OwnershipHistoryTable;
  audit_log: AuditLogTable;
  workshops: WorkshopTable;
  workshop_items: WorkshopItemTable;
  workshop_invitations: WorkshopInvitationTable;
  workshop_participants: WorkshopParticipantTable;
  workshop_guest_sessions: WorkshopGuestSessionTable;
  workshop_idea_groups: WorkshopIdeaGroupTable;
  workshop_ideas: WorkshopIdeaTable;
  workshop_votes: WorkshopVoteTable;
  workshop_vote_options: WorkshopVoteOptionTable;
  workshop_dots: WorkshopDotTable;
  workshop_decisions: WorkshopDecisionTable;
}

export type Sector =
  | "council"
  | "nhs"
  | "police"
  | "fire"
  | "housing"
  | "education"
  | "business"
  | "vcf"
  | "other";

export type SystemRole = "member" | "facilitator" | "admin";
export type PlanRole = "editor" | "commenter" | "viewer";
export type OwnerRole = "lead" | "support";
export type OwnerStatus = "pending" | "accepted" | "declined";

export interface OrganisationTable {
  id: string;
  name: string;
  short_name: string;
  sector: Sector;
  description: Generated<string>;
  created_at: string;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  name: string;
  organisation_id: string;
  password_hash: string;
  system_role: Generated<SystemRole>;
  job_title: Generated<string>;
  created_at: string;
}

export interface SessionTable {
  id_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  ip: Generated<string>;
  user_agent: Generated<string>;
}

export interface StrategyTable {
  id: string;
  title: string;
  vision: string;
  summary: Generated<string>;
  source: Generated<string>;
}

export interface ThemeTable {
  id: string;
  strategy_id: string;
  name: string;
  description: Generated<string>;
  position: number;
}

export interface DepartmentTable {
  id: string;
  name: string;
  description: Generated<string>;
  lead_organisation_id: string | null;
}

export interface PriorityTable {
  id: string;
  strategy_id: string;
  theme_id: string | null;
  department_id: string | null;
  code: string;
  title: string;
  description: Generated<string>;
  position: number;
}

export interface RecommendationTable {
  id: string;
  source: string;
  code: string;
  title: string;
  text: string;
}

export type PlanKind = "action_plan" | "engagement_proposal";

export interface PlanTable {
  id: string;
  kind: Generated<PlanKind>;
  title: string;
  summary: Generated<string>;
  strategy_id: string | null;
  status: Generated<string>;
  created_by: number | null;
  created_at: string;
}

export interface PlanRecommendationTable {
  plan_id: string;
  recommendation_id: string;
}

export interface PlanPriorityTable {
  plan_id: string;
  priority_id: string;
  position: number;
}

export interface PlanGrantTable {
  id: Generated<number>;
  plan_id: string;
  organisation_id: string | null;
  user_id: number | null;
  role: PlanRole;
  granted_by: number | null;
  created_at: string;
}

export type DocumentKind = "plan_overview" | "action_description";

export interface DocumentTable {
  id: string;
  plan_id: string;
  kind: DocumentKind;
  plain_text: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface DocumentUpdateTable {
  id: Generated<number>;
  document_id: string;
  update: Uint8Array;
  user_id: number | null;
  organisation_id: string | null;
  created_at: string;
}

export interface DocumentSnapshotTable {
  id: Generated<number>;
  document_id: string;
  state: Uint8Array;
  state_vector: Uint8Array;
  last_update_id: number;
  created_at: string;
}

export interface ActionTable {
  id: string;
  plan_id: string;
  priority_id: string | null;
  document_id: string;
  title: string;
  status: Generated<string>;
  due_label: Generated<string>;
  position: number;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface ActionOwnerTable {
  action_id: string;
  organisation_id: string;
  role: OwnerRole;
  status: OwnerStatus;
  requested_by: number | null;
  requested_at: string;
  responded_by: number | null;
  responded_at: string | null;
}

export type OwnershipEvent = "proposed" | "accepted" | "declined" | "removed" | "role_changed";

export interface OwnershipHistoryTable {
  id: Generated<number>;
  action_id: string;
  organisation_id: string;
  event: OwnershipEvent;
  from_role: OwnerRole | null;
  from_status: OwnerStatus | null;
  to_role: OwnerRole | null;
  to_status: OwnerStatus | null;
  actor_user_id: number | null;
  actor_organisation_id: string | null;
  note: Generated<string>;
  created_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_user_id: number | null;
  actor_organisation_id: string | null;
  event: string;
  subject: string;
  detail: Generated<string>;
  created_at: string;
}

export type Organisation = Selectable<OrganisationTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Plan = Selectable<PlanTable>;
export type Action = Selectable<ActionTable>;
export type ActionUpdate = Updateable<ActionTable>;
export type ActionOwner = Selectable<ActionOwnerTable>;
export type OwnershipHistory = Selectable<OwnershipHistoryTable>;
export type PlanGrant = Selectable<PlanGrantTable>;

// ---------------------------------------------------------------------------------------------
// Workshops (migration 0003)
// ---------------------------------------------------------------------------------------------

export type WorkshopStatus = "scheduled" | "live" | "closed";
export type WorkshopItemKind = "priority" | "action" | "section" | "general";
export type WorkshopParticipantKind = "facilitator" | "participant" | "guest";
export type WorkshopVoteSubject = "ideas" | "actions";

export interface WorkshopTable {
  id: string;
  plan_id: string;
  title: string;
  scheduled_for: string;
  status: Generated<WorkshopStatus>;
  guest_code: string;
  current_item_id: number | null;
  timer_total_ms: Generated<number>;
  timer_remaining_ms: Generated<number>;
  timer_started_at: number | null;
  plan_locked: Generated<number>;
  locked_by: number | null;
  locked_at: string | null;
  version: Generated<number>;
  created_by: number | null;
  created_at: string;
  started_at: string | null;
  closed_at: string | null;
  closed_by: number | null;
}

export interface WorkshopItemTable {
  id: Generated<number>;
  workshop_id: string;
  position: number;
  title: string;
  kind: WorkshopItemKind;
  priority_id: string | null;
  action_id: string | null;
  document_id: string | null;
  time_box_minutes: number;
  created_at: string;
}

export interface WorkshopInvitationTable {
  workshop_id: string;
  organisation_id: string;
  invited_by: number | null;
  created_at: string;
}

export interface WorkshopParticipantTable {
  id: Generated<number>;
  workshop_id: string;
  user_id: number | null;
  organisation_id: string | null;
  display_name: string;
  kind: WorkshopParticipantKind;
  joined_at: string;
}

export interface WorkshopGuestSessionTable {
  token_hash: string;
  workshop_id: string;
  participant_id: number;
  created_at: string;
  expires_at: string;
}

export interface WorkshopIdeaGroupTable {
  id: Generated<number>;
  workshop_id: string;
  item_id: number;
  label: string;
  created_at: string;
}

export interface WorkshopIdeaTable {
  id: Generated<number>;
  workshop_id: string;
  item_id: number;
  participant_id: number;
  text: string;
  group_id: number | null;
  merged_into_id: number | null;
  removed_at: string | null;
  capture_status: "capturing" | "captured" | null;
  captured_action_id: string | null;
  created_at: string;
}

export interface WorkshopVoteTable {
  id: Generated<number>;
  workshop_id: string;
  item_id: number;
  title: string;
  subject: WorkshopVoteSubject;
  allowance: number;
  status: "open" | "closed";
  opened_by: number | null;
  opened_at: string;
  closed_at: string | null;
  revealed_at: string | null;
}

export interface WorkshopVoteOptionTable {
  id: Generated<number>;
  vote_id: number;
  position: number;
  label: string;
  idea_id: number | null;
  action_id: string | null;
}

export interface WorkshopDotTable {
  id: Generated<number>;
  vote_id: number;
  option_id: number;
  participant_id: number;
  slot: number;
  created_at: string;
}

export interface WorkshopDecisionTable {
  id: Generated<number>;
  workshop_id: string;
  item_id: number | null;
  text: string;
  idea_id: number | null;
  action_id: string | null;
  recorded_by: number | null;
  created_at: string;
}

export type Workshop = Selectable<WorkshopTable>;
export type WorkshopItem = Selectable<WorkshopItemTable>;
