/**
 * The command centre's KPIs — 信访增长率, 负面情感指数, 热点话题频次, open alerts, volumes — computed
 * from the rollup (and, for terms, from petitions) at an injected instant, each with its definition.
 * Counting is in the database; this module picks the spans and turns rows into the published snapshot.
 */
import type { Queryable } from '../db/client.ts';
import { openAlertCounts } from '../db/queries/alerts.ts';
import {
  breakdownInSpan,
  type BreakdownRow,
  type MentionRow,
  petitionCountsInSpans,
  type Span,
  topMentions,
} from '../db/queries/kpis.ts';
import { startOfZonedDay } from '../ingest/time.ts';
import type { GrowthKpi, HotTopicKpi, KpiCount, KpiSnapshot, NegativeIndexValue } from '../realtime/contract.ts';
import type { AlertSeverity } from './types.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Days of history the hot-topic burst ratio compares with. */
export const BASELINE_DAYS = 7;
/** Entries per ranked list (regions by index, terms, topics). */
export const TOP_N = 10;
/** Regions with fewer petitions in 24 h are left out of the regional index ranking: too few to mean much. */
export const MIN_REGION_PETITIONS = 5;

export interface KpiDefinition {
  zh: string;
  en: string;
  /** The formula in symbols, for documentation and reviews; N[a, b) counts petitions received in [a, b). */
  formula: string;
}

/** What each KPI means. The snapshot carries the zh and en texts next to the numbers. */
export const KPI_DEFINITIONS = {
  growthDay: {
    zh: '信访增长率（日）：今日自本地零时起收到的信访件数，与昨日同一时段（自昨日零时起同样时长）的件数相比，(今日件数 − 昨日同期件数) ÷ 昨日同期件数。昨日同期为 0 件时不计算比率（为空），只给出两个件数。',
    en: "Petition growth rate (day): petitions received today since local midnight against the same span yesterday (the same length of time from yesterday's local midnight): (today − yesterday) ÷ yesterday. No rate (null) when yesterday's span had none; both counts are given.",
    formula:
      'd0 = local midnight today, d1 = local midnight yesterday; (N[d0, now) − N[d1, d1 + (now − d0))) / N[d1, d1 + (now − d0)); null when the divisor is 0',
  },
  growthWeek: {
    zh: '信访增长率（周）：最近 7×24 小时收到的信访件数，与此前 7×24 小时的件数相比，(本期件数 − 上期件数) ÷ 上期件数。上期为 0 件时不计算比率（为空），只给出两个件数。',
    en: 'Petition growth rate (week): petitions received in the last 7 × 24 h against the 7 × 24 h before: (this period − previous period) ÷ previous period. No rate (null) when the previous period had none; both counts are given.',
    formula: '(N[now − 7d, now) − N[now − 14d, now − 7d)) / N[now − 14d, now − 7d); null when the divisor is 0',
  },
  negativeIndex: {
    zh: '负面情感指数：最近 24 小时收到的信访中情感判为负面的件数占全部件数的百分比，100 × 负面件数 ÷ 总件数（0–100）。分地区时只排列最近 24 小时不少于 5 件的地区，取指数最高的 10 个。',
    en: 'Negative-sentiment index: the share of petitions received in the last 24 h whose sentiment is negative, 100 × negative ÷ all (0–100). By region: the 10 highest among regions with at least 5 petitions in the last 24 h.',
    formula: '100 × N_negative[now − 24h, now) / N[now − 24h, now); null when N is 0',
  },
  meanSentiment: {
    zh: '平均情感分：最近 24 小时收到的信访情感分的算术平均，−1 为最负面，+1 为最正面。',
    en: 'Mean sentiment score: the arithmetic mean of the sentiment scores of petitions received in the last 24 h, from −1 (most negative) to +1 (most positive).',
    formula: 'Σ sentiment_score / N over [now − 24h, now); null when N is 0',
  },
  hotTopics: {
    zh: '热点话题频次：最近 24 小时出现在最多件信访中的风险词（同一件信访中重复出现只计一次）和信访主题，各取前 10；每项给出件数、每小时件数（件数 ÷ 24）和突增倍数。',
    en: 'Hot-topic frequency: the risk terms (a term repeated within one petition counts once) and the topics carried by most petitions received in the last 24 h, the top 10 of each, each with its count, its rate per hour (count ÷ 24) and its burst ratio.',
    formula: 'count = N_x[now − 24h, now); perHour = count / 24',
  },
  burstRatio: {
    zh: '突增倍数：某风险词或主题最近 24 小时的件数，除以它在此前 7 天（最近 24 小时之前的 7×24 小时）的日均件数；此前 7 天未出现时为空。',
    en: "Burst ratio: a term's or topic's count in the last 24 h divided by its mean daily count over the 7 days before (the 7 × 24 h before the last 24 h); null when it was not seen in those 7 days.",
    formula: 'N_x[now − 24h, now) / (N_x[now − 8d, now − 24h) / 7); null when N_x[now − 8d, now − 24h) is 0',
  },
  openAlerts: {
    zh: '未结预警：尚未办结且未被静默的预警件数，按级别（一般、重点、重大、极端）分列。',
    en: 'Open alerts: alerts not yet resolved and not silenced, by severity (general, key, major, extreme).',
    formula: "count of alerts with state ≠ 'resolved' and no silence, grouped by severity",
  },
  volumes: {
    zh: '信访量：最近 24 小时收到的信访件数，按渠道、地区（地区不明的单列）和主题分列，每一种分列之和都等于总数。',
    en: 'Volumes: petitions received in the last 24 h by channel, by region (unknown region listed apart) and by topic; each breakdown sums to the total.',
    formula: 'N[now − 24h, now) grouped by channel, by region_code, by topic',
  },
} as const satisfies Record<string, KpiDefinition>;

