import { describe, expect, it } from 'vitest';
import { encodeSignature, lshBands, textSignature } from '../../ingest/analyse/minhash.ts';
import { loadRegionPack } from '../../ingest/regions.ts';
import { createCalendar, EMPTY_CALENDAR, type Calendar } from '../calendar.ts';
import { MemoryAlertSource } from '../memory-source.ts';
import { parseRuleSet, type RuleOf } from '../rules.ts';
import type { WindowPetition } from '../source.ts';
import { type DetectContext, DAY, HOUR, MINUTE } from './context.ts';
import { detectGrowth } from './growth.ts';
import { detectHotTopic } from './hot-topic.ts';
import { detectJoint } from './joint.ts';
import { detectNegativeIndex } from './negative.ts';
import { detectRepeat } from './repeat.ts';
import { detectVolume } from './volume.ts';

const region = loadRegionPack('suzhou');
const A = region.districts[0]!.code;
const B = region.districts[1]!.code;
/** Tuesday 2026-12-01 14:00 in Suzhou: the injected clock of every test. */
const NOW = new Date('2026-12-01T14:00:00+08:00');

let n = 0;
function petition(at: number, over: Partial<WindowPetition> = {}): WindowPetition {
  n++;
  return {
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    receivedAt: new Date(at),
    regionCode: A,
    topic: 'labour',
    channel: 'hotline',
    grade: 'general',
    negative: true,
    extreme: false,
    people: null,
    amountYuan: null,
    riskTerms: [],
    bands: [],
    signature: null,
    personKeys: [],
    ...over,
  };
}

function withText(text: string): Pick<WindowPetition, 'bands' | 'signature'> {
  const sig = textSignature(text);
  return { bands: lshBands(sig), signature: encodeSignature(sig) };
}

/** A source holding these petitions (any order) and a detection context at `now` over it. */
function contextOver(petitions: WindowPetition[], now = NOW, calendar: Calendar = EMPTY_CALENDAR, since?: Date) {
  const source = new MemoryAlertSource();
  for (const p of [...petitions].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())) source.add(p);
  const memo = new Map<string, Promise<unknown>>();
  const ctx: DetectContext = {
    now,
    ruleVersion: 1,
    region,
    calendar,
    source,
    since: since ?? new Date(now.getTime() - 5 * MINUTE),
    hours: (from) => source.hourlyCounts(from, now),
    minutes: (from) => source.minuteCounts(from, now),
    petitions: (from) => source.petitions(from, now),
    memo<T>(key: string, compute: () => Promise<T>) {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as Promise<T>;
    },
  };
  return ctx;
}

function rule<K extends RuleOf<'volume'>['kind'] | string>(raw: Record<string, unknown> & { kind: K }) {
  const set = parseRuleSet({
    rules: [{ id: 'test-rule', name: { zh: '测试', en: 'Test' }, severity: 'key', ...raw }],
  });
  return set.rules[0]!;
}

/** `perHour` petitions in every hour of the `weeks` weeks before `now`'s hour (the quiet normal). */
function steadyHistory(perHour: number, weeks: number, over: Partial<WindowPetition> = {}): WindowPetition[] {
  const out: WindowPetition[] = [];
  const hourStart = Math.floor(NOW.getTime() / HOUR) * HOUR;
  for (let h = hourStart - weeks * 7 * DAY - HOUR; h < hourStart - HOUR; h += HOUR) {
    for (let i = 0; i < perHour; i++) out.push(petition(h + ((i + 0.5) * HOUR) / perHour, over));
  }
  return out;
}

const recent = (count: number, minutes: number, over: Partial<WindowPetition> = {}) =>
  Array.from({ length: count }, (_, i) => petition(NOW.getTime() - ((i + 0.5) * minutes * MINUTE) / count, over));

