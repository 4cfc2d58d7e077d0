import type { RuleOf } from '../rules.ts';
import { binomialUpperTail } from '../stats.ts';
import type { Signal } from '../types.ts';
import { DAY, type DetectContext, HOUR, MINUTE, makeSignal, round3, sumByScope, tightening } from './context.ts';

/**
 * 负面情感指数 per scope: 100 × negative petitions / all petitions over the window. It raises when the
 * index reaches the threshold on enough petitions and stands `minRise` points above the scope's own
 * index over the baseline days (some scopes are always negative: complaints are what petitions are),
 * by more than chance: the binomial tail of that many negatives at the scope's usual share.
 */
export async function detectNegativeIndex(rule: RuleOf<'negative_index'>, ctx: DetectContext): Promise<Signal[]> {
  const now = ctx.now.getTime();
  const windowStart = now - rule.windowMinutes * MINUTE;
  const hourStart = Math.floor(now / HOUR) * HOUR;
  const baseline = await ctx.memo(`negative:${rule.id}:${ctx.ruleVersion}:${hourStart}`, async () => {
    const cells = (await ctx.hours(new Date(hourStart - rule.baselineDays * DAY))).filter(
      (c) => c.bucket.getTime() < Math.floor(windowStart / HOUR) * HOUR,
    );
    return sumByScope(rule, cells);
  });
  const current = sumByScope(rule, await ctx.minutes(new Date(windowStart)));
  const signals: Signal[] = [];
  for (const [key, { scope, total, negative }] of current) {
    const { factor, period } = tightening(ctx, scope.topic);
    if (total < Math.ceil(rule.minCount * factor)) continue;
    const index = (100 * negative) / total;
    if (index < rule.threshold) continue;
    const before = baseline.get(key);
    const usual = before && before.total > 0 ? (100 * before.negative) / before.total : 0;
    if (index - usual < rule.minRise * factor) continue;
    // A small scope swings: 14 negatives of 15 is likely enough where 70 % are negative anyway.
    const p = binomialUpperTail(negative, total, Math.min(0.99, Math.max(usual / 100, 0.01)));
    if (p >= Math.min(0.5, rule.pValue / factor)) continue;
    signals.push(
      makeSignal(ctx, rule, scope, {
        detail: {
          zh: `负面情感指数${index.toFixed(0)}（常态${usual.toFixed(0)}，${total}件）`,
          en: `negative index ${index.toFixed(0)} (usually ${usual.toFixed(0)}, ${total} petitions)`,
        },
        measures: {
          index: round3(index),
          usual: round3(usual),
          petitions: total,
          negative,
          windowMinutes: rule.windowMinutes,
        },
        features: {
          anomaly: Math.min(5, -Math.log10(Math.max(p, 1e-300)) / 3),
          volume: Math.log10(1 + total),
          negative_share: negative / total,
        },
        petitionIds: [],
        period,
      }),
    );
  }
  return signals;
}
