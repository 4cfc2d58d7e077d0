import { zonedParts } from '../../ingest/time.ts';
import type { RuleOf } from '../rules.ts';
import { HourOfWeekBaseline, hourOfWeek, poissonUpperTail } from '../stats.ts';
import type { Signal } from '../types.ts';
import type { CountCell } from '../source.ts';
import {
  type DetectContext,
  HOUR,
  MINUTE,
  makeSignal,
  round3,
  scopeOfCell,
  sumByScope,
  tightening,
} from './context.ts';

/**
 * Volume anomaly (信访量异常) per scope: the count in the last window against the hour-of-week baseline
 * learned from the weeks before, judged by the Poisson upper tail P(X ≥ observed | expected).
 */
export async function detectVolume(rule: RuleOf<'volume'>, ctx: DetectContext): Promise<Signal[]> {
  const tz = ctx.region.timezone;
  const parts = (t: Date) => zonedParts(t, tz);
  const windowStart = ctx.now.getTime() - rule.windowMinutes * MINUTE;
  // Learned from the complete hours before the window (so the window never raises its own baseline);
  // recomputed once an hour.
  const baseEnd = Math.floor(windowStart / HOUR) * HOUR;
  const baselines = await ctx.memo(`volume:${rule.id}:${ctx.ruleVersion}:${baseEnd}`, async () => {
    const from = new Date(baseEnd - rule.baselineWeeks * 7 * 24 * HOUR);
    const cells = (await ctx.hours(from)).filter((c) => c.bucket.getTime() < baseEnd);
    const byScope = new Map<string, HourOfWeekBaseline>();
    const howOf = new Map<number, number>();
    for (const [key, agg] of hourlyByScope(rule, cells)) {
      const baseline = new HourOfWeekBaseline(rule.baselineWeeks);
      for (const [bucket, count] of agg) {
        let how = howOf.get(bucket);
        if (how === undefined) howOf.set(bucket, (how = hourOfWeek(new Date(bucket), parts)));
        baseline.add(how, count);
      }
      byScope.set(key, baseline);
    }
    return byScope;
  });

  const observed = sumByScope(rule, await ctx.minutes(new Date(windowStart)));
  // Expected count over the window: each overlapped hour's expectation, pro rata.
  const overlaps: { how: number; share: number }[] = [];
  for (let h = Math.floor(windowStart / HOUR) * HOUR; h < ctx.now.getTime(); h += HOUR) {
    const share = (Math.min(h + HOUR, ctx.now.getTime()) - Math.max(h, windowStart)) / HOUR;
    if (share > 0) overlaps.push({ how: hourOfWeek(new Date(h), parts), share });
  }

  const signals: Signal[] = [];
  for (const [key, { scope, total }] of observed) {
    const { factor, period } = tightening(ctx, scope.topic);
    const minCount = Math.ceil(rule.minCount * factor);
    if (total < minCount) continue;
    const baseline = baselines.get(key);
    const expectedRaw = baseline ? overlaps.reduce((s, o) => s + baseline.expected(o.how) * o.share, 0) : 0;
    const expected = Math.max(expectedRaw, rule.minExpected);
    const p = poissonUpperTail(total, expected);
    if (p >= Math.min(0.5, rule.pValue / factor)) continue;
    signals.push(
      makeSignal(ctx, rule, scope, {
        detail: {
          zh: `近${rule.windowMinutes}分钟${total}件，常态约${expected.toFixed(1)}件`,
          en: `${total} petitions in ${rule.windowMinutes} min, about ${expected.toFixed(1)} expected`,
        },
        measures: { observed: total, expected: round3(expected), pValue: p, windowMinutes: rule.windowMinutes },
        features: {
          anomaly: Math.min(5, -Math.log10(Math.max(p, 1e-300)) / 3),
          volume: Math.log10(1 + total),
        },
        petitionIds: [],
        period,
      }),
    );
  }
  return signals;
}

/** Hourly counts per scope: scope key → (hour start ms → count). */
function hourlyByScope(rule: RuleOf<'volume'>, cells: readonly CountCell[]): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const c of cells) {
    const s = scopeOfCell(rule, c);
    if (!s) continue;
    let byHour = out.get(s.key);
    if (!byHour) out.set(s.key, (byHour = new Map()));
    const t = c.bucket.getTime();
    byHour.set(t, (byHour.get(t) ?? 0) + c.total);
  }
  return out;
}