describe('volume anomaly against the hour-of-week baseline', () => {
  const volume = rule({
    kind: 'volume',
    groupBy: ['region', 'topic'],
    windowMinutes: 60,
    baselineWeeks: 4,
    pValue: 0.001,
    minCount: 6,
  }) as RuleOf<'volume'>;

  it('fires when the last hour far exceeds what this hour of the week usually brings', async () => {
    const ctx = contextOver([...steadyHistory(2, 4), ...recent(14, 60)]);
    const signals = await detectVolume(volume, ctx);
    expect(signals).toHaveLength(1);
    const s = signals[0]!;
    expect(s.scope).toMatchObject({ regionCode: A, topic: 'labour' });
    expect(s.measures.observed).toBe(14);
    expect(s.measures.expected).toBeCloseTo(2, 1);
    expect(s.measures.pValue as number).toBeLessThan(1e-5);
    expect(s.title.zh).toContain('14件');
  });

  it('stays quiet on an ordinary hour, and on a few petitions in a scope with no history', async () => {
    expect(await detectVolume(volume, contextOver([...steadyHistory(2, 4), ...recent(4, 60)]))).toEqual([]);
    // Five in a new scope is improbable against the 0.5 floor, but under minCount.
    expect(await detectVolume(volume, contextOver(recent(5, 60, { regionCode: B })))).toEqual([]);
  });

  it('learns the week’s rhythm: a busy hour is busy every week, so its usual volume does not fire', async () => {
    // Every Tuesday 13:00–14:00 brings 12; other hours 1.
    const history = steadyHistory(1, 4).concat(
      [1, 2, 3, 4].flatMap((w) =>
        Array.from({ length: 11 }, (_, i) => petition(NOW.getTime() - w * 7 * DAY - HOUR + (i + 0.5) * 5 * MINUTE)),
      ),
    );
    expect(await detectVolume(volume, contextOver([...history, ...recent(12, 60)]))).toEqual([]);
    expect(await detectVolume(volume, contextOver([...history, ...recent(30, 60)]))).toHaveLength(1);
  });

  it('fires on fewer petitions in a sensitive period that covers the topic', async () => {
    const calendar = createCalendar(
      [
        {
          id: 'wage',
          name: { zh: '欠薪期', en: 'Wage season' },
          from: '2026-11-20',
          to: '2027-02-05',
          factor: 0.5,
          topics: ['labour'],
        },
      ],
      region.timezone,
    );
    // No history: the 0.5 floor is expected, and four is improbable but under minCount 6.
    const four = recent(4, 60);
    expect(await detectVolume(volume, contextOver(four))).toEqual([]);
    const tightened = await detectVolume(volume, contextOver(four, NOW, calendar));
    expect(tightened).toHaveLength(1);
    expect(tightened[0]!.sensitivePeriod).toBe('wage');
    expect(tightened[0]!.features.sensitive_period).toBe(1);
  });
});

describe('growth rate (信访增长率)', () => {
  const growth = rule({
    kind: 'growth',
    groupBy: ['region'],
    period: 'day',
    threshold: 1,
    minCount: 20,
  }) as RuleOf<'growth'>;
  const midnight = new Date('2026-12-01T00:00:00+08:00').getTime();
  const spread = (count: number, from: number, to: number) =>
    Array.from({ length: count }, (_, i) => petition(from + ((i + 0.5) * (to - from)) / count));

  it('fires when today so far is more than double the same span yesterday', async () => {
    const ctx = contextOver([
      ...spread(15, midnight - DAY, NOW.getTime() - DAY),
      ...spread(45, midnight, NOW.getTime()),
    ]);
    const [s, ...rest] = await detectGrowth(growth, ctx);
    expect(rest).toEqual([]);
    expect(s!.measures.current).toBe(45);
    expect(s!.measures.previous).toBeCloseTo(15, 0);
    expect(s!.measures.growth).toBeCloseTo(2, 1);
  });

  it('stays quiet under the threshold or under the minimum count', async () => {
    const modest = [...spread(30, midnight - DAY, NOW.getTime() - DAY), ...spread(45, midnight, NOW.getTime())];
    expect(await detectGrowth(growth, contextOver(modest))).toEqual([]);
    const small = [...spread(2, midnight - DAY, NOW.getTime() - DAY), ...spread(12, midnight, NOW.getTime())];
    expect(await detectGrowth(growth, contextOver(small))).toEqual([]);
  });
});

