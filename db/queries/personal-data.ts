/**
 * Personal data (issue 13, UK GDPR): what the workspace holds about one person, and erasing it.
 *
 * USER_COLUMNS names, for every table of the schema, the columns that point at a person. It is a
 * Record over every table name, so a new table does not compile until someone decides what in it
 * is a person's; test/unit/personal-data-map.test.ts also checks every `*_by` and `*user_id` column
 * of the migrated database is listed. Workshop rows written as a participant (ideas, dots, poll
 * answers) point at workshop_participants, so they are found through the person's participant ids.
 */
import type { Kysely } from "kysely";
import type { DB } from "../connection";
import type { Database } from "../schema";

export const USER_COLUMNS: Record<keyof Database, readonly string[]> = {
  organisations: [],
  users: ["id"],
  sessions: ["user_id"],
  strategies: [],
  themes: [],
  departments: [],
  priorities: [],
  recommendations: [],
  plans: ["created_by", "archived_by"],
  plan_recommendations: [],
  plan_priorities: [],
  plan_grants: ["user_id", "granted_by"],
  documents: [],
  document_updates: ["user_id"],
  document_snapshots: [],
  actions: ["created_by"],
  action_owners: ["requested_by", "responded_by"],
  ownership_history: ["actor_user_id"],
  audit_log: ["actor_user_id"],
  comment_threads: ["created_by", "resolved_by"],
  comments: ["author_user_id", "hidden_by"],
  comment_mentions: [],
  comment_events: ["actor_user_id"],
  notifications: ["user_id", "actor_user_id"],
  proposal_visits: ["user_id"],
  power_sharing: ["agreed_by"],
  power_sharing_requests: ["requested_by"],
  power_sharing_history: ["actor_user_id"],
  sign_offs: ["user_id"],
  agreed_texts: [],
  agreement_state: [],
  agreement_history: ["actor_user_id"],
  suggestions: ["author_user_id", "decided_by_user_id"],
  workshops: ["created_by", "locked_by", "closed_by"],
  workshop_items: [],
  workshop_invitations: ["invited_by"],
  workshop_participants: ["user_id"],
  workshop_guest_sessions: [],
  workshop_idea_groups: [],
  workshop_ideas: [],
  workshop_votes: ["opened_by"],
  workshop_vote_options: [],
  workshop_dots: [],
  workshop_decisions: ["recorded_by"],
  workshop_idea_revisions: ["revised_by"],
  workshop_polls: ["opened_by"],
  workshop_poll_options: [],
  workshop_poll_answers: [],
  workshop_poll_answer_history: [],
  kpis: [],
  action_kpis: ["linked_by"],
  action_recommendations: ["linked_by"],
  milestones: ["created_by", "completed_by"],
  milestone_changes: ["actor_user_id"],
  progress_updates: ["author_user_id"],
  rag_rules: ["updated_by"],
  status_reports: ["created_by"],
  status_report_entries: [],
  plan_versions: ["created_by"],
  plan_version_documents: [],
  report_settings: ["updated_by"],
  identity_providers: ["updated_by"],
  identity_links: ["user_id"],
  oidc_sign_in_attempts: [],
  mail_outbox: ["to_user_id"],
  account_tokens: ["user_id", "created_by"],
  notification_preferences: ["user_id"],
  notification_digests: ["user_id"],
  app_secrets: [],
};

/** Rows written as a workshop participant, found through workshop_participants.id. */
export const PARTICIPANT_COLUMNS: Partial<Record<keyof Database, string>> = {
  workshop_ideas: "participant_id",
  workshop_dots: "participant_id",
  workshop_poll_answers: "participant_id",
  workshop_poll_answer_history: "participant_id",
  workshop_guest_sessions: "participant_id",
};

/** Secrets are never part of a download: they are not about the person, and would let anyone holding the file in. */
const SECRET_COLUMNS = new Set(["password_hash", "id_hash", "token_hash", "client_secret", "code_verifier"]);

export type PersonalRow = Record<string, unknown>;

function shown(row: Record<string, unknown>): PersonalRow {
  const out: PersonalRow = {};
  for (const [k, v] of Object.entries(row)) {
    if (SECRET_COLUMNS.has(k)) continue;
    // Binary edits (Yjs updates) are shown by size: the words they carry are in the documents.
    out[k] = v instanceof Uint8Array ? { binaryBytes: v.byteLength } : v;
  }
  return out;
}

/** Every row of every table that references the person, table by table (tables with none left out). */
export async function collectPersonalRows(db: DB, userId: number): Promise<Record<string, PersonalRow[]>> {
  const any = db as unknown as Kysely<any>;
  const out: Record<string, PersonalRow[]> = {};
  for (const [table, columns] of Object.entries(USER_COLUMNS)) {
    if (columns.length === 0) continue;
    const rows = await any
      .selectFrom(table)
      .selectAll()
      .where((eb) => eb.or(columns.map((c) => eb(c, "=", userId))))
      .execute();
    if (rows.length) out[table] = rows.map(shown);
  }
  // The account's own history: invitations, password changes, deactivation, sign-in links.
  const aboutThem = await db
    .selectFrom("audit_log")
    .selectAll()
    .where("subject", "=", String(userId))
    .where((eb) => eb.or([eb("event", "like", "user.%"), eb("event", "like", "identity.%")]))
    .where((eb) => eb.or([eb("actor_user_id", "is", null), eb("actor_user_id", "!=", userId)]))
    .execute();
  if (aboutThem.length) out.audit_log = [...(out.audit_log ?? []), ...aboutThem.map(shown)];
  const participantIds = (out.workshop_participants ?? []).map((p) => p.id as number);
  if (participantIds.length) {
    for (const [table, column] of Object.entries(PARTICIPANT_COLUMNS)) {
      const rows = await any.selectFrom(table).selectAll().where(column!, "in", participantIds).execute();
      if (rows.length) out[table] = rows.map(shown);
    }
  }
  return out;
}

