import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readJsonFile } from '../read-json.ts';
import { TOPIC_CODES } from '../taxonomy.ts';
import type { Lexicon } from './lexicon.ts';

/**
 * The grading rules as operators maintain them: every threshold, window and word list of the analyser,
 * in one versioned JSON file (config/rules/grading.json by default). It is validated on load; a bad
 * file is refused with the exact path of the fault, and the analyser keeps the rules it had.
 */
export type Rules = Lexicon;

export const DEFAULT_RULES_FILE = fileURLToPath(new URL('../../config/rules/grading.json', import.meta.url));

const word = z.string().min(1, 'must be a non-empty string');
const words = z.array(word);
const weights = z.record(word, z.number().positive('must be a positive weight'));
const count = z.number().int().positive();
const guard = z
  .object({ notFollowedBy: words.optional(), notPrecededBy: words.optional(), riskOnly: z.boolean().optional() })
  .strict();
const topicRecord = <T extends z.ZodType>(value: T) =>
  z.object(Object.fromEntries(TOPIC_CODES.map((t) => [t, value])) as Record<(typeof TOPIC_CODES)[number], T>).strict();

const RulesSchema = z
  .object({
    version: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'must look like grading-2026.12-1'),
    thresholds: z
      .object({
        majorPeople: count,
        keyPeople: count,
        majorAmountYuan: count,
        keyAmountYuan: count,
        majorInjured: count,
        repeatMin: count,
      })
      .strict()
      .refine((t) => t.keyPeople < t.majorPeople, 'keyPeople must be below majorPeople')
      .refine((t) => t.keyAmountYuan < t.majorAmountYuan, 'keyAmountYuan must be below majorAmountYuan'),
    windows: z
      .object({
        negation: count,
        singleNegatorGap: z.number().int().min(0),
        sentimentModifier: count,
        casualtyCountBefore: count,
        casualtyCountAfter: count,
        repeatVerbBefore: count,
        repeatVerbAfter: count,
        moneyCue: count,
      })
      .strict(),
    clausePunctuation: z.string().min(1),
    tradToSimp: z.string(),
    risk: z
      .object({
        extreme: words,
        violence: words,
        mass_action: words,
        over_heads: words,
        media: words,
        vulnerable: words,
        sensitive: words,
      })
      .strict(),
    casualty: z
      .object({
        death: words,
        naturalDeath: words,
        injury: words,
        vaguePlural: words,
        vagueCount: count,
        numeralDeathExceptions: words,
        numeralInjuryExceptions: words,
      })
      .strict(),
    negation: z.object({ negators: words.min(1), nonNegating: words, breakers: words }).strict(),
    guards: z.record(word, guard),
    contextual: z.object({ window: count, terms: z.record(word, words) }).strict(),
    people: z
      .object({
        counters: words.min(1),
        personNouns: words,
        householdNouns: words,
        otherSide: words,
        counterExceptions: z.record(word, words),
        singular: words,
        plural: words,
      })
      .strict(),
    money: z.object({ units: words.min(1), cues: words, nonMoneyFollowers: z.string(), peopleCues: words }).strict(),
    repeat: z.object({ verbs: words.min(1) }).strict(),
    topics: topicRecord(weights),
    repeatedKeywordFactor: z.number().min(0).max(1),
    topicPriority: z
      .array(z.enum(TOPIC_CODES as [string, ...string[]]))
      .refine((p) => new Set(p).size === TOPIC_CODES.length, `must list each of the ${TOPIC_CODES.length} topics once`),
    sentiment: z
      .object({
        negative: weights,
        positive: weights,
        consult: words,
        degree: weights,
        negators: words,
        defaultLabel: z.enum(['negative', 'neutral']),
        defaultScore: z.number().min(-1).max(1),
        riskTermWeight: z.number().min(0),
        questionClauseFactor: z.number().min(0).max(1),
        consultNegativeMin: z.number().min(0),
        consultPositiveMin: z.number().min(0),
        flipFactor: z.number().min(0).max(1),
        neutralScoreLimit: z.number().min(0).max(1),
      })
      .strict(),
    maxRiskTerms: count,
  })
  .strict();

export class RulesError extends Error {}

/** Validates parsed JSON as rules; `source` names the file in the error. */
export function parseRules(raw: unknown, source = 'rules'): Rules {
  const parsed = RulesSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new RulesError(`${source}: invalid rules: ${problems}`);
  }
  return parsed.data as Rules;
}

/** Reads and validates a rules file. */
export function loadRules(file = DEFAULT_RULES_FILE): Rules {
  let raw: unknown;
  try {
    raw = readJsonFile(file);
  } catch (cause) {
    throw new RulesError((cause as Error).message, { cause });
  }
  return parseRules(raw, file);
}
