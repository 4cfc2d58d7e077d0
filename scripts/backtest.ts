/**
 * `npm run backtest [-- --days 30 --seed 7 --rules config/rules/alerts.json --step 5]`: replays a
 * simulated 30-day history (ordinary petitions plus injected incidents: wage-arrears waves, pollution,
 * an investment collapse, single extreme threats) through the alert rules, and prints per rule the
 * alerts, precision and recall against the injected incidents and the lead time before each peak.
 * Target: every incident warned, median lead ≥ 30 minutes, ≤ 3 false alerts per simulated day.
 */
import { parseArgs } from 'node:util';
import { runBacktest } from '../alerts/backtest.ts';
import { loadCalendar } from '../alerts/calendar.ts';
import { loadRiskModel } from '../alerts/risk.ts';
import { DEFAULT_ALERT_RULES } from '../alerts/rules.ts';
import { simulateHistory } from '../alerts/simulate.ts';
import { createDefaultAnalyser } from '../ingest/analyse/analyse.ts';
import { loadRegionPack } from '../ingest/regions.ts';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '30' },
    seed: { type: 'string', default: '20261201' },
    rules: { type: 'string', default: DEFAULT_ALERT_RULES },
    step: { type: 'string', default: '5' },
    rate: { type: 'string', default: '1' },
  },
});
const days = Number(values.days);
const step = Number(values.step);
if (!Number.isInteger(days) || days < 7 || days > 90) {
  throw new Error('--days must be a whole number of days from 7 to 90');
}
if (!Number.isInteger(step) || step < 1 || step > 60) throw new Error('--step must be 1–60 minutes');

const region = loadRegionPack('suzhou');
const analyse = createDefaultAnalyser(region);
const start = new Date('2026-10-12T00:00:00+08:00');
let shown = -1;
const progress = (label: string, share: number) => {
  const pct = Math.floor(share * 100);
  if (pct === shown) return;
  shown = pct;
  process.stderr.write(`\r${label} ${'█'.repeat(Math.round(share * 30)).padEnd(30, '░')} ${pct}%`);
};

const t0 = performance.now();
const history = simulateHistory({
  region,
  analyse,
  start,
  days,
  warmupDays: 28,
  ratePerMinute: Number(values.rate),
  seed: Number(values.seed),
  onProgress: (n) => process.stderr.write(`\rsimulating history: ${n.toLocaleString('en')} petitions`),
  // (one line per simulated day)
});
process.stderr.write('\n');
const report = await runBacktest(history, {
  region,
  rulesFile: values.rules,
  calendar: loadCalendar(region.timezone),
  risk: loadRiskModel(),
  stepMinutes: step,
  onProgress: (s) => progress('replaying', s),
});
process.stderr.write('\n');

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
const mins = (x: number | null) => (x === null ? '—' : `${Math.round(x)} min`);
console.log(
  `backtest: ${days} simulated days (${report.petitions.toLocaleString('en')} petitions, 28 days of warm-up before), ` +
    `${history.incidents.length} injected incidents, window rules every ${step} min; ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
);
console.log('rule                      alerts  matched  precision  recall  median lead');
for (const r of report.rules) {
  console.log(
    `${r.ruleId.padEnd(26)}${String(r.alerts).padStart(6)}${String(r.matched).padStart(9)}${pct(r.precision).padStart(11)}` +
      `${pct(r.recall).padStart(8)}${mins(r.medianLeadMinutes).padStart(13)}`,
  );
}
console.log('\nincident                     district  start (local)      first warning by           lead before peak');
const local = (d: Date) => d.toLocaleString('sv-SE', { timeZone: region.timezone }).slice(0, 16);
for (const r of report.incidents) {
  const name = region.districts.find((d) => d.code === r.incident.regionCode)?.name ?? r.incident.regionCode;
  console.log(
    `${`${r.incident.id} ${r.incident.label}`.padEnd(29)}${name.padEnd(8)}${local(r.incident.start).padEnd(19)}` +
      `${(r.firstAlert?.ruleId ?? 'NOT WARNED').padEnd(27)}${mins(r.leadMinutes)}`,
  );
}
const falseAlerts = report.alerts.filter((a) => a.incident === null).length;
console.log(
  `\nall incidents warned: ${report.allWarned ? 'yes' : 'NO'} · median lead ${mins(report.medianLeadMinutes)} (target ≥ 30 min: ` +
    `${(report.medianLeadMinutes ?? -1) >= 30 ? 'yes' : 'NO'}) · false alerts ${falseAlerts} = ${report.falsePerDay.toFixed(2)}/day ` +
    `(target ≤ 3: ${report.falsePerDay <= 3 ? 'yes' : 'NO'})`,
);
const falseByRule = new Map<string, number>();
for (const a of report.alerts) {
  if (!a.incident) falseByRule.set(a.alert.ruleId, (falseByRule.get(a.alert.ruleId) ?? 0) + 1);
}
if (falseByRule.size > 0) {
  console.log(`false alerts by rule: ${[...falseByRule].map(([r, n]) => `${r} ${n}`).join(', ')}`);
}
