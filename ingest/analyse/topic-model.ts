import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readJsonFile } from '../read-json.ts';
import { TOPIC_CODES, type TopicCode } from '../taxonomy.ts';

/**
 * The topic model: multinomial naive Bayes over jieba words and character bigrams, trained from the
 * labelled corpus in the repository by `npm run train:topics` and committed as a reviewable JSON file
 * (one feature per line). At run time it is combined with the rules' keyword scores; the weight of
 * those keyword priors is chosen in training by cross-validation.
 */
export const DEFAULT_TOPIC_MODEL = fileURLToPath(new URL('../../config/models/topics.json', import.meta.url));

export interface TopicModel {
  version: string;
  trainedAt: string;
  documents: number;
  classes: TopicCode[];
  alpha: number;
  /** Weight of the rules' keyword score added to the log-posterior. */
  keywordWeight: number;
  logPrior: number[];
  /** Feature → log P(feature | class), in `classes` order. */
  features: Record<string, number[]>;
}

const STOP_WORDS = new Set(
  '的 了 和 是 在 我 你 他 她 它 我们 你们 他们 这 那 有 也 就 都 而 及 与 着 或 一个 没有 什么 怎么 这个 那个 已经 还是 但是 因为 所以 如果 可以 现在 我们的 自己 一直 进行 相关 情况 问题 希望 请 请问 反映 市民 来电 来电人 称 网友 诉求 要求 处理 解决 部门 政府 领导'.split(
    ' ',
  ),
);
const CJK = /[\u4e00-\u9fff]/;
const CJK_RUN = /[\u4e00-\u9fff]+/g;

/** The features of one text: content words (w:) and character bigrams within Chinese runs (c:). */
export function topicFeatures(text: string, words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    if (w.length >= 2 && CJK.test(w) && !STOP_WORDS.has(w)) out.push(`w:${w}`);
  }
  for (const run of text.match(CJK_RUN) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) out.push(`c:${run.slice(i, i + 2)}`);
  }
  return out;
}

export interface TrainingDoc {
  features: string[];
  topic: TopicCode;
}

/** Fits naive Bayes with add-alpha smoothing; features seen fewer than `minCount` times are dropped. */
export function trainTopicModel(
  docs: readonly TrainingDoc[],
  options: { alpha?: number; minCount?: number; keywordWeight?: number; version: string; trainedAt: string },
): TopicModel {
  const alpha = options.alpha ?? 0.3;
  const minCount = options.minCount ?? 2;
  const classes = [...TOPIC_CODES];
  const k = classes.length;
  const docCount = new Array<number>(k).fill(0);
  const totals = new Map<string, number>();
  const perClass = new Map<string, number[]>();
  for (const d of docs) {
    const c = classes.indexOf(d.topic);
    docCount[c]! += 1;
    for (const f of d.features) {
      totals.set(f, (totals.get(f) ?? 0) + 1);
      let row = perClass.get(f);
      if (!row) perClass.set(f, (row = new Array<number>(k).fill(0)));
      row[c]! += 1;
    }
  }
  const kept = [...perClass.entries()].filter(([f]) => totals.get(f)! >= minCount).sort(([a], [b]) => (a < b ? -1 : 1));
  const classMass = new Array<number>(k).fill(0);
  for (const [, row] of kept) row.forEach((n, c) => (classMass[c]! += n));
  const vocabulary = kept.length;
  const features: Record<string, number[]> = {};
  for (const [f, row] of kept) {
    features[f] = row.map((n, c) => round(Math.log((n + alpha) / (classMass[c]! + alpha * vocabulary))));
  }
  const n = docs.length;
  return {
    version: options.version,
    trainedAt: options.trainedAt,
    documents: n,
    classes,
    alpha,
    keywordWeight: options.keywordWeight ?? 0,
    // Smoothed priors: a topic with no training documents is unlikely, not impossible.
    logPrior: docCount.map((c) => round(Math.log((c + 1) / (n + k)))),
    features,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Rows as typed arrays in a Map: the lookups of the hot path, built once per model. */
const compiled = new WeakMap<TopicModel, Map<string, Float64Array>>();
function rowsOf(model: TopicModel): Map<string, Float64Array> {
  let rows = compiled.get(model);
  if (!rows) {
    rows = new Map(Object.entries(model.features).map(([f, row]) => [f, Float64Array.from(row)]));
    compiled.set(model, rows);
  }
  return rows;
}

/**
 * Log-posteriors (up to a constant) per class, in `model.classes` order, written into `out`; returns
 * how many of the features the model knows (0 means the prior alone decided).
 */
export function topicLogPosterior(model: TopicModel, features: readonly string[], out: Float64Array): number {
  const rows = rowsOf(model);
  const k = out.length;
  for (let c = 0; c < k; c++) out[c] = model.logPrior[c]!;
  let known = 0;
  for (const f of features) {
    const row = rows.get(f);
    if (row === undefined) continue;
    known += 1;
    for (let c = 0; c < k; c++) out[c]! += row[c]!;
  }
  return known;
}

const ModelSchema = z.object({
  version: z.string().min(1),
  trainedAt: z.string(),
  documents: z.number().int().nonnegative(),
  classes: z.array(z.enum(TOPIC_CODES as [TopicCode, ...TopicCode[]])),
  alpha: z.number().positive(),
  keywordWeight: z.number().min(0),
  logPrior: z.array(z.number()),
  features: z.record(z.string(), z.array(z.number())),
});

/** Reads and checks a model file: its classes must be the taxonomy's, in order. */
export function loadTopicModel(file = DEFAULT_TOPIC_MODEL): TopicModel {
  const parsed = ModelSchema.safeParse(readJsonFile(file));
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`${file}: invalid topic model: ${i.path.join('.')}: ${i.message}`);
  }
  const model = parsed.data;
  if (model.classes.join() !== TOPIC_CODES.join()) {
    throw new Error(
      `${file}: classes ${model.classes.join(',')} do not match the taxonomy; retrain (npm run train:topics)`,
    );
  }
  const k = model.classes.length;
  if (model.logPrior.length !== k || Object.values(model.features).some((r) => r.length !== k)) {
    throw new Error(`${file}: every row must have ${k} values`);
  }
  return model;
}

/** Writes the model with one feature per line, so a retrain shows up as a readable diff. */
export function serialiseTopicModel(model: TopicModel): string {
  const { features, ...head } = model;
  const lines = Object.entries(features).map(([f, row]) => `    ${JSON.stringify(f)}: ${JSON.stringify(row)}`);
  const headJson = JSON.stringify(head, null, 2).slice(0, -2);
  return `${headJson},\n  "features": {\n${lines.join(',\n')}\n  }\n}\n`;
}
