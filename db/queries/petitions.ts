import type { Queryable } from '../client.ts';

/** A petition ready to store: the intake record plus its analysis, flattened into columns. */
export interface NewPetitionRow {
  id: string;
  receivedAt: Date;
  channel: string;
  externalId: string | null;
  regionCode: string | null;
  topic: string;
  grade: 'general' | 'key' | 'major';
  sentimentLabel: 'negative' | 'neutral' | 'positive';
  sentimentScore: number;
  people: number | null;
  amountYuan: number | null;
  extreme: boolean;
  riskTerms: unknown[];
  reasons: string[];
  analyserVersion: string;
  analysis: unknown;
  text: string;
  summary: string;
  /** Encoded MinHash signature and its LSH band keys. */
  signature: string | null;
  lshBands: string[];
  matterKind: 'suggestion' | 'accusation' | 'grievance' | 'litigation';
  accusedUnit: string | null;
}

/**
 * Inserts many petitions in one statement (arrays unnested server-side): one round trip per batch.
 */
export async function insertPetitions(tx: Queryable, rows: readonly NewPetitionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO petitions (id, received_at, channel, external_id, region_code, topic, grade,
       sentiment_label, sentiment_score, people, amount_yuan, extreme, risk_terms, reasons,
       analyser_version, analysis, text, summary, signature, lsh_bands, matter_kind, accused_unit)
     SELECT id, received_at, channel, external_id, region_code, topic, grade, sentiment_label,
       sentiment_score, people, amount_yuan, extreme, risk_terms,
       ARRAY(SELECT jsonb_array_elements_text(reasons)), analyser_version, analysis, text, summary,
       signature, ARRAY(SELECT jsonb_array_elements_text(lsh_bands)), matter_kind, accused_unit
     FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
       $7::text[], $8::text[], $9::float8[], $10::int[], $11::int8[], $12::bool[], $13::jsonb[],
       $14::jsonb[], $15::text[], $16::jsonb[], $17::text[], $18::text[], $19::text[], $20::jsonb[], $21::text[], $22::text[])
       AS t(id, received_at, channel, external_id, region_code, topic, grade, sentiment_label,
         sentiment_score, people, amount_yuan, extreme, risk_terms, reasons, analyser_version,
         analysis, text, summary, signature, lsh_bands, matter_kind, accused_unit)`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.receivedAt),
      rows.map((r) => r.channel),
      rows.map((r) => r.externalId),
      rows.map((r) => r.regionCode),
      rows.map((r) => r.topic),
      rows.map((r) => r.grade),
      rows.map((r) => r.sentimentLabel),
      rows.map((r) => r.sentimentScore),
      rows.map((r) => r.people),
      rows.map((r) => r.amountYuan),
      rows.map((r) => r.extreme),
      rows.map((r) => JSON.stringify(r.riskTerms)),
      rows.map((r) => JSON.stringify(r.reasons)),
      rows.map((r) => r.analyserVersion),
      rows.map((r) => JSON.stringify(r.analysis)),
      rows.map((r) => r.text),
      rows.map((r) => r.summary),
      rows.map((r) => r.signature),
      rows.map((r) => JSON.stringify(r.lshBands)),
      rows.map((r) => r.matterKind),
      rows.map((r) => r.accusedUnit),
    ],
  );
}

/**
 * Petitions received since `since` that share at least one LSH band with `bands` (candidates for
 * the same matter), newest first; one GIN index probe.
 */
export async function petitionsSharingBands(
  db: Queryable,
  bands: readonly string[],
  since: Date,
  limit = 50,
): Promise<{ id: string; receivedAt: Date; channel: string; signature: string | null }[]> {
  if (bands.length === 0) return [];
  const { rows } = await db.query<{ id: string; received_at: Date; channel: string; signature: string | null }>(
    `SELECT id, received_at, channel, signature FROM petitions
     WHERE lsh_bands && $1::text[] AND received_at >= $2
     ORDER BY received_at DESC LIMIT $3`,
    [bands, since, limit],
  );
  return rows.map((r) => ({ id: r.id, receivedAt: r.received_at, channel: r.channel, signature: r.signature }));
}

export interface PetitionKey {
  channel: string;
  externalId: string;
  petitionId: string;
  receivedAt: Date;
}

/**
 * Claims channel + externalId keys for new petitions. Returns the petition id already stored for each
 * key that was claimed before (by an earlier request, or by another node concurrently): those are
 * duplicates and must not be inserted again.
 */
export async function claimPetitionKeys(tx: Queryable, keys: readonly PetitionKey[]): Promise<Map<string, string>> {
  const existing = new Map<string, string>();
  if (keys.length === 0) return existing;
  const { rows } = await tx.query<{ channel: string; external_id: string; petition_id: string }>(
    `WITH wanted AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::timestamptz[])
         AS t(channel, external_id, petition_id, received_at)
     ), claimed AS (
       INSERT INTO petition_keys (channel, external_id, petition_id, received_at)
       SELECT channel, external_id, petition_id, received_at FROM wanted
       ON CONFLICT (channel, external_id) DO NOTHING
       RETURNING channel, external_id
     )
     SELECT k.channel, k.external_id, k.petition_id
     FROM wanted w
     JOIN petition_keys k ON k.channel = w.channel AND k.external_id = w.external_id
     WHERE NOT EXISTS (
       SELECT 1 FROM claimed c WHERE c.channel = w.channel AND c.external_id = w.external_id)`,
    [
      keys.map((k) => k.channel),
      keys.map((k) => k.externalId),
      keys.map((k) => k.petitionId),
      keys.map((k) => k.receivedAt),
    ],
  );
  for (const row of rows) existing.set(petitionKeyOf(row.channel, row.external_id), row.petition_id);
  return existing;
}

/** The map key used for a channel + externalId pair. */
export function petitionKeyOf(channel: string, externalId: string): string {
  return `${channel}\u0000${externalId}`;
}

export interface SealedContactRow {
  petitionId: string;
  receivedAt: Date;
  keyId: string;
  sealed: Buffer;
  /** Blind person keys (ingest/contact-seal.ts createPersonIndex). */
  personKeys?: readonly string[];
}

/** Stores sealed petitioner contacts, apart from the petitions. */
export async function insertContacts(tx: Queryable, rows: readonly SealedContactRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO petition_contacts (petition_id, received_at, key_id, sealed, person_keys)
     SELECT petition_id, received_at, key_id, sealed, ARRAY(SELECT jsonb_array_elements_text(person_keys))
     FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::bytea[], $5::jsonb[])
       AS t(petition_id, received_at, key_id, sealed, person_keys)`,
    [
      rows.map((r) => r.petitionId),
      rows.map((r) => r.receivedAt),
      rows.map((r) => r.keyId),
      rows.map((r) => r.sealed),
      rows.map((r) => JSON.stringify(r.personKeys ?? [])),
    ],
  );
}

