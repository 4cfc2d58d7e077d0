/**
 * `npm run bench:analyser`: analyser throughput on one core (this process's main thread) for texts of
 * about 300 characters, and the memory it takes. Texts come from the demo generator, joined to length.
 */
import { analyse } from '../ingest/analyse/analyse.ts';
import { createDemoGenerator } from '../ingest/demo/generator.ts';
import { loadRegionPack } from '../ingest/regions.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const TEXTS = 2_000;

const generator = createDemoGenerator({ region: loadRegionPack('suzhou'), seed: 11 });
const texts: string[] = [];
while (texts.length < TEXTS) {
  let t = '';
  while (t.length < 300) t += generator.next(new Date()).text;
  texts.push(t.slice(0, 300));
}

const rssBefore = process.memoryUsage().rss;
for (let i = 0; i < 2_000; i++) analyse(texts[i % TEXTS]!); // warm-up (JIT, jieba)
let peakRss = process.memoryUsage().rss;
let done = 0;
const started = performance.now();
const until = started + SECONDS * 1000;
while (performance.now() < until) {
  for (let i = 0; i < 500; i++) analyse(texts[(done + i) % TEXTS]!);
  done += 500;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const seconds = (performance.now() - started) / 1000;
const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
console.log(`analyser: ${done} texts of 300 characters in ${seconds.toFixed(1)} s on one core`);
console.log(`  ${(done / seconds).toFixed(0)} petitions/s, ${((seconds / done) * 1e6).toFixed(1)} µs each`);
console.log(`  memory: peak RSS ${mb(peakRss)} MB (${mb(peakRss - rssBefore)} MB above the process at start)`);
