import type { Queryable } from '../client.ts';

export type DeadLetterStage = 'parse' | 'validate' | 'analyse';
export type DeadLetterStatus = 'open' | 'resolved' | 'discarded';

export interface NewDeadLetterRow {
  id: string;
  channel: string;
  stage: DeadLetterStage;
  reason: string;
  fields: readonly { field: string; message: string }[];
  format: string;
  position: string | null;
  sourceActor: string;
  sourceRole: string;
  /** Masked and short: safe for the operators' list. */
  preview: string;
  keyId: string;
  sealed: Buffer;
}

/** Keeps a batch of records that could not become petitions, in one statement. */
export async function insertDeadLetters(db: Queryable, rows: readonly NewDeadLetterRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO dead_letters (id, channel, stage, reason, fields, format, position, source_actor,
       source_role, preview, key_id, sealed)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::text[],
       $8::text[], $9::text[], $10::text[], $11::text[], $12::bytea[])`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.channel),
      rows.map((r) => r.stage),
      rows.map((r) => r.reason),
      rows.map((r) => JSON.stringify(r.fields)),
      rows.map((r) => r.format),
      rows.map((r) => r.position),
      rows.map((r) => r.sourceActor),
      rows.map((r) => r.sourceRole),
      rows.map((r) => r.preview),
      rows.map((r) => r.keyId),
      rows.map((r) => r.sealed),
    ],
  );
}

export interface DeadLetterRow {
  id: string;
  createdAt: Date;
  channel: string;
  stage: DeadLetterStage;
  reason: string;
  fields: { field: string; message: string }[];
  format: string;
  position: string | null;
  sourceActor: string;
  sourceRole: string;
  preview: string;
  status: DeadLetterStatus;
  attempts: number;
  lastAttemptAt: Date | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  petitionId: string | null;
}

interface DeadLetterDbRow {
  id: string;
  created_at: Date;
  channel: string;
  stage: DeadLetterStage;
  reason: string;
  fields: { field: string; message: string }[];
  format: string;
  position: string | null;
  source_actor: string;
  source_role: string;
  preview: string;
  status: DeadLetterStatus;
  attempts: number;
  last_attempt_at: Date | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  petition_id: string | null;
}

const COLUMNS = `id, created_at, channel, stage, reason, fields, format, position, source_actor, source_role,
  preview, status, attempts, last_attempt_at, resolved_at, resolved_by, petition_id`;

function toRow(r: DeadLetterDbRow): DeadLetterRow {
  return {
    id: r.id,
    createdAt: r.created_at,
    channel: r.channel,
    stage: r.stage,
    reason: r.reason,
    fields: r.fields,
    format: r.format,
    position: r.position,
    sourceActor: r.source_actor,
    sourceRole: r.source_role,
    preview: r.preview,
    status: r.status,
    attempts: r.attempts,
    lastAttemptAt: r.last_attempt_at,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    petitionId: r.petition_id,
  };
}

export interface DeadLetterFilter {
  status?: DeadLetterStatus | null;
  channel?: string | null;
  limit: number;
  offset?: number;
}

/** Dead letters, newest first, with the total matching the filter (for paging). */
export async function listDeadLetters(
  db: Queryable,
  filter: DeadLetterFilter,
): Promise<{ rows: DeadLetterRow[]; total: number }> {
  const params = [filter.status ?? null, filter.channel ?? null];
  const where = `($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR channel = $2)`;
  const [list, count] = await Promise.all([
    db.query<DeadLetterDbRow>(
      `SELECT ${COLUMNS} FROM dead_letters WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
      [...params, filter.limit, filter.offset ?? 0],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dead_letters WHERE ${where}`, params),
  ]);
  return { rows: list.rows.map(toRow), total: count.rows[0]?.n ?? 0 };
}

/** Open dead letters per channel, for the operators' badge and metrics. */
export async function countOpenDeadLetters(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ channel: string; n: number }>(
    `SELECT channel, count(*)::int AS n FROM dead_letters WHERE status = 'open' GROUP BY channel`,
  );
  return Object.fromEntries(rows.map((r) => [r.channel, r.n]));
}

/** One dead letter with its sealed payload, or null. */
export async function findDeadLetter(
  db: Queryable,
  id: string,
): Promise<(DeadLetterRow & { keyId: string; sealed: Buffer }) | null> {
  const { rows } = await db.query<DeadLetterDbRow & { key_id: string; sealed: Uint8Array }>(
    `SELECT ${COLUMNS}, key_id, sealed FROM dead_letters WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  return r ? { ...toRow(r), keyId: r.key_id, sealed: Buffer.from(r.sealed) } : null;
}

/** Records a retry that stored the record as a petition. */
export async function resolveDeadLetter(
  db: Queryable,
  id: string,
  outcome: { petitionId: string; by: string; at: Date },
): Promise<void> {
  await db.query(
    `UPDATE dead_letters SET status = 'resolved', attempts = attempts + 1, last_attempt_at = $3,
       resolved_at = $3, resolved_by = $2, petition_id = $4
     WHERE id = $1`,
    [id, outcome.by, outcome.at, outcome.petitionId],
  );
}

/**
 * Records a retry that failed again: the new reason replaces the old, and a corrected payload (when
 * the operator edited it) replaces the sealed original.
 */
export async function recordFailedRetry(
  db: Queryable,
  id: string,
  failure: {
    stage: DeadLetterStage;
    reason: string;
    fields: readonly { field: string; message: string }[];
    at: Date;
    payload?: { keyId: string; sealed: Buffer; preview: string };
  },
): Promise<void> {
  await db.query(
    `UPDATE dead_letters SET stage = $2, reason = $3, fields = $4, attempts = attempts + 1, last_attempt_at = $5,
       key_id = COALESCE($6, key_id), sealed = COALESCE($7, sealed), preview = COALESCE($8, preview)
     WHERE id = $1`,
    [
      id,
      failure.stage,
      failure.reason,
      JSON.stringify(failure.fields),
      failure.at,
      failure.payload?.keyId ?? null,
      failure.payload?.sealed ?? null,
      failure.payload?.preview ?? null,
    ],
  );
}

/** Sets a dead letter aside without storing it (spam, a test message); kept for the record. */
export async function discardDeadLetter(db: Queryable, id: string, by: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE dead_letters SET status = 'discarded', resolved_at = $3, resolved_by = $2
     WHERE id = $1 AND status = 'open'`,
    [id, by, at],
  );
  return (rowCount ?? 0) > 0;
}
