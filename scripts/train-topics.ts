/**
 * `npm run train:topics`: fits the topic model and writes config/models/topics.json.
 *
 * Training data: the corpus's train split, optionally with texts from the demo generator's templates
 * (each written for one topic). The smoothing, the weight of the rules' keyword scores and whether
 * the template texts help are chosen by 5-fold cross-validation on the corpus train split only; the
 * test split and the dev set are never seen here.
 */
import { writeFileSync } from 'node:fs';
import { createAnalyser, makeSimplifier, normalise } from '../ingest/analyse/analyse.ts';
import { readCorpus, splitOf, type LabelledPetition } from '../ingest/analyse/corpus.ts';
import { loadRules } from '../ingest/analyse/rules.ts';
import { createSegmenter } from '../ingest/analyse/segment.ts';
import {
  DEFAULT_TOPIC_MODEL,
  serialiseTopicModel,
  topicFeatures,
  trainTopicModel,
  type TrainingDoc,
} from '../ingest/analyse/topic-model.ts';
import { createDemoGenerator } from '../ingest/demo/generator.ts';
import { loadRegionPack } from '../ingest/regions.ts';

const GRID = { alpha: [0.3, 1], keywordWeight: [0, 1, 2, 4, 8], templateTexts: [0, 400] };
const FOLDS = 5;
const VERSION = `topics-nb-${new Date().toISOString().slice(0, 10)}`;

const rules = loadRules();
const segment = createSegmenter();
const simplify = makeSimplifier(rules.tradToSimp);
const toDoc = (text: string, topic: LabelledPetition['topic']): TrainingDoc => {
  const s = simplify(normalise(text));
  return { features: topicFeatures(s, segment(s)), topic };
};

const train = readCorpus().filter((p) => splitOf(p.id) === 'train');
const trainDocs = train.map((p) => toDoc(p.text, p.topic));
const generator = createDemoGenerator({ region: loadRegionPack('suzhou'), seed: 20261201 });
const templateDocs = Array.from({ length: Math.max(...GRID.templateTexts) }, () => {
  const item = generator.draw(new Date('2026-06-01T02:00:00Z'));
  return toDoc(item.petition.text, item.topic);
});

function fit(docs: TrainingDoc[], alpha: number, keywordWeight: number) {
  return trainTopicModel(docs, { alpha, keywordWeight, version: VERSION, trainedAt: new Date().toISOString() });
}

process.stderr.write(`train:topics: ${train.length} corpus items (train split); cross-validating\n`);
let best = { alpha: 1, keywordWeight: 0, templateTexts: 0, accuracy: -1 };
for (const alpha of GRID.alpha) {
  for (const keywordWeight of GRID.keywordWeight) {
    for (const templateTexts of GRID.templateTexts) {
      let right = 0;
      for (let f = 0; f < FOLDS; f++) {
        const rest = trainDocs.filter((_, i) => i % FOLDS !== f);
        const model = fit([...rest, ...templateDocs.slice(0, templateTexts)], alpha, keywordWeight);
        const analyse = createAnalyser(rules, { topicModel: model, segment });
        right += train.filter((p, i) => i % FOLDS === f && analyse(p.text).topic === p.topic).length;
      }
      const accuracy = right / train.length;
      process.stderr.write(
        `  alpha ${alpha}, keyword weight ${keywordWeight}, template texts ${templateTexts}: ${accuracy.toFixed(3)}\n`,
      );
      if (accuracy > best.accuracy) best = { alpha, keywordWeight, templateTexts, accuracy };
    }
  }
}

const model = fit([...trainDocs, ...templateDocs.slice(0, best.templateTexts)], best.alpha, best.keywordWeight);
writeFileSync(DEFAULT_TOPIC_MODEL, serialiseTopicModel(model));
process.stderr.write(
  `train:topics: chose alpha ${best.alpha}, keyword weight ${best.keywordWeight}, template texts ` +
    `${best.templateTexts} (cross-validated ${best.accuracy.toFixed(3)}); wrote ${DEFAULT_TOPIC_MODEL} ` +
    `with ${Object.keys(model.features).length} features\n`,
);
