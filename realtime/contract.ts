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
}

export interface ClientToServerEvents {
  /** Asks for a fresh snapshot (after a gap in tick sequence numbers). */
  'stats:resync': (ack: (snapshot: StatsSnapshot) => void) => void;
}
