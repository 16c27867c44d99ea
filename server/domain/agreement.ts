/**
 * Agreement on equal terms. An action is agreed only when every organisation named on it has
 * signed off the same words; the server derives the status from the sign-offs and writes each
 * sign-off, and each change of status it causes, to an append-only trail in one transaction.
 *
 * A section (commitment) of an engagement proposal is agreed the same way, by the same code:
 * subject type 'proposal_section', whose named partners are the organisations of its
 * power-sharing record instead of its lead and supporting partners.
 */
import type { Transaction } from "kysely";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import { findOrganisationName } from "../../db/queries/action-owners";
import {
  agreementStateOf,
  findSubject,
  findSubjectOfDocument,
  insertAgreedTextIfAbsent,
  insertAgreementHistory,
  insertAgreementState,
  insertSignOff,
  namedOrganisationsOf,
  setActionAgreementStatus,
  signOffRows,
  updateAgreementState,
} from "../../db/queries/agreement-subjects";
import { lastUpdateIds } from "../../db/queries/documents";
import type { AgreementCause, AgreementStatus, AgreementSubjectType, Database } from "../../db/schema";
import { fingerprintOf, shortFingerprint, type AgreementText } from "../documents/agreement-text";
import { readContent, UnreadableDocumentError } from "../documents/lexical-content";
import { can, signOffRefusal, type Actor } from "../policy";
import type { SyncServer } from "../sync";
import { agreementVerdict, type AgreementVerdict, type SignOffFact } from "./agreement-rules";
import { DomainError } from "./errors";
import { loadPlanRole } from "./plan-access";
import { planActionHref, proposalHref } from "../notifications/links";
import { sliceEvery } from "../yield-budget";
import { membersWithRole, notifyPeople } from "../notifications/notify";

type Trx = Transaction<Database>;
type Reader = Pick<SyncServer, "readDocument">;

export interface SubjectText extends AgreementText {
  fingerprint: string;
  /** False when the editor cannot read the document: no paragraphs, and nobody can sign it off. */
  readable: boolean;
}

/** Matches no sign-off: the words of a text nobody can read cannot be agreed. */
const UNREADABLE_FINGERPRINT = "unreadable";

interface ActionRow {
  id: string;
  plan_id: string;
  title: string;
  document_id: string;
}

/** What is signed off: an action, or a section of an engagement proposal (also an actions row). */
interface Subject extends ActionRow {
  type: AgreementSubjectType;
}

const NOUN: Record<AgreementSubjectType, string> = { action: "action", proposal_section: "section" };

async function loadSubject(db: DB | Trx, type: AgreementSubjectType, id: string): Promise<Subject> {
  const row = await findSubject(db, id);
  const isSection = row?.plan_kind === "engagement_proposal";
  if (!row || (type === "proposal_section" && !isSection)) {
    throw new DomainError(404, `That ${NOUN[type]} no longer exists. Reload the page to see the current ${type === "action" ? "plan" : "proposal"}.`);
  }
  return { type, id: row.id, plan_id: row.plan_id, title: row.title, document_id: row.document_id };
}

/** The words of an action as they are now (live if its document is open), with their fingerprint. */
export async function readActionText(sync: Reader, action: { title: string; document_id: string }): Promise<SubjectText> {
  const content = await sync.readDocument(action.document_id, (doc) => readContent(doc));
  if (!content.readable) return { title: action.title, paragraphs: [], fingerprint: UNREADABLE_FINGERPRINT, readable: false };
  // Lines, not blocks: each list item is a paragraph of the agreed words, with its marker.
  const text = { title: action.title, paragraphs: content.lines };
  return { ...text, fingerprint: fingerprintOf(text), readable: true };
}

// Reading a document runs a headless Lexical editor (a few ms): pages listing many actions reuse
// the last reading of a document until a newer update of it is stored.
const textCache = new Map<string, { key: string; text: SubjectText }>();
const TEXT_CACHE_LIMIT = 5000;
const READ_TOGETHER = 8;

