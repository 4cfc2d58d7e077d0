import { startOfZonedDay } from '../../ingest/time.ts';
import type { RuleOf } from '../rules.ts';
import type { CountCell } from '../source.ts';
import type { AlertScope, Signal } from '../types.ts';
import { DAY, type DetectContext, HOUR, makeSignal, round3, scopeOfCell, tightening } from './context.ts';

/**
 * Counts per scope in [from, to), hour cells taken pro rata where the span cuts through an hour. The
 * current hour's cell holds only what came until now, so it counts whole.
 */
function countIn(rule: RuleOf<'growth'>, cells: readonly CountCell[], from: number, to: number, now: number) {
  const current = Math.floor(now / HOUR) * HOUR;
  const out = new Map<string, { scope: AlertScope; total: number }>();
  for (const c of cells) {
    const start = c.bucket.getTime();
    const share = start === current && to === now ? 1 : (Math.min(start + HOUR, to) - Math.max(start, from)) / HOUR;
    if (share <= 0) continue;
    const s = scopeOfCell(rule, c);
    if (!s) continue;
    let agg = out.get(s.key);
    if (!agg) out.set(s.key, (agg = { scope: s.scope, total: 0 }));
    agg.total += c.total * Math.min(1, share);
  }
  return out;
}

/**
 * 信访增长率: day over day (today since local midnight against the same span yesterday) or week over
 * week (the last 7 × 24 h against the 7 × 24 h before).
 */
export async function detectGrowth(rule: RuleOf<'growth'>, ctx: DetectContext): Promise<Signal[]> {
  const now = ctx.now.getTime();
  const span = rule.period === 'day' ? now - startOfZonedDay(ctx.now, ctx.region.timezone).getTime() : 7 * DAY;
  const back = rule.period === 'day' ? DAY : 7 * DAY;
  // A day's growth measured over its first minutes says nothing yet.
  if (span < HOUR) return [];
  const cells = await ctx.hours(new Date(now - span - back - HOUR));
  const current = countIn(rule, cells, now - span, now, now);
  const previous = countIn(rule, cells, now - back - span, now - back, now);
  const signals: Signal[] = [];
  for (const [key, { scope, total }] of current) {
    const { factor, period } = tightening(ctx, scope.topic);
    const count = Math.round(total);
    if (count < Math.ceil(rule.minCount * factor)) continue;
    const base = previous.get(key)?.total ?? 0;
    const growth = base > 0 ? (total - base) / base : null;
    if (growth !== null && growth < rule.threshold * factor) continue;
    const pct = growth === null ? '∞' : `${Math.round(growth * 100)}%`;
    const label = rule.period === 'day' ? { zh: '日环比', en: 'day over day' } : { zh: '周环比', en: 'week over week' };
    signals.push(
      makeSignal(ctx, rule, scope, {
        detail: {
          zh: `${label.zh}增长${pct}（${count}件，上期${Math.round(base)}件）`,
          en: `${pct} ${label.en} (${count} petitions, ${Math.round(base)} before)`,
        },
        measures: {
          current: count,
          previous: round3(base),
          growth: growth === null ? null : round3(growth),
          period: rule.period,
        },
        features: {
          anomaly: growth === null ? 3 : Math.min(5, Math.log2(1 + growth)),
          volume: Math.log10(1 + count),
        },
        petitionIds: [],
        period,
      }),
    );
  }
  return signals;
}
