import type { DB } from "../connection";

/**
 * Every engagement proposal with its grants, and comment threads counted by status and by the
 * organisation that started them. Who may see which is decided in server/domain/plan-visibility.ts.
 */
export async function listProposalsWithGrants(db: DB) {
  const plans = await db
    .selectFrom("plans")
    .select(["id", "title", "summary", "status", "created_at"])
    .where("kind", "=", "engagement_proposal")
    .orderBy("created_at", "desc")
    .orderBy("title")
    .execute();
  if (plans.length === 0) return [];
  const ids = plans.map((p) => p.id);
  const [grants, counts, commitments] = await Promise.all([
    db.selectFrom("plan_grants").select(["plan_id", "organisation_id", "user_id", "role"]).where("plan_id", "in", ids).execute(),
    db
      .selectFrom("comment_threads")
      .innerJoin("organisations", "organisations.id", "comment_threads.created_by_organisation_id")
      .select((eb) => [
        "comment_threads.plan_id",
        "comment_threads.status",
        "organisations.id as organisation_id",
        "organisations.name as organisation_name",
        eb.fn.countAll<number>().as("threads"),
      ])
      .where("comment_threads.plan_id", "in", ids)
      .groupBy(["comment_threads.plan_id", "comment_threads.status", "organisations.id", "organisations.name"])
      .execute(),
    db
      .selectFrom("actions")
      .select((eb) => ["plan_id", eb.fn.countAll<number>().as("n")])
      .where("plan_id", "in", ids)
      .groupBy("plan_id")
      .execute(),
  ]);
  return plans.map((p) => {
      const mine = counts.filter((c) => c.plan_id === p.id);
      const byOrganisation = new Map<string, { organisationId: string; organisationName: string; open: number; resolved: number }>();
      for (const c of mine) {
        const entry = byOrganisation.get(c.organisation_id) ?? {
          organisationId: c.organisation_id,
          organisationName: c.organisation_name,
          open: 0,
          resolved: 0,
        };
        if (c.status === "open") entry.open += Number(c.threads);
        else entry.resolved += Number(c.threads);
        byOrganisation.set(c.organisation_id, entry);
      }
      const rows = [...byOrganisation.values()].sort((a, b) => a.organisationName.localeCompare(b.organisationName));
      return {
        ...p,
        grants: grants.filter((g) => g.plan_id === p.id),
        commitments: Number(commitments.find((c) => c.plan_id === p.id)?.n ?? 0),
        open: rows.reduce((n, r) => n + r.open, 0),
        resolved: rows.reduce((n, r) => n + r.resolved, 0),
        byOrganisation: rows,
      };
    });
}

