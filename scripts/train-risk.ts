/**
 * `npm run train:risk [-- --source auto|db|simulated --out config/models/risk.json]`: fits the alert
 * risk model (logistic regression over the factors of alerts/risk.ts) on past outcomes and reports the
 * AUC on a held-out 30 %.
 *
 * Outcomes: resolved alerts whose duty officer said escalated (positive), contained or false alarm
 * (negative), from the configured database (DATABASE_URL, else the embedded one under DATA_DIR). With
 * fewer than 60 such alerts (`auto`), three of the backtest's simulated months are used instead, their
 * outcomes given by the injected incidents, and the report says so. The model is written only when it
 * ranks the held-out alerts at least as well as the hand-set weights (or with --force).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runBacktest } from '../alerts/backtest.ts';
import { loadCalendar } from '../alerts/calendar.ts';
import { fitLogistic, predict, rocAuc, splitByKey, type Example } from '../alerts/logistic.ts';
import { DEFAULT_RISK_MODEL, featureVector, HAND_SET_MODEL, RISK_FEATURES, type RiskModel } from '../alerts/risk.ts';
import { DEFAULT_ALERT_RULES } from '../alerts/rules.ts';
import { simulateHistory } from '../alerts/simulate.ts';
import type { Alert } from '../alerts/types.ts';
import { openDb } from '../db/open.ts';
import { createDefaultAnalyser } from '../ingest/analyse/analyse.ts';
import { loadRegionPack } from '../ingest/regions.ts';
import { loadConfig } from '../server/config.ts';

const MIN_REAL = 60;
const { values } = parseArgs({
  options: {
    source: { type: 'string', default: 'auto' },
    out: { type: 'string', default: DEFAULT_RISK_MODEL },
    force: { type: 'boolean', default: false },
  },
});
if (!['auto', 'db', 'simulated'].includes(values.source)) throw new Error('--source must be auto, db or simulated');

interface Labelled {
  id: string;
  features: Record<string, number>;
  y: 0 | 1;
}

const labelledOf = (a: Alert): Labelled | null =>
  a.outcome === null
    ? null
    : {
        id: a.id,
        features: Object.fromEntries(a.factors.map((f) => [f.name, f.value])),
        y: a.outcome === 'escalated' ? 1 : 0,
      };

async function fromDatabase(): Promise<Labelled[]> {
  const config = loadConfig();
  const db = await openDb(config);
  try {
    const { rows } = await db.query<{ id: string; factors: Alert['factors']; outcome: Alert['outcome'] }>(
      "SELECT id, factors, outcome FROM alerts WHERE state = 'resolved' AND outcome IS NOT NULL ORDER BY raised_at",
    );
    return rows.flatMap(
      (r) => labelledOf({ ...(r as unknown as Alert), factors: r.factors, outcome: r.outcome }) ?? [],
    );
  } catch (cause) {
    throw new Error('train:risk: could not read alerts from the database (has it been migrated? run npm start once)', {
      cause,
    });
  } finally {
    await db.close();
  }
}

/** Three simulated months (different seeds, so different days, places and background). */
const SEEDS = [20261201, 7, 99];

async function fromSimulation(): Promise<Labelled[]> {
  const region = loadRegionPack('suzhou');
  const analyse = createDefaultAnalyser(region);
  const out: Labelled[] = [];
  for (const [i, seed] of SEEDS.entries()) {
    process.stderr.write(`train:risk: simulated month ${i + 1} of ${SEEDS.length} (seed ${seed}): generating…`);
    const history = simulateHistory({
      region,
      analyse,
      start: new Date('2026-10-12T00:00:00+08:00'),
      days: 30,
      warmupDays: 28,
      ratePerMinute: 1,
      seed,
    });
    let shown = -1;
    const report = await runBacktest(history, {
      region,
      rulesFile: DEFAULT_ALERT_RULES,
      calendar: loadCalendar(region.timezone),
      risk: HAND_SET_MODEL,
      onProgress: (s) => {
        const pct = Math.floor(s * 100);
        if (pct !== shown) {
          process.stderr.write(
            `\rtrain:risk: simulated month ${i + 1} of ${SEEDS.length} (seed ${seed}): replaying ${(shown = pct)}%`,
          );
        }
      },
    });
    process.stderr.write('\n');
    for (const { alert, incident } of report.alerts) {
      out.push({
        id: alert.id,
        features: Object.fromEntries(alert.factors.map((f) => [f.name, f.value])),
        y: incident ? 1 : 0,
      });
    }
  }
  return out;
}

