import type { RuleOf } from '../rules.ts';
import type { WindowPetition } from '../source.ts';
import type { Signal } from '../types.ts';
import { mostCommon, nearDuplicateClusters, topicOf } from './clusters.ts';
import {
  DAY,
  type DetectContext,
  HOUR,
  MINUTE,
  inRuleScope,
  makeSignal,
  petitionFeatures,
  round3,
  tightening,
} from './context.ts';

/**
 * 热点话题: a risk term, or a near-duplicate cluster, whose count in the window is at least `minCount`
 * and `ratio` times what the baseline days would have brought in a window as long.
 */
export async function detectHotTopic(rule: RuleOf<'hot_topic'>, ctx: DetectContext): Promise<Signal[]> {
  const now = ctx.now.getTime();
  const windowStart = now - rule.windowMinutes * MINUTE;
  const baseFrom = new Date(windowStart - rule.baselineDays * DAY);
  const baseTo = new Date(windowStart);
  const perWindow = rule.windowMinutes / (rule.baselineDays * 24 * 60);
  const petitions = (await ctx.petitions(new Date(windowStart))).filter((p) => inRuleScope(rule, p));
  const { factor, period } = tightening(ctx, null);
  const minCount = Math.max(2, Math.ceil(rule.minCount * factor));
  const ratio = Math.max(1.01, rule.ratio * factor);
  const signals: Signal[] = [];

  const burst = (
    term: string,
    members: WindowPetition[],
    baseCount: number,
    label: { zh: string; en: string },
    scopeKey: string,
  ) => {
    const expected = Math.max(baseCount * perWindow, 1);
    if (members.length < minCount || members.length < ratio * expected) return;
    const regionCode = mostCommon(members.map((p) => p.regionCode));
    const topic = topicOf(members);
    signals.push(
      makeSignal(
        ctx,
        rule,
        { regionCode, topic, channel: null, term },
        {
          kind: 'hot_topic',
          scopeKey,
          detail: {
            zh: `${label.zh}${rule.windowMinutes}分钟内${members.length}件（常态约${expected.toFixed(1)}件）`,
            en: `${label.en}: ${members.length} in ${rule.windowMinutes} min (about ${expected.toFixed(1)} usual)`,
          },
          measures: {
            count: members.length,
            expected: round3(expected),
            ratio: round3(members.length / expected),
            term,
          },
          features: {
            ...petitionFeatures(members),
            anomaly: Math.min(5, Math.log2(members.length / expected)),
            volume: Math.log10(1 + members.length),
          },
          petitionIds: members.map((p) => p.id),
          period,
        },
      ),
    );
  };

  if (rule.sources.includes('terms')) {
    const byTerm = new Map<string, WindowPetition[]>();
    for (const p of petitions) {
      for (const term of new Set(p.riskTerms.map((t) => t.term))) {
        let list = byTerm.get(term);
        if (!list) byTerm.set(term, (list = []));
        list.push(p);
      }
    }
    const candidates = [...byTerm].filter(([, list]) => list.length >= minCount);
    if (candidates.length > 0) {
      const hourStart = Math.floor(now / HOUR) * HOUR;
      const base = await ctx.memo(`terms:${rule.id}:${ctx.ruleVersion}:${hourStart}`, () =>
        ctx.source.termCounts(baseFrom, baseTo),
      );
      for (const [term, list] of candidates) {
        burst(term, list, base.get(term) ?? 0, { zh: `“${term}”`, en: `"${term}"` }, `term=${term}`);
      }
    }
  }

  if (rule.sources.includes('clusters')) {
    const clusters = nearDuplicateClusters(petitions, minCount);
    if (clusters.length > 0) {
      const base = await ctx.source.bandCounts(
        clusters.map((c) => c.key),
        baseFrom,
        baseTo,
      );
      for (const c of clusters) {
        burst(
          `cluster:${c.key}`,
          c.members,
          base.get(c.key) ?? 0,
          { zh: '同一诉求', en: 'the same matter' },
          `cluster=${c.key}`,
        );
      }
    }
  }
  return signals;
}
