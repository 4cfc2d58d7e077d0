/**
 * Early warning's vocabulary: what a rule finds (a signal), what the duty room handles (an alert), and
 * the factors behind each alert's risk score. Pure types, shared by the engine, storage, publication
 * (CAP, subscribers, live rooms) and the backtest.
 */

/** 一般 / 重点 / 重大, and extreme behaviour above them (CAP: Minor / Moderate / Severe / Extreme). */
export const ALERT_SEVERITIES = ['general', 'key', 'major', 'extreme'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export function severityRank(s: AlertSeverity): number {
  return ALERT_SEVERITIES.indexOf(s);
}

export const ALERT_STATES = ['raised', 'acknowledged', 'acting', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_OUTCOMES = ['escalated', 'contained', 'false_alarm'] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];

export interface Bilingual {
  zh: string;
  en: string;
}

/** Which slice of the stream a signal is about; null means "all". */
export interface AlertScope {
  regionCode: string | null;
  topic: string | null;
  channel: string | null;
  /** A bursting term or near-duplicate cluster (hot topics, joint petitions). */
  term: string | null;
}

/** One input to the risk score: its value, the weight the model gives it, and value × weight. */
export interface Factor {
  name: string;
  label: Bilingual;
  value: number;
  weight: number;
  contribution: number;
}

/** What one rule evaluation found: raised as a new alert, or folded into the open one of its scope. */
export interface Signal {
  ruleId: string;
  ruleVersion: number;
  kind: string;
  scope: AlertScope;
  scopeKey: string;
  severity: AlertSeverity;
  title: Bilingual;
  /** What was measured: counts, expectations, tail probabilities, ratios. */
  measures: Record<string, number | string | null>;
  /** Raw factor values; the risk model weighs them into a score. */
  features: Record<string, number>;
  petitionIds: string[];
  /** The sensitive period in force, if one tightened the rule. */
  sensitivePeriod: string | null;
  at: Date;
  /** Minutes the condition must hold before it is raised (0: at once). */
  pendingMinutes: number;
  /** Observations folded into this signal (instant rules merge a batch's petitions of one scope). */
  occurrences?: number;
}

export interface Alert {
  id: string;
  ruleId: string;
  ruleVersion: number;
  kind: string;
  scopeKey: string;
  scope: AlertScope;
  severity: AlertSeverity;
  state: AlertState;
  title: Bilingual;
  measures: Record<string, number | string | null>;
  score: number;
  factors: Factor[];
  petitionIds: string[];
  signalCount: number;
  sensitivePeriod: string | null;
  silenceId: string | null;
  raisedAt: Date;
  lastSeenAt: Date;
  updatedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  actingAt: Date | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  outcome: AlertOutcome | null;
  notifiedAt: Date | null;
  notifyCount: number;
}

/** Stable key of a scope: the dimensions a rule groups by, in a fixed order. */
export function scopeKeyOf(scope: AlertScope): string {
  const parts: string[] = [];
  if (scope.regionCode !== null) parts.push(`region=${scope.regionCode}`);
  if (scope.topic !== null) parts.push(`topic=${scope.topic}`);
  if (scope.channel !== null) parts.push(`channel=${scope.channel}`);
  if (scope.term !== null) parts.push(`term=${scope.term}`);
  return parts.length > 0 ? parts.join('|') : 'all';
}

export const ALL_SCOPE: AlertScope = Object.freeze({ regionCode: null, topic: null, channel: null, term: null });
