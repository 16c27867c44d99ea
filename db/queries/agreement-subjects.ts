/**
 * Queries about what can be signed off (issue 16): an action of a plan, whose partners are its
 * accepted lead and supporting organisations, or a section (commitment) of an engagement
 * proposal, whose partners are the organisations in its power-sharing record. Both kinds are
 * rows of `actions`; the subject type says which list of partners counts.
 */
import type { Insertable, Updateable } from "kysely";
import type { DB } from "../connection";
import type { AgreedTextTable, AgreementHistoryTable, AgreementStateTable, AgreementStatus, AgreementSubjectType, SignOffTable } from "../schema";

export interface SubjectRow {
  id: string;
  plan_id: string;
  title: string;
  document_id: string;
  plan_kind: string;
}

export async function findSubject(db: DB, id: string): Promise<SubjectRow | undefined> {
  return db
    .selectFrom("actions as a")
    .innerJoin("plans as p", "p.id", "a.plan_id")
    .select(["a.id", "a.plan_id", "a.title", "a.document_id", "p.kind as plan_kind"])
    .where("a.id", "=", id)
    .executeTakeFirst();
}

/** The organisations named on each subject (sorted ids), for the given subject ids. */
export async function namedOrganisationsOf(
  db: DB,
  type: AgreementSubjectType,
  subjectIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(subjectIds.map((id) => [id, []]));
  if (subjectIds.length === 0) return out;
  const rows =
    type === "action"
      ? await db
          .selectFrom("action_owners")
          .select(["action_id", "organisation_id"])
          .where("action_id", "in", subjectIds)
          // A partner asked to change role (a supporting partner asked to lead) is still a partner.
          .where((eb) => eb.or([eb("status", "=", "accepted"), eb("held_role", "is not", null)]))
          .orderBy("organisation_id")
          .execute()
      : await db
          .selectFrom("power_sharing")
          .select(["action_id", "organisation_id"])
          .distinct()
          .where("action_id", "in", subjectIds)
          .orderBy("organisation_id")
          .execute();
  for (const r of rows) {
    const list = out.get(r.action_id)!;
    if (!list.includes(r.organisation_id)) list.push(r.organisation_id);
  }
  return out;
}

export async function signOffRows(db: DB, type: AgreementSubjectType, subjectId: string) {
  return db
    .selectFrom("sign_offs")
    .select(["id", "organisation_id", "kind", "fingerprint", "named_organisations"])
    .where("subject_type", "=", type)
    .where("subject_id", "=", subjectId)
    .orderBy("id")
    .execute();
}

export async function agreementStateOf(db: DB, type: AgreementSubjectType, subjectId: string) {
  return db
    .selectFrom("agreement_state")
    .selectAll()
    .where("subject_type", "=", type)
    .where("subject_id", "=", subjectId)
    .executeTakeFirst();
}

/**
 * Everything needed to state the agreement of every subject of one type on a plan: the stored
 * verdicts, every sign-off (with the person's and organisation's names), and the words of each
 * subject's last agreed version.
 */
export async function agreementRecordsForPlan(db: DB, type: AgreementSubjectType, planId: string) {
  const [states, signOffs, agreedTexts] = await Promise.all([
    db.selectFrom("agreement_state").selectAll().where("plan_id", "=", planId).where("subject_type", "=", type).execute(),
    db
      .selectFrom("sign_offs as s")
      .innerJoin("users as u", "u.id", "s.user_id")
      .select(["s.id", "s.subject_id", "s.organisation_id", "s.kind", "s.fingerprint", "s.named_organisations", "s.created_at", "u.name as person_name"])
      .where("s.plan_id", "=", planId)
      .where("s.subject_type", "=", type)
      .orderBy("s.id")
      .execute(),
    db
      .selectFrom("agreed_texts as t")
      .innerJoin("agreement_state as st", (j) =>
        j
          .onRef("st.subject_type", "=", "t.subject_type")
          .onRef("st.subject_id", "=", "t.subject_id")
          .onRef("st.agreed_fingerprint", "=", "t.fingerprint"),
      )
      .select(["t.subject_id", "t.fingerprint", "t.title", "t.paragraphs"])
      .where("st.plan_id", "=", planId)
      .where("t.subject_type", "=", type)
      .execute(),
  ]);
  return { states, signOffs, agreedTexts };
}

export async function organisationNames(db: DB, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("organisations").select(["id", "name"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Every actions row of a plan (its actions, or a proposal's sections), in plan order. */
export async function subjectsOfPlan(db: DB, planId: string) {
  return db.selectFrom("actions").select(["id", "title", "document_id"]).where("plan_id", "=", planId).orderBy("position").execute();
}

export async function subjectsByIds(db: DB, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("actions").select(["id", "title", "document_id", "plan_id"]).where("id", "in", ids).execute();
}

export async function updateAgreementState(
  db: DB,
  type: AgreementSubjectType,
  subjectId: string,
  row: Updateable<AgreementStateTable>,
): Promise<void> {
  await db.updateTable("agreement_state").set(row).where("subject_type", "=", type).where("subject_id", "=", subjectId).execute();
}

export async function insertAgreementState(db: DB, row: Insertable<AgreementStateTable>): Promise<void> {
  await db.insertInto("agreement_state").values(row).execute();
}

export async function insertAgreementHistory(db: DB, row: Insertable<AgreementHistoryTable>): Promise<void> {
  await db.insertInto("agreement_history").values(row).execute();
}

/** An action's status column mirrors its agreement. */
export async function setActionAgreementStatus(db: DB, actionId: string, status: AgreementStatus): Promise<void> {
  await db.updateTable("actions").set({ status }).where("id", "=", actionId).execute();
}

export async function insertSignOff(db: DB, row: Insertable<SignOffTable>): Promise<void> {
  await db.insertInto("sign_offs").values(row).execute();
}

/** Keeps the words that were signed; the same words signed again are stored once. */
export async function insertAgreedTextIfAbsent(db: DB, row: Insertable<AgreedTextTable>): Promise<void> {
  await db.insertInto("agreed_texts").values(row).onConflict((oc) => oc.doNothing()).execute();
}

/** The action (or proposal section) a document is the text of, with its plan's kind. */
export async function findSubjectOfDocument(db: DB, documentId: string) {
  return db
    .selectFrom("actions as a")
    .innerJoin("plans as p", "p.id", "a.plan_id")
    .select(["a.id", "p.kind"])
    .where("a.document_id", "=", documentId)
    .executeTakeFirst();
}
