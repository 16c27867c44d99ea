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
  // Accountability (issue 5)
  kpis: KpiTable;
  action_kpis: ActionKpiTable;
  action_recommendations: ActionRecommendationTable;
  milestones: MilestoneTable;
  milestone_changes: MilestoneChangeTable;
  progress_updates: ProgressUpdateTable;
  rag_rules: RagRuleTable;
  status_reports: StatusReportTable;
  status_report_entries: StatusReportEntryTable;
  plan_versions: PlanVersionTable;
  plan_version_documents: PlanVersionDocumentTable;
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
// Accountability (issue 5): milestones, KPIs, progress updates, RAG rules, reports, versions
// ---------------------------------------------------------------------------------------------

export interface KpiTable {
  id: string;
  department_id: string | null;
  code: string;
  title: string;
  source: Generated<string>;
  position: number;
}

export interface ActionKpiTable {
  action_id: string;
  kpi_id: string;
  linked_by: number | null;
  linked_at: string;
}

export interface ActionRecommendationTable {
  action_id: string;
  recommendation_id: string;
  linked_by: number | null;
  linked_at: string;
}

/** Dates are calendar dates, YYYY-MM-DD. */
export interface MilestoneTable {
  id: string;
  action_id: string;
  title: string;
  due_date: string;
  completed_on: string | null;
  completed_by: number | null;
  position: number;
  removed_at: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export type MilestoneEvent = "created" | "rescheduled" | "renamed" | "completed" | "reopened" | "removed";

export interface MilestoneChangeTable {
  id: Generated<number>;
  milestone_id: string;
  action_id: string;
  event: MilestoneEvent;
  from_value: string | null;
  to_value: string | null;
  actor_user_id: number | null;
  actor_organisation_id: string | null;
  created_at: string;
}

export type ProgressStatus = "on_track" | "at_risk" | "off_track";

export interface ProgressUpdateTable {
  id: Generated<number>;
  action_id: string;
  status: ProgressStatus;
  reported_on: string;
  narrative: string;
  mitigation: Generated<string>;
  author_user_id: number;
  author_organisation_id: string;
  created_at: string;
}

export type RagColour = "red" | "amber" | "green";
export type RagRuleKind =
  | "milestone_overdue"
  | "owner_reports"
  | "due_soon_without_update"
  | "no_recent_update"
  | "no_lead";

export interface RagRuleTable {
  id: string;
  position: number;
  colour: "red" | "amber";
  kind: RagRuleKind;
  days: number | null;
  since_days: number | null;
  report_status: ProgressStatus | null;
  enabled: number;
  updated_by: number | null;
  updated_at: string;
}

export interface StatusReportTable {
  id: Generated<number>;
  plan_id: string;
  title: string;
  as_at: string;
  created_by: number | null;
  created_by_organisation_id: string | null;
  created_at: string;
}

export interface StatusReportEntryTable {
  report_id: number;
  action_id: string;
  rag: RagColour;
  /** JSON array of reason sentences. */
  reasons: Generated<string>;
}

export type PlanVersionKind = "named" | "before_restore" | "restored";

export interface PlanVersionTable {
  id: Generated<number>;
  plan_id: string;
  name: string;
  note: Generated<string>;
  kind: Generated<PlanVersionKind>;
  restored_from_version_id: number | null;
  created_by: number | null;
  created_by_organisation_id: string | null;
  created_at: string;
}

export interface PlanVersionDocumentTable {
  version_id: number;
  document_id: string;
  action_id: string | null;
  label: string;
  position: number;
  state: Uint8Array;
  /** JSON array of paragraphs read from `state` when saved. */
  paragraphs: string;
}

export type Milestone = Selectable<MilestoneTable>;
export type ProgressUpdate = Selectable<ProgressUpdateTable>;
export type RagRule = Selectable<RagRuleTable>;
