import type { DB } from "../connection";
import type { AgreementCause, AgreementStatus, SignOffKind } from "../schema";

export interface SignOffTrailRow {
  /** ISO-8601 UTC. */
  at: string;
  actionId: string;
  actionTitle: string;
  event: "signed" | "withdrawn" | "status";
  organisationName: string | null;
  personName: string | null;
  /** sha256 of the text signed, or of the text when the status changed. */
  fingerprint: string;
  fromStatus: AgreementStatus | null;
  toStatus: AgreementStatus | null;
  cause: AgreementCause | null;
  /** One sentence a person can read in a report. */
  description: string;
}

const CAUSE: Record<AgreementCause, string> = {
  signed: "a partner signed off",
  withdrawn: "a partner withdrew its sign-off",
  text_changed: "the text changed",
  partners_changed: "the named partners changed",
};

/**
 * The append-only trail of a plan's agreement, oldest first: every sign-off and withdrawal
 * (who, which organisation, when, which text) and every change of status it or an edit caused.
 * Used by the CSV export and by the accountability report.
 */
export async function signOffTrailForPlan(db: DB, planId: string): Promise<SignOffTrailRow[]> {
  const [signOffs, history] = await Promise.all([
    db
      .selectFrom("sign_offs as s")
      .innerJoin("actions as a", "a.id", "s.subject_id")
      .innerJoin("organisations as o", "o.id", "s.organisation_id")
      .innerJoin("users as u", "u.id", "s.user_id")
      .select([
        "s.id",
        "s.created_at",
        "s.kind",
        "s.fingerprint",
        "a.id as action_id",
        "a.title as action_title",
        "o.name as organisation_name",
        "u.name as person_name",
      ])
      .where("s.plan_id", "=", planId)
      .where("s.subject_type", "=", "action")
      .orderBy("s.id")
      .execute(),
    db
      .selectFrom("agreement_history as h")
      .innerJoin("actions as a", "a.id", "h.subject_id")
      .leftJoin("organisations as o", "o.id", "h.actor_organisation_id")
      .leftJoin("users as u", "u.id", "h.actor_user_id")
      .select([
        "h.id",
        "h.created_at",
        "h.from_status",
        "h.to_status",
        "h.cause",
        "h.fingerprint",
        "a.id as action_id",
        "a.title as action_title",
        "o.name as organisation_name",
        "u.name as person_name",
      ])
      .where("h.plan_id", "=", planId)
      .where("h.subject_type", "=", "action")
      .orderBy("h.id")
      .execute(),
  ]);
  const rows: (SignOffTrailRow & { order: number })[] = [
    ...signOffs.map((s) => ({
      order: 0,
      at: s.created_at,
      actionId: s.action_id,
      actionTitle: s.action_title,
      event: s.kind as SignOffKind,
      organisationName: s.organisation_name,
      personName: s.person_name,
      fingerprint: s.fingerprint,
      fromStatus: null,
      toStatus: null,
      cause: null,
      description:
        s.kind === "signed"
          ? `${s.person_name} signed off the text for ${s.organisation_name}.`
          : `${s.person_name} withdrew ${s.organisation_name}'s sign-off.`,
    })),
    ...history.map((h) => ({
      order: 1,
      at: h.created_at,
      actionId: h.action_id,
      actionTitle: h.action_title,
      event: "status" as const,
      organisationName: h.organisation_name,
      personName: h.person_name,
      fingerprint: h.fingerprint,
      fromStatus: h.from_status,
      toStatus: h.to_status,
      cause: h.cause,
      description: `Status changed from ${h.from_status} to ${h.to_status}: ${CAUSE[h.cause]}.`,
    })),
  ];
  // A sign-off and the status change it caused share a timestamp: the sign-off comes first.
  rows.sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order);
  return rows.map(({ order: _order, ...row }) => row);
}

/** Everything the plan page needs about sign-offs, suggestions and authorship, in a few queries. */
/** `onlyActionId` narrows every list to one action (a card redrawn after a live event). */
export async function loadAgreementFacts(db: DB, planId: string, onlyActionId?: string) {
  const [states, signOffs, agreedTexts, suggestions, contributors] = await Promise.all([
    db
      .selectFrom("agreement_state")
      .selectAll()
      .where("plan_id", "=", planId)
      .where("subject_type", "=", "action")
      .$if(onlyActionId !== undefined, (q) => q.where("subject_id", "=", onlyActionId!))
      .execute(),
    db
      .selectFrom("sign_offs as s")
      .innerJoin("users as u", "u.id", "s.user_id")
      .select([
        "s.id",
        "s.subject_id",
        "s.organisation_id",
        "s.kind",
        "s.fingerprint",
        "s.named_organisations",
        "s.created_at",
        "u.name as person_name",
      ])
      .where("s.plan_id", "=", planId)
      .where("s.subject_type", "=", "action")
      .$if(onlyActionId !== undefined, (q) => q.where("s.subject_id", "=", onlyActionId!))
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
      .$if(onlyActionId !== undefined, (q) => q.where("t.subject_id", "=", onlyActionId!))
      .execute(),
    db
      .selectFrom("suggestions as s")
      .innerJoin("users as u", "u.id", "s.author_user_id")
      .innerJoin("organisations as o", "o.id", "s.author_organisation_id")
      .leftJoin("users as d", "d.id", "s.decided_by_user_id")
      .leftJoin("organisations as dorg", "dorg.id", "s.decided_by_organisation_id")
      .select([
        "s.id",
        "s.subject_id",
        "s.author_user_id",
        "s.quote",
        "s.replacement",
        "s.note",
        "s.status",
        "s.created_at",
        "s.decided_at",
        "u.name as author_name",
        "o.name as author_organisation_name",
        "d.name as decided_by_name",
        "dorg.name as decided_by_organisation_name",
      ])
      .where("s.plan_id", "=", planId)
      .$if(onlyActionId !== undefined, (q) => q.where("s.subject_id", "=", onlyActionId!))
      .orderBy("s.created_at", "desc")
      .execute(),
    db
      .selectFrom("document_updates as du")
      .innerJoin("documents as d", "d.id", "du.document_id")
      .leftJoin("users as u", "u.id", "du.user_id")
      .leftJoin("organisations as o", "o.id", "du.organisation_id")
      .select((eb) => [
        "du.document_id",
        "du.user_id",
        "du.organisation_id",
        "u.name as person_name",
        "o.name as organisation_name",
        eb.fn.count<number>("du.id").as("updates"),
        eb.fn.max("du.created_at").as("last_at"),
      ])
      .where("d.plan_id", "=", planId)
      .$if(onlyActionId !== undefined, (q) => q.where("d.id", "in", (sub) => sub.selectFrom("actions").select("document_id").where("id", "=", onlyActionId!)))
      .groupBy(["du.document_id", "du.user_id", "du.organisation_id", "u.name", "o.name"])
      .execute(),
  ]);
  return { states, signOffs, agreedTexts, suggestions, contributors };
}