export type KpiName = keyof typeof KPI_DEFINITIONS;

/** The texts every snapshot carries, frozen because every snapshot shares them. */
const KPI_TEXTS: Readonly<Record<KpiName, { zh: string; en: string }>> = Object.freeze(
  Object.fromEntries(
    Object.entries(KPI_DEFINITIONS).map(([name, d]) => [name, Object.freeze({ zh: d.zh, en: d.en })]),
  ) as Record<KpiName, { zh: string; en: string }>,
);

/** The spans the KPIs are counted over, at `now` in `timeZone`. All half-open, [from, to). */
export interface KpiWindows {
  day: { current: Span; previous: Span };
  week: { current: Span; previous: Span };
  last24h: Span;
  /** The 7 days before the last 24 h: the hot-topic baseline. */
  baseline: Span;
}

/**
 * Today runs from local midnight to `now`; yesterday's span is as long, from yesterday's local midnight,
 * and never runs into today (on a 25-hour day after a 24-hour one it stops at today's midnight).
 */
export function kpiWindows(now: Date, timeZone: string): KpiWindows {
  const t = now.getTime();
  const today = startOfZonedDay(now, timeZone).getTime();
  // From yesterday's midday, well clear of any DST change, rather than from the instant before midnight.
  const yesterday = startOfZonedDay(new Date(today - 12 * HOUR_MS), timeZone).getTime();
  const at = (ms: number) => new Date(ms);
  return {
    day: {
      current: { from: at(today), to: now },
      previous: { from: at(yesterday), to: at(Math.min(yesterday + (t - today), today)) },
    },
    week: {
      current: { from: at(t - 7 * DAY_MS), to: now },
      previous: { from: at(t - 14 * DAY_MS), to: at(t - 7 * DAY_MS) },
    },
    last24h: { from: at(t - DAY_MS), to: now },
    baseline: { from: at(t - (1 + BASELINE_DAYS) * DAY_MS), to: at(t - DAY_MS) },
  };
}

/** (current − previous) ÷ previous; null when there is no base to compare with. */
export function growthRate(current: number, previous: number): number | null {
  return previous === 0 ? null : (current - previous) / previous;
}

/** count ÷ (before ÷ days), computed as count × days ÷ before; null when unseen before. */
export function burstRatio(count: number, before: number, days = BASELINE_DAYS): number | null {
  return before === 0 ? null : (count * days) / before;
}

function negativeIndex(row: Pick<BreakdownRow, 'total' | 'negative' | 'sentimentSum'>): NegativeIndexValue {
  const { total, negative } = row;
  return {
    index: total === 0 ? null : (100 * negative) / total,
    meanSentiment: total === 0 ? null : row.sentimentSum / total,
    negative,
    total,
  };
}

