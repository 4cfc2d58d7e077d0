import type { Queryable } from '../client.ts';

export interface ConsoleFilter {
  grade?: string | undefined;
  topic?: string | undefined;
  channel?: string | undefined;
  regionCode?: string | undefined;
}

export interface ConsoleRow {
  id: string;
  receivedAt: Date;
  channel: string;
  regionCode: string | null;
  topic: string;
  grade: string;
  summary: string;
  reasons: string[];
  matterKind: string;
}

/** The latest petitions for the duty console, filtered; filters are parameters, never SQL. */
export async function listPetitions(db: Queryable, filter: ConsoleFilter, limit = 50): Promise<ConsoleRow[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT id, received_at, channel, region_code, topic, grade, summary, reasons, matter_kind
     FROM petitions
     WHERE ($1::text IS NULL OR grade = $1) AND ($2::text IS NULL OR topic = $2)
       AND ($3::text IS NULL OR channel = $3) AND ($4::text IS NULL OR region_code = $4)
     ORDER BY accepted_at DESC LIMIT $5`,
    [filter.grade ?? null, filter.topic ?? null, filter.channel ?? null, filter.regionCode ?? null, limit],
  );
  return rows.map((r) => ({
    id: r.id as string,
    receivedAt: r.received_at as Date,
    channel: r.channel as string,
    regionCode: r.region_code as string | null,
    topic: r.topic as string,
    grade: r.grade as string,
    summary: r.summary as string,
    reasons: r.reasons as string[],
    matterKind: r.matter_kind as string,
  }));
}
