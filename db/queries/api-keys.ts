import type { Queryable } from '../client.ts';

export interface ApiKeyRow {
  id: string;
  channel: string;
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Stores a new key by its hash. */
export async function insertApiKey(
  db: Queryable,
  key: { id: string; channel: string; label: string; keyHash: string },
): Promise<void> {
  await db.query('INSERT INTO api_keys (id, channel, label, key_hash) VALUES ($1, $2, $3, $4)', [
    key.id,
    key.channel,
    key.label,
    key.keyHash,
  ]);
}

interface ApiKeyDbRow {
  id: string;
  channel: string;
  label: string;
  created_at: Date;
  revoked_at: Date | null;
}

const API_KEY_COLUMNS = 'id, channel, label, created_at, revoked_at';

function toApiKeyRow(r: ApiKeyDbRow): ApiKeyRow {
  return { id: r.id, channel: r.channel, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at };
}

/** The live (not revoked) key with this hash, or null. */
export async function findActiveApiKey(db: Queryable, keyHash: string): Promise<ApiKeyRow | null> {
  const { rows } = await db.query<ApiKeyDbRow>(
    `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
    [keyHash],
  );
  return rows[0] ? toApiKeyRow(rows[0]) : null;
}

/** Revokes a key; returns whether one was live. */
export async function revokeApiKey(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
    id,
  ]);
  return (rowCount ?? 0) > 0;
}

/** Revokes every live key with this label (e.g. the demo feed's keys from an earlier run). */
export async function revokeApiKeysByLabel(db: Queryable, label: string): Promise<number> {
  const { rowCount } = await db.query(
    'UPDATE api_keys SET revoked_at = now() WHERE label = $1 AND revoked_at IS NULL',
    [label],
  );
  return rowCount ?? 0;
}

/** Every key (never the key itself: only its hash is stored), newest first. */
export async function listApiKeys(db: Queryable): Promise<ApiKeyRow[]> {
  const { rows } = await db.query<ApiKeyDbRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY created_at DESC`);
  return rows.map(toApiKeyRow);
}