/** Current texts of many actions, read again only for documents with newer stored updates. */
export async function currentActionTexts(
  db: DB,
  sync: Reader,
  actions: readonly ActionRow[],
): Promise<Map<string, SubjectText>> {
  const out = new Map<string, SubjectText>();
  if (actions.length === 0) return out;
  const lastBy = await lastUpdateIds(
    db,
    actions.map((a) => a.document_id),
  );
  // A few documents at a time (on PostgreSQL each is a round trip), letting others in between: the
  // first page of a 2,000-action plan after a restart reads every document (seconds of CPU in all).
  const misses: ActionRow[] = [];
  for (const a of actions) {
    const hit = textCache.get(a.document_id);
    if (hit && hit.key === cacheKey(a)) out.set(a.id, hit.text);
    else misses.push(a);
  }
  const slice = sliceEvery();
  for (let i = 0; i < misses.length; i += READ_TOGETHER) {
    await slice();
    await Promise.all(
      misses.slice(i, i + READ_TOGETHER).map(async (a) => {
        const text = await readActionText(sync, a);
        textCache.delete(a.document_id);
        textCache.set(a.document_id, { key: cacheKey(a), text });
        if (textCache.size > TEXT_CACHE_LIMIT) textCache.delete(textCache.keys().next().value!);
        out.set(a.id, text);
      }),
    );
  }
  function cacheKey(a: ActionRow) {
    return `${lastBy.get(a.document_id) ?? 0}\u0000${a.title}`;
  }
  return out;
}

async function namedOrganisations(db: DB | Trx, subject: Subject): Promise<string[]> {
  return (await namedOrganisationsOf(db, subject.type, [subject.id])).get(subject.id) ?? [];
}

async function signOffFacts(db: DB | Trx, subject: Subject): Promise<SignOffFact[]> {
  return (await signOffRows(db, subject.type, subject.id)).map(toFact);
}

export function toFact(r: {
  id: number;
  organisation_id: string;
  kind: SignOffFact["kind"];
  fingerprint: string;
  named_organisations: string;
}): SignOffFact {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    kind: r.kind,
    fingerprint: r.fingerprint,
    namedOrganisations: JSON.parse(r.named_organisations) as string[],
  };
}

async function organisationName(db: DB | Trx, id: string): Promise<string> {
  const row = await findOrganisationName(db, id);
  return row?.name ?? id;
}

export interface AgreementChange {
  planId: string;
  subjectType: AgreementSubjectType;
  /** The subject's id: an action, or a proposal section (the commitment's actions row). */
  actionId: string;
  actionTitle: string;
  from: AgreementStatus;
  to: AgreementStatus;
  /** The text's fingerprint differs from the one last recorded for this action. */
  textChanged: boolean;
  summary: string;
}

/**
 * Recomputes the verdict for the action's current text and records it: the state row, the
 * action's status, and (when the status changes) a history row naming the cause. Runs inside the
 * caller's transaction so a sign-off and the status it leads to are written together.
 * Actions nobody has ever signed keep no state row: they are drafts.
 */
export async function recordVerdict(
  trx: Trx,
  action: Subject,
  text: SubjectText,
  cause: AgreementCause,
  actor: Actor | null,
): Promise<{ from: AgreementStatus; verdict: AgreementVerdict; textChanged: boolean }> {
  const [named, facts, state] = await Promise.all([
    namedOrganisations(trx, action),
    signOffFacts(trx, action),
    agreementStateOf(trx, action.type, action.id),
  ]);
  const verdict = agreementVerdict({ named, signOffs: facts, fingerprint: text.fingerprint });
  const from: AgreementStatus = state?.status ?? "draft";
  if (!state && facts.length === 0) return { from, verdict, textChanged: false };
  const now = nowIso();
  const nowAgreed = verdict.status === "agreed";
  const newlyAgreed = nowAgreed && (from !== "agreed" || state?.agreed_fingerprint !== text.fingerprint);
  const row = {
    plan_id: action.plan_id,
    status: verdict.status,
    fingerprint: text.fingerprint,
    agreed_fingerprint: newlyAgreed ? text.fingerprint : (state?.agreed_fingerprint ?? null),
    agreed_at: newlyAgreed ? now : (state?.agreed_at ?? null),
    updated_at: now,
  };
  if (state) {
    await updateAgreementState(trx, action.type, action.id, row);
  } else {
    await insertAgreementState(trx, { subject_type: action.type, subject_id: action.id, ...row });
  }
  if (from !== verdict.status) {
    await insertAgreementHistory(trx, {
      subject_type: action.type,
      subject_id: action.id,
      plan_id: action.plan_id,
      from_status: from,
      to_status: verdict.status,
      fingerprint: text.fingerprint,
      cause,
      actor_user_id: actor?.userId ?? null,
      actor_organisation_id: actor?.organisationId ?? null,
      created_at: now,
    });
    // An action's status column mirrors its agreement; a proposal section keeps its own.
    if (action.type === "action") await setActionAgreementStatus(trx, action.id, verdict.status);
  }
  return { from, verdict, textChanged: state ? state.fingerprint !== text.fingerprint : false };
}

