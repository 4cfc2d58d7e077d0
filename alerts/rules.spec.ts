import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadRegionPack } from '../ingest/regions.ts';
import { loadCalendar, parseCalendar } from './calendar.ts';
import { DEFAULT_ALERT_RULES, loadRuleSet, parseRuleSet, RuleSetError, ruleSetHash } from './rules.ts';

const errorsOf = (raw: unknown) => {
  try {
    parseRuleSet(raw, 'test');
  } catch (e) {
    if (e instanceof RuleSetError) return e.errors;
    throw e;
  }
  return [];
};

describe('alert rule sets', () => {
  it('loads the shipped rules with every kind and fills defaults', () => {
    const set = loadRuleSet();
    expect(new Set(set.rules.map((r) => r.kind))).toEqual(
      new Set(['instant', 'volume', 'growth', 'negative_index', 'hot_topic', 'joint', 'repeat']),
    );
    expect(set.rules.every((r) => r.enabled)).toBe(true);
    expect(ruleSetHash(set)).toBe(ruleSetHash(parseRuleSet(JSON.parse(readFileSync(DEFAULT_ALERT_RULES, 'utf8')))));
  });

  it('names the exact field and reason of every problem', () => {
    const base = { id: 'v', kind: 'volume', name: { zh: '量', en: 'Volume' }, severity: 'key' };
    const errors = errorsOf({
      rules: [
        { ...base, groupBy: ['region', 'region'], windowMinutes: 5, baselineWeeks: 4, pValue: 0.001, minCount: 3 },
        { ...base, id: 'v', kind: 'instant', condition: 'riot', severity: 'key' },
        {
          id: 'Bad Id',
          kind: 'growth',
          name: { zh: '增', en: 'G' },
          severity: 'key',
          groupBy: [],
          period: 'month',
          threshold: 0.5,
          minCount: 1,
        },
        { ...base, kind: 'trend' },
      ],
    });
    expect(errors.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        'rules[0].groupBy',
        'rules[0].windowMinutes',
        'rules[1].condition',
        'rules[2].id',
        'rules[2].period',
        'rules[3].kind',
      ]),
    );
    expect(errors.find((e) => e.path === 'rules[0].windowMinutes')?.message).toMatch(/10/);
    expect(errorsOf({ rules: [{ ...base, id: 'a', kind: 'instant', condition: 'major' }] })[0]?.path).toBe(
      'rules[0].id',
    );
    expect(errorsOf({ rules: [] })[0]?.path).toBe('rules');
    expect(
      errorsOf({ rules: [{ ...base, id: 'vol', kind: 'instant', condition: 'major', threshold: 3 }] })[0],
    ).toMatchObject({
      path: 'rules[0]',
      message: expect.stringMatching(/threshold/) as string,
    });
  });

  it('refuses a second rule with the same id, naming both', () => {
    const rule = { id: 'dup', kind: 'instant', condition: 'major', name: { zh: '重', en: 'M' }, severity: 'major' };
    expect(errorsOf({ rules: [rule, rule] })).toEqual([
      { path: 'rules[1].id', message: 'duplicates rules[0].id "dup"' },
    ]);
  });
});

describe('sensitive-period calendar', () => {
  const tz = loadRegionPack('suzhou').timezone;
  it('finds the tightest period in force for a topic, in local dates', () => {
    const calendar = loadCalendar(tz);
    // 2027-01-10 is in the wage season (labour only).
    expect(calendar.periodAt(new Date('2027-01-10T12:00:00+08:00'), 'labour')?.id).toBe('wage-season-2027');
    expect(calendar.periodAt(new Date('2027-01-10T12:00:00+08:00'), 'housing')).toBeNull();
    // 2027-02-05 00:30 local is still 2027-02-04 in UTC: the local date decides (Spring Festival starts).
    expect(calendar.periodAt(new Date('2027-02-05T00:30:00+08:00'), 'housing')?.id).toBe('spring-festival-2027');
    expect(calendar.periodAt(new Date('2026-11-01T12:00:00+08:00'), 'labour')).toBeNull();
  });
  it('refuses a period that ends before it starts, naming the field', () => {
    expect(() =>
      parseCalendar(
        { periods: [{ id: 'x', name: { zh: '甲', en: 'X' }, from: '2027-02-02', to: '2027-01-01', factor: 0.5 }] },
        tz,
      ),
    ).toThrow(/periods\[0\]\.to: to must not be before from/);
  });
});