describe('negative-sentiment index (负面情感指数)', () => {
  const negative = rule({
    kind: 'negative_index',
    groupBy: ['region'],
    windowMinutes: 180,
    threshold: 80,
    minRise: 20,
    baselineDays: 7,
    minCount: 15,
  }) as RuleOf<'negative_index'>;
  const mixed = (count: number, negativeShare: number, minutes: number, offset = 0) =>
    Array.from({ length: count }, (_, i) =>
      petition(NOW.getTime() - offset - ((i + 0.5) * minutes * MINUTE) / count, {
        negative: i < count * negativeShare,
      }),
    );

  it('fires when the index is high and well above the scope’s own usual index', async () => {
    const ctx = contextOver([...mixed(200, 0.5, 6 * 24 * 60, 4 * HOUR), ...mixed(20, 0.9, 180)]);
    const [s, ...rest] = await detectNegativeIndex(negative, ctx);
    expect(rest).toEqual([]);
    expect(s!.measures.index).toBe(90);
    expect(s!.measures.usual).toBe(50);
  });

  it('stays quiet where petitions are always this negative', async () => {
    const ctx = contextOver([...mixed(200, 0.85, 6 * 24 * 60, 4 * HOUR), ...mixed(20, 0.9, 180)]);
    expect(await detectNegativeIndex(negative, ctx)).toEqual([]);
  });
});

describe('hot topic (热点话题)', () => {
  const hot = rule({
    kind: 'hot_topic',
    windowMinutes: 120,
    baselineDays: 7,
    ratio: 5,
    minCount: 6,
  }) as RuleOf<'hot_topic'>;
  const blocking = { riskTerms: [{ term: '堵路', category: 'mass_action' as const }] };

  it('fires on a risk term that bursts, and on a near-duplicate cluster', async () => {
    const texts = Array.from(
      { length: 8 },
      (_, i) => `阳光花园小区东门外的垃圾中转站每天凌晨作业噪音扰民臭气熏天，住户第${i + 1}次反映`,
    );
    const ctx = contextOver([
      ...recent(8, 100, blocking),
      ...texts.map((t, i) => petition(NOW.getTime() - (i + 1) * 10 * MINUTE, { topic: 'environment', ...withText(t) })),
    ]);
    const signals = await detectHotTopic(hot, ctx);
    const terms = signals.map((s) => s.scope.term);
    expect(terms).toContain('堵路');
    expect(terms.some((t) => t?.startsWith('cluster:'))).toBe(true);
    const cluster = signals.find((s) => s.scope.term?.startsWith('cluster:'))!;
    expect(cluster.petitionIds).toHaveLength(8);
    expect(cluster.scope.topic).toBe('environment');
  });

  it('stays quiet on a term that is always this frequent', async () => {
    const usual = Array.from({ length: 7 * 60 }, (_, i) =>
      petition(NOW.getTime() - 3 * HOUR - i * 24 * MINUTE, blocking),
    );
    expect(await detectHotTopic(hot, contextOver([...usual, ...recent(8, 100, blocking)]))).toEqual([]);
  });
});

