import { describe, expect, it } from 'vitest';
import type { BreakdownRow, MentionRow } from '../db/queries/kpis.ts';
import { buildKpiSnapshot, burstRatio, growthRate, KPI_DEFINITIONS, kpiWindows, type KpiRows } from './kpis.ts';

const TZ = 'Asia/Shanghai';
// 14:30:20 in Shanghai; local midnight was 2026-11-30T16:00:00Z.
const NOW = new Date('2026-12-01T06:30:20Z');
const HOUR = 3_600_000;

const ALERTS_NONE = { general: 0, key: 0, major: 0, extreme: 0 };

function rows(overrides: Partial<KpiRows> = {}): KpiRows {
  return { counts: [0, 0, 0, 0], breakdown: [], mentions: [], openAlerts: ALERTS_NONE, ...overrides };
}

function region(code: string | null, total: number, negative: number, sentimentSum = 0): BreakdownRow {
  return { dimension: 'region', code, total, negative, sentimentSum };
}

describe('kpiWindows', () => {
  it('counts today from local midnight and yesterday over as long from the midnight before', () => {
    const w = kpiWindows(NOW, TZ);
    const iso = (s: { from: Date; to: Date }) => [s.from.toISOString(), s.to.toISOString()];
    expect(iso(w.day.current)).toEqual(['2026-11-30T16:00:00.000Z', '2026-12-01T06:30:20.000Z']);
    expect(iso(w.day.previous)).toEqual(['2026-11-29T16:00:00.000Z', '2026-11-30T06:30:20.000Z']);
    expect(iso(w.week.current)).toEqual(['2026-11-24T06:30:20.000Z', '2026-12-01T06:30:20.000Z']);
    expect(iso(w.week.previous)).toEqual(['2026-11-17T06:30:20.000Z', '2026-11-24T06:30:20.000Z']);
    expect(iso(w.last24h)).toEqual(['2026-11-30T06:30:20.000Z', '2026-12-01T06:30:20.000Z']);
    expect(iso(w.baseline)).toEqual(['2026-11-23T06:30:20.000Z', '2026-11-30T06:30:20.000Z']);
  });

  it("at local midnight today is empty and so is yesterday's span", () => {
    const w = kpiWindows(new Date('2026-11-30T16:00:00Z'), TZ);
    expect(w.day.current.to.getTime() - w.day.current.from.getTime()).toBe(0);
    expect(w.day.previous.from.toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(w.day.previous.to.toISOString()).toBe('2026-11-29T16:00:00.000Z');
  });

  it.each(['America/New_York', 'Europe/London', TZ])(
    "in %s, yesterday's span never reaches into today nor outlasts it, through a year of hours",
    (zone) => {
      const start = Date.parse('2026-01-01T00:00:00Z');
      for (let t = start; t < start + 366 * 24 * HOUR; t += HOUR + 7 * 60_000) {
        const now = new Date(t);
        const { current, previous } = kpiWindows(now, zone).day;
        const today = current.to.getTime() - current.from.getTime();
        const yesterday = previous.to.getTime() - previous.from.getTime();
        if (!(previous.to <= current.from && yesterday <= today && yesterday >= 0 && current.from <= now)) {
          throw new Error(`bad spans at ${now.toISOString()} in ${zone}`);
        }
      }
      expect(true).toBe(true);
    },
  );
});

describe('growthRate and burstRatio', () => {
  it('compares with the base, and gives no rate when the base is 0', () => {
    expect(growthRate(30, 20)).toBe(0.5);
    expect(growthRate(10, 20)).toBe(-0.5);
    expect(growthRate(20, 20)).toBe(0);
    expect(growthRate(3, 0)).toBeNull();
    expect(growthRate(0, 0)).toBeNull();
  });

  it('divides by the mean daily count before, and is null for a term never seen', () => {
    expect(burstRatio(22, 20)).toBe(7.7);
    expect(burstRatio(2, 7)).toBe(2);
    expect(burstRatio(0, 7)).toBe(0);
    expect(burstRatio(3, 0)).toBeNull();
  });
});

describe('buildKpiSnapshot', () => {
  const w = kpiWindows(NOW, TZ);

  it('ranks regions by index among those with at least 5 petitions, at most 10, unknown region aside', () => {
    const breakdown: BreakdownRow[] = [
      { dimension: 'all', code: null, total: 200, negative: 80, sentimentSum: -40 },
      region(null, 9, 9),
      region('small', 4, 4),
      // Same index: more petitions first, then the code.
      region('r-b', 10, 5),
      region('r-a', 10, 5),
      region('r-big', 20, 10),
      ...Array.from({ length: 10 }, (_, i) => region(`r-${i}`, 5, i % 5)),
    ];
    const s = buildKpiSnapshot(NOW, TZ, w, rows({ breakdown }));
    expect(s.negativeIndex).toMatchObject({ index: 40, meanSentiment: -0.2, negative: 80, total: 200 });
    expect(s.negativeIndex.byRegion).toHaveLength(10);
    expect(s.negativeIndex.byRegion.map((r) => r.regionCode)).toEqual([
      'r-4',
      'r-9',
      'r-3',
      'r-8',
      'r-big',
      'r-a',
      'r-b',
      'r-2',
      'r-7',
      'r-1',
    ]);
    expect(s.negativeIndex.byRegion[0]).toEqual({
      regionCode: 'r-4',
      index: 80,
      meanSentiment: 0,
      negative: 4,
      total: 5,
    });
    // Volumes keep every region, the unknown one last among equals.
    expect(s.volumes.byRegion.at(-1)).toEqual({ code: 'small', count: 4 });
    expect(s.volumes.byRegion.find((r) => r.code === null)).toEqual({ code: null, count: 9 });
  });

  it('has no index and no mean sentiment when nothing arrived, and zero counts', () => {
    const s = buildKpiSnapshot(NOW, TZ, w, rows());
    expect(s.negativeIndex).toEqual({
      index: null,
      meanSentiment: null,
      negative: 0,
      total: 0,
      from: '2026-11-30T06:30:20.000Z',
      to: '2026-12-01T06:30:20.000Z',
      byRegion: [],
    });
    expect(s.growth.day).toMatchObject({ rate: null, current: 0, previous: 0 });
    expect(s.volumes).toMatchObject({ total: 0, byChannel: [], byRegion: [], byTopic: [] });
    expect(s.openAlerts).toEqual({ general: 0, key: 0, major: 0, extreme: 0, total: 0 });
  });

  it('derives hot-topic rates and burst ratios from the counts', () => {
    const mentions: MentionRow[] = [
      { kind: 'term', key: '集体上访', category: 'mass_action', count: 12, before: 14 },
      { kind: 'term', key: '跳楼', category: 'extreme', count: 3, before: 0 },
      { kind: 'topic', key: 'labour', category: null, count: 22, before: 20 },
    ];
    const s = buildKpiSnapshot(NOW, TZ, w, rows({ mentions, counts: [30, 20, 70, 35] }));
    expect(s.hotTopics).toEqual([
      {
        kind: 'term',
        key: '集体上访',
        category: 'mass_action',
        count: 12,
        perHour: 0.5,
        previousDailyMean: 2,
        burstRatio: 6,
      },
      {
        kind: 'term',
        key: '跳楼',
        category: 'extreme',
        count: 3,
        perHour: 0.125,
        previousDailyMean: 0,
        burstRatio: null,
      },
      {
        kind: 'topic',
        key: 'labour',
        category: null,
        count: 22,
        perHour: 22 / 24,
        previousDailyMean: 20 / 7,
        burstRatio: 7.7,
      },
    ]);
    expect(s.growth.day).toEqual({
      rate: 0.5,
      current: 30,
      previous: 20,
      currentFrom: '2026-11-30T16:00:00.000Z',
      currentTo: '2026-12-01T06:30:20.000Z',
      previousFrom: '2026-11-29T16:00:00.000Z',
      previousTo: '2026-11-30T06:30:20.000Z',
    });
    expect(s.growth.week.rate).toBe(1);
  });

  it('is plain JSON and defines every KPI in Chinese and English', () => {
    const s = buildKpiSnapshot(NOW, TZ, w, rows({ openAlerts: { general: 1, key: 2, major: 0, extreme: 1 } }));
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(s.openAlerts.total).toBe(4);
    expect(Object.keys(s.definitions).sort()).toEqual(Object.keys(KPI_DEFINITIONS).sort());
    for (const [name, d] of Object.entries(KPI_DEFINITIONS)) {
      expect(s.definitions[name]).toEqual({ zh: d.zh, en: d.en });
      expect(d.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(d.en).toMatch(/^[\x20-\x7e×÷−–]+$/);
      expect(d.formula.length).toBeGreaterThan(0);
    }
  });
});
