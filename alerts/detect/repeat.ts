import { createHash } from 'node:crypto';
import type { RuleOf } from '../rules.ts';
import type { Signal } from '../types.ts';
import { DAY, type DetectContext, inRuleScope, makeSignal, petitionFeatures, tightening } from './context.ts';

/** A label for a person that reveals nothing: a hash of their blind key (itself an HMAC). */
function personLabel(keys: readonly string[]): string {
  return createHash('sha256')
    .update([...keys].sort()[0]!)
    .digest('hex')
    .slice(0, 12);
}

/**
 * 重复信访 and 越级苗头: a person with `minCount` petitions within the window (this one included), or any
 * new petition that threatens to go over heads (越级, 进京), looked at once, when it is new.
 */
export async function detectRepeat(rule: RuleOf<'repeat'>, ctx: DetectContext): Promise<Signal[]> {
  const fresh = (await ctx.petitions(ctx.since)).filter((p) => inRuleScope(rule, p));
  const from = new Date(ctx.now.getTime() - rule.windowDays * DAY);
  const signals: Signal[] = [];
  const seen = new Set<string>();
  for (const p of fresh) {
    const { factor, period } = tightening(ctx, p.topic);
    const overHeads = rule.overHeads && p.riskTerms.some((t) => t.category === 'over_heads');
    let ids: string[] = [p.id];
    if (p.personKeys.length > 0) {
      const label = personLabel(p.personKeys);
      if (seen.has(label)) continue;
      seen.add(label);
      ids = await ctx.source.samePersonPetitions(p.personKeys, from, ctx.now);
      if (!ids.includes(p.id)) ids.push(p.id);
    }
    const needed = Math.max(2, Math.ceil(rule.minCount * factor));
    if (ids.length < needed && !overHeads) continue;
    const who = p.personKeys.length > 0 ? `person:${personLabel(p.personKeys)}` : `petition:${p.id}`;
    const detail =
      ids.length >= needed
        ? {
            zh: `同一信访人${rule.windowDays}天内第${ids.length}次信访`,
            en: `petition no. ${ids.length} by one person in ${rule.windowDays} days`,
          }
        : { zh: '信访人扬言越级上访', en: 'petitioner threatens to go over heads' };
    signals.push(
      makeSignal(
        ctx,
        rule,
        { regionCode: p.regionCode, topic: p.topic, channel: null, term: who },
        {
          kind: 'repeat',
          scopeKey: who,
          detail,
          measures: { petitions: ids.length, windowDays: rule.windowDays, overHeads: overHeads ? 'yes' : 'no' },
          features: {
            ...petitionFeatures([p]),
            anomaly: Math.min(5, ids.length / needed + (overHeads ? 1 : 0)),
            volume: Math.log10(1 + ids.length),
          },
          petitionIds: ids.slice(-50),
          period,
        },
      ),
    );
  }
  return signals;
}