async function refusalMessage(db: DB, actor: Actor, refusal: string, organisationId: string, subject: Subject) {
  const org = await organisationName(db, organisationId);
  const title = subject.title;
  switch (refusal) {
    case "not-own-organisation":
      return `You can sign off only for your own organisation. ${org} signs off “${title}” itself, through one of its editors.`;
    case "not-named":
      return subject.type === "action"
        ? `${org} is not a lead or supporting partner of “${title}”, so it does not sign it off. Ask to be named as a partner first.`
        : `${org} has no row in the power-sharing record of “${title}”, so it does not sign it off. Record ${org}'s level for a stage first.`;
    default:
      return `Only editors of ${org} can sign off for it. Ask an editor of ${org} to sign, or ask the plan's facilitator for editing rights.`;
  }
}

/**
 * An editor signs off the action's words for their own organisation. `fingerprint` is the one
 * the page showed: if the text has changed since, nothing is recorded and the person is told to
 * read it again. The sign-off, the agreed text and any resulting status change are written in
 * one transaction.
 */
export async function signOff(
  db: DB,
  sync: Reader,
  actor: Actor,
  input: { actionId: string; organisationId: string; fingerprint: string; subjectType?: AgreementSubjectType },
): Promise<AgreementChange> {
  const action = await loadSubject(db, input.subjectType ?? "action", input.actionId);
  const role = await loadPlanRole(db, actor, action.plan_id);
  if (!can(role, "plan:view")) throw new DomainError(404, `That ${NOUN[action.type]} no longer exists, or you do not have access to its plan.`);
  const named = await namedOrganisations(db, action);
  const refusal = signOffRefusal(actor, role, { organisationId: input.organisationId, namedOrganisationIds: named });
  if (refusal) throw new DomainError(403, await refusalMessage(db, actor, refusal, input.organisationId, action));
  const text = await readActionText(sync, action);
  if (!text.readable) throw new UnreadableDocumentError("sign-off of an unreadable text");
  const org = await organisationName(db, input.organisationId);
  if (text.fingerprint !== input.fingerprint) {
    throw new DomainError(
      409,
      `The words of “${action.title}” changed while you were signing (they are now version ${shortFingerprint(text.fingerprint)}), so ${org}'s sign-off was not recorded. The button now offers the new words: read them, then sign off again if ${org} agrees.`,
    );
  }
  const result = await inTransaction(db, async (trx) => {
    const mine = (await signOffFacts(trx, action)).filter((f) => f.organisationId === input.organisationId).at(-1);
    if (mine?.kind === "signed" && mine.fingerprint === text.fingerprint) {
      throw new DomainError(409, `${org} has already signed off this text of “${action.title}”.`);
    }
    const namedNow = await namedOrganisations(trx, action);
    const now = nowIso();
    await insertSignOff(trx, {
      subject_type: action.type,
      subject_id: action.id,
      plan_id: action.plan_id,
      organisation_id: input.organisationId,
      user_id: actor.userId,
      kind: "signed",
      fingerprint: text.fingerprint,
      named_organisations: JSON.stringify(namedNow),
      created_at: now,
    });
    await insertAgreedTextIfAbsent(trx, {
      subject_type: action.type,
      subject_id: action.id,
      fingerprint: text.fingerprint,
      title: text.title,
      paragraphs: JSON.stringify(text.paragraphs),
      created_at: now,
    });
    const recorded = await recordVerdict(trx, action, text, "signed", actor);
    await tellWhoStillOwes(trx, action, org, recorded.verdict.status === "agreed" ? [] : recorded.verdict.waitingFor, actor);
    return recorded;
  });
  const { verdict } = result;
  const summary =
    verdict.status === "agreed"
      ? `“${action.title}” is agreed: every named partner has signed off the same words (${org} signed last).`
      : `${org} signed off “${action.title}”. Waiting for ${await listNames(db, verdict.waitingFor)}.`;
  return { planId: action.plan_id, subjectType: action.type, actionId: action.id, actionTitle: action.title, from: result.from, to: verdict.status, textChanged: false, summary };
}

