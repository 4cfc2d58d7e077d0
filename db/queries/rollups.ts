import type { Queryable } from '../client.ts';

/** Counts for one minute × region × topic × channel cell. */
export interface MinuteCell {
  bucket: Date;
  regionCode: string;
  topic: string;
  channel: string;
  total: number;
  general: number;
  key: number;
  major: number;
  negative: number;
  sentimentSum: number;
}

/**
 * Adds a batch's counts to the plain-PostgreSQL rollup. Cells are sorted so that concurrent writers
 * (several nodes) take row locks in the same order and cannot deadlock.
 */
export async function addToMinuteRollup(tx: Queryable, cells: readonly MinuteCell[]): Promise<void> {
  if (cells.length === 0) return;
  const sorted = [...cells].sort(
    (a, b) =>
      a.bucket.getTime() - b.bucket.getTime() ||
      cmp(a.regionCode, b.regionCode) ||
      cmp(a.topic, b.topic) ||
      cmp(a.channel, b.channel),
  );
  await tx.query(
    `INSERT INTO petition_minute_rollup AS r
       (bucket, region_code, topic, channel, total, general, key, major, negative, sentiment_sum)
     SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[],
       $7::int[], $8::int[], $9::int[], $10::float8[])
     ON CONFLICT (bucket, region_code, topic, channel) DO UPDATE SET
       total = r.total + excluded.total, general = r.general + excluded.general,
       key = r.key + excluded.key, major = r.major + excluded.major,
       negative = r.negative + excluded.negative,
       sentiment_sum = r.sentiment_sum + excluded.sentiment_sum`,
    [
      sorted.map((c) => c.bucket),
      sorted.map((c) => c.regionCode),
      sorted.map((c) => c.topic),
      sorted.map((c) => c.channel),
      sorted.map((c) => c.total),
      sorted.map((c) => c.general),
      sorted.map((c) => c.key),
      sorted.map((c) => c.major),
      sorted.map((c) => c.negative),
      sorted.map((c) => c.sentimentSum),
    ],
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface MinuteTotal {
  bucket: Date;
  total: number;
  key: number;
  major: number;
  negative: number;
}

/** Per-minute totals over all regions, topics and channels in [from, to). */
export async function minuteTotals(db: Queryable, from: Date, to: Date): Promise<MinuteTotal[]> {
  const { rows } = await db.query<{ bucket: Date; total: number; key: number; major: number; negative: number }>(
    `SELECT bucket, sum(total)::int AS total, sum(key)::int AS key, sum(major)::int AS major,
       sum(negative)::int AS negative
     FROM petition_minute WHERE bucket >= $1 AND bucket < $2
     GROUP BY bucket ORDER BY bucket`,
    [from, to],
  );
  return rows;
}

/** Per-minute cells (region × topic × channel) in [from, to): the rollup as stored. */
export async function minuteCells(db: Queryable, from: Date, to: Date): Promise<MinuteCell[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT bucket, region_code, topic, channel, total, general, key, major, negative, sentiment_sum
     FROM petition_minute WHERE bucket >= $1 AND bucket < $2
     ORDER BY bucket, region_code, topic, channel`,
    [from, to],
  );
  return rows.map((r) => ({
    bucket: r.bucket as Date,
    regionCode: r.region_code as string,
    topic: r.topic as string,
    channel: r.channel as string,
    total: r.total as number,
    general: r.general as number,
    key: r.key as number,
    major: r.major as number,
    negative: r.negative as number,
    sentimentSum: r.sentiment_sum as number,
  }));
}
