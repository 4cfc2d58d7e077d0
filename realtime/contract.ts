/**
 * The browser-facing event contract: names are `noun:verb`, payloads are plain JSON. This file holds
 * types only, so browser code may `import type` it (the lint rule allows exactly that).
 */

export interface PetitionSummary {
  id: string;
  receivedAt: string;
  channel: string;
  regionCode: string | null;
  topic: string;
  grade: 'general' | 'key' | 'major';
  sentiment: { label: 'negative' | 'neutral' | 'positive'; score: number };
  /** Masked, shortened text: no contact details, no phone or ID numbers. */
  summary: string;
}

/** Counts for one minute (UTC minute start, ISO). Absolute values, so applying twice is harmless. */
export interface MinuteCount {
  t: string;
  total: number;
  key: number;
  major: number;
  negative: number;
}

export interface StatsSnapshot {
  /** The stream position this snapshot reflects; the next tick has seq + 1. */
  seq: number;
  at: string;
  /** The last 60 minutes, oldest first, the current minute last. */
  minutes: MinuteCount[];
  /** Petitions received since local midnight in the deployment's time zone. */
  today: number;
  latest: PetitionSummary[];
}

export interface StatsTick {
  seq: number;
  at: string;
  /** Minutes whose counts changed since the previous tick, plus the current minute. */
  minutes: MinuteCount[];
  today: number;
}

/** An early-warning alert as live views show it: aggregated, no petitioner data, no petition text. */
export interface AlertView {
  id: string;
  ruleId: string;
  /** e.g. instant.extreme, volume, growth, negative_index, hot_topic, joint, repeat. */
  kind: string;
  severity: 'general' | 'key' | 'major' | 'extreme';
  state: 'raised' | 'acknowledged' | 'acting' | 'resolved';
  title: { zh: string; en: string };
  regionCode: string | null;
  topic: string | null;
  /** Risk score 0–100 and the factors behind it, largest contribution first. */
  score: number;
  factors: { name: string; label: { zh: string; en: string }; value: number; weight: number; contribution: number }[];
  measures: Record<string, number | string | null>;
  signalCount: number;
  sensitivePeriod: string | null;
  raisedAt: string;
  updatedAt: string;
}

export interface ServerToClientEvents {
  'petition:new': (petition: PetitionSummary) => void;
  'alert:raised': (alert: AlertView) => void;
  'alert:updated': (alert: AlertView) => void;
  'stats:snapshot': (snapshot: StatsSnapshot) => void;
  'stats:tick': (tick: StatsTick) => void;
  'kpi:tick': (kpis: KpiSnapshot) => void;
}

export interface ClientToServerEvents {
  /** Asks for a fresh snapshot (after a gap in tick sequence numbers). */
  'stats:resync': (ack: (snapshot: StatsSnapshot) => void) => void;
}

/** One growth rate and the counts it compares; spans are half-open [from, to), ISO instants. */
export interface GrowthKpi {
  /** (current − previous) ÷ previous, e.g. 0.5 = +50 %; null when previous is 0 (no base to compare). */
  rate: number | null;
  current: number;
  previous: number;
  currentFrom: string;
  currentTo: string;
  previousFrom: string;
  previousTo: string;
}

/** 负面情感指数 of a set of petitions. */
export interface NegativeIndexValue {
  /** 100 × negative ÷ total (0–100); null when there were no petitions. */
  index: number | null;
  /** Mean sentiment score (−1 … +1); null when there were no petitions. */
  meanSentiment: number | null;
  negative: number;
  total: number;
}

/** A risk term or topic among the most frequent of the last 24 h. */
export interface HotTopicKpi {
  kind: 'term' | 'topic';
  /** The risk term itself, or the topic code. */
  key: string;
  /** The risk term's category (e.g. extreme, mass_action); null for topics. */
  category: string | null;
  /** Petitions carrying it in the last 24 h. */
  count: number;
  /** count ÷ 24. */
  perHour: number;
  /** Mean petitions per day carrying it over the 7 days before the last 24 h. */
  previousDailyMean: number;
  /** count ÷ previousDailyMean; null when it was not seen in those 7 days. */
  burstRatio: number | null;
}

/** A count for one channel, region or topic; code null is petitions whose region is unknown. */
export interface KpiCount {
  code: string | null;
  count: number;
}

/** The command centre's KPIs at one instant, each defined in `definitions` (keyed by KPI name). */
export interface KpiSnapshot {
  at: string;
  /** The deployment's time zone, which "today" and "yesterday" are counted in. */
  timezone: string;
  /** 信访增长率: definitions.growthDay and definitions.growthWeek. */
  growth: { day: GrowthKpi; week: GrowthKpi };
  /** 负面情感指数 over the last 24 h, overall and for the top 10 regions with at least 5 petitions. */
  negativeIndex: NegativeIndexValue & {
    from: string;
    to: string;
    byRegion: (NegativeIndexValue & { regionCode: string })[];
  };
  /** 热点话题频次: the top 10 risk terms, then the top 10 topics, each most frequent first. */
  hotTopics: HotTopicKpi[];
  /** Open (not resolved, not silenced) alerts by severity. */
  openAlerts: { general: number; key: number; major: number; extreme: number; total: number };
  /** Petitions in the last 24 h by channel, region and topic, largest first; each list sums to total. */
  volumes: {
    from: string;
    to: string;
    total: number;
    byChannel: KpiCount[];
    byRegion: KpiCount[];
    byTopic: KpiCount[];
  };
  /** What each number means, in Chinese and English. */
  definitions: Record<string, { zh: string; en: string }>;
}
