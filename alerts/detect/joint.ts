import type { RuleOf } from '../rules.ts';
import type { Signal } from '../types.ts';
import { type Cluster, distinctPetitioners, mostCommon, nearDuplicateClusters, topicOf } from './clusters.ts';
import { DAY, type DetectContext, MINUTE, inRuleScope, makeSignal, petitionFeatures, tightening } from './context.ts';

/**
 * 联名/有组织信访: near-duplicates of one matter from at least `minPetitioners` different petitioners
 * within the window, mostly from one district, and far more often than the same matter came in over
 * the baseline days. Senders without contact details count one each: a copied post from many
 * accounts is exactly what this rule is for.
 */
export async function detectJoint(rule: RuleOf<'joint'>, ctx: DetectContext): Promise<Signal[]> {
  const windowStart = ctx.now.getTime() - rule.windowMinutes * MINUTE;
  const petitions = (await ctx.petitions(new Date(windowStart))).filter((p) => inRuleScope(rule, p));
  const candidates: {
    cluster: Cluster;
    topic: string | null;
    regionCode: string | null;
    petitioners: number;
    needed: number;
  }[] = [];
  for (const cluster of nearDuplicateClusters(petitions, 2)) {
    const topic = topicOf(cluster.members);
    const petitioners = distinctPetitioners(cluster.members);
    const needed = Math.max(2, Math.ceil(rule.minPetitioners * tightening(ctx, topic).factor));
    if (petitioners < needed) continue;
    const regionCode = mostCommon(cluster.members.map((p) => p.regionCode));
    const samePlace = cluster.members.filter((p) => p.regionCode === regionCode).length / cluster.members.length;
    if (regionCode === null || samePlace < rule.minSamePlace) continue;
    candidates.push({ cluster, topic, regionCode, petitioners, needed });
  }
  if (candidates.length === 0) return [];
  // How often each cluster's matter came in before: a weekly regular is no organised action.
  const baseTo = new Date(windowStart);
  const baseFrom = new Date(windowStart - rule.baselineDays * DAY);
  const usual = await ctx.source.bandCounts(
    candidates.map((c) => c.cluster.key),
    baseFrom,
    baseTo,
  );
  const perWindow = rule.windowMinutes / (rule.baselineDays * 24 * 60);
  const signals: Signal[] = [];
  for (const { cluster, topic, regionCode, petitioners, needed } of candidates) {
    const expected = (usual.get(cluster.key) ?? 0) * perWindow;
    if (cluster.members.length < rule.ratio * expected) continue;
    const { period } = tightening(ctx, topic);
    signals.push(
      makeSignal(
        ctx,
        rule,
        { regionCode, topic, channel: null, term: `cluster:${cluster.key}` },
        {
          kind: 'joint',
          scopeKey: `cluster=${cluster.key}`,
          detail: {
            zh: `${petitioners}名信访人反映同一诉求（${cluster.members.length}件）`,
            en: `${petitioners} petitioners on the same matter (${cluster.members.length} petitions)`,
          },
          measures: {
            petitioners,
            petitions: cluster.members.length,
            usualPerWindow: Math.round(expected * 100) / 100,
            windowMinutes: rule.windowMinutes,
          },
          features: {
            ...petitionFeatures(cluster.members),
            anomaly: Math.min(5, petitioners / needed),
            volume: Math.log10(1 + cluster.members.length),
          },
          petitionIds: cluster.members.map((p) => p.id),
          period,
        },
      ),
    );
  }
  return signals;
}