export async function loadProposalContents(db: DB, planId: string) {
  const [overview, commitments, rows, requests, history, grants, organisations, recommendations] = await Promise.all([
    db
      .selectFrom("documents")
      .select(["id", "plain_text"])
      .where("plan_id", "=", planId)
      .where("kind", "=", "plan_overview")
      .executeTakeFirst(),
    db
      .selectFrom("actions")
      .innerJoin("documents", "documents.id", "actions.document_id")
      .select(["actions.id", "actions.title", "actions.status", "actions.document_id", "documents.plain_text"])
      .where("actions.plan_id", "=", planId)
      .orderBy("actions.position")
      .execute(),
    db
      .selectFrom("power_sharing as ps")
      .innerJoin("actions", "actions.id", "ps.action_id")
      .innerJoin("organisations as o", "o.id", "ps.organisation_id")
      .leftJoin("users as u", "u.id", "ps.agreed_by")
      .select([
        "ps.action_id",
        "ps.stage",
        "ps.organisation_id",
        "ps.level",
        "ps.commitment",
        "ps.review_date",
        "ps.agreed_at",
        "o.name as organisation_name",
        "u.name as agreed_by_name",
      ])
      .where("actions.plan_id", "=", planId)
      .execute(),
    db
      .selectFrom("power_sharing_requests as r")
      .innerJoin("actions", "actions.id", "r.action_id")
      .innerJoin("organisations as o", "o.id", "r.organisation_id")
      .leftJoin("users as u", "u.id", "r.requested_by")
      .leftJoin("organisations as ro", "ro.id", "r.requested_by_organisation_id")
      .select([
        "r.action_id",
        "r.stage",
        "r.organisation_id",
        "r.level",
        "r.commitment",
        "r.review_date",
        "r.requested_by",
        "r.requested_by_organisation_id",
        "r.requested_at",
        "o.name as organisation_name",
        "u.name as requested_by_name",
        "ro.name as requested_by_organisation_name",
      ])
      .where("actions.plan_id", "=", planId)
      .execute(),
    db
      .selectFrom("power_sharing_history as h")
      .innerJoin("actions", "actions.id", "h.action_id")
      .innerJoin("organisations as o", "o.id", "h.organisation_id")
      .leftJoin("users as u", "u.id", "h.actor_user_id")
      .leftJoin("organisations as ao", "ao.id", "h.actor_organisation_id")
      .select([
        "h.id",
        "h.action_id",
        "h.stage",
        "h.event",
        "h.from_level",
        "h.to_level",
        "h.to_commitment",
        "h.to_review_date",
        "h.note",
        "h.created_at",
        "o.name as organisation_name",
        "u.name as actor_name",
        "ao.name as actor_organisation_name",
      ])
      .where("actions.plan_id", "=", planId)
      .orderBy("h.id", "desc")
      .execute(),
    db
      .selectFrom("plan_grants")
      .select(["organisation_id", "user_id", "role"])
      .where("plan_id", "=", planId)
      .execute(),
    db.selectFrom("organisations").select(["id", "name", "short_name", "sector"]).orderBy("name").execute(),
    db
      .selectFrom("plan_recommendations")
      .innerJoin("recommendations", "recommendations.id", "plan_recommendations.recommendation_id")
      .select(["recommendations.id", "recommendations.code", "recommendations.title", "recommendations.source"])
      .where("plan_recommendations.plan_id", "=", planId)
      .orderBy("recommendations.source", "desc")
      .orderBy("recommendations.code")
      .execute(),
  ]);
  return { overview, commitments, rows, requests, history, grants, organisations, recommendations };
}

/** Threads of a proposal with their comments and the names behind them, oldest first. */
export async function loadThreads(db: DB, planId: string) {
  const [threads, comments, mentions] = await Promise.all([
    db
      .selectFrom("comment_threads as t")
      .innerJoin("users as u", "u.id", "t.created_by")
      .innerJoin("organisations as o", "o.id", "t.created_by_organisation_id")
      .leftJoin("users as r", "r.id", "t.resolved_by")
      .select([
        "t.id",
        "t.document_id",
        "t.quote",
        "t.status",
        "t.created_by",
        "t.created_by_organisation_id",
        "t.created_at",
        "t.updated_at",
        "t.resolved_at",
        "u.name as created_by_name",
        "o.name as created_by_organisation_name",
        "r.name as resolved_by_name",
      ])
      .where("t.plan_id", "=", planId)
      .orderBy("t.created_at")
      .execute(),
    db
      .selectFrom("comments as c")
      .innerJoin("comment_threads as t", "t.id", "c.thread_id")
      .innerJoin("users as u", "u.id", "c.author_user_id")
      .innerJoin("organisations as o", "o.id", "c.author_organisation_id")
      .leftJoin("users as h", "h.id", "c.hidden_by")
      .select([
        "c.id",
        "c.thread_id",
        "c.author_user_id",
        "c.author_organisation_id",
        "c.body",
        "c.created_at",
        "c.edited_at",
        "c.deleted_at",
        "c.hidden_at",
        "c.hidden_reason",
        "u.name as author_name",
        "o.name as author_organisation_name",
        "h.name as hidden_by_name",
      ])
      .where("t.plan_id", "=", planId)
      .orderBy("c.id")
      .execute(),
    db
      .selectFrom("comment_mentions as m")
      .innerJoin("comments as c", "c.id", "m.comment_id")
      .innerJoin("comment_threads as t", "t.id", "c.thread_id")
      .innerJoin("organisations as o", "o.id", "m.organisation_id")
      .select(["m.comment_id", "o.name"])
      .where("t.plan_id", "=", planId)
      .execute(),
  ]);
  return { threads, comments, mentions };
}

