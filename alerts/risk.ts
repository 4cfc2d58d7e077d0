import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readJsonFile } from '../ingest/read-json.ts';
import type { Bilingual, Factor } from './types.ts';

/**
 * The risk score: a logistic model over a fixed set of factors. The shipped weights are set by hand
 * from the grading rules; `npm run train:risk` fits them on past outcomes and writes a model file.
 */
export const RISK_FEATURES = [
  'severity',
  'anomaly',
  'volume',
  'people',
  'amount',
  'negative_share',
  'escalation_terms',
  'sensitive_period',
  'persistence',
] as const;
export type RiskFeature = (typeof RISK_FEATURES)[number];

export const FEATURE_LABELS: Record<RiskFeature, Bilingual> = {
  severity: { zh: '规则等级', en: 'Rule severity' },
  anomaly: { zh: '异常程度', en: 'How unusual' },
  volume: { zh: '涉及件数', en: 'Petitions involved' },
  people: { zh: '涉及人数', en: 'People involved' },
  amount: { zh: '涉及金额', en: 'Amount involved' },
  negative_share: { zh: '负面情感占比', en: 'Negative share' },
  escalation_terms: { zh: '升级苗头词占比', en: 'Escalation wording' },
  sensitive_period: { zh: '敏感时期', en: 'Sensitive period' },
  persistence: { zh: '持续次数', en: 'Persistence' },
};

const ModelSchema = z
  .object({
    $comment: z.string().optional(),
    version: z.string().min(1),
    intercept: z.number(),
    weights: z.object(
      Object.fromEntries(RISK_FEATURES.map((f) => [f, z.number()])) as Record<RiskFeature, z.ZodNumber>,
    ),
    /** How it was fitted: the held-out AUC and the sizes, when trained. */
    trainedOn: z.object({ examples: z.number().int(), positives: z.number().int(), auc: z.number() }).nullable(),
  })
  .strict();
export type RiskModel = z.infer<typeof ModelSchema>;

export const DEFAULT_RISK_MODEL = fileURLToPath(new URL('../config/models/risk.json', import.meta.url));

/** Weights derived from the grading rules, used until a model is trained. */
export const HAND_SET_MODEL: RiskModel = {
  version: 'hand-set-1',
  intercept: -4,
  weights: {
    severity: 1.1,
    anomaly: 0.6,
    volume: 0.8,
    people: 0.5,
    amount: 0.3,
    negative_share: 1,
    escalation_terms: 1.5,
    sensitive_period: 0.5,
    persistence: 0.4,
  },
  trainedOn: null,
};

export function parseRiskModel(raw: unknown, source = 'risk model'): RiskModel {
  const parsed = ModelSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

/** The model file if there is one, else the hand-set weights. */
export function loadRiskModel(file = DEFAULT_RISK_MODEL): RiskModel {
  return existsSync(file) ? parseRiskModel(readJsonFile(file), file) : HAND_SET_MODEL;
}

/** The feature vector in model order (missing features are 0). */
export function featureVector(features: Readonly<Record<string, number>>): number[] {
  return RISK_FEATURES.map((f) => features[f] ?? 0);
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Score 0–100 (the model's probability × 100) and the factors, largest contribution first. */
export function scoreRisk(
  model: RiskModel,
  features: Readonly<Record<string, number>>,
): { score: number; factors: Factor[] } {
  let z = model.intercept;
  const factors: Factor[] = [];
  for (const name of RISK_FEATURES) {
    const value = features[name] ?? 0;
    const weight = model.weights[name];
    const contribution = value * weight;
    z += contribution;
    if (value !== 0) {
      factors.push({
        name,
        label: FEATURE_LABELS[name],
        value: round(value),
        weight: round(weight),
        contribution: round(contribution),
      });
    }
  }
  factors.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return { score: Math.round(sigmoid(z) * 1000) / 10, factors };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