export interface StoredContactRow {
  keyId: string;
  sealed: Buffer;
}

/** The sealed contact of one petition, or null. Callers decide who may unseal it. */
export async function findContact(db: Queryable, petitionId: string): Promise<StoredContactRow | null> {
  const { rows } = await db.query<{ key_id: string; sealed: Uint8Array }>(
    'SELECT key_id, sealed FROM petition_contacts WHERE petition_id = $1',
    [petitionId],
  );
  const row = rows[0];
  return row ? { keyId: row.key_id, sealed: Buffer.from(row.sealed) } : null;
}

export interface StoredPetition {
  id: string;
  receivedAt: Date;
  channel: string;
  externalId: string | null;
  regionCode: string | null;
  topic: string;
  grade: string;
  sentimentLabel: string;
  sentimentScore: number;
  people: number | null;
  amountYuan: number | null;
  extreme: boolean;
  reasons: string[];
  analyserVersion: string;
  text: string;
  summary: string;
  matterKind: string;
  accusedUnit: string | null;
}

/** One stored petition by id, or null. */
export async function findPetition(db: Queryable, id: string): Promise<StoredPetition | null> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT id, received_at, channel, external_id, region_code, topic, grade, sentiment_label,
       sentiment_score, people, amount_yuan, extreme, reasons, analyser_version, text, summary,
       matter_kind, accused_unit
     FROM petitions WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id as string,
    receivedAt: r.received_at as Date,
    channel: r.channel as string,
    externalId: r.external_id as string | null,
    regionCode: r.region_code as string | null,
    topic: r.topic as string,
    grade: r.grade as string,
    sentimentLabel: r.sentiment_label as string,
    sentimentScore: r.sentiment_score as number,
    people: r.people as number | null,
    // int8 arrives as a string from pg and as a number from PGlite.
    amountYuan: r.amount_yuan === null ? null : Number(r.amount_yuan),
    extreme: r.extreme as boolean,
    reasons: r.reasons as string[],
    analyserVersion: r.analyser_version as string,
    text: r.text as string,
    summary: r.summary as string,
    matterKind: r.matter_kind as string,
    accusedUnit: r.accused_unit as string | null,
  };
}

/** How many petitions are stored (tests and health). */
export async function countPetitions(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM petitions');
  return rows[0]?.n ?? 0;
}