export interface ChangeItem {
  at: string;
  kind: "thread" | "reply" | "resolved" | "reopened" | "hidden" | "text" | "power_sharing" | "commitment";
  text: string;
  threadId?: string;
  actionId?: string;
}

/**
 * What others changed on a proposal since `since`: new threads and replies, resolutions, hidden
 * comments, text edits (counted per organisation and document from document_updates, leaving out
 * the updates that only added comment marks), power-sharing changes and new commitments.
 */
export async function changesSince(db: DB, planId: string, userId: number, since: string): Promise<ChangeItem[]> {
  const [threads, comments, events, edits, history, actions] = await Promise.all([
    db
      .selectFrom("comment_threads as t")
      .innerJoin("users as u", "u.id", "t.created_by")
      .innerJoin("organisations as o", "o.id", "t.created_by_organisation_id")
      .select(["t.id", "t.quote", "t.created_at", "u.name", "o.name as org"])
      .where("t.plan_id", "=", planId)
      .where("t.created_at", ">", since)
      .where("t.created_by", "!=", userId)
      .execute(),
    db
      .selectFrom("comment_events as e")
      .innerJoin("comment_threads as t", "t.id", "e.thread_id")
      .innerJoin("users as u", "u.id", "e.actor_user_id")
      .innerJoin("organisations as o", "o.id", "e.actor_organisation_id")
      .select(["e.thread_id", "t.quote", "e.created_at", "u.name", "o.name as org"])
      .where("t.plan_id", "=", planId)
      .where("e.event", "=", "replied")
      .where("e.created_at", ">", since)
      .where("e.actor_user_id", "!=", userId)
      .execute(),
    db
      .selectFrom("comment_events as e")
      .innerJoin("comment_threads as t", "t.id", "e.thread_id")
      .innerJoin("users as u", "u.id", "e.actor_user_id")
      .innerJoin("organisations as o", "o.id", "e.actor_organisation_id")
      .select(["e.thread_id", "e.event", "e.note", "t.quote", "e.created_at", "u.name", "o.name as org"])
      .where("t.plan_id", "=", planId)
      .where("e.event", "in", ["resolved", "reopened", "hidden"])
      .where("e.created_at", ">", since)
      .where("e.actor_user_id", "!=", userId)
      .execute(),
    db
      .selectFrom("document_updates as du")
      .innerJoin("documents as d", "d.id", "du.document_id")
      .leftJoin("actions as a", "a.document_id", "d.id")
      .innerJoin("organisations as o", "o.id", "du.organisation_id")
      .select((eb) => [
        "o.name as org",
        "d.id as document_id",
        "d.kind",
        "a.id as action_id",
        "a.title as action_title",
        eb.fn.countAll<number>().as("n"),
        eb.fn.max("du.created_at").as("last"),
      ])
      .where("d.plan_id", "=", planId)
      .where("du.created_at", ">", since)
      .where((eb) => eb.or([eb("du.user_id", "is", null), eb("du.user_id", "!=", userId)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("comment_threads as mt")
              .select("mt.id")
              .whereRef("mt.mark_update_id", "=", "du.id"),
          ),
        ),
      )
      .groupBy(["o.name", "d.id", "d.kind", "a.id", "a.title"])
      .execute(),
    db
      .selectFrom("power_sharing_history as h")
      .innerJoin("actions as a", "a.id", "h.action_id")
      .innerJoin("organisations as o", "o.id", "h.organisation_id")
      .leftJoin("organisations as ao", "ao.id", "h.actor_organisation_id")
      .select(["h.action_id", "h.event", "h.stage", "h.to_level", "h.created_at", "a.title", "o.name as org", "ao.name as actor_org"])
      .where("a.plan_id", "=", planId)
      .where("h.created_at", ">", since)
      .where((eb) => eb.or([eb("h.actor_user_id", "is", null), eb("h.actor_user_id", "!=", userId)]))
      .execute(),
    db
      .selectFrom("actions")
      .leftJoin("users as u", "u.id", "actions.created_by")
      .select(["actions.id", "actions.title", "actions.created_at", "u.name"])
      .where("actions.plan_id", "=", planId)
      .where("actions.created_at", ">", since)
      .where((eb) => eb.or([eb("actions.created_by", "is", null), eb("actions.created_by", "!=", userId)]))
      .execute(),
  ]);
  const q = (text: string) => `“${text.length > 60 ? `${text.slice(0, 59)}…` : text}”`;
  const items: ChangeItem[] = [
    ...threads.map((t) => ({ at: t.created_at, kind: "thread" as const, threadId: t.id, text: `${t.name} (${t.org}) commented on ${q(t.quote)}` })),
    ...comments.map((c) => ({ at: c.created_at, kind: "reply" as const, threadId: c.thread_id, text: `${c.name} (${c.org}) replied on ${q(c.quote)}` })),
    ...events.map((e) => ({
      at: e.created_at,
      kind: e.event as "resolved" | "reopened" | "hidden",
      threadId: e.thread_id,
      text:
        e.event === "hidden"
          ? `${e.name} (${e.org}) hid a comment on ${q(e.quote)}: ${e.note}`
          : `${e.name} (${e.org}) ${e.event} the thread on ${q(e.quote)}`,
    })),
    ...edits.map((e) => ({
      at: String(e.last),
      kind: "text" as const,
      actionId: e.action_id ?? undefined,
      text: `${e.org} edited ${e.kind === "plan_overview" ? "the proposal text" : `the description of “${e.action_title ?? "a commitment"}”`} (${Number(e.n)} ${Number(e.n) === 1 ? "change" : "changes"})`,
    })),
    ...history.map((h) => ({
      at: h.created_at,
      kind: "power_sharing" as const,
      actionId: h.action_id,
      text: `${h.actor_org ?? "A partner"}: ${h.org} ${powerSharingVerb(h.event)}${h.to_level ? ` ${h.to_level}` : ""} at the ${h.stage} stage of “${h.title}”`,
    })),
    ...actions.map((a) => ({ at: a.created_at, kind: "commitment" as const, actionId: a.id, text: `${a.name ?? "A partner"} added the commitment “${a.title}”` })),
  ];
  return items.sort((a, b) => b.at.localeCompare(a.at));
}

