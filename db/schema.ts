import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

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
  // Engagement proposals (0002_engagement)
  comment_threads: CommentThreadTable;
  comments: CommentTable;
  comment_mentions: CommentMentionTable;
  comment_events: CommentEventTable;
  notifications: NotificationTable;
  proposal_visits: ProposalVisitTable;
  power_sharing: PowerSharingTable;
  power_sharing_requests: PowerSharingRequestTable;
  power_sharing_history: PowerSharingHistoryTable;
  sign_offs: SignOffTable;
  agreed_texts: AgreedTextTable;
  agreement_state: AgreementStateTable;
  agreement_history: AgreementHistoryTable;
  suggestions: SuggestionTable;
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
  workshop_idea_revisions: WorkshopIdeaRevisionTable;
  workshop_polls: WorkshopPollTable;
  workshop_poll_options: WorkshopPollOptionTable;
  workshop_poll_answers: WorkshopPollAnswerTable;
  workshop_poll_answer_history: WorkshopPollAnswerHistoryTable;
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
  // Reports a Cabinet and a partnership board accept (issue 16, 0009_reports_and_sections)
  report_settings: ReportSettingsTable;
  // Signing in with an organisation's Microsoft account (issue 13, 0011_identity_providers)
  identity_providers: IdentityProviderTable;
  identity_links: IdentityLinkTable;
  oidc_sign_in_attempts: OidcSignInAttemptTable;
  // People and mail (issue 13, 0010_people_and_mail)
  mail_outbox: MailOutboxTable;
  account_tokens: AccountTokenTable;
  // One inbox and email about it (issue 13, 0013_notification_email)
  notification_preferences: NotificationPreferenceTable;
  notification_digests: NotificationDigestTable;
  app_secrets: AppSecretTable;
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
  /** Set when an admin deactivates the person: no sign-in, no sessions; contributions stay theirs. */
  deactivated_at: string | null;
  /** Set when an admin erased the person (0014): name and email are "Former member of <organisation>". */
  erased_at: Generated<string | null>;
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
  /** The plan's period, calendar dates YYYY-MM-DD (0007_planning_cycle). */
  period_start: string | null;
  period_end: string | null;
  /** Archived plans are read-only for everyone, on HTTP and on the sync socket. */
  archived_at: string | null;
  archived_by: number | null;
  /** The plan this one was started from ("Start the next plan from this one"). */
  previous_plan_id: string | null;
}

export interface PlanRecommendationTable {
  plan_id: string;
  recommendation_id: string;
}

