/**
 * Search across plans, actions, progress updates, recommendations (and comments, once they exist).
 *
 * Each source is ONE SQL query returning the same six columns:
 *   kind, ref_id, plan_id (NULL: visible to every signed-in person), url, title, body
 * To add comments, append one entry to SEARCH_SOURCES, e.g.
 *   { kind: "comment", label: "Comments", sql: `select 'comment', c.id, p.plan_id,
 *       '/proposals/' || c.proposal_id || '#comment-' || c.id, 'Comment by ' || u.name, c.body
 *       from comments c join ... where c.hidden_at is null` }
 * and nothing else changes: the index, ranking, snippets and the plan-rights filter are shared.
 *
 * The index is an SQLite FTS5 table in the connection's TEMP schema, refilled from the sources
 * for each search inside one transaction. So it is never stale (no triggers on other people's
 * tables to keep in step) and writes nothing to the database file. Measured: see README.
 */
// dialect: SQLite below (FTS5 in TEMP); PostgreSQL goes to ./search-postgres.ts (tsvector) at the top of search().
import { sql } from "kysely";
import type { DB } from "../connection";
import { inTransaction } from "../connection";
import { dialectOf } from "../dialect";
import { searchPostgres } from "./search-postgres";

export type SearchKind = "plan" | "priority" | "action" | "update" | "recommendation" | "comment";

export interface SearchSource {
  kind: SearchKind;
  label: string;
  sql: string;
}

export const SEARCH_SOURCES: SearchSource[] = [
  {
    kind: "plan",
    label: "Plans",
    sql: `select 'plan', p.id, p.id, '/plans/' || p.id, p.title,
            p.summary || char(10) || coalesce((select coalesce(lt.plain_text, d.plain_text) from documents d
              left join temp.search_live_text lt on lt.document_id = d.id
              where d.plan_id = p.id and d.kind = 'plan_overview' limit 1), '')
          from plans p`,
  },
  {
    kind: "priority",
    label: "Priorities",
    sql: `select 'priority', pr.id || '@' || pp.plan_id, pp.plan_id, '/plans/' || pp.plan_id || '?priority=' || pr.id || '#priority-' || pr.id,
            'Priority ' || pr.code || ': ' || pr.title, pr.description
          from priorities pr join plan_priorities pp on pp.priority_id = pr.id`,
  },
  {
    kind: "action",
    label: "Actions",
    sql: `select 'action', a.id, a.plan_id, '/plans/' || a.plan_id || '/actions/' || a.id, a.title,
            coalesce(lt.plain_text, d.plain_text, '') || char(10) ||
            coalesce((select pr.code from priorities pr where pr.id = a.priority_id), '') || char(10) ||
            coalesce((select group_concat(m.title, '; ') from milestones m
              where m.action_id = a.id and m.removed_at is null), '')
          from actions a left join documents d on d.id = a.document_id
          left join temp.search_live_text lt on lt.document_id = a.document_id`,
  },
  {
    kind: "update",
    label: "Progress updates",
    sql: `select 'update', u.id, a.plan_id, '/plans/' || a.plan_id || '/actions/' || a.id || '#update-' || u.id,
            'Update on “' || a.title || '”, ' || u.reported_on || ', ' || o.name,
            u.narrative || char(10) || u.mitigation
          from progress_updates u join actions a on a.id = u.action_id
          join organisations o on o.id = u.author_organisation_id`,
  },
  {
    kind: "comment",
    label: "Comments",
    // Hidden and deleted comments are not searchable: moderation must not be undone by search.
    sql: `select 'comment', c.id, t.plan_id, '/proposals/' || t.plan_id || '#thread-' || t.id,
            'Comment by ' || u.name || ' (' || o.name || ') on “' || t.quote || '”', c.body
          from comments c join comment_threads t on t.id = c.thread_id
          join users u on u.id = c.author_user_id join organisations o on o.id = c.author_organisation_id
          where c.hidden_at is null and c.deleted_at is null`,
  },
  {
    kind: "recommendation",
    label: "Recommendations",
    sql: `select 'recommendation', r.id, null, '/recommendations/' || r.id,
            'Recommendation ' || r.code || ': ' || r.title, r.text || char(10) || r.source
          from recommendations r`,
  },
];