/**
 * A partner signed: every organisation named on the same words that has not signed them now owes a
 * sign-off. Its editors are told in the sign-off's own transaction (in the app at once, by email
 * as each person chose: by default in the daily summary). One notice per sign-off, not per change
 * of the words: typing does not send anything.
 */
async function tellWhoStillOwes(trx: Trx, subject: Subject, signer: string, waitingFor: readonly string[], actor: Actor): Promise<void> {
  const link = subject.type === "proposal_section" ? proposalHref(subject.plan_id, `commitment-${subject.id}`) : planActionHref(subject.plan_id, subject.id);
  for (const organisationId of waitingFor) {
    const owes = await organisationName(trx, organisationId);
    await notifyPeople(
      trx,
      {
        kind: "sign_off_owed",
        planId: subject.plan_id,
        summary: `${signer} signed off the wording of “${subject.title}”; ${owes} has not signed these words yet.`,
        link,
        actor,
      },
      await membersWithRole(trx, subject.plan_id, [organisationId], "editor"),
    );
  }
}

/** An organisation takes back its sign-off (its editors only); an agreed action re-opens. */
export async function withdrawSignOff(
  db: DB,
  sync: Reader,
  actor: Actor,
  input: { actionId: string; organisationId: string; subjectType?: AgreementSubjectType },
): Promise<AgreementChange> {
  const action = await loadSubject(db, input.subjectType ?? "action", input.actionId);
  const role = await loadPlanRole(db, actor, action.plan_id);
  if (!can(role, "plan:view")) throw new DomainError(404, `That ${NOUN[action.type]} no longer exists, or you do not have access to its plan.`);
  const named = await namedOrganisations(db, action);
  const refusal = signOffRefusal(actor, role, { organisationId: input.organisationId, namedOrganisationIds: named });
  if (refusal) throw new DomainError(403, await refusalMessage(db, actor, refusal, input.organisationId, action));
  const text = await readActionText(sync, action);
  const org = await organisationName(db, input.organisationId);
  const result = await inTransaction(db, async (trx) => {
    const facts = await signOffFacts(trx, action);
    const mine = facts.filter((f) => f.organisationId === input.organisationId).at(-1);
    if (!mine || mine.kind !== "signed") {
      throw new DomainError(409, `${org} has no sign-off on “${action.title}” to withdraw.`);
    }
    await insertSignOff(trx, {
      subject_type: action.type,
      subject_id: action.id,
      plan_id: action.plan_id,
      organisation_id: input.organisationId,
      user_id: actor.userId,
      kind: "withdrawn",
      fingerprint: mine.fingerprint,
      named_organisations: JSON.stringify(await namedOrganisations(trx, action)),
      created_at: nowIso(),
    });
    return recordVerdict(trx, action, text, "withdrawn", actor);
  });
  return {
    planId: action.plan_id,
    subjectType: action.type,
    actionId: action.id,
    actionTitle: action.title,
    from: result.from,
    to: result.verdict.status,
    textChanged: false,
    summary:
      result.from === "agreed"
        ? `${org} withdrew its sign-off: “${action.title}” is no longer agreed.`
        : `${org} withdrew its sign-off on “${action.title}”.`,
  };
}

/**
 * Re-derives an action's verdict after its text or its partners changed (no person signs here;
 * the cause is recorded). Returns null when there is nothing to tell pages: the action has never
 * been signed, or neither its status nor its recorded text changed.
 */