const iso = (d: Date) => d.toISOString();
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function growth(current: Span, previous: Span, currentCount: number, previousCount: number): GrowthKpi {
  return {
    rate: growthRate(currentCount, previousCount),
    current: currentCount,
    previous: previousCount,
    currentFrom: iso(current.from),
    currentTo: iso(current.to),
    previousFrom: iso(previous.from),
    previousTo: iso(previous.to),
  };
}

/** Unknown region (null) sorts after every code. */
function byCountThenCode(a: KpiCount, b: KpiCount): number {
  if (a.count !== b.count) return b.count - a.count;
  if (a.code === b.code) return 0;
  if (a.code === null) return 1;
  if (b.code === null) return -1;
  return cmp(a.code, b.code);
}

export interface KpiRows {
  /** Petitions in day.current, day.previous, week.current, week.previous. */
  counts: readonly [number, number, number, number];
  breakdown: readonly BreakdownRow[];
  mentions: readonly MentionRow[];
  openAlerts: Record<AlertSeverity, number>;
}

/** Assembles the snapshot from what the database counted; pure, so the rules are tested without one. */
export function buildKpiSnapshot(now: Date, timeZone: string, windows: KpiWindows, rows: KpiRows): KpiSnapshot {
  const [today, yesterday, thisWeek, lastWeek] = rows.counts;
  const all = rows.breakdown.find((r) => r.dimension === 'all') ?? { total: 0, negative: 0, sentimentSum: 0 };
  const counts = (dimension: BreakdownRow['dimension']): KpiCount[] =>
    rows.breakdown
      .filter((r) => r.dimension === dimension)
      .map((r) => ({ code: r.code, count: r.total }))
      .sort(byCountThenCode);

  const byRegion = rows.breakdown
    .filter((r) => r.dimension === 'region' && r.code !== null && r.total >= MIN_REGION_PETITIONS)
    .map((r) => ({ regionCode: r.code!, ...negativeIndex(r) }))
    .sort((a, b) => b.index! - a.index! || b.total - a.total || cmp(a.regionCode, b.regionCode))
    .slice(0, TOP_N);

  const hotTopics = rows.mentions.map((m): HotTopicKpi => ({
    kind: m.kind,
    key: m.key,
    category: m.category,
    count: m.count,
    perHour: m.count / 24,
    previousDailyMean: m.before / BASELINE_DAYS,
    burstRatio: burstRatio(m.count, m.before),
  }));

  const a = rows.openAlerts;
  return {
    at: iso(now),
    timezone: timeZone,
    growth: {
      day: growth(windows.day.current, windows.day.previous, today, yesterday),
      week: growth(windows.week.current, windows.week.previous, thisWeek, lastWeek),
    },
    negativeIndex: {
      ...negativeIndex(all),
      from: iso(windows.last24h.from),
      to: iso(windows.last24h.to),
      byRegion,
    },
    hotTopics,
    openAlerts: { ...a, total: a.general + a.key + a.major + a.extreme },
    volumes: {
      from: iso(windows.last24h.from),
      to: iso(windows.last24h.to),
      total: all.total,
      byChannel: counts('channel'),
      byRegion: counts('region'),
      byTopic: counts('topic'),
    },
    definitions: KPI_TEXTS,
  };
}

/**
 * The KPIs at `now`, with days counted in `timezone`: four statements (span counts and the 24-hour
 * breakdown from the rollup, terms and topics from petitions, open alerts), run side by side.
 */
export async function computeKpis(db: Queryable, now: Date, timezone: string): Promise<KpiSnapshot> {
  const w = kpiWindows(now, timezone);
  try {
    const [counts, breakdown, mentions, openAlerts] = await Promise.all([
      petitionCountsInSpans(db, [w.day.current, w.day.previous, w.week.current, w.week.previous]),
      breakdownInSpan(db, w.last24h),
      topMentions(db, { from: w.baseline.from, splitAt: w.last24h.from, to: w.last24h.to, limit: TOP_N }),
      openAlertCounts(db),
    ]);
    const [today = 0, yesterday = 0, thisWeek = 0, lastWeek = 0] = counts;
    return buildKpiSnapshot(now, timezone, w, {
      counts: [today, yesterday, thisWeek, lastWeek],
      breakdown,
      mentions,
      openAlerts,
    });
  } catch (error) {
    throw new Error(`Computing the KPIs at ${now.toISOString()} failed`, { cause: error });
  }
}
