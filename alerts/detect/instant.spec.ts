import { describe, expect, it } from 'vitest';
import { createDefaultAnalyser } from '../../ingest/analyse/analyse.ts';
import { plannedAction } from '../../ingest/planned-action.ts';
import { loadRegionPack } from '../../ingest/regions.ts';
import type { CommittedPetition } from '../../server/bus.ts';
import { EMPTY_CALENDAR } from '../calendar.ts';
import { loadRuleSet, type RuleOf } from '../rules.ts';
import { detectInstant } from './instant.ts';

const region = loadRegionPack('suzhou');
const analyse = createDefaultAnalyser(region);
const rules = loadRuleSet().rules.filter((r): r is RuleOf<'instant'> => r.kind === 'instant');
const ctx = { now: new Date('2026-12-01T10:00:00+08:00'), ruleVersion: 1, region, calendar: EMPTY_CALENDAR };

/** A committed petition as the writer publishes it, analysed by the real analyser. */
function committed(text: string): CommittedPetition {
  const a = analyse(text);
  return {
    id: `p-${text.length}`,
    receivedAt: ctx.now,
    channel: 'hotline',
    regionCode: region.districts[0]!.code,
    topic: a.topic,
    grade: a.grade,
    sentiment: a.sentiment,
    extreme: a.extreme,
    people: a.people,
    amountYuan: a.amountYuan,
    riskTerms: a.riskTerms.map((t) => ({ term: t.term, category: t.category })),
    plannedAction: plannedAction(text, a),
    summary: text.slice(0, 20),
  };
}

const fired = (text: string) => rules.flatMap((r) => detectInstant(r, [committed(text)], ctx)).map((s) => s.kind);

describe('instant rules on real analyser output', () => {
  it('fire on a 重大 petition, on extreme behaviour and on a planned mass action with a time or place', () => {
    expect(fired('开发商拖欠一百二十名农民工工资共计三百多万元，大家已经忍无可忍。')).toContain('instant.major');
    expect(fired('再讨不回工钱，我就从工地楼上跳下去，反正也活不下去了。')).toEqual(['instant.extreme']);
    const planned = rules
      .flatMap((r) => detectInstant(r, [committed('工友们商量好了，明天上午去区政府门口拉横幅讨薪。')], ctx))
      .find((s) => s.kind === 'instant.planned_mass_action');
    expect(planned?.measures).toMatchObject({ when: '明天上午', where: '区政府门口' });
    expect(planned?.title.zh).toContain('区政府门口');
  });

  it('stay quiet on ordinary petitions, negated threats and a mass action with neither time nor place', () => {
    expect(fired('小区门口的路灯坏了三个月，希望尽快修一下。')).toEqual([]);
    expect(fired('我们不会采取过激行为，也不会去堵路，只希望问题能依法解决。')).toEqual([]);
    expect(fired('有人说要去堵路，大家情绪很激动。')).toEqual([]);
  });
});
