import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS, validatePetition } from './validate.ts';

const now = new Date('2026-12-01T08:00:00Z');
const fields = (raw: unknown) => {
  const r = validatePetition(raw, now);
  return r.ok ? [] : r.errors.map((e) => e.field);
};

describe('validatePetition', () => {
  it('accepts a full petition and normalises receivedAt to UTC', () => {
    const r = validatePetition(
      {
        channel: 'hotline',
        text: '  小区停水三天  ',
        receivedAt: '2026-12-01T09:30:00+08:00',
        regionCode: '320508',
        externalId: 'GD2026120100001',
        contact: { name: ' 张三 ', phone: '138-1234-5678', idNumber: '32050819900307123x' },
      },
      now,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        channel: 'hotline',
        text: '小区停水三天',
        receivedAt: '2026-12-01T01:30:00.000Z',
        regionCode: '320508',
        externalId: 'GD2026120100001',
        contact: { name: '张三', phone: '138-1234-5678', idNumber: '32050819900307123X' },
      },
    });
  });

  it('names each wrong field', () => {
    expect(fields({ channel: 'fax', text: '' })).toEqual(['channel', 'text']);
    expect(fields({ channel: 1, text: 2 })).toEqual(['channel', 'text']);
    expect(fields({ text: 'x' })).toEqual(['channel']);
    expect(fields({ channel: 'web', text: 'x', regionCode: '3205', externalId: '' })).toEqual([
      'regionCode',
      'externalId',
    ]);
    expect(fields({ channel: 'web', text: 'x', contact: { phone: 'call me', age: 3 } })).toEqual([
      'contact.age',
      'contact.phone',
    ]);
    expect(fields({ channel: 'web', text: 'x', colour: 'red' })).toEqual(['colour']);
    expect(fields('just a string')).toEqual(['']);
  });

  it('takes the kind of matter, and an accused unit only for accusations', () => {
    const ok = validatePetition(
      { channel: 'web', text: '举报', matterKind: 'accusation', accusedUnit: ' 区住建局 ' },
      now,
    );
    expect(ok.ok && ok.value).toMatchObject({ matterKind: 'accusation', accusedUnit: '区住建局' });
    expect(fields({ channel: 'web', text: 'x', matterKind: 'complaint' })).toEqual(['matterKind']);
    expect(fields({ channel: 'web', text: 'x', accusedUnit: '区住建局' })).toEqual(['accusedUnit']);
  });

  it('refuses text that is only whitespace, too long, or holds NUL', () => {
    expect(fields({ channel: 'web', text: ' \n\t ' })).toEqual(['text']);
    expect(fields({ channel: 'web', text: '字'.repeat(MAX_TEXT_CHARS + 1) })).toEqual(['text']);
    expect(fields({ channel: 'web', text: 'a\u0000b' })).toEqual(['text']);
  });

  it('refuses receivedAt without offset, in the future or absurdly old', () => {
    expect(fields({ channel: 'web', text: 'x', receivedAt: '2026-12-01 09:30' })).toEqual(['receivedAt']);
    expect(fields({ channel: 'web', text: 'x', receivedAt: '2026-12-01T09:30:00' })).toEqual(['receivedAt']);
    expect(fields({ channel: 'web', text: 'x', receivedAt: '2026-12-02T08:00:00Z' })).toEqual(['receivedAt']);
    expect(fields({ channel: 'web', text: 'x', receivedAt: '1999-12-31T23:00:00Z' })).toEqual(['receivedAt']);
  });

  it('replaces lone surrogates instead of failing', () => {
    const r = validatePetition({ channel: 'web', text: 'bad \ud800 char' }, now);
    expect(r.ok && r.value.text).toBe('bad \ufffd char');
  });
});
