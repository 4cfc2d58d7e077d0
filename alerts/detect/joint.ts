import type { RuleOf } from '../rules.ts';
import type { Signal } from '../types.ts';
import { distinctPetitioners, mostCommon, nearDuplicateClusters } from './clusters.ts';
import { type DetectContext, MINUTE, inRuleScope, makeSignal, petitionFeatures, tightening } from './context.ts';

/**
 * 联名/有组织信访: near-duplicates of one matter from at least `minPetitioners` different petitioners
 * within the window. Senders without contact details count one each: a copied post from many
 * accounts is exactly what this rule is for.
 */
export async function detectJoint(rule: RuleOf<'joint'>, ctx: DetectContext): Promise<Signal[]> {
  const windowStart = ctx.now.getTime() - rule.windowMinutes * MINUTE;
  const petitions = (await ctx.petitions(new Date(windowStart))).filter((p) => inRuleScope(rule, p));
  const signals: Signal[] = [];
  for (const cluster of nearDuplicateClusters(petitions, 2)) {
    const topic = mostCommon(cluster.members.map((p) => p.topic));
    const { factor, period } = tightening(ctx, topic);
    const petitioners = distinctPetitioners(cluster.members);
    const needed = Math.max(2, Math.ceil(rule.minPetitioners * factor));
    if (petitioners < needed) continue;
    const regionCode = mostCommon(cluster.members.map((p) => p.regionCode));
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
          measures: { petitioners, petitions: cluster.members.length, windowMinutes: rule.windowMinutes },
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
