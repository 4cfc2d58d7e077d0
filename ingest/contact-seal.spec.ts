import { describe, expect, it } from 'vitest';
import { createContactSealer, generateContactKeySpec, parseContactKeys } from './contact-seal.ts';

describe('contact sealing', () => {
  it('round-trips, hides the plaintext and uses a fresh nonce each time', () => {
    const sealer = createContactSealer(parseContactKeys(generateContactKeySpec()));
    const contact = { name: '李四', phone: '13912345678', idNumber: '320508199003071234' };
    const a = sealer.seal(contact);
    const b = sealer.seal(contact);
    expect(a.sealed.equals(b.sealed)).toBe(false);
    expect(a.sealed.toString('utf8')).not.toContain('13912345678');
    expect(sealer.unseal(a.keyId, a.sealed)).toEqual(contact);
  });

  it('reads rows sealed with an older key after rotation, and detects tampering', () => {
    const oldSpec = generateContactKeySpec();
    const old = createContactSealer(parseContactKeys(oldSpec));
    const sealed = old.seal({ name: '王五' });
    const rotated = createContactSealer(parseContactKeys(`${generateContactKeySpec()},${oldSpec}`));
    expect(rotated.unseal(sealed.keyId, sealed.sealed)).toEqual({ name: '王五' });
    expect(rotated.seal({ name: 'x' }).keyId).not.toBe(sealed.keyId);
    const tampered = Buffer.from(sealed.sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => rotated.unseal(sealed.keyId, tampered)).toThrow();
  });

  it('explains a malformed CONTACT_KEYS value', () => {
    expect(() => parseContactKeys('nokey')).toThrow(/<id>:<base64/);
    expect(() => parseContactKeys('k1:c2hvcnQ=')).toThrow(/not 32/);
  });
});
