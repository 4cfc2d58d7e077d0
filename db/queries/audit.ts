import type { Queryable } from '../client.ts';

/** One audit row as stored. */
export interface AuditRow {
  seq: number;
  at: Date;
  actor: string;
  actorRole: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  address: string | null;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

/** Arbitrary constant: appends take this transaction lock so the chain has one order. */
const AUDIT_LOCK = 4_720_311_928;

/** Serialises appenders for the rest of the transaction (every node takes the same lock). */
export async function lockAuditChain(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
}

/** The newest row's sequence number and hash, or null for an empty trail. */
export async function lastAuditLink(tx: Queryable): Promise<{ seq: number; hash: string } | null> {
  const { rows } = await tx.query<{ seq: string | number; hash: string }>(
    'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  const r = rows[0];
  return r ? { seq: Number(r.seq), hash: r.hash } : null;
}

/** Inserts chained rows in one statement. */
export async function insertAuditRows(tx: Queryable, rows: readonly AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor, actor_role, action, subject_type, subject_id, address, before, after,
       prev_hash, hash)
     SELECT * FROM unnest($1::int8[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
       $7::text[], $8::text[], $9::jsonb[], $10::jsonb[], $11::text[], $12::text[])`,
    [
      rows.map((r) => r.seq),
      rows.map((r) => r.at),
      rows.map((r) => r.actor),
      rows.map((r) => r.actorRole),
      rows.map((r) => r.action),
      rows.map((r) => r.subjectType),
      rows.map((r) => r.subjectId),
      rows.map((r) => r.address),
      rows.map((r) => (r.before === undefined ? null : JSON.stringify(r.before))),
      rows.map((r) => (r.after === undefined ? null : JSON.stringify(r.after))),
      rows.map((r) => r.prevHash),
      rows.map((r) => r.hash),
    ],
  );
}

function toRow(r: Record<string, unknown>): AuditRow {
  return {
    seq: Number(r.seq),
    at: r.at as Date,
    actor: r.actor as string,
    actorRole: r.actor_role as string,
    action: r.action as string,
    subjectType: r.subject_type as string,
    subjectId: r.subject_id as string | null,
    address: r.address as string | null,
    before: r.before ?? null,
    after: r.after ?? null,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}

/** Rows after `afterSeq` in order, at most `limit` (the verifier pages through the trail). */
export async function auditRowsAfter(db: Queryable, afterSeq: number, limit: number): Promise<AuditRow[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    'SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2',
    [afterSeq, limit],
  );
  return rows.map(toRow);
}

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** Newest first, filtered; every filter is a parameter, never spliced into the SQL. */
export async function searchAudit(db: Queryable, filter: AuditFilter, limit = 100): Promise<AuditRow[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT * FROM audit_log
     WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2)
       AND ($3::text IS NULL OR subject_type = $3) AND ($4::text IS NULL OR subject_id = $4)
       AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6)
     ORDER BY seq DESC LIMIT $7`,
    [
      filter.actor ?? null,
      filter.action ?? null,
      filter.subjectType ?? null,
      filter.subjectId ?? null,
      filter.from ?? null,
      filter.to ?? null,
      limit,
    ],
  );
  return rows.map(toRow);
}