describe('joint or organised petitions', () => {
  const joint = rule({ kind: 'joint', windowMinutes: 360, minPetitioners: 4 }) as RuleOf<'joint'>;
  const texts = Array.from(
    { length: 5 },
    (_, i) =>
      `我们是金鸡湖畔建设项目的农民工，劳务公司已经拖欠我们三个月工资共计四十多万元，老板躲着不见人${'，'.repeat(i)}`,
  );

  it('fires when near-duplicates come from enough different petitioners', async () => {
    const ctx = contextOver(
      texts.map((t, i) => petition(NOW.getTime() - (i + 1) * 30 * MINUTE, { ...withText(t), personKeys: [`k${i}`] })),
    );
    const [s, ...rest] = await detectJoint(joint, ctx);
    expect(rest).toEqual([]);
    expect(s!.measures).toMatchObject({ petitioners: 5, petitions: 5 });
    expect(s!.kind).toBe('joint');
  });

  it('stays quiet on a matter that comes in this often every week, or from all over the city', async () => {
    const usual = Array.from({ length: 7 * 24 }, (_, i) =>
      petition(NOW.getTime() - 7 * HOUR - i * HOUR, { ...withText(texts[i % 5]!), personKeys: [`old${i}`] }),
    );
    const wave = texts.map((t, i) =>
      petition(NOW.getTime() - (i + 1) * 30 * MINUTE, { ...withText(t), personKeys: [`k${i}`] }),
    );
    expect(await detectJoint(joint, contextOver([...usual, ...wave]))).toEqual([]);
    const scattered = texts.map((t, i) =>
      petition(NOW.getTime() - (i + 1) * 30 * MINUTE, {
        ...withText(t),
        personKeys: [`s${i}`],
        regionCode: region.districts[i]!.code,
      }),
    );
    expect(await detectJoint(joint, contextOver(scattered))).toEqual([]);
  });

  it('stays quiet when one person sends the same text five times', async () => {
    const ctx = contextOver(
      texts.map((t, i) => petition(NOW.getTime() - (i + 1) * 30 * MINUTE, { ...withText(t), personKeys: ['same'] })),
    );
    expect(await detectJoint(joint, ctx)).toEqual([]);
  });
});

describe('repeat petitioners and going over heads', () => {
  const repeat = rule({ kind: 'repeat', windowDays: 30, minCount: 3 }) as RuleOf<'repeat'>;

  it('fires on the third petition by one person within the window', async () => {
    const ctx = contextOver([
      petition(NOW.getTime() - 20 * DAY, { personKeys: ['p1'] }),
      petition(NOW.getTime() - 3 * DAY, { personKeys: ['p1', 'p1-id'] }),
      petition(NOW.getTime() - MINUTE, { personKeys: ['p1', 'p1-id'] }),
    ]);
    const [s, ...rest] = await detectRepeat(repeat, ctx);
    expect(rest).toEqual([]);
    expect(s!.measures.petitions).toBe(3);
    // The scope names a hash of a blind key, never the key or the person.
    expect(s!.scopeKey).toMatch(/^person:[0-9a-f]{12}$/);
  });

  it('stays quiet on a second petition or an old third one; a second that threatens to go over heads fires', async () => {
    const second = contextOver([
      petition(NOW.getTime() - 40 * DAY, { personKeys: ['p2'] }),
      petition(NOW.getTime() - 3 * DAY, { personKeys: ['p2'] }),
      petition(NOW.getTime() - MINUTE, { personKeys: ['p2'] }),
    ]);
    expect(await detectRepeat(repeat, second)).toEqual([]);
    // A second petition that threatens to go over heads is enough.
    const overHeads = contextOver([
      petition(NOW.getTime() - 5 * DAY, { personKeys: ['p3'] }),
      petition(NOW.getTime() - MINUTE, { personKeys: ['p3'], riskTerms: [{ term: '进京', category: 'over_heads' }] }),
    ]);
    expect(await detectRepeat(repeat, overHeads)).toHaveLength(1);
    const alone = contextOver([
      petition(NOW.getTime() - MINUTE, { riskTerms: [{ term: '进京', category: 'over_heads' }] }),
    ]);
    expect(await detectRepeat(repeat, alone)).toEqual([]);
  });
});
