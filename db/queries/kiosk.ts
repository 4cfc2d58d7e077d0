import type { Queryable } from '../client.ts';

export interface KioskRow {
  id: string;
  label: string;
  deviceHash: string | null;
  createdAt: Date;
  boundAt: Date | null;
  revokedAt: Date | null;
}

function toRow(r: Record<string, unknown>): KioskRow {
  return {
    id: r.id as string,
    label: r.label as string,
    deviceHash: r.device_hash as string | null,
    createdAt: r.created_at as Date,
    boundAt: r.bound_at as Date | null,
    revokedAt: r.revoked_at as Date | null,
  };
}

export async function insertKioskToken(
  db: Queryable,
  k: { id: string; label: string; tokenHash: string; createdBy: string },
): Promise<void> {
  await db.query('INSERT INTO kiosk_tokens (id, label, token_hash, created_by) VALUES ($1, $2, $3, $4)', [
    k.id,
    k.label,
    k.tokenHash,
    k.createdBy,
  ]);
}

/** The live (not revoked) kiosk token with this hash. */
export async function findActiveKioskToken(db: Queryable, tokenHash: string): Promise<KioskRow | null> {
  const { rows } = await db.query<Record<string, unknown>>(
    'SELECT * FROM kiosk_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
    [tokenHash],
  );
  return rows[0] ? toRow(rows[0]) : null;
}

/** Binds an unbound token to a device; false when another device took it first. */
export async function bindKioskToken(db: Queryable, id: string, deviceHash: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE kiosk_tokens SET device_hash = $2, bound_at = $3, last_seen_at = $3 WHERE id = $1 AND device_hash IS NULL',
    [id, deviceHash, at],
  );
  return (rowCount ?? 0) > 0;
}

export async function revokeKioskToken(db: Queryable, id: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE kiosk_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [
    id,
    at,
  ]);
  return (rowCount ?? 0) > 0;
}

export async function listKioskTokens(db: Queryable): Promise<KioskRow[]> {
  const { rows } = await db.query<Record<string, unknown>>('SELECT * FROM kiosk_tokens ORDER BY created_at DESC');
  return rows.map(toRow);
}
