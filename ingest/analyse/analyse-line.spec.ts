import { describe, expect, it } from 'vitest';
import { analyse } from './analyse.ts';
import { analyseLine } from './analyse-line.ts';

describe('analyze: one line of the contract', () => {
  it('answers the contract fields for a good line', () => {
    const r = analyseLine(JSON.stringify({ id: 'x1', text: '工地拖欠三十多名农民工工资八十六万元' }), analyse);
    expect(r).toMatchObject({
      id: 'x1',
      topic: 'labour',
      grade: 'key',
      people: 30,
      amountYuan: 860000,
      extreme: false,
    });
    expect(r).toHaveProperty('sentiment.label', 'negative');
    expect(r).toHaveProperty('riskTerms');
    expect(r).toHaveProperty('reasons');
    const withPhone = analyseLine(JSON.stringify({ id: 'p', text: '联系电话13912345678，物业不作为' }), analyse);
    expect(withPhone).toHaveProperty('personalNumbers', { phones: 1, idNumbers: 0 });
    expect(JSON.stringify((withPhone as { riskTerms: unknown }).riskTerms)).not.toContain('13912345678');
  });

  it.each([
    ['not json', 'this is not json', null, /not valid JSON/],
    ['binary junk', '\u0001\u0002\u00ff\ufffd{{', null, /not valid JSON/],
    ['an array', '[1,2]', null, /JSON object/],
    ['no text', '{"id":"a"}', 'a', /no "text"/],
    ['text not a string', '{"id":7,"text":5}', 7, /must be a string/],
    ['whitespace', '{"id":"w","text":"  \\n\\t "}', 'w', /empty/],
    ['control characters only', '{"id":"c","text":"\\u0001\\u0002\\u0003"}', 'c', /no readable/],
    ['100 KB', JSON.stringify({ id: 'big', text: '长'.repeat(100_000) }), 'big', /at most 20000/],
  ])('gives a clear error for %s', (_name, line, id, message) => {
    const r = analyseLine(line, analyse) as { id: unknown; error: string };
    expect(r.id).toBe(id);
    expect(r.error).toMatch(message);
  });

  it('repairs lone surrogates instead of failing', () => {
    const r = analyseLine('{"id":"s","text":"物业乱收费\\ud800投诉"}', analyse);
    expect(r).toHaveProperty('topic', 'housing');
  });
});