export interface PlanPriorityTable {
  plan_id: string;
  priority_id: string;
  position: number;
  /** A retired priority keeps its actions visible and reportable until they are moved. */
  retired_at: string | null;
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
  /** The action of the previous plan this one was carried forward from. */
  carried_from_action_id: string | null;
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
  /** The role held (accepted) while a change to `role` is pending; restored on decline (0012). */
  held_role: ColumnType<OwnerRole | null, OwnerRole | null | undefined, OwnerRole | null>;
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

// --- Agreement on equal terms (migration 0005) ---------------------------------------------

/** What can be signed off: an action of a plan, or a section (commitment) of an engagement proposal. */
export type AgreementSubjectType = "action" | "proposal_section";
export type AgreementStatus = "draft" | "proposed" | "agreed";
export type SignOffKind = "signed" | "withdrawn";
export type AgreementCause = "signed" | "withdrawn" | "text_changed" | "partners_changed";
export type SuggestionStatus = "open" | "accepted" | "rejected" | "withdrawn";

export interface SignOffTable {
  id: Generated<number>;
  subject_type: AgreementSubjectType;
  subject_id: string;
  plan_id: string;
  organisation_id: string;
  user_id: number;
  kind: SignOffKind;
  fingerprint: string;
  /** JSON array (sorted) of the organisations named on the subject when this row was written. */
  named_organisations: string;
  created_at: string;
}

export interface AgreedTextTable {
  subject_type: AgreementSubjectType;
  subject_id: string;
  fingerprint: string;
  title: string;
  /** JSON array of paragraph strings. */
  paragraphs: string;
  created_at: string;
}

export interface AgreementStateTable {
  subject_type: AgreementSubjectType;
  subject_id: string;
  plan_id: string;
  status: AgreementStatus;
  fingerprint: string;
  agreed_fingerprint: string | null;
  agreed_at: string | null;
  updated_at: string;
}

export interface AgreementHistoryTable {
  id: Generated<number>;
  subject_type: AgreementSubjectType;
  subject_id: string;
  plan_id: string;
  from_status: AgreementStatus;
  to_status: AgreementStatus;
  fingerprint: string;
  cause: AgreementCause;
  actor_user_id: number | null;
  actor_organisation_id: string | null;
  created_at: string;
}

/** What a suggestion is on: an action, a proposal's section (commitment), or a proposal's own text. */
export type SuggestionSubjectType = AgreementSubjectType | "proposal_text";

export interface SuggestionTable {
  id: string;
  plan_id: string;
  subject_type: SuggestionSubjectType;
  subject_id: string;
  document_id: string;
  author_user_id: number;
  author_organisation_id: string;
  block_index: number;
  start_offset: number;
  end_offset: number;
  quote: string;
  replacement: string;
  note: Generated<string>;
  status: Generated<SuggestionStatus>;
  decided_by_user_id: number | null;
  decided_by_organisation_id: string | null;
  decided_at: string | null;
  decision_note: Generated<string>;
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
// Engagement proposals: comments, notifications, visits, power-sharing (0002_engagement)
// ---------------------------------------------------------------------------------------------

export type ThreadStatus = "open" | "resolved";

export interface CommentThreadTable {
  id: string;
  plan_id: string;
  document_id: string;
  quote: string;
  status: Generated<ThreadStatus>;
  created_by: number;
  created_by_organisation_id: string;
  created_at: string;
  updated_at: string;
  resolved_by: number | null;
  resolved_at: string | null;
  mark_update_id: number | null;
}

export interface CommentTable {
  id: Generated<number>;
  thread_id: string;
  author_user_id: number;
  author_organisation_id: string;
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  hidden_at: string | null;
  hidden_by: number | null;
  hidden_reason: string | null;
}

export interface CommentMentionTable {
  comment_id: number;
  organisation_id: string;
}

export type CommentEvent = "created" | "replied" | "edited" | "deleted" | "hidden" | "unhidden" | "resolved" | "reopened";

export interface CommentEventTable {
  id: Generated<number>;
  thread_id: string;
  comment_id: number | null;
  event: CommentEvent;
  actor_user_id: number;
  actor_organisation_id: string;
  note: Generated<string>;
  created_at: string;
}

export type NotificationKind =
  | "mention"
  | "reply"
  | "resolved"
  | "comment_hidden"
  | "suggestion_decided"
  | "power_sharing_request"
  | "ownership_request"
  | "carry_forward"
  | "sign_off_owed"
  | "workshop_invitation";

export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: NotificationKind;
  plan_id: string;
  thread_id: string | null;
  comment_id: number | null;
  actor_user_id: number | null;
  actor_organisation_id: string | null;
  summary: string;
  created_at: string;
  read_at: string | null;
  /** Where to act on it (0013); null on older rows: derived from plan and thread. */
  link: string | null;
}

export interface ProposalVisitTable {
  user_id: number;
  plan_id: string;
  since_at: string | null;
  last_seen_at: string;
}

export type EngagementStage = "plan" | "do" | "review";
export type EngagementLevel = "inform" | "consult" | "involve" | "collaborate" | "empower";

export interface PowerSharingTable {
  action_id: string;
  stage: EngagementStage;
  organisation_id: string;
  level: EngagementLevel;
  commitment: string;
  review_date: string;
  agreed_by: number | null;
  agreed_at: string;
}

export interface PowerSharingRequestTable {
  action_id: string;
  stage: EngagementStage;
  organisation_id: string;
  level: EngagementLevel;
  commitment: string;
  review_date: string;
  requested_by: number | null;
  requested_by_organisation_id: string | null;
  requested_at: string;
}

export type PowerSharingEvent = "set" | "proposed" | "accepted" | "declined" | "withdrawn" | "superseded" | "removed";

export interface PowerSharingHistoryTable {
  id: Generated<number>;
  action_id: string;
  stage: EngagementStage;
  organisation_id: string;
  event: PowerSharingEvent;
  from_level: EngagementLevel | null;
  from_commitment: string | null;
  from_review_date: string | null;
  to_level: EngagementLevel | null;
  to_commitment: string | null;
  to_review_date: string | null;
  actor_user_id: number | null;
  actor_organisation_id: string | null;
  note: Generated<string>;
  created_at: string;
}

export type CommentThread = Selectable<CommentThreadTable>;
export type Comment = Selectable<CommentTable>;
export type PowerSharingRow = Selectable<PowerSharingTable>;
export type PowerSharingRequest = Selectable<PowerSharingRequestTable>;
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
  /** Migration 0008: ideas stored with no participant while on (1). */
  anonymous_ideas: Generated<number>;
  /** Migration 0008: moving to an item starts its timer at once (1). */
  auto_start_timer: Generated<number>;
  /** Migration 0014: when its guests' names were erased (GUEST_RETENTION_DAYS after closing). */
  guest_names_erased_at: Generated<string | null>;
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
  /** Null for an idea added while the workshop's ideas were anonymous (migration 0008). */
  participant_id: number | null;
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

// Workshop decisions beyond dots (migration 0008)
export type WorkshopPollKind = "choice" | "consent";
export type ConsentValue = "agree" | "stand_aside" | "object";

export interface WorkshopIdeaRevisionTable {
  id: Generated<number>;
  idea_id: number;
  previous_text: string;
  text: string;
  revised_by_role: "author" | "facilitator";
  revised_by: number | null;
  created_at: string;
}

export interface WorkshopPollTable {
  id: Generated<number>;
  workshop_id: string;
  item_id: number;
  kind: WorkshopPollKind;
  question: string;
  status: "open" | "closed";
  opened_by: number | null;
  opened_at: string;
  closed_at: string | null;
}

export interface WorkshopPollOptionTable {
  id: Generated<number>;
  poll_id: number;
  position: number;
  value: string;
  label: string;
}

export interface WorkshopPollAnswerTable {
  id: Generated<number>;
  poll_id: number;
  participant_id: number;
  option_id: number;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface WorkshopPollAnswerHistoryTable {
  id: Generated<number>;
  poll_id: number;
  participant_id: number;
  option_id: number;
  reason: string | null;
  created_at: string;
}

export type Workshop = Selectable<WorkshopTable>;
export type WorkshopItem = Selectable<WorkshopItemTable>;
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

// Reports (issue 16, migration 0009) ----------------------------------------------------------

/** What the facilitator writes into a plan's Cabinet / board report before downloading it. */
export interface ReportSettingsTable {
  plan_id: string;
  meeting: string;
  /** YYYY-MM-DD, or "" when not yet known. */
  meeting_date: string;
  report_of: string;
  classification: string;
  /** Paragraphs separated by a blank line; each is one numbered recommendation. */
  recommendations: string;
  reasons: string;
  updated_by: number | null;
  updated_by_organisation_id: string | null;
  updated_at: string;
}
export type ReportSettings = Selectable<ReportSettingsTable>;

// --- Organisation sign-in through OpenID Connect (migration 0011) -----------------------------

export interface IdentityProviderTable {
  organisation_id: string;
  issuer: string;
  /** Entra directory id the tid claim must equal; empty: not checked. */
  tenant_id: string;
  client_id: string;
  /** Server-side only: never sent to a page. */
  client_secret: string;
  /** JSON array of lower-case domains. */
  email_domains: string;
  updated_by: number | null;
  updated_at: string;
  created_at: string;
}

export interface IdentityLinkTable {
  id: Generated<number>;
  issuer: string;
  subject: string;
  user_id: number;
  organisation_id: string;
  created_at: string;
}

export interface OidcSignInAttemptTable {
  state_hash: string;
  browser_hash: string;
  organisation_id: string;
  nonce: string;
  code_verifier: string;
  redirect_uri: string;
  return_to: string;
  created_at: string;
  expires_at: string;
}

export type MailState = "queued" | "sending" | "sent" | "failed";

export interface MailOutboxTable {
  id: Generated<number>;
  message_key: string;
  kind: string;
  to_address: string;
  to_user_id: number | null;
  subject: string;
  text_body: string;
  html_body: string;
  state: Generated<MailState>;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_at: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  /** Extra headers as JSON (0013): List-Unsubscribe and List-Unsubscribe-Post. */
  headers: string | null;
}

export type AccountTokenPurpose = "invitation" | "password_reset";

export interface AccountTokenTable {
  token_hash: string;
  user_id: number;
  purpose: AccountTokenPurpose;
  created_by: number | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

// One inbox and email about it (issue 13, 0013_notification_email)

export type NotificationDelivery = "immediate" | "digest" | "off";

export interface NotificationPreferenceTable {
  user_id: number;
  kind: NotificationKind;
  delivery: NotificationDelivery;
  updated_at: string;
}

export interface NotificationDigestTable {
  user_id: number;
  last_notification_id: number;
  last_sent_at: string | null;
  updated_at: string;
}

export interface AppSecretTable {
  name: string;
  value: string;
  created_at: string;
}
