/**
 * `npm run eval:analyser`: per-field accuracy, grade and topic confusion matrices and the misses, on
 * the dev set and on the corpus's test split (the topic model never trained on either).
 */
import { analyse } from '../ingest/analyse/analyse.ts';
import { DEV_SET, readCorpus, readLabelled, splitOf } from '../ingest/analyse/corpus.ts';
import { evaluate, type Evaluation } from '../ingest/analyse/evaluate.ts';

const showMisses = !process.argv.includes('--no-misses');
// Rule work looks at the train split's misses (--split train); the test split stays a measurement.
const split = process.argv.includes('--split') ? process.argv[process.argv.indexOf('--split') + 1] : 'test';

function matrix(title: string, m: Record<string, Record<string, number>>): string {
  const labels = [...new Set([...Object.keys(m), ...Object.values(m).flatMap((r) => Object.keys(r))])].sort();
  const w = Math.max(8, ...labels.map((l) => l.length + 1));
  const head = `${title.padEnd(w)}${labels.map((l) => l.padStart(w)).join('')}`;
  const rows = labels.map((a) => `${a.padEnd(w)}${labels.map((b) => String(m[a]?.[b] ?? 0).padStart(w)).join('')}`);
  return [head, ...rows].join('\n');
}

function report(name: string, e: Evaluation): void {
  const a = e.accuracy;
  console.log(`\n== ${name}: ${e.items} items ==`);
  console.log(
    `accuracy  topic ${a.topic}  grade ${a.grade}  sentiment ${a.sentiment}  people band ${a.peopleBand}  amount band ${a.amountBand}  extreme ${a.extreme}`,
  );
  console.log(
    `extreme   caught ${e.extreme.caught}/${e.extreme.positives}  false alarms ${e.extreme.falseAlarms} (${e.extreme.falseAlarmsPer100} per 100)`,
  );
  console.log(`\n${matrix('grade↓ got→', e.confusion.grade)}`);
  console.log(`\n${matrix('topic↓ got→', e.confusion.topic)}`);
  if (showMisses && e.misses.length > 0) {
    console.log(`\nmisses (${e.misses.length}):`);
    for (const m of e.misses) {
      console.log(
        `  ${m.id} ${m.field}: expected ${String(m.expected)}, got ${String(m.got)} — ${m.text.slice(0, 60)}`,
      );
    }
  }
}

if (split === 'test') report('dev set', evaluate(analyse, readLabelled(DEV_SET)));
report(
  `corpus ${split} split`,
  evaluate(
    analyse,
    readCorpus().filter((p) => splitOf(p.id) === split),
  ),
);
