import type { Queryable } from '../client.ts';

export interface Open311Row {
  id: string;
  token: string | null;
  topic: string;
  summary: string;
  regionCode: string | null;
  receivedAt: Date;
  acceptedAt: Date;
  matterKind: string;
}

export interface Open311Filter {
  ids: string[] | null;
  topics: string[] | null;
  start: Date;
  end: Date;
  limit: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Requests filed through Open311, newest first. Accusations are left out: the public API never shows
 * that someone accused a unit.
 */
export async function listOpen311Requests(db: Queryable, filter: Open311Filter): Promise<Open311Row[]> {
  // Ids that are not UUIDs cannot match; dropping them keeps PostgreSQL from failing the cast.
  const ids = filter.ids ? filter.ids.filter((id) => UUID.test(id)) : null;
  if (ids && ids.length === 0) return [];
  const { rows } = await db.query<{
    id: string;
    external_id: string | null;
    topic: string;
    summary: string;
    region_code: string | null;
    received_at: Date;
    accepted_at: Date;
    matter_kind: string;
  }>(
    `SELECT id, external_id, topic, summary, region_code, received_at, accepted_at, matter_kind
     FROM petitions
     WHERE channel = 'open311' AND matter_kind <> 'accusation'
       AND received_at BETWEEN $1 AND $2
       AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
       AND ($4::text[] IS NULL OR topic = ANY($4::text[]))
     ORDER BY received_at DESC LIMIT $5`,
    [filter.start, filter.end, ids, filter.topics, filter.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    token: r.external_id?.startsWith('open311:') ? r.external_id.slice('open311:'.length) : null,
    topic: r.topic,
    summary: r.summary,
    regionCode: r.region_code,
    receivedAt: r.received_at,
    acceptedAt: r.accepted_at,
    matterKind: r.matter_kind,
  }));
}

/** The petition a token was issued for, or null while unknown. */
export async function findOpen311Token(db: Queryable, token: string): Promise<string | null> {
  const { rows } = await db.query<{ petition_id: string }>(
    `SELECT petition_id FROM petition_keys WHERE channel = 'open311' AND external_id = $1`,
    [`open311:${token}`],
  );
  return rows[0]?.petition_id ?? null;
}