function powerSharingVerb(event: string): string {
  switch (event) {
    case "set":
      return "set its level to";
    case "proposed":
      return "was asked to";
    case "accepted":
      return "agreed to";
    case "declined":
      return "declined a request";
    case "withdrawn":
      return "— request withdrawn";
    case "superseded":
      return "— request replaced";
    case "removed":
      return "withdrew its level";
    default:
      return event;
  }
}

/** When the person last saw a proposal (and the baseline their latest load listed changes from). */
export async function findProposalVisit(db: DB, userId: number, planId: string) {
  return db
    .selectFrom("proposal_visits")
    .select(["since_at", "last_seen_at"])
    .where("user_id", "=", userId)
    .where("plan_id", "=", planId)
    .executeTakeFirst();
}

/** Records a load of the proposal page (the first one inserts the row). */
export async function upsertProposalVisit(db: DB, userId: number, planId: string, visit: { since_at: string | null; last_seen_at: string }): Promise<void> {
  await db
    .insertInto("proposal_visits")
    .values({ user_id: userId, plan_id: planId, ...visit })
    .onConflict((oc) => oc.columns(["user_id", "plan_id"]).doUpdateSet(visit))
    .execute();
}

/** "Seen up to now": the visit starts again at `at`. */
export async function markProposalVisitSeen(db: DB, userId: number, planId: string, at: string): Promise<void> {
  await db
    .insertInto("proposal_visits")
    .values({ user_id: userId, plan_id: planId, since_at: at, last_seen_at: at })
    .onConflict((oc) => oc.columns(["user_id", "plan_id"]).doUpdateSet({ since_at: at, last_seen_at: at }))
    .execute();
}
