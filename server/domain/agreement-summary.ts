/**
 * Where each subject of a plan stands on agreement, read with a few set-based queries and the
 * same verdict function the sign-off itself uses (agreement-rules.ts), so a report, a page and
 * the stored state cannot disagree. Used by the Cabinet / board report (every action) and the
 * engagement proposal page (every section).
 */
import type { DB } from "../../db/connection";
import { agreementRecordsForPlan, namedOrganisationsOf, organisationNames } from "../../db/queries/agreement-subjects";
import type { AgreementStatus, AgreementSubjectType, SignOffKind } from "../../db/schema";
import type { AgreementSummary } from "../accountability/board-report";
import { shortFingerprint } from "../documents/agreement-text";
import type { SyncServer } from "../sync";
import { currentActionTexts, toFact, type SubjectText } from "./agreement";
import { agreementVerdict, latestSignOffs } from "./agreement-rules";

export interface PartnerAgreement {
  organisationId: string;
  organisationName: string;
  /** The sign-off that counts for the current words, if any. */
  signed: { personName: string; at: string; short: string } | null;
  /** A sign-off of earlier words, or a withdrawal: shown so nobody thinks it still counts. */
  earlier: { personName: string; at: string; short: string; kind: SignOffKind } | null;
}

export interface SubjectAgreement {
  status: AgreementStatus;
  text: SubjectText;
  /** Agreed once, and the words have changed since. */
  changedSinceAgreed: boolean;
  /** Agreed once with these words, but a partner withdrew or the partners changed. */
  reopened: boolean;
  agreedAt: string | null;
  lastAgreed: { title: string; paragraphs: string[]; fingerprint: string } | null;
  named: string[];
  partners: PartnerAgreement[];
  signed: string[];
  waitingFor: string[];
}

interface SubjectRef {
  id: string;
  title: string;
  document_id: string;
}

export async function subjectAgreements(
  db: DB,
  sync: Pick<SyncServer, "readDocument">,
  type: AgreementSubjectType,
  planId: string,
  subjects: readonly SubjectRef[],
): Promise<Map<string, SubjectAgreement>> {
  const ids = subjects.map((s) => s.id);
  const [texts, records, named] = await Promise.all([
    currentActionTexts(db, sync, subjects.map((s) => ({ ...s, plan_id: planId }))),
    agreementRecordsForPlan(db, type, planId),
    namedOrganisationsOf(db, type, ids),
  ]);
  const names = await organisationNames(db, [...new Set([...named.values()].flat())]);
  const states = new Map(records.states.map((s) => [s.subject_id, s]));
  const rowsBy = new Map<string, typeof records.signOffs>();
  for (const r of records.signOffs) {
    const list = rowsBy.get(r.subject_id);
    if (list) list.push(r);
    else rowsBy.set(r.subject_id, [r]);
  }
  const out = new Map<string, SubjectAgreement>();
  for (const s of subjects) {
    const text = texts.get(s.id)!;
    const namedHere = named.get(s.id) ?? [];
    const rows = rowsBy.get(s.id) ?? [];
    const facts = rows.map(toFact);
    const verdict = agreementVerdict({ named: namedHere, signOffs: facts, fingerprint: text.fingerprint });
    const latest = latestSignOffs(facts);
    const rowById = new Map(rows.map((r) => [r.id, r]));
    const state = states.get(s.id);
    const agreedText = state?.agreed_fingerprint
      ? records.agreedTexts.find((t) => t.subject_id === s.id && t.fingerprint === state.agreed_fingerprint)
      : undefined;
    out.set(s.id, {
      status: verdict.status,
      text,
      changedSinceAgreed: verdict.status !== "agreed" && state?.agreed_fingerprint != null && state.agreed_fingerprint !== text.fingerprint,
      reopened: verdict.status !== "agreed" && state?.agreed_fingerprint === text.fingerprint,
      agreedAt: verdict.status === "agreed" ? (state?.agreed_at ?? null) : null,
      lastAgreed: agreedText
        ? { title: agreedText.title, paragraphs: JSON.parse(agreedText.paragraphs) as string[], fingerprint: agreedText.fingerprint }
        : null,
      named: namedHere,
      signed: verdict.signed,
      waitingFor: verdict.waitingFor,
      partners: namedHere.map((org) => {
        const fact = latest.get(org);
        const row = fact ? rowById.get(fact.id) : undefined;
        const view = row ? { personName: row.person_name, at: row.created_at, short: shortFingerprint(row.fingerprint) } : null;
        const counts = verdict.signed.includes(org);
        return {
          organisationId: org,
          organisationName: names.get(org) ?? org,
          signed: counts ? view : null,
          earlier: !counts && view && fact ? { ...view, kind: fact.kind } : null,
        };
      }),
    });
  }
  return out;
}

/** The same facts as the report states them: agreed, changed since agreed, or awaiting whom. */
export function reportAgreement(a: SubjectAgreement): AgreementSummary {
  const name = (org: string) => a.partners.find((p) => p.organisationId === org)?.organisationName ?? org;
  return {
    status: a.named.length === 0 ? "no-partners" : a.status === "agreed" ? "agreed" : a.changedSinceAgreed ? "changed" : "awaiting",
    current: { title: a.text.title, paragraphs: a.text.paragraphs },
    agreed: a.lastAgreed ? { title: a.lastAgreed.title, paragraphs: a.lastAgreed.paragraphs } : null,
    agreedAt: a.agreedAt,
    version: shortFingerprint(a.text.fingerprint),
    agreedVersion: a.lastAgreed ? shortFingerprint(a.lastAgreed.fingerprint) : null,
    signedBy: a.signed.map(name),
    waitingFor: a.waitingFor.map(name),
  };
}
