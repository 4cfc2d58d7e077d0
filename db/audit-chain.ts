import { createHash } from 'node:crypto';
import type { Db, Queryable } from './client.ts';
import { type AuditRow, auditRowsAfter, insertAuditRows, lastAuditLink, lockAuditChain } from './queries/audit.ts';

/** What a caller records; the chain fields are added here. */
export interface AuditEntry {
  at: Date;
  actor: string;
  actorRole: string;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  address?: string | null;
  before?: unknown;
  after?: unknown;
}

/** The hash that links the first row to nothing. */
export const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted at every level, so a value hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 over the previous hash and every field of the row but its own hash. */
export function rowHash(row: Omit<AuditRow, 'hash'>): string {
  const content = canonicalJson({
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    actorRole: row.actorRole,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    address: row.address,
    before: row.before,
    after: row.after,
  });
  return createHash('sha256').update(row.prevHash).update('\n').update(content).digest('hex');
}

/**
 * Appends entries to the trail inside the caller's transaction (so the change and its record commit
 * together), under a lock that gives the chain one order across processes.
 */
export async function appendAudit(tx: Queryable, entries: readonly AuditEntry[]): Promise<AuditRow[]> {
  if (entries.length === 0) return [];
  await lockAuditChain(tx);
  const last = await lastAuditLink(tx);
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS;
  const rows = entries.map((e): AuditRow => {
    seq += 1;
    const base = {
      seq,
      at: e.at,
      actor: e.actor,
      actorRole: e.actorRole,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId ?? null,
      address: e.address ?? null,
      before: e.before ?? null,
      after: e.after ?? null,
      prevHash,
    };
    const hash = rowHash(base);
    prevHash = hash;
    return { ...base, hash };
  });
  await insertAuditRows(tx, rows);
  return rows;
}

/** Appends in a transaction of its own. */
export function recordAudit(db: Db, entries: readonly AuditEntry[]): Promise<AuditRow[]> {
  return db.withTransaction((tx) => appendAudit(tx, entries));
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first row whose link does not hold, and why. */
  firstBroken?: { seq: number; reason: string };
}

/** Walks the whole trail in pages and reports the first broken link (edit, deletion or insertion). */
export async function verifyAuditChain(
  db: Queryable,
  onProgress?: (checked: number) => void,
  pageSize = 5_000,
): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS;
  let checked = 0;
  for (;;) {
    const page = await auditRowsAfter(db, expectedSeq - 1, pageSize);
    if (page.length === 0) return { ok: true, checked };
    for (const row of page) {
      if (row.seq !== expectedSeq) {
        return { ok: false, checked, firstBroken: { seq: expectedSeq, reason: `row ${expectedSeq} is missing` } };
      }
      if (row.prevHash !== prevHash) {
        return { ok: false, checked, firstBroken: { seq: row.seq, reason: 'does not link to the row before it' } };
      }
      if (rowHash(row) !== row.hash) {
        return { ok: false, checked, firstBroken: { seq: row.seq, reason: 'its content does not match its hash' } };
      }
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    onProgress?.(checked);
  }
}
