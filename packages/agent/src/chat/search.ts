import { type Page, toPage } from "@parley/core";
import { type EntityManager, toDate } from "@parley/db";
import removeMarkdown from "remove-markdown";

/** A run of text, flagged when it is (part of) a match. The SPA wraps matches in <mark>. */
export interface TextSegment {
  text: string;
  match: boolean;
}

export interface SessionSearchHit {
  id: string;
  title: string;
  modelId: string;
  createdAt: Date;
  lastActivityAt: Date;
  /** The title cut into segments, matches flagged. */
  titleSegments: TextSegment[];
  /** The best-matching message, a few words around its matches; null when only the title matches. */
  snippet: { messageId: string; role: "user" | "assistant"; segments: TextSegment[] } | null;
}

/**
 * ts_headline marks matches with these two control characters, which the query first removes
 * from the text (a user cannot forge a highlight); the result is cut into segments here, so no
 * markup ever reaches the browser.
 */
const START = "\u0002";
const STOP = "\u0003";
const TITLE_HEADLINE = `HighlightAll=true, StartSel=${START}, StopSel=${STOP}`;
const SNIPPET_HEADLINE = `StartSel=${START}, StopSel=${STOP}, MaxWords=18, MinWords=6, MaxFragments=2, FragmentDelimiter=" … "`;

/**
 * The caller's live chats whose title or message text matches `query` (websearch syntax: words,
 * "quoted phrases", or, -excluded), with the 'simple' text-search configuration (no stemming, no
 * stop words: chats come in every language). Title matches first, then by the rank of the best
 * matching message, then by recent activity. Uses the GIN indexes of the migration
 * Migration20261201060000_social: on `chat_messages.search_vector` (a stored generated
 * `to_tsvector('simple', content)`) and on the expression `to_tsvector('simple', title)`, which
 * the title conditions here must repeat exactly.
 */
export async function searchSessions(
  em: EntityManager,
  input: { userId: string; query: string; page: number; size: number },
): Promise<Page<SessionSearchHit>> {
  const matches = `
    with q as (select websearch_to_tsquery('simple', ?) as query),
    owned as (
      select s.id, s.title, s.model_id, s.created_at, s.last_activity_at
        from chat_sessions s where s.user_id = ? and s.deleted_at is null
    ),
    best as (
      select distinct on (m.session_id) m.session_id, m.id, m.role,
             ts_rank(m.search_vector, q.query) as rank
        from chat_messages m join owned o on o.id = m.session_id cross join q
       where m.search_vector @@ q.query
       order by m.session_id, rank desc, m.created_at desc, m.id
    ),
    hits as (
      select o.*, to_tsvector('simple', o.title) @@ q.query as title_match,
             b.id as message_id, b.role, coalesce(b.rank, 0) as rank
        from owned o cross join q left join best b on b.session_id = o.id
       where b.session_id is not null or to_tsvector('simple', o.title) @@ q.query
    )`;
  const params = [input.query, input.userId];
  const rows = await em.execute<SearchRow[]>(
    `${matches}
     select p.id, p.title, p.model_id, p.created_at, p.last_activity_at, p.message_id, p.role, p.total,
            pm.content,
            ts_headline('simple', translate(p.title, E'\\x02\\x03', '  '), q.query, ?) as title_headline
       from (select hits.*, count(*) over () as total from hits
              order by title_match desc, rank desc, last_activity_at desc, id
              limit ? offset ?) p
       cross join q
       left join chat_messages pm on pm.id = p.message_id
      order by p.title_match desc, p.rank desc, p.last_activity_at desc, p.id`,
    [...params, TITLE_HEADLINE, input.size, (input.page - 1) * input.size],
  );
  // Past the last page there are no rows to carry the total: count separately then.
  const total =
    rows[0] !== undefined
      ? Number(rows[0].total)
      : Number(
          (await em.execute<{ n: string }[]>(`${matches} select count(*) as n from hits`, params))[0]?.n ?? 0,
        );
  const snippets = await snippetsOf(
    em,
    input.query,
    rows.map((r) => r.content),
  );
  const items = rows.map(
    (r, index): SessionSearchHit => ({
      id: r.id,
      title: r.title,
      modelId: r.model_id,
      createdAt: toDate(r.created_at),
      lastActivityAt: toDate(r.last_activity_at),
      titleSegments: segmentsOf(r.title_headline),
      snippet:
        r.message_id && r.role
          ? { messageId: r.message_id, role: r.role, segments: segmentsOf(snippets[index] ?? "") }
          : null,
    }),
  );
  return toPage(items, total, input);
}

interface SearchRow {
  id: string;
  title: string;
  model_id: string;
  created_at: Date | string;
  last_activity_at: Date | string;
  message_id: string | null;
  role: "user" | "assistant" | null;
  total: string;
  content: string | null;
  title_headline: string;
}

/**
 * Headlines of the page's best messages, cut from their plain text (Markdown stripped first, so a
 * fragment never ends inside a link or a code fence), in one round trip.
 */
async function snippetsOf(em: EntityManager, query: string, contents: (string | null)[]): Promise<string[]> {
  const plain = contents.map((content) =>
    content === null
      ? ""
      : removeMarkdown(content.replaceAll(START, " ").replaceAll(STOP, " "), { gfm: true })
          .replace(/\s+/g, " ")
          .trim(),
  );
  if (plain.every((text) => text === "")) return plain;
  const rows = await em.execute<{ headline: string }[]>(
    `select ts_headline('simple', t.text, websearch_to_tsquery('simple', ?), ?) as headline
       from jsonb_array_elements_text(?::jsonb) with ordinality as t(text, n)
      order by t.n`,
    [query, SNIPPET_HEADLINE, JSON.stringify(plain)],
  );
  return rows.map((r) => r.headline);
}

/** Cuts a headline at its START/STOP markers into plain and matching runs. */
export function segmentsOf(headline: string): TextSegment[] {
  const segments: TextSegment[] = [];
  const push = (text: string, match: boolean) => {
    if (!text) return;
    const last = segments[segments.length - 1];
    if (last && last.match === match) last.text += text;
    else segments.push({ text, match });
  };
  for (const [index, part] of headline.split(START).entries()) {
    if (index === 0) {
      push(part.replaceAll(STOP, ""), false);
      continue;
    }
    const stop = part.indexOf(STOP);
    if (stop === -1) push(part, true);
    else {
      push(part.slice(0, stop), true);
      push(part.slice(stop + 1).replaceAll(STOP, ""), false);
    }
  }
  return segments;
}
