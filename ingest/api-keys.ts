import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { findActiveApiKey, insertApiKey } from '../db/queries/api-keys.ts';
import { type ChannelCode, isChannelCode, CHANNEL_CODES } from './channels/catalog.ts';
import { uuidv7 } from './uuid.ts';

/** Who a valid key says the caller is. */
export interface ChannelIdentity {
  keyId: string;
  channel: ChannelCode;
}

const KEY_PREFIX = 'wk_';
/** Keys are long random strings; anything longer than this is not one of ours. */
const MAX_KEY_LENGTH = 128;

/** SHA-256 is enough for 256-bit random keys (no dictionary to attack); only the hash is stored. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Creates and stores a key for `channel`; returns the key, which is never shown again. */
export async function createApiKey(db: Db, channel: string, label = ''): Promise<string> {
  if (!isChannelCode(channel)) {
    throw new Error(`Unknown channel "${channel}". Known channels: ${CHANNEL_CODES.join(', ')}`);
  }
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  await insertApiKey(db, { id: uuidv7(), channel, label, keyHash: hashApiKey(key) });
  return key;
}

export interface ApiKeyAuthenticator {
  /** The identity for an `Authorization` header value, or null when it is not a valid key. */
  authenticate(authorization: string | null): Promise<ChannelIdentity | null>;
}

/**
 * Verifies bearer keys against the database, remembering recent answers for `ttlMs` so intake does not
 * pay a query per request; a revoked key stops working within that time.
 */
export function createApiKeyAuthenticator(db: Db, ttlMs = 30_000, now = Date.now): ApiKeyAuthenticator {
  const cache = new Map<string, { identity: ChannelIdentity | null; until: number }>();
  return {
    async authenticate(authorization) {
      const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization.trim()) : null;
      const key = match?.[1];
      if (!key || key.length > MAX_KEY_LENGTH || !key.startsWith(KEY_PREFIX)) return null;
      const hash = hashApiKey(key);
      const hit = cache.get(hash);
      if (hit && hit.until > now()) return hit.identity;
      const row = await findActiveApiKey(db, hash);
      const identity = row && isChannelCode(row.channel) ? { keyId: row.id, channel: row.channel } : null;
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, { identity, until: now() + ttlMs });
      return identity;
    },
  };
}
