import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Contact } from './petition.ts';

/**
 * Petitioner contacts are sealed with AES-256-GCM before they reach the database. The key comes from
 * the environment (CONTACT_KEYS); its id is stored with each row so keys can be rotated: new rows use
 * the first key, old rows stay readable while their key is still listed.
 */
export interface ContactKey {
  id: string;
  key: Buffer;
}

export interface ContactSealer {
  seal(contact: Contact): { keyId: string; sealed: Buffer };
  unseal(keyId: string, sealed: Buffer): Contact;
  /** The same sealing for any personal payload: originals, attachments, dead letters. */
  sealBytes(data: Uint8Array): { keyId: string; sealed: Buffer };
  unsealBytes(keyId: string, sealed: Buffer): Buffer;
}

/** Parses `id:base64key[,id:base64key…]`; each key must be 32 bytes. */
export function parseContactKeys(spec: string): ContactKey[] {
  const keys = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const sep = entry.indexOf(':');
      if (sep <= 0) throw new Error('CONTACT_KEYS: each entry must be <id>:<base64 32-byte key>');
      const id = entry.slice(0, sep);
      const key = Buffer.from(entry.slice(sep + 1), 'base64');
      if (key.length !== 32) throw new Error(`CONTACT_KEYS: key "${id}" is ${key.length} bytes, not 32`);
      return { id, key };
    });
  if (keys.length === 0) throw new Error('CONTACT_KEYS is empty');
  return keys;
}

/** A fresh key entry for CONTACT_KEYS. */
export function generateContactKeySpec(): string {
  const key = randomBytes(32);
  const id = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return `${id}:${key.toString('base64')}`;
}

export function createContactSealer(keys: readonly ContactKey[]): ContactSealer {
  const current = keys[0];
  if (!current) throw new Error('No contact key configured');
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  function sealBytes(data: Uint8Array): { keyId: string; sealed: Buffer } {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', current!.key, nonce);
    const body = Buffer.concat([cipher.update(data), cipher.final()]);
    return { keyId: current!.id, sealed: Buffer.concat([nonce, cipher.getAuthTag(), body]) };
  }
  function unsealBytes(keyId: string, sealed: Buffer): Buffer {
    const key = byId.get(keyId);
    if (!key) throw new Error(`Contact key "${keyId}" is not configured (rotated out?)`);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
  }
  return {
    seal: (contact) => sealBytes(Buffer.from(JSON.stringify(contact), 'utf8')),
    unseal: (keyId, sealed) => JSON.parse(unsealBytes(keyId, sealed).toString('utf8')) as Contact,
    sealBytes,
    unsealBytes,
  };
}

/**
 * Blind person keys: HMAC-SHA256 of each normalised phone and ID number. Equal keys mean the same
 * person across petitions and channels, while the numbers stay sealed. The index key must outlive
 * contact-key rotations (CONTACT_INDEX_KEY), or old and new petitions of one person stop matching.
 */
export function createPersonIndex(indexKey: Buffer): (contact: Contact | undefined) => string[] {
  return (contact) => {
    if (!contact) return [];
    const keys: string[] = [];
    const add = (kind: string, value: string) =>
      keys.push(createHmac('sha256', indexKey).update(`${kind}:${value}`).digest('base64url').slice(0, 22));
    if (contact.phone) {
      const digits = contact.phone.replace(/\D/g, '').replace(/^(0086|86)(?=1\d{10}$)/, '');
      if (digits.length >= 7) add('phone', digits);
    }
    if (contact.idNumber) add('id', contact.idNumber.toUpperCase());
    if (contact.email) add('email', contact.email.trim().toLowerCase());
    return keys;
  };
}

/** The person-index key: CONTACT_INDEX_KEY (base64, 32 bytes), else derived from the first contact key. */
export function personIndexKey(spec: string | undefined, contactKeys: readonly ContactKey[]): Buffer {
  if (spec) {
    const key = Buffer.from(spec, 'base64');
    if (key.length !== 32) throw new Error(`CONTACT_INDEX_KEY is ${key.length} bytes, not 32 (base64 of 32 bytes)`);
    return key;
  }
  const first = contactKeys[0];
  if (!first) throw new Error('No contact key configured');
  return Buffer.from(hkdfSync('sha256', first.key, Buffer.alloc(0), 'wenkong person index', 32));
}
