import type { AlertSource, CountCell, WindowPetition } from '../../alerts/source.ts';
import type { Queryable } from '../client.ts';

function toCell(r: Record<string, unknown>): CountCell {
  return {
    bucket: r.bucket as Date,
    regionCode: r.region_code as string,
    topic: r.topic as string,
    channel: r.channel as string,
    total: r.total as number,
    negative: r.negative as number,
    sentimentSum: Number(r.sentiment_sum),
  };
}

/** Per-minute counts in [from, to), as the rollup holds them. */
export async function minuteCountCells(db: Queryable, from: Date, to: Date): Promise<CountCell[]> {
  const { rows } = await db.query(
    `SELECT bucket, region_code, topic, channel, total, negative, sentiment_sum
     FROM petition_minute WHERE bucket >= $1 AND bucket < $2 ORDER BY bucket`,
    [from, to],
  );
  return rows.map(toCell);
}

/** Hourly counts in [from, to), oldest first (hours bucketed in UTC, as the rollup's minutes are). */
export async function hourlyCountCells(db: Queryable, from: Date, to: Date): Promise<CountCell[]> {
  const { rows } = await db.query(
    `SELECT date_bin('1 hour', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket, region_code, topic, channel,
       sum(total)::int AS total, sum(negative)::int AS negative, sum(sentiment_sum) AS sentiment_sum
     FROM petition_minute WHERE bucket >= $1 AND bucket < $2
     GROUP BY 1, 2, 3, 4 ORDER BY 1`,
    [from, to],
  );
  return rows.map(toCell);
}

/** Petitions received in [from, to) with what window rules need: labels, bands, blind person keys. */
export async function windowPetitions(db: Queryable, from: Date, to: Date): Promise<WindowPetition[]> {
  const { rows } = await db.query(
    `SELECT p.id, p.received_at, p.region_code, p.topic, p.channel, p.grade, p.sentiment_label, p.extreme,
       p.people, p.amount_yuan, p.risk_terms, p.lsh_bands, p.signature, c.person_keys
     FROM petitions p LEFT JOIN petition_contacts c ON c.petition_id = p.id
     WHERE p.received_at >= $1 AND p.received_at < $2
     ORDER BY p.received_at DESC
     LIMIT 50000`,
    [from, to],
  );
  // Newest first, so that a surge past the cap loses the oldest, not the ones that matter; then in order.
  rows.reverse();
  return rows.map((r) => ({
    id: r.id as string,
    receivedAt: r.received_at as Date,
    regionCode: (r.region_code as string | null) ?? null,
    topic: r.topic as string,
    channel: r.channel as string,
    grade: r.grade as WindowPetition['grade'],
    negative: r.sentiment_label === 'negative',
    extreme: r.extreme as boolean,
    people: (r.people as number | null) ?? null,
    amountYuan: r.amount_yuan === null ? null : Number(r.amount_yuan),
    riskTerms: ((r.risk_terms as { term: string; category: string }[] | null) ?? []).map((t) => ({
      term: t.term,
      category: t.category as WindowPetition['riskTerms'][number]['category'],
    })),
    bands: (r.lsh_bands as string[] | null) ?? [],
    signature: (r.signature as string | null) ?? null,
    personKeys: (r.person_keys as string[] | null) ?? [],
  }));
}

/** Petitions in [from, to) per risk term (a petition counts once per term). */
export async function riskTermCounts(db: Queryable, from: Date, to: Date): Promise<Map<string, number>> {
  const { rows } = await db.query<{ term: string; n: number }>(
    `SELECT t.term, count(DISTINCT p.id)::int AS n
     FROM petitions p, jsonb_to_recordset(p.risk_terms) AS t(term text)
     WHERE p.received_at >= $1 AND p.received_at < $2
     GROUP BY t.term`,
    [from, to],
  );
  return new Map(rows.map((r) => [r.term, r.n]));
}

/** Petitions in [from, to) carrying each of the given band keys (GIN-indexed). */
export async function bandKeyCounts(
  db: Queryable,
  bands: readonly string[],
  from: Date,
  to: Date,
): Promise<Map<string, number>> {
  if (bands.length === 0) return new Map();
  const { rows } = await db.query<{ band: string; n: number }>(
    `SELECT b AS band, count(*)::int AS n
     FROM petitions p, unnest(p.lsh_bands) AS b
     WHERE p.lsh_bands && $1::text[] AND p.received_at >= $2 AND p.received_at < $3 AND b = ANY($1::text[])
     GROUP BY b`,
    [[...bands], from, to],
  );
  return new Map(rows.map((r) => [r.band, r.n]));
}

/** Ids of petitions in [from, to) whose petitioner holds any of the blind keys, oldest first. */
export async function samePersonPetitionIds(
  db: Queryable,
  keys: readonly string[],
  from: Date,
  to: Date,
): Promise<string[]> {
  if (keys.length === 0) return [];
  const { rows } = await db.query<{ petition_id: string }>(
    `SELECT petition_id FROM petition_contacts
     WHERE person_keys && $1::text[] AND received_at >= $2 AND received_at < $3
     ORDER BY received_at LIMIT 500`,
    [[...keys], from, to],
  );
  return rows.map((r) => r.petition_id);
}

/** The window rules' view of the database. */
export function databaseAlertSource(db: Queryable): AlertSource {
  return {
    minuteCounts: (from, to) => minuteCountCells(db, from, to),
    hourlyCounts: (from, to) => hourlyCountCells(db, from, to),
    petitions: (from, to) => windowPetitions(db, from, to),
    termCounts: (from, to) => riskTermCounts(db, from, to),
    bandCounts: (bands, from, to) => bandKeyCounts(db, bands, from, to),
    samePersonPetitions: (keys, from, to) => samePersonPetitionIds(db, keys, from, to),
  };
}
