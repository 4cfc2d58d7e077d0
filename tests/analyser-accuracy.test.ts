import { describe, expect, it } from 'vitest';
import { analyse } from '../ingest/analyse/analyse.ts';
import { DEV_SET, readCorpus, readLabelled, splitOf } from '../ingest/analyse/corpus.ts';
import { evaluate } from '../ingest/analyse/evaluate.ts';

/**
 * Regression floors on data the topic model never trained on (`npm run eval:analyser` prints the
 * full report). The floors sit a little under today's measurements so a real regression fails.
 */
describe('analyser accuracy', () => {
  const test = readCorpus().filter((p) => splitOf(p.id) === 'test');

  it('has a corpus of at least 400 items covering every topic and grade, split train/test', () => {
    const all = readCorpus();
    expect(all.length).toBeGreaterThanOrEqual(400);
    expect(new Set(all.map((p) => p.topic)).size).toBe(11);
    expect(new Set(all.map((p) => p.grade)).size).toBe(3);
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    expect(test.length).toBeGreaterThan(100);
  });

  it('meets the floors on the corpus test split', () => {
    const e = evaluate(analyse, test);
    expect(e.accuracy.grade).toBeGreaterThanOrEqual(FLOORS.grade);
    expect(e.accuracy.topic).toBeGreaterThanOrEqual(FLOORS.topic);
    expect(e.accuracy.sentiment).toBeGreaterThanOrEqual(FLOORS.sentiment);
    expect(e.accuracy.peopleBand).toBeGreaterThanOrEqual(FLOORS.peopleBand);
    expect(e.accuracy.amountBand).toBeGreaterThanOrEqual(FLOORS.amountBand);
    expect(e.extreme.caught).toBe(e.extreme.positives);
    expect(e.extreme.falseAlarmsPer100).toBeLessThanOrEqual(1);
  });

  it('gets the dev set right', () => {
    const e = evaluate(analyse, readLabelled(DEV_SET));
    expect(e.accuracy.grade).toBeGreaterThanOrEqual(0.9);
    expect(e.extreme.caught).toBe(e.extreme.positives);
  });
});

const FLOORS = { grade: 0.93, topic: 0.82, sentiment: 0.93, peopleBand: 0.9, amountBand: 0.95 };
