import type { Queryable } from '../client.ts';

/** A petition as live views show it: masked summary, no contact, no full text. */
export interface PetitionSummaryRow {
  id: string;
  receivedAt: string;
  channel: string;
  regionCode: string | null;
  topic: string;
  grade: 'general' | 'key' | 'major';
  sentimentLabel: 'negative' | 'neutral' | 'positive';
  sentimentScore: number;
  summary: string;
}

export interface WallSnapshotRow {
  minutes: { bucket: string; total: number; key: number; major: number; negative: number }[];
  today: number;
  latest: PetitionSummaryRow[];
}

/**
 * Everything the wall's first paint needs in one statement: per-minute totals since `from`, the
 * count since `dayStart` (both from the rollup view, never raw rows), and the latest arrivals.
 */
export async function wallSnapshot(
  db: Queryable,
  params: { from: Date; dayStart: Date; latest: number },
): Promise<WallSnapshotRow> {
  const { rows } = await db.query<{
    minutes: WallSnapshotRow['minutes'];
    today: number;
    latest: WallSnapshotRow['latest'];
  }>(
    `SELECT
       (SELECT coalesce(json_agg(m ORDER BY m.bucket), '[]'::json) FROM (
          SELECT bucket, sum(total)::int AS total, sum(key)::int AS key, sum(major)::int AS major,
            sum(negative)::int AS negative
          FROM petition_minute WHERE bucket >= $1 GROUP BY bucket) m) AS minutes,
       (SELECT coalesce(sum(total), 0)::int FROM petition_minute WHERE bucket >= $2) AS today,
       (SELECT coalesce(json_agg(p ORDER BY p.accepted_at DESC), '[]'::json) FROM (
          SELECT id, received_at AS "receivedAt", accepted_at, channel, region_code AS "regionCode",
            topic, grade, sentiment_label AS "sentimentLabel", sentiment_score AS "sentimentScore", summary
          FROM petitions ORDER BY accepted_at DESC LIMIT $3) p) AS latest`,
    [params.from, params.dayStart, params.latest],
  );
  const row = rows[0];
  if (!row) return { minutes: [], today: 0, latest: [] };
  return {
    minutes: row.minutes.map((m) => ({ ...m, bucket: new Date(m.bucket).toISOString() })),
    today: row.today,
    latest: row.latest.map((p) => ({
      id: p.id,
      receivedAt: new Date(p.receivedAt).toISOString(),
      channel: p.channel,
      regionCode: p.regionCode,
      topic: p.topic,
      grade: p.grade,
      sentimentLabel: p.sentimentLabel,
      sentimentScore: p.sentimentScore,
      summary: p.summary,
    })),
  };
}
