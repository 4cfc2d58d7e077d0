import { describe, expect, it } from 'vitest';
import { runBacktest } from '../alerts/backtest.ts';
import { EMPTY_CALENDAR } from '../alerts/calendar.ts';
import { HAND_SET_MODEL } from '../alerts/risk.ts';
import { DEFAULT_ALERT_RULES } from '../alerts/rules.ts';
import { simulateHistory } from '../alerts/simulate.ts';
import { createDefaultAnalyser } from '../ingest/analyse/analyse.ts';
import { loadRegionPack } from '../ingest/regions.ts';

/**
 * The backtest end to end on a short history (npm run backtest runs 30 days): the shipped rules warn
 * of every injected incident, and the report's numbers add up.
 */
describe('backtest', () => {
  it(
    'warns of every injected incident before it ends, and accounts for every alert',
    { timeout: 180_000 },
    async () => {
      const region = loadRegionPack('suzhou');
      const history = simulateHistory({
        region,
        analyse: createDefaultAnalyser(region),
        start: new Date('2026-10-12T00:00:00+08:00'),
        days: 7,
        warmupDays: 7,
        ratePerMinute: 0.5,
        seed: 42,
      });
      expect(history.incidents.map((i) => i.kind)).toEqual(
        expect.arrayContaining(['wage_arrears', 'pollution', 'investment_collapse', 'extreme_threat']),
      );
      const report = await runBacktest(history, {
        region,
        rulesFile: DEFAULT_ALERT_RULES,
        calendar: EMPTY_CALENDAR,
        risk: HAND_SET_MODEL,
        stepMinutes: 10,
      });
      expect(report.days).toBe(7);
      for (const r of report.incidents) {
        expect(r.firstAlert, r.incident.id).not.toBeNull();
        expect(r.firstAlert!.raisedAt.getTime()).toBeLessThanOrEqual(r.incident.end.getTime());
      }
      expect(report.allWarned).toBe(true);
      // Every alert is either matched to an incident or counted false; the rule table adds up to the total.
      expect(report.rules.reduce((s, r) => s + r.alerts, 0)).toBe(report.alerts.length);
      const falseAlerts = report.alerts.filter((a) => a.incident === null).length;
      expect(report.falsePerDay).toBeCloseTo(falseAlerts / 7, 10);
      // The extreme threat is warned at once, long before the morning it names.
      const threat = report.incidents.find((r) => r.incident.kind === 'extreme_threat')!;
      expect(threat.firstAlert?.kind).toBe('instant.extreme');
      expect(threat.leadMinutes).toBeGreaterThan(600);
    },
  );
});
