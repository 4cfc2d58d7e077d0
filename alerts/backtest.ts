import { PGlite } from '@electric-sql/pglite';
import { alertsRaisedBetween, listAlerts } from '../db/queries/alerts.ts';
import { migrate } from '../db/migrate.ts';
import { fromPGlite } from '../db/pglite.ts';
import type { RegionPack } from '../ingest/regions.ts';
import type { Calendar } from './calendar.ts';
import { createAlertEngine } from './engine.ts';
import { actOnAlert } from './lifecycle.ts';
import { MemoryAlertSource } from './memory-source.ts';
import type { RiskModel } from './risk.ts';
import { openRuleStore } from './rule-store.ts';
import type { History, Incident } from './simulate.ts';
import type { Alert } from './types.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface BacktestOptions {
  region: RegionPack;
  rulesFile: string;
  calendar: Calendar;
  risk: RiskModel;
  /** Minutes between window evaluations (production: 1). */
  stepMinutes?: number;
  onProgress?: (share: number) => void;
}

export interface MatchedAlert {
  alert: Alert;
  incident: Incident | null;
}

export interface RuleReport {
  ruleId: string;
  alerts: number;
  matched: number;
  precision: number | null;
  /** Incidents this rule warned of (before their end) over all incidents. */
  recall: number;
  /** Median minutes from its first alert to each warned incident's peak. */
  medianLeadMinutes: number | null;
}

export interface IncidentReport {
  incident: Incident;
  firstAlert: Alert | null;
  leadMinutes: number | null;
  rules: string[];
}

export interface BacktestReport {
  days: number;
  petitions: number;
  alerts: MatchedAlert[];
  rules: RuleReport[];
  incidents: IncidentReport[];
  falsePerDay: number;
  medianLeadMinutes: number | null;
  allWarned: boolean;
}

/**
 * Replays a history through the production engine (the same rules, detectors, grouping and pending
 * periods; alerts stored in an in-memory PGlite) with a simulated duty room: raised alerts are
 * acknowledged after 10 minutes and resolved once their condition has been quiet for 3 hours, with the
 * outcome the injected truth gives (so the history can train the risk model).
 */
export async function runBacktest(history: History, options: BacktestOptions): Promise<BacktestReport> {
  const db = fromPGlite(await PGlite.create());
  try {
    await migrate(db);
    const rules = await openRuleStore(db, options.rulesFile, { error: () => {} });
    const source = new MemoryAlertSource();
    const engine = createAlertEngine({
      db,
      source,
      region: options.region,
      calendar: options.calendar,
      rules,
      risk: options.risk,
      publish: () => {},
      log: { error: (m, e) => console.error(m, e) },
    });
    const step = (options.stepMinutes ?? 5) * MINUTE;
    const lifecycle = { db, publish: () => {} };
    const duty = { username: 'backtest', role: 'duty_leader' };
    let i = 0;
    const all = history.petitions;
    // Warm-up: history the baselines learn from, no evaluation.
    while (i < all.length && all[i]!.window.receivedAt < history.from) source.add(all[i++]!.window);
    const span = history.to.getTime() - history.from.getTime();
    for (let t = history.from.getTime(); t < history.to.getTime(); t += MINUTE) {
      const now = new Date(t + MINUTE);
      const batch = [];
      while (i < all.length && all[i]!.window.receivedAt.getTime() < t + MINUTE) {
        source.add(all[i]!.window);
        batch.push(all[i++]!.committed);
      }
      if (batch.length > 0) {
        engine.onCommitted(batch, now);
        await engine.idle();
      }
      if ((t - history.from.getTime()) % step !== 0) continue;
      await engine.evaluateWindows(now);
      for (const a of await listAlerts(db, { states: ['raised', 'acknowledged', 'acting'] })) {
        if (a.state === 'raised' && now.getTime() - a.raisedAt.getTime() >= 10 * MINUTE) {
          await actOnAlert(lifecycle, a.id, 'acknowledge', duty, {}, now);
        }
        if (now.getTime() - a.lastSeenAt.getTime() >= 3 * HOUR) {
          const incident = matchIncident(a, history.incidents);
          await actOnAlert(lifecycle, a.id, 'resolve', duty, { outcome: incident ? 'escalated' : 'false_alarm' }, now);
        }
      }
      options.onProgress?.((t - history.from.getTime()) / span);
    }
    const alerts = await alertsRaisedBetween(db, history.from, new Date(history.to.getTime() + MINUTE));
    return report(history, alerts);
  } finally {
    await db.close();
  }
}

/** The injected incident an alert is about: shared petitions, or the same place, topic and time. */
export function matchIncident(alert: Alert, incidents: readonly Incident[]): Incident | null {
  for (const incident of incidents) {
    if (alert.petitionIds.some((id) => incident.petitionIds.has(id))) return incident;
  }
  for (const incident of incidents) {
    const t = alert.raisedAt.getTime();
    if (t < incident.start.getTime() || t > incident.end.getTime() + 2 * HOUR) continue;
    const region = alert.scope.regionCode;
    const topic = alert.scope.topic;
    if ((region === null || region === incident.regionCode) && (topic === null || topic === incident.topic)) {
      return incident;
    }
  }
  return null;
}

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function report(history: History, alerts: Alert[]): BacktestReport {
  const matched = alerts
    .map((alert) => ({ alert, incident: matchIncident(alert, history.incidents) }))
    .sort((a, b) => a.alert.raisedAt.getTime() - b.alert.raisedAt.getTime());
  const warnedBefore = (m: MatchedAlert) => m.incident !== null && m.alert.raisedAt <= m.incident.end;
  const incidents = history.incidents.map((incident): IncidentReport => {
    const own = matched.filter((m) => m.incident === incident && warnedBefore(m));
    const first = own[0]?.alert ?? null;
    return {
      incident,
      firstAlert: first,
      leadMinutes: first ? (incident.peak.getTime() - first.raisedAt.getTime()) / MINUTE : null,
      rules: [...new Set(own.map((m) => m.alert.ruleId))],
    };
  });
  const ruleIds = [...new Set(matched.map((m) => m.alert.ruleId))].sort();
  const rules = ruleIds.map((ruleId): RuleReport => {
    const own = matched.filter((m) => m.alert.ruleId === ruleId);
    const hits = own.filter((m) => m.incident !== null);
    const leads = history.incidents.flatMap((incident) => {
      const first = own.find((m) => m.incident === incident && warnedBefore(m));
      return first ? [(incident.peak.getTime() - first.alert.raisedAt.getTime()) / MINUTE] : [];
    });
    return {
      ruleId,
      alerts: own.length,
      matched: hits.length,
      precision: own.length > 0 ? hits.length / own.length : null,
      recall: history.incidents.length > 0 ? leads.length / history.incidents.length : 0,
      medianLeadMinutes: median(leads),
    };
  });
  const days = (history.to.getTime() - history.from.getTime()) / (24 * HOUR);
  const leads = incidents.flatMap((r) => (r.leadMinutes === null ? [] : [r.leadMinutes]));
  return {
    days,
    petitions: history.petitions.filter((p) => p.window.receivedAt >= history.from).length,
    alerts: matched,
    rules,
    incidents,
    falsePerDay: matched.filter((m) => m.incident === null).length / days,
    medianLeadMinutes: median(leads),
    allWarned: incidents.every((r) => r.firstAlert !== null),
  };
}