export interface SearchHit {
  kind: SearchKind;
  refId: string;
  planId: string | null;
  url: string;
  title: string;
  /** Text with matches wrapped in \u0001 ... \u0002 (split on these to highlight safely). */
  titleMarked: string;
  snippet: string;
}

import { MARK_END, MARK_START } from "./search-marks";

export { MARK_END, MARK_START };

/** Words of the query as FTS5 prefix terms, all required: no FTS syntax reaches SQLite from users. */
export function ftsQuery(q: string): string | null {
  const words = queryWords(q);
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(" ");
}

/**
 * The words, whole and in order, as a phrase in a title: hits that match it are listed first, so
 * a code or a title typed in full comes before longer ones it starts ("BGI-1" before BGI-10; bm25
 * cannot tell them apart, since "1" is in every BGI priority's "7.1 Business Growth").
 */
export function ftsTitlePhrase(q: string): string | null {
  const words = queryWords(q);
  return words.length ? `title : "${words.join(" ")}"` : null;
}

function queryWords(q: string): string[] {
  return (q.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
}

/**
 * `liveTexts` are the words of documents open for editing and not yet saved (the sync server's
 * unsavedPlainTexts()): they stand in for documents.plain_text, so what was typed seconds ago is found.
 */
export async function search(
  db: DB,
  input: { q: string; visiblePlanIds: readonly string[]; kinds?: readonly SearchKind[]; limit?: number; liveTexts?: ReadonlyMap<string, string> },
): Promise<SearchHit[]> {
  const match = ftsQuery(input.q);
  if (!match) return [];
  const sources = SEARCH_SOURCES.filter((s) => !input.kinds?.length || input.kinds.includes(s.kind));
  if (sources.length === 0) return [];
  const limit = Math.min(input.limit ?? 50, 200);
  if (dialectOf(db) === "postgres") {
    // PostgreSQL has no FTS5: the same sources and marks through tsvector (db/queries/search-postgres.ts).
    const words = queryWords(input.q);
    const rows = await searchPostgres(db, { words, kinds: sources.map((s) => s.kind), visiblePlanIds: input.visiblePlanIds, limit, liveTexts: input.liveTexts ?? new Map(), markStart: MARK_START, markEnd: MARK_END });
    return rows.map((r) => ({ kind: r.kind, refId: r.ref_id, planId: r.plan_id, url: r.url, title: r.title, titleMarked: r.title_marked, snippet: r.snippet }));
  }
  return inTransaction(db, async (trx) => {
    await sql`create virtual table if not exists temp.search_index using fts5(
      kind unindexed, ref_id unindexed, plan_id unindexed, url unindexed, title, body,
      tokenize = 'porter unicode61 remove_diacritics 2')`.execute(trx);
    await sql`delete from temp.search_index`.execute(trx);
    await sql`create temp table if not exists search_live_text (document_id text primary key, plain_text text not null)`.execute(trx);
    await sql`delete from temp.search_live_text`.execute(trx);
    for (const [documentId, text] of input.liveTexts ?? []) {
      await sql`insert into temp.search_live_text (document_id, plain_text) values (${documentId}, ${text})`.execute(trx);
    }
    for (const source of sources) {
      await sql
        .raw(`insert into temp.search_index (kind, ref_id, plan_id, url, title, body) ${source.sql}`)
        .execute(trx);
    }
    const visible = input.visiblePlanIds.length ? input.visiblePlanIds : ["\u0000none"];
    const rows = await sql<{
      kind: SearchKind;
      ref_id: string | number;
      plan_id: string | null;
      url: string;
      title: string;
      title_marked: string;
      snippet: string;
    }>`select kind, ref_id, plan_id, url, title,
          highlight(search_index, 4, ${MARK_START}, ${MARK_END}) as title_marked,
          snippet(search_index, 5, ${MARK_START}, ${MARK_END}, '…', 24) as snippet
        from temp.search_index
        where search_index match ${match}
          and (plan_id is null or plan_id in (${sql.join(visible)}))
        order by rowid in (select rowid from temp.search_index where search_index match ${ftsTitlePhrase(input.q)}) desc,
          bm25(search_index, 0, 0, 0, 0, 4.0, 1.0)
        limit ${limit}`.execute(trx);
    return rows.rows.map((r) => ({
      kind: r.kind,
      refId: String(r.ref_id),
      planId: r.plan_id,
      url: r.url,
      title: r.title,
      titleMarked: r.title_marked,
      snippet: r.snippet,
    }));
  });
}
