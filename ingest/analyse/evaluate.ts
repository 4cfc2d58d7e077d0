import type { Analyse, Analysis } from './types.ts';
import type { LabelledPetition } from './corpus.ts';

/** Head-count bands that matter for grading: none stated, 1–4, 5–49, 50 and more. */
export function peopleBand(n: number | null): string {
  if (n === null) return 'none';
  return n >= 50 ? '50+' : n >= 5 ? '5-49' : '1-4';
}

/** Amount bands that matter for grading: none, under 1,000,000, up to 10,000,000, above. */
export function amountBand(yuan: number | null): string {
  if (yuan === null) return 'none';
  return yuan >= 10_000_000 ? '10M+' : yuan >= 1_000_000 ? '1M-10M' : '<1M';
}

export interface Miss {
  id: string;
  field: string;
  expected: unknown;
  got: unknown;
  text: string;
}

export interface Evaluation {
  items: number;
  accuracy: {
    topic: number;
    grade: number;
    sentiment: number;
    peopleBand: number;
    amountBand: number;
    extreme: number;
  };
  extreme: { positives: number; caught: number; falseAlarms: number; falseAlarmsPer100: number };
  confusion: { grade: Record<string, Record<string, number>>; topic: Record<string, Record<string, number>> };
  misses: Miss[];
}

/** Runs the analyser over labelled items and scores each field as the specification labels it. */
export function evaluate(analyse: Analyse, items: readonly LabelledPetition[]): Evaluation {
  const right = { topic: 0, grade: 0, sentiment: 0, peopleBand: 0, amountBand: 0, extreme: 0 };
  const confusion = {
    grade: {} as Record<string, Record<string, number>>,
    topic: {} as Record<string, Record<string, number>>,
  };
  const misses: Miss[] = [];
  let positives = 0;
  let caught = 0;
  let falseAlarms = 0;
  const count = (m: Record<string, Record<string, number>>, a: string, b: string) => {
    const row = (m[a] ??= {});
    row[b] = (row[b] ?? 0) + 1;
  };
  for (const item of items) {
    const a: Analysis = analyse(item.text);
    const check = (field: keyof typeof right, expected: unknown, got: unknown) => {
      if (expected === got) right[field] += 1;
      else misses.push({ id: item.id, field, expected, got, text: item.text });
    };
    check('topic', item.topic, a.topic);
    check('grade', item.grade, a.grade);
    check('sentiment', item.polarity, a.sentiment.label);
    check('peopleBand', peopleBand(item.people), peopleBand(a.people));
    check('amountBand', amountBand(item.amountYuan), amountBand(a.amountYuan));
    check('extreme', item.extreme, a.extreme);
    count(confusion.grade, item.grade, a.grade);
    count(confusion.topic, item.topic, a.topic);
    if (item.extreme) {
      positives += 1;
      if (a.extreme) caught += 1;
    } else if (a.extreme) falseAlarms += 1;
  }
  const n = items.length || 1;
  const ratio = (k: number) => Math.round((k / n) * 1000) / 1000;
  return {
    items: items.length,
    accuracy: {
      topic: ratio(right.topic),
      grade: ratio(right.grade),
      sentiment: ratio(right.sentiment),
      peopleBand: ratio(right.peopleBand),
      amountBand: ratio(right.amountBand),
      extreme: ratio(right.extreme),
    },
    extreme: {
      positives,
      caught,
      falseAlarms,
      falseAlarmsPer100: Math.round((falseAlarms / Math.max(1, items.length - positives)) * 1000) / 10,
    },
    confusion,
    misses,
  };
}
