import { TOPICS, type TopicCode } from '../../ingest/taxonomy.ts';
import type { RegionPack } from '../../ingest/regions.ts';
import type { Calendar, SensitivePeriod } from '../calendar.ts';
import type { AlertRule } from '../rules.ts';
import type { AlertSource, CountCell, WindowPetition } from '../source.ts';
import { type AlertScope, type Bilingual, type Signal, scopeKeyOf, severityRank } from '../types.ts';

/** What every detector is given: the clock, the calendar, the data and a memo kept across evaluations. */
export interface DetectContext {
  now: Date;
  ruleVersion: number;
  region: RegionPack;
  calendar: Calendar;
  source: AlertSource;
  /** Complete and partial hourly counts in [from, now) (the engine keeps a history). */
  hours(from: Date): Promise<CountCell[]>;
  /** Minute counts in [from, now). */
  minutes(from: Date): Promise<CountCell[]>;
  /** Recent petitions in [from, now). */
  petitions(from: Date): Promise<WindowPetition[]>;
  /** Start of the previous window evaluation: petitions after it are new to this one. */
  since: Date;
  /** Computes once per key and keeps it (baselines change hourly, not per evaluation). */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/** What making a signal needs of the context (instant rules have no data source). */
export type SignalContext = Pick<DetectContext, 'now' | 'ruleVersion' | 'region' | 'calendar'>;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

type Dim = 'region' | 'topic' | 'channel';

/** The rule's filter: does this cell or petition fall inside the rule's scope at all? */
export function inRuleScope(
  rule: AlertRule,
  x: { regionCode: string | null; topic: string; channel: string },
): boolean {
  const s = rule.scope;
  if (s.regions && (x.regionCode === null || !s.regions.includes(x.regionCode))) return false;
  if (s.topics && !(s.topics as string[]).includes(x.topic)) return false;
  if (s.channels && !s.channels.includes(x.channel)) return false;
  return true;
}

/** The scope a cell counts toward under a rule's groupBy. */
export function groupScope(
  groupBy: readonly Dim[],
  x: { regionCode: string | null; topic: string; channel: string },
): AlertScope {
  return {
    regionCode: groupBy.includes('region') ? (x.regionCode ?? '') : null,
    topic: groupBy.includes('topic') ? x.topic : null,
    channel: groupBy.includes('channel') ? x.channel : null,
    term: null,
  };
}

/** The scope and its key a cell or petition counts toward under a grouped rule; null when filtered out. */
export function scopeOfCell(
  rule: AlertRule & { groupBy: readonly Dim[] },
  c: { regionCode: string | null; topic: string; channel: string },
): { key: string; scope: AlertScope } | null {
  if (!inRuleScope(rule, c)) return null;
  const scope = groupScope(rule.groupBy, c);
  return { key: scopeKeyOf(scope), scope };
}

/** Sums cells per scope; returns the scopes with their totals. */
export function sumByScope(
  rule: AlertRule & { groupBy: readonly Dim[] },
  cells: readonly CountCell[],
): Map<string, { scope: AlertScope; total: number; negative: number }> {
  const out = new Map<string, { scope: AlertScope; total: number; negative: number }>();
  for (const c of cells) {
    const s = scopeOfCell(rule, c);
    if (!s) continue;
    let agg = out.get(s.key);
    if (!agg) out.set(s.key, (agg = { scope: s.scope, total: 0, negative: 0 }));
    agg.total += c.total;
    agg.negative += c.negative;
  }
  return out;
}

/** The sensitive period that tightens a rule for a scope now, and by how much (1: none). */
export function tightening(
  ctx: SignalContext,
  topic: string | null,
): { factor: number; period: SensitivePeriod | null } {
  const period = ctx.calendar.periodAt(ctx.now, topic);
  return { factor: period?.factor ?? 1, period };
}

export function regionName(region: RegionPack, code: string | null): Bilingual {
  if (code === null) return { zh: region.name, en: region.nameEn };
  const d = region.districts.find((x) => x.code === code);
  return d ? { zh: d.name, en: d.nameEn } : { zh: code || '未知区域', en: code || 'unknown area' };
}

export function topicName(code: string | null): Bilingual | null {
  return code !== null && code in TOPICS ? TOPICS[code as TopicCode] : null;
}

/** "玄武区 · 劳动社保" and its English: where a signal is, for titles. */
export function scopeLabel(region: RegionPack, scope: AlertScope): Bilingual {
  const parts: Bilingual[] = [];
  if (scope.regionCode !== null) parts.push(regionName(region, scope.regionCode));
  const t = topicName(scope.topic);
  if (t) parts.push(t);
  if (scope.channel !== null) parts.push({ zh: scope.channel, en: scope.channel });
  if (parts.length === 0) parts.push(regionName(region, null));
  return { zh: parts.map((p) => p.zh).join(' · '), en: parts.map((p) => p.en).join(' · ') };
}

/** A signal with the fields every detector fills the same way. */
export function makeSignal(
  ctx: SignalContext,
  rule: AlertRule,
  scope: AlertScope,
  parts: Pick<Signal, 'measures' | 'features' | 'petitionIds'> & {
    detail: Bilingual;
    kind?: string;
    scopeKey?: string;
    period?: SensitivePeriod | null;
  },
): Signal {
  const where = scopeLabel(ctx.region, scope);
  return {
    ruleId: rule.id,
    ruleVersion: ctx.ruleVersion,
    kind: parts.kind ?? rule.kind,
    scope,
    scopeKey: parts.scopeKey ?? scopeKeyOf(scope),
    severity: rule.severity,
    title: {
      zh: `${rule.name.zh}：${where.zh}，${parts.detail.zh}`,
      en: `${rule.name.en}: ${where.en}, ${parts.detail.en}`,
    },
    measures: parts.measures,
    features: { ...parts.features, severity: severityRank(rule.severity), sensitive_period: parts.period ? 1 : 0 },
    petitionIds: parts.petitionIds,
    sensitivePeriod: parts.period?.id ?? null,
    at: ctx.now,
    pendingMinutes: rule.pendingMinutes,
  };
}

/** Features every detector derives the same way from the petitions behind a signal. */
export function petitionFeatures(petitions: readonly WindowPetition[]): Record<string, number> {
  let people = 0;
  let amount = 0;
  let negative = 0;
  let escalating = 0;
  for (const p of petitions) {
    people = Math.max(people, p.people ?? 0);
    amount = Math.max(amount, p.amountYuan ?? 0);
    if (p.negative) negative++;
    if (p.riskTerms.some((t) => ESCALATION.has(t.category))) escalating++;
  }
  const n = Math.max(petitions.length, 1);
  return {
    people: Math.log10(1 + people),
    amount: Math.log10(1 + amount / 10_000),
    negative_share: negative / n,
    escalation_terms: escalating / n,
  };
}

const ESCALATION = new Set(['extreme', 'violence', 'mass_action', 'over_heads', 'media']);

export const round3 = (x: number) => Math.round(x * 1000) / 1000;
