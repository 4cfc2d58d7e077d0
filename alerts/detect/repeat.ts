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
 * 重复信访 and 越级苗头: a person with `minCount` petitions within the window (this one included), one
 * fewer when the new petition threatens to go over heads (越级, 进京); looked at when a petition is new.
 */
export async function detectRepeat(rule: RuleOf<'repeat'>, ctx: DetectContext): Promise<Signal[]> {
  const fresh = (await ctx.petitions(ctx.since)).filter((p) => inRuleScope(rule, p));
  const from = new Date(ctx.now.getTime() - rule.windowDays * DAY);
  const signals: Signal[] = [];
  const seen = new Set<string>();
  for (const p of fresh) {
    const { factor, period } = tightening(ctx, p.topic);
    // Without contact details there is no person to count.
    if (p.personKeys.length === 0) continue;
    const who = `person:${personLabel(p.personKeys)}`;
    if (seen.has(who)) continue;
    seen.add(who);
    const overHeads = rule.overHeads && p.riskTerms.some((t) => t.category === 'over_heads');
    const ids = await ctx.source.samePersonPetitions(p.personKeys, from, ctx.now);
    if (!ids.includes(p.id)) ids.push(p.id);
    const needed = Math.max(2, Math.ceil(rule.minCount * factor) - (overHeads ? 1 : 0));
    if (ids.length < needed) continue;
    const detail = overHeads
      ? {
          zh: `同一信访人${rule.windowDays}天内第${ids.length}次信访，扬言越级上访`,
          en: `petition no. ${ids.length} by one person in ${rule.windowDays} days, threatening to go over heads`,
        }
      : {
          zh: `同一信访人${rule.windowDays}天内第${ids.length}次信访`,
          en: `petition no. ${ids.length} by one person in ${rule.windowDays} days`,
        };
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
