import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAnalyser } from './analyse.ts';
import { DEFAULT_RULES_FILE, loadRules, parseRules, RulesError } from './rules.ts';

const raw = () => JSON.parse(readFileSync(DEFAULT_RULES_FILE, 'utf8')) as Record<string, unknown>;

describe('grading rules file', () => {
  it('loads the shipped rules with a version', () => {
    expect(loadRules().version).toMatch(/^grading-/);
  });

  it('refuses a bad file naming the exact field and reason', () => {
    const bad = raw();
    (bad.thresholds as Record<string, unknown>).majorPeople = -3;
    expect(() => parseRules(bad, 'grading.json')).toThrow(/grading\.json: invalid rules: thresholds\.majorPeople: /);
    const empty = raw();
    ((empty.risk as Record<string, string[]>).extreme as string[])[2] = '';
    expect(() => parseRules(empty)).toThrow(/risk\.extreme\.2: must be a non-empty string/);
    const inverted = raw();
    (inverted.thresholds as Record<string, number>).keyPeople = 80;
    expect(() => parseRules(inverted)).toThrow(/keyPeople must be below majorPeople/);
    const unknown = { ...raw(), colour: 'red' };
    expect(() => parseRules(unknown)).toThrow(RulesError);
  });

  it('drives grading: a changed threshold changes the grade and the reason', () => {
    const rules = loadRules();
    const text = '我们公司二十名员工被拖欠工资三个月';
    expect(createAnalyser(rules)(text).grade).toBe('key');
    const stricter = { ...rules, version: 'grading-test', thresholds: { ...rules.thresholds, majorPeople: 20 } };
    const a = createAnalyser(stricter)(text);
    expect(a.grade).toBe('major');
    expect(a.reasons.join()).toContain('涉及人数20人以上');
    expect(a.version).toContain('grading-test');
  });
});