let examples: Labelled[] = [];
let source = values.source;
if (source !== 'simulated') {
  examples = await fromDatabase().catch((error: unknown) => {
    if (source === 'db') throw error;
    process.stderr.write(`train:risk: ${(error as Error).message}\n`);
    return [];
  });
  if (source === 'auto' && examples.length < MIN_REAL) {
    process.stderr.write(
      `train:risk: ${examples.length} labelled alerts in the database (< ${MIN_REAL}); using the simulation\n`,
    );
    source = 'simulated';
  }
}
if (source === 'simulated') examples = await fromSimulation();

const positives = examples.filter((e) => e.y === 1).length;
if (positives === 0 || positives === examples.length) {
  throw new Error(`train:risk: need both outcomes to learn from; have ${positives} escalated of ${examples.length}`);
}
const { train, test } = splitByKey(examples, (e) => e.id, 0.3);
const toExample = (e: Labelled): Example => ({ x: featureVector(e.features), y: e.y });
const fitted = fitLogistic(train.map(toExample), 1);
// A factor the history never shows (no sensitive period in it, say) cannot be learned: it keeps its
// hand-set weight rather than the zero the penalty would give it.
const unseen = RISK_FEATURES.filter((_, j) => train.every((e) => featureVector(e.features)[j] === 0));
for (const f of unseen) fitted.weights[RISK_FEATURES.indexOf(f)] = HAND_SET_MODEL.weights[f];

const auc = rocAuc(test.map((e) => ({ score: predict(fitted, featureVector(e.features)), y: e.y })));
const handSet = rocAuc(
  test.map((e) => ({
    score: predict(
      {
        intercept: HAND_SET_MODEL.intercept,
        weights: RISK_FEATURES.map((f) => HAND_SET_MODEL.weights[f]),
        iterations: 0,
      },
      featureVector(e.features),
    ),
    y: e.y,
  })),
);

const model: RiskModel = {
  $comment: `Fitted by npm run train:risk on ${source === 'db' || source === 'auto' ? 'resolved alerts of the database' : `${SEEDS.length} simulated months of npm run backtest`}; held-out AUC ${auc.toFixed(3)}.`,
  version: `risk-lr-${new Date().toISOString().slice(0, 10)}`,
  intercept: round(fitted.intercept),
  weights: Object.fromEntries(RISK_FEATURES.map((f, i) => [f, round(fitted.weights[i]!)])) as RiskModel['weights'],
  trainedOn: { examples: train.length, positives: train.filter((e) => e.y === 1).length, auc: round(auc) },
};
// A fit that ranks worse than the hand-set weights on the same held-out alerts is not put in force.
const better = auc >= handSet || values.force;
if (better) writeFileSync(values.out, `${JSON.stringify(model, null, 2)}\n`);

console.log(
  `train:risk: ${examples.length} labelled alerts (${positives} escalated) from ${source === 'simulated' ? `${SEEDS.length} simulated months` : 'the database'}; ` +
    `${train.length} to fit, ${test.length} held out; ${fitted.iterations} Newton steps`,
);
console.log('factor              weight');
for (const f of RISK_FEATURES) {
  console.log(
    `${f.padEnd(20)}${model.weights[f].toFixed(3).padStart(7)}${unseen.includes(f) ? '  (never seen: hand-set weight kept)' : ''}`,
  );
}
console.log(`intercept           ${model.intercept.toFixed(3).padStart(7)}`);
console.log(
  `held-out AUC: ${auc.toFixed(3)} (hand-set weights on the same split: ${handSet.toFixed(3)}); ` +
    (better
      ? `written to ${values.out}`
      : `not written: it ranks worse than the hand-set weights, which stay in force (--force writes it anyway)`),
);

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
