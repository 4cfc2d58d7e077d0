import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
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
  return {
    seal(contact) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, nonce);
      const body = Buffer.concat([cipher.update(JSON.stringify(contact), 'utf8'), cipher.final()]);
      return { keyId: current.id, sealed: Buffer.concat([nonce, cipher.getAuthTag(), body]) };
    },
    unseal(keyId, sealed) {
      const key = byId.get(keyId);
      if (!key) throw new Error(`Contact key "${keyId}" is not configured (rotated out?)`);
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as Contact;
    },
  };
}
