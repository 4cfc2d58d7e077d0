/**
 * `npm run train:topics`: fits the topic model on the corpus's train split and writes
 * config/models/topics.json. The weight of the rules' keyword scores is chosen by 5-fold
 * cross-validation inside the train split; the test split and the dev set are never seen here.
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

const KEYWORD_WEIGHTS = [0, 0.25, 0.5, 1, 2, 4, 8, 16];
const FOLDS = 5;
const VERSION = `topics-nb-${new Date().toISOString().slice(0, 10)}`;

const rules = loadRules();
const segment = createSegmenter();
const simplify = makeSimplifier(rules.tradToSimp);
const train = readCorpus().filter((p) => splitOf(p.id) === 'train');
const docs = (items: readonly LabelledPetition[]): TrainingDoc[] =>
  items.map((p) => {
    const text = simplify(normalise(p.text));
    return { features: topicFeatures(text, segment(text)), topic: p.topic };
  });

function fit(items: readonly LabelledPetition[], keywordWeight: number) {
  return trainTopicModel(docs(items), { keywordWeight, version: VERSION, trainedAt: new Date().toISOString() });
}

process.stderr.write(`train:topics: ${train.length} training items; cross-validating the keyword weight\n`);
let best = { weight: 0, accuracy: -1 };
for (const weight of KEYWORD_WEIGHTS) {
  let right = 0;
  for (let f = 0; f < FOLDS; f++) {
    const held = train.filter((_, i) => i % FOLDS === f);
    const rest = train.filter((_, i) => i % FOLDS !== f);
    const analyse = createAnalyser(rules, { topicModel: fit(rest, weight), segment });
    right += held.filter((p) => analyse(p.text).topic === p.topic).length;
  }
  const accuracy = right / train.length;
  process.stderr.write(`  keyword weight ${weight}: cross-validated topic accuracy ${accuracy.toFixed(3)}\n`);
  if (accuracy > best.accuracy) best = { weight, accuracy };
}

const model = fit(train, best.weight);
writeFileSync(DEFAULT_TOPIC_MODEL, serialiseTopicModel(model));
process.stderr.write(
  `train:topics: wrote ${DEFAULT_TOPIC_MODEL}: ${Object.keys(model.features).length} features, keyword weight ${best.weight}\n`,
);