/** The person with their organisation's name, for a download's heading and for the erasure label. */
export async function findPersonWithOrganisation(db: DB, userId: number) {
  return (
    (await db
      .selectFrom("users")
      .innerJoin("organisations", "organisations.id", "users.organisation_id")
      .select(["users.id", "users.name", "users.email", "users.job_title", "users.system_role", "users.created_at", "users.erased_at", "organisations.name as organisationName"])
      .where("users.id", "=", userId)
      .executeTakeFirst()) ?? null
  );
}

const TEXT_TYPES = /^(text|varchar|character varying|char|character|json|jsonb|clob)/i;

/**
 * Every text column of every table, read from the database itself (SQLite's pragma and
 * PostgreSQL's information schema through Kysely's introspection), so a table added later is
 * covered without anyone remembering it.
 */
export async function listTextColumns(db: DB): Promise<{ table: string; column: string }[]> {
  const tables = await db.introspection.getTables();
  return tables
    .filter((t) => !t.isView)
    .flatMap((t) => t.columns.filter((c) => TEXT_TYPES.test(c.dataType)).map((c) => ({ table: t.name, column: c.name })));
}

/**
 * Replaces `needle` with `label` wherever it occurs in any text column, JSON and documents'
 * plain text included (REPLACE is the same function in SQLite and PostgreSQL). Returns how many
 * rows changed. `skip` leaves some tables out (the caller writes those itself).
 */
export async function replaceInAllText(db: DB, needle: string, label: string, skip: readonly string[] = []): Promise<number> {
  if (needle.trim() === "") return 0;
  const any = db as unknown as Kysely<any>;
  let changed = 0;
  for (const { table, column } of await listTextColumns(db)) {
    if (skip.includes(table)) continue;
    const result = await any
      .updateTable(table)
      .set((eb) => ({ [column]: eb.fn("replace", [eb.ref(column), eb.val(needle), eb.val(label)]) }))
      .where(column, "like", `%${needle}%`)
      .executeTakeFirst();
    changed += Number(result.numUpdatedRows);
  }
  return changed;
}

export async function setErasedIdentity(db: DB, userId: number, values: { name: string; email: string; at: string }) {
  await db
    .updateTable("users")
    .set({ name: values.name, email: values.email, job_title: "", password_hash: "", erased_at: values.at, deactivated_at: values.at })
    .where("id", "=", userId)
    .execute();
}

/** What an erasure removes outright: how the person signed in and what was waiting to be sent to them. */
export async function deleteAccessAndMailOf(db: DB, userId: number, email: string) {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
  await db.deleteFrom("account_tokens").where("user_id", "=", userId).execute();
  await db.deleteFrom("identity_links").where("user_id", "=", userId).execute();
  await db.deleteFrom("proposal_visits").where("user_id", "=", userId).execute();
  await db.deleteFrom("notification_preferences").where("user_id", "=", userId).execute();
  await db.deleteFrom("notification_digests").where("user_id", "=", userId).execute();
  await db
    .deleteFrom("mail_outbox")
    .where((eb) => eb.or([eb("to_user_id", "=", userId), eb("to_address", "=", email)]))
    .execute();
}

/** Their participant names in workshops follow their account's new label. */
export async function relabelParticipantsOf(db: DB, userId: number, label: string) {
  await db.updateTable("workshop_participants").set({ display_name: label }).where("user_id", "=", userId).execute();
}

// --- Guests of closed workshops (GUEST_RETENTION_DAYS) ----------------------------------------

/** Closed workshops, closed before `closedBefore`, whose guests' names are still held. */
export async function workshopsWithGuestNamesToErase(db: DB, closedBefore: string) {
  return db
    .selectFrom("workshops")
    .select(["id", "closed_at"])
    .where("status", "=", "closed")
    .where("closed_at", "is not", null)
    .where("closed_at", "<", closedBefore)
    .where("guest_names_erased_at", "is", null)
    .execute();
}

export async function eraseGuestNamesOf(db: DB, workshopId: string, label: string, at: string): Promise<number> {
  const result = await db
    .updateTable("workshop_participants")
    .set({ display_name: label })
    .where("workshop_id", "=", workshopId)
    .where("kind", "=", "guest")
    .where("user_id", "is", null)
    .executeTakeFirst();
  await db.deleteFrom("workshop_guest_sessions").where("workshop_id", "=", workshopId).execute();
  await db.updateTable("workshops").set({ guest_names_erased_at: at }).where("id", "=", workshopId).execute();
  return Number(result.numUpdatedRows);
}

