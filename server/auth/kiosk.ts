import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../db/client.ts';
import { bindKioskToken, findActiveKioskToken, insertKioskToken, revokeKioskToken } from '../../db/queries/kiosk.ts';
import { uuidv7 } from '../../ingest/uuid.ts';

/**
 * Kiosk tokens for wall displays: a long random token opens a read-only wall view and binds itself to
 * the first screen that uses it (that screen gets a device secret cookie). A copied link then opens
 * nothing elsewhere; revoking the token turns the screen off.
 */
export const KIOSK_COOKIE = 'wk_kiosk';
export const DEVICE_COOKIE = 'wk_device';
const TOKEN = /^wk_kiosk_[A-Za-z0-9_-]{43}$/;
const DEVICE = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface KioskIdentity {
  kioskId: string;
  label: string;
}

/** Creates a token for a named screen; the token is returned once and never stored. */
export async function createKioskToken(db: Queryable, label: string, createdBy: string): Promise<string> {
  const token = `wk_kiosk_${randomBytes(32).toString('base64url')}`;
  await insertKioskToken(db, { id: uuidv7(), label, tokenHash: sha256(token), createdBy });
  return token;
}

export type KioskCheck =
  | { ok: true; identity: KioskIdentity; newDeviceSecret?: string }
  | { ok: false; reason: 'invalid' | 'bound_elsewhere' };

/**
 * Checks a kiosk token and the screen's device secret. An unbound token binds to this screen and
 * returns the new device secret for the caller to set as a cookie.
 */
export async function checkKiosk(
  db: Queryable,
  token: string | undefined,
  deviceSecret: string | undefined,
  now: Date,
): Promise<KioskCheck> {
  if (!token || !TOKEN.test(token)) return { ok: false, reason: 'invalid' };
  const row = await findActiveKioskToken(db, sha256(token));
  if (!row) return { ok: false, reason: 'invalid' };
  const identity = { kioskId: row.id, label: row.label };
  if (row.deviceHash) {
    if (!deviceSecret || !DEVICE.test(deviceSecret)) return { ok: false, reason: 'bound_elsewhere' };
    const a = Buffer.from(row.deviceHash, 'hex');
    const b = Buffer.from(sha256(deviceSecret), 'hex');
    return a.length === b.length && timingSafeEqual(a, b)
      ? { ok: true, identity }
      : { ok: false, reason: 'bound_elsewhere' };
  }
  const secret = randomBytes(32).toString('base64url');
  if (!(await bindKioskToken(db, row.id, sha256(secret), now))) return { ok: false, reason: 'bound_elsewhere' };
  return { ok: true, identity, newDeviceSecret: secret };
}

export { revokeKioskToken };