/**
 * Re-derives one action's agreement inside the caller's transaction, so that a change of its
 * partners and the status it causes are written together (the words are read before, outside).
 * Nothing happens for an action nobody has signed yet, as in `refreshAgreement`.
 */
export async function rederiveAgreementIn(
  trx: Trx,
  action: { id: string; plan_id: string; title: string; document_id: string },
  text: SubjectText,
  cause: AgreementCause,
  actor: Actor,
): Promise<{ from: AgreementStatus; to: AgreementStatus } | null> {
  const subject: Subject = { type: "action", ...action };
  if (!(await agreementStateOf(trx, "action", action.id))) return null;
  const result = await recordVerdict(trx, subject, text, cause, actor);
  return { from: result.from, to: result.verdict.status };
}

export async function refreshAgreement(
  db: DB,
  sync: Reader,
  actionId: string,
  cause: "text_changed" | "partners_changed",
  subjectType: AgreementSubjectType = "action",
): Promise<AgreementChange | null> {
  const read = await readForAgreementRefresh(db, sync, actionId, subjectType);
  if (!read) return null;
  return inTransaction(db, (trx) => applyAgreementRefresh(trx, read, cause, null));
}

/** What re-deriving an agreement needs from outside the database: the words as they are now. */
export interface AgreementRefreshRead {
  subject: Subject;
  text: SubjectText;
}

/**
 * Reads the words of a subject someone has signed, before a transaction opens: the document may
 * be live in the sync server, and reading it must not wait on (or hold) a database transaction.
 * Null when nobody ever signed it: there is no agreement to re-derive.
 */
export async function readForAgreementRefresh(
  db: DB,
  sync: Reader,
  actionId: string,
  subjectType: AgreementSubjectType = "action",
): Promise<AgreementRefreshRead | null> {
  const row = await findSubject(db, actionId);
  if (!row) return null;
  const subject: Subject = { type: subjectType, id: row.id, plan_id: row.plan_id, title: row.title, document_id: row.document_id };
  if (!(await agreementStateOf(db, subjectType, subject.id))) return null;
  return { subject, text: await readActionText(sync, subject) };
}

/** Re-derives the agreement inside the caller's transaction, so it commits with the change that caused it. */
export async function applyAgreementRefresh(
  trx: Trx,
  read: AgreementRefreshRead,
  cause: "text_changed" | "partners_changed",
  actor: Actor | null,
): Promise<AgreementChange | null> {
  const action = read.subject;
  const result = await recordVerdict(trx, action, read.text, cause, actor);
  if (result.from === result.verdict.status && !result.textChanged) return null;
  const summary =
    result.from === "agreed" && result.verdict.status !== "agreed"
      ? cause === "text_changed"
        ? `The text of “${action.title}” changed after it was agreed: sign-off is open again.`
        : `The partners of “${action.title}” changed after it was agreed: sign-off is open again.`
      : result.verdict.status === "agreed" && result.from !== "agreed"
        ? `“${action.title}” is agreed again: its words are the ones every named partner signed.`
        : cause === "text_changed"
          ? `The text of “${action.title}” changed: sign-offs given before apply to the earlier words.`
          : `The partners of “${action.title}” changed: sign-off status updated.`;
  return {
    planId: action.plan_id,
    subjectType: action.type,
    actionId: action.id,
    actionTitle: action.title,
    from: result.from,
    to: result.verdict.status,
    textChanged: result.textChanged,
    summary,
  };
}

/** The sync server committed an update of this document: re-derive the agreement of what it is the text of. */
export async function refreshAgreementForDocument(db: DB, sync: Reader, documentId: string): Promise<AgreementChange | null> {
  const action = await findSubjectOfDocument(db, documentId);
  if (!action) return null;
  return refreshAgreement(db, sync, action.id, "text_changed", action.kind === "engagement_proposal" ? "proposal_section" : "action");
}

async function listNames(db: DB, organisationIds: string[]): Promise<string> {
  const names = await Promise.all(organisationIds.map((id) => organisationName(db, id)));
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
