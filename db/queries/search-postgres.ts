/**
 * Search on PostgreSQL: the same sources, columns, rights filter and marks as the SQLite search
 * (server/search/index.ts, an FTS5 table refilled per search), with PostgreSQL's full-text search
 * computed over the sources in the query itself: to_tsvector (title weighted above body) against a
 * prefix tsquery of the person's words, ranked with titles holding the words whole and in order
 * first (as on SQLite), then by ts_rank, marked by ts_headline. Like the SQLite design it is never
 * stale and stores nothing; words typed seconds ago come from `liveTexts`.
 * Only letters and digits of the query reach to_tsquery, so no tsquery syntax comes from users.
 */
import { sql } from "kysely";
import type { DB } from "../connection";

export type SearchKind = "plan" | "priority" | "action" | "update" | "recommendation" | "comment";

/** Each source: kind, ref_id (text), plan_id (NULL: visible to every signed-in person), url, title, body. */
export const POSTGRES_SEARCH_SOURCES: Record<SearchKind, string> = {
  plan: `select 'plan'::text, p.id::text, p.id::text, '/plans/' || p.id, p.title,
      p.summary || chr(10) || coalesce((select coalesce(lt.plain_text, d.plain_text) from documents d
        left join live_text lt on lt.document_id = d.id
        where d.plan_id = p.id and d.kind = 'plan_overview' limit 1), '')
    from plans p`,
  priority: `select 'priority', pr.id || '@' || pp.plan_id, pp.plan_id, '/plans/' || pp.plan_id || '?priority=' || pr.id || '#priority-' || pr.id,
      'Priority ' || pr.code || ': ' || pr.title, pr.description
    from priorities pr join plan_priorities pp on pp.priority_id = pr.id`,
  action: `select 'action', a.id, a.plan_id, '/plans/' || a.plan_id || '/actions/' || a.id, a.title,
      coalesce(lt.plain_text, d.plain_text, '') || chr(10) ||
      coalesce((select pr.code from priorities pr where pr.id = a.priority_id), '') || chr(10) ||
      coalesce((select string_agg(m.title, '; ') from milestones m
        where m.action_id = a.id and m.removed_at is null), '')
    from actions a left join documents d on d.id = a.document_id
    left join live_text lt on lt.document_id = a.document_id`,
  update: `select 'update', u.id::text, a.plan_id, '/plans/' || a.plan_id || '/actions/' || a.id || '#update-' || u.id,
      'Update on “' || a.title || '”, ' || u.reported_on || ', ' || o.name,
      u.narrative || chr(10) || u.mitigation
    from progress_updates u join actions a on a.id = u.action_id
    join organisations o on o.id = u.author_organisation_id`,
  // Hidden and deleted comments are not searchable: moderation must not be undone by search.
  comment: `select 'comment', c.id::text, t.plan_id, '/proposals/' || t.plan_id || '#thread-' || t.id,
      'Comment by ' || u.name || ' (' || o.name || ') on “' || t.quote || '”', c.body
    from comments c join comment_threads t on t.id = c.thread_id
    join users u on u.id = c.author_user_id join organisations o on o.id = c.author_organisation_id
    where c.hidden_at is null and c.deleted_at is null`,
  recommendation: `select 'recommendation', r.id::text, null::text, '/recommendations/' || r.id,
      'Recommendation ' || r.code || ': ' || r.title, r.text || chr(10) || r.source
    from recommendations r`,
};

export interface SearchRow {
  kind: SearchKind;
  ref_id: string;
  plan_id: string | null;
  url: string;
  title: string;
  title_marked: string;
  snippet: string;
}

/**
 * The text as words for to_tsvector: ASCII punctuation becomes a space first, as SQLite's
 * unicode61 tokenizer (and the query's own split) separates at it. PostgreSQL's parser would
 * read "BGI-1" as "bgi" and the signed integer "-1", and "2.6" as one number, so the code a
 * person types ("BGI-1", "2.6", split into bgi & 1, 2 & 6) would find nothing.
 */
function words(expression: string) {
  return sql.raw(`regexp_replace(${expression}, '[\\x21-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7e]+', ' ', 'g')`);
}

/** The words as required prefix terms: `partner:* & housing:*`. */
export function tsPrefixQuery(words: readonly string[]): string {
  return words.map((w) => `${w}:*`).join(" & ");
}

export async function searchPostgres(
  db: DB,
  input: {
    words: readonly string[];
    kinds: readonly SearchKind[];
    visiblePlanIds: readonly string[];
    limit: number;
    liveTexts: ReadonlyMap<string, string>;
    markStart: string;
    markEnd: string;
  },
): Promise<SearchRow[]> {
  if (input.words.length === 0 || input.kinds.length === 0) return [];
  const live = [...input.liveTexts];
  const liveText = live.length
    ? sql`select * from (values ${sql.join(live.map(([id, text]) => sql`(${id}::text, ${text}::text)`))}) as v(document_id, plain_text)`
    : sql`select null::text as document_id, null::text as plain_text where false`;
  const sources = sql.raw(input.kinds.map((k) => `(${POSTGRES_SEARCH_SOURCES[k]})`).join("\nunion all\n"));
  const visible = input.visiblePlanIds.length ? input.visiblePlanIds : ["\u0000none"];
  const marks = `StartSel=${input.markStart}, StopSel=${input.markEnd}`;
  const { rows } = await sql<SearchRow>`
    with live_text as (${liveText}),
    source(kind, ref_id, plan_id, url, title, body) as (${sources}),
    query as (select to_tsquery('english', ${tsPrefixQuery(input.words)}) as q, phraseto_tsquery('english', ${input.words.join(" ")}) as whole),
    vectors as (
      select s.*, to_tsvector('english', ${words("s.title")}) as title_doc, to_tsvector('english', ${words("coalesce(s.body, '')")}) as body_doc
      from source s
      where s.plan_id is null or s.plan_id in (${sql.join(visible)})
    ),
    found as (select v.*, setweight(v.title_doc, 'A') || setweight(v.body_doc, 'B') as doc from vectors v)
    select f.kind, f.ref_id, f.plan_id, f.url, f.title,
      ts_headline('english', f.title, query.q, ${marks + ", HighlightAll=true"}) as title_marked,
      ts_headline('english', coalesce(f.body, ''), query.q, ${marks + ", MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=…"}) as snippet
    from found f, query
    where f.doc @@ query.q
    order by f.title_doc @@ query.whole desc, ts_rank(f.doc, query.q) desc, f.kind, f.ref_id
    limit ${input.limit}`.execute(db);
  return rows;
}
