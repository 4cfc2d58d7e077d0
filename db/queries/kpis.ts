import type { Queryable } from '../client.ts';

/** A half-open span of time, [from, to). */
export interface Span {
  from: Date;
  to: Date;
}

const MINUTE_MS = 60_000;

/**
 * Splits a span where the rollup can answer it: whole UTC minutes [wholeFrom, wholeTo) come from
 * `petition_minute`; the partial minutes at either end, [from, wholeFrom) and [wholeTo, to), from
 * `petitions` (at most a minute each, a short range on the primary key's leading received_at). A span
 * that holds no whole minute is read from petitions alone. So a count over any instant-bounded span
 * is exact, not rounded to minutes, while the bulk of it still comes from the rollup.
 */
export function splitAtMinutes(span: Span): { from: Date; wholeFrom: Date; wholeTo: Date; to: Date } {
  const wholeFrom = Math.ceil(span.from.getTime() / MINUTE_MS) * MINUTE_MS;
  const wholeTo = Math.floor(span.to.getTime() / MINUTE_MS) * MINUTE_MS;
  if (wholeFrom >= wholeTo) return { from: span.from, wholeFrom: span.to, wholeTo: span.to, to: span.to };
  return { from: span.from, wholeFrom: new Date(wholeFrom), wholeTo: new Date(wholeTo), to: span.to };
}

/** Petitions received in each span, in the order given: one statement for any number of spans. */
export async function petitionCountsInSpans(db: Queryable, spans: readonly Span[]): Promise<number[]> {
  if (spans.length === 0) return [];
  const parts = spans.map(splitAtMinutes);
  const { rows } = await db.query<{ n: number }>(
    `SELECT
       (SELECT coalesce(sum(m.total), 0) FROM petition_minute m
          WHERE m.bucket >= s.whole_from AND m.bucket < s.whole_to)::int
       + (SELECT count(*) FROM petitions p WHERE p.received_at >= s.span_from AND p.received_at < s.whole_from)::int
       + (SELECT count(*) FROM petitions p WHERE p.received_at >= s.whole_to AND p.received_at < s.span_to)::int
       AS n
     FROM unnest($1::timestamptz[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[])
       WITH ORDINALITY AS s(span_from, whole_from, whole_to, span_to, ord)
     ORDER BY s.ord`,
    [parts.map((p) => p.from), parts.map((p) => p.wholeFrom), parts.map((p) => p.wholeTo), parts.map((p) => p.to)],
  );
  return rows.map((r) => r.n);
}

export type BreakdownDimension = 'all' | 'region' | 'channel' | 'topic';

/** Counts over a span for the whole stream ('all', code null) or one region, channel or topic. */
export interface BreakdownRow {
  dimension: BreakdownDimension;
  /** Region, channel or topic code; null for 'all' and for petitions whose region is unknown. */
  code: string | null;
  total: number;
  negative: number;
  sentimentSum: number;
}

/**
 * Totals, negatives and sentiment sums over a span: overall and by region, by channel and by topic,
 * in one pass over the rollup (grouping sets) plus the span's partial end minutes from petitions.
 * Always holds the 'all' row, with zeros when the span is empty.
 */
export async function breakdownInSpan(db: Queryable, span: Span): Promise<BreakdownRow[]> {
  const p = splitAtMinutes(span);
  const { rows } = await db.query<{
    dimension: BreakdownDimension;
    code: string | null;
    total: number;
    negative: number;
    sentiment_sum: number;
  }>(
    `WITH cells AS (
       SELECT region_code, topic, channel, total, negative, sentiment_sum
       FROM petition_minute WHERE bucket >= $2 AND bucket < $3
       UNION ALL
       SELECT coalesce(region_code, ''), topic, channel, 1, (sentiment_label = 'negative')::int, sentiment_score
       FROM petitions WHERE received_at >= $1 AND received_at < $2
       UNION ALL
       SELECT coalesce(region_code, ''), topic, channel, 1, (sentiment_label = 'negative')::int, sentiment_score
       FROM petitions WHERE received_at >= $3 AND received_at < $4
     )
     SELECT
       CASE WHEN grouping(region_code) = 0 THEN 'region' WHEN grouping(channel) = 0 THEN 'channel'
         WHEN grouping(topic) = 0 THEN 'topic' ELSE 'all' END AS dimension,
       CASE WHEN grouping(region_code) = 0 THEN nullif(region_code, '') WHEN grouping(channel) = 0 THEN channel
         WHEN grouping(topic) = 0 THEN topic END AS code,
       coalesce(sum(total), 0)::int AS total,
       coalesce(sum(negative), 0)::int AS negative,
       coalesce(sum(sentiment_sum), 0)::float8 AS sentiment_sum
     FROM cells
     GROUP BY GROUPING SETS ((), (region_code), (channel), (topic))`,
    [p.from, p.wholeFrom, p.wholeTo, p.to],
  );
  return rows.map((r) => ({
    dimension: r.dimension,
    code: r.code,
    total: r.total,
    negative: r.negative,
    sentimentSum: r.sentiment_sum,
  }));
}

/** A risk term or a topic with how many petitions carried it now and in the baseline before. */
export interface MentionRow {
  kind: 'term' | 'topic';
  /** The term as the analyser matched it, or the topic code. */
  key: string;
  /** The term's risk category (e.g. extreme, mass_action); null for topics. */
  category: string | null;
  /** Petitions in [splitAt, to). */
  count: number;
  /** Petitions in [from, splitAt). */
  before: number;
}

/**
 * The `limit` risk terms and the `limit` topics carried by most petitions in [splitAt, to), each with
 * its count in the baseline [from, splitAt). A term repeated within one petition counts once; ties go
 * by code point so both engines agree. One set-based statement over petitions bounded by received_at
 * (the rollup has no terms).
 */
export async function topMentions(
  db: Queryable,
  window: { from: Date; splitAt: Date; to: Date; limit: number },
): Promise<MentionRow[]> {
  const { rows } = await db.query<MentionRow>(
    `WITH recent AS (
       SELECT topic, risk_terms, received_at >= $2 AS current
       FROM petitions WHERE received_at >= $1 AND received_at < $3
     ),
     mentions AS (
       SELECT 'topic' AS kind, topic AS key, NULL::text AS category, current FROM recent
       UNION ALL
       SELECT 'term', t.term, t.category, r.current
       FROM recent r
       CROSS JOIN LATERAL (
         SELECT e->>'term' AS term, min(e->>'category') AS category
         FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.risk_terms) = 'array' THEN r.risk_terms ELSE '[]' END) e
         WHERE coalesce(e->>'term', '') <> ''
         GROUP BY 1
       ) t
     ),
     counted AS (
       SELECT kind, key, min(category) AS category,
         (count(*) FILTER (WHERE current))::int AS count,
         (count(*) FILTER (WHERE NOT current))::int AS before
       FROM mentions GROUP BY kind, key
     )
     SELECT kind, key, category, count, before FROM (
       SELECT counted.*, row_number() OVER (PARTITION BY kind ORDER BY count DESC, key COLLATE "C") AS rank
       FROM counted WHERE count > 0
     ) ranked
     WHERE rank <= $4
     ORDER BY kind, rank`,
    [window.from, window.splitAt, window.to, window.limit],
  );
  return rows;
}
