import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readJsonFile } from '../ingest/read-json.ts';
import { TOPIC_CODES, type TopicCode } from '../ingest/taxonomy.ts';
import { ALERT_SEVERITIES } from './types.ts';

export const DEFAULT_ALERT_RULES = fileURLToPath(new URL('../config/rules/alerts.json', import.meta.url));

const bilingual = z.object({ zh: z.string().min(1).max(80), en: z.string().min(1).max(120) }).strict();
const regionCode = z.string().regex(/^\d{6}$/, 'must be a 6-digit region code');

/** Filters: a rule looks only at petitions in these regions, topics and channels (absent: all). */
const scope = z
  .object({
    regions: z.array(regionCode).min(1).optional(),
    topics: z
      .array(z.enum(TOPIC_CODES as [TopicCode, ...TopicCode[]]))
      .min(1)
      .optional(),
    channels: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

/** The dimensions a window rule counts separately; [] counts the whole stream as one. */
const groupBy = z
  .array(z.enum(['region', 'topic', 'channel']))
  .max(3)
  .refine((g) => new Set(g).size === g.length, 'must not repeat a dimension');

const common = {
  id: z.string().regex(/^[a-z][a-z0-9-]{1,47}$/, 'must be 2–48 characters of a–z, 0–9 and -, starting with a letter'),
  name: bilingual,
  enabled: z.boolean().default(true),
  severity: z.enum(ALERT_SEVERITIES),
  scope: scope.default({}),
  /** Minutes a window condition must keep holding before it is raised; instant rules raise at once. */
  pendingMinutes: z.number().int().min(0).max(1440).default(0),
};

const minutes = (min: number, max: number) => z.number().int().min(min).max(max);

const InstantRule = z
  .object({
    ...common,
    kind: z.literal('instant'),
    condition: z.enum(['major', 'extreme', 'planned_mass_action']),
  })
  .strict();

const VolumeRule = z
  .object({
    ...common,
    kind: z.literal('volume'),
    groupBy,
    windowMinutes: minutes(10, 1440),
    /** Weeks of history the hour-of-week baseline is learned from. */
    baselineWeeks: z.number().int().min(1).max(12),
    /** Raise when P(X ≥ observed | baseline) falls below this (Poisson upper tail). */
    pValue: z.number().gt(0).lt(0.5),
    minCount: z.number().int().min(1),
    /** Expected count floor per window, so an empty history does not make every petition an anomaly. */
    minExpected: z.number().gt(0).default(0.5),
  })
  .strict();

const GrowthRule = z
  .object({
    ...common,
    kind: z.literal('growth'),
    groupBy,
    period: z.enum(['day', 'week']),
    /** Relative growth over the previous period that raises, e.g. 0.5 = +50 %. */
    threshold: z.number().gt(0),
    minCount: z.number().int().min(1),
  })
  .strict();

const NegativeIndexRule = z
  .object({
    ...common,
    kind: z.literal('negative_index'),
    groupBy,
    windowMinutes: minutes(30, 10080),
    /** 负面情感指数 (0–100) at or above which it raises. */
    threshold: z.number().min(1).max(100),
    minCount: z.number().int().min(1),
    /** ...and only when it is this many points above the scope's own index over the baseline days. */
    minRise: z.number().min(0).max(100).default(0),
    /** ...and that many negatives are improbable at the scope's own share (binomial upper tail). */
    pValue: z.number().gt(0).lt(0.5).default(0.001),
    baselineDays: z.number().int().min(1).max(60).default(7),
  })
  .strict();

const HotTopicRule = z
  .object({
    ...common,
    kind: z.literal('hot_topic'),
    windowMinutes: minutes(10, 1440),
    baselineDays: z.number().int().min(1).max(60),
    /** Burst: at least minCount in the window and this many times the baseline rate. */
    ratio: z.number().gt(1),
    minCount: z.number().int().min(2),
    /** Count risk terms, near-duplicate clusters (shared MinHash bands), or both. */
    sources: z
      .array(z.enum(['terms', 'clusters']))
      .min(1)
      .default(['terms', 'clusters']),
  })
  .strict();

const JointRule = z
  .object({
    ...common,
    kind: z.literal('joint'),
    windowMinutes: minutes(10, 10080),
    /** Near-duplicates from at least this many different petitioners (or unidentified senders). */
    minPetitioners: z.number().int().min(2),
    /** Share of the cluster that must come from its most common district: one matter has one place. */
    minSamePlace: z.number().gt(0).max(1).default(0.6),
    /**
     * Days of history a cluster is compared with: a complaint this common every week (a template, a
     * chronic nuisance) is not an organised action. It raises only at `ratio` × its usual rate.
     */
    baselineDays: z.number().int().min(1).max(60).default(7),
    ratio: z.number().gt(1).default(4),
  })
  .strict();

const RepeatRule = z
  .object({
    ...common,
    kind: z.literal('repeat'),
    windowDays: z.number().int().min(1).max(365),
    /** Petitions by the same person within the window (this one included) that raise. */
    minCount: z.number().int().min(2),
    /** A petitioner who threatens to go over heads (越级, 进京) needs one petition fewer (at least 2). */
    overHeads: z.boolean().default(true),
  })
  .strict();

const Rule = z.discriminatedUnion('kind', [
  InstantRule,
  VolumeRule,
  GrowthRule,
  NegativeIndexRule,
  HotTopicRule,
  JointRule,
  RepeatRule,
]);

const RuleSetSchema = z
  .object({
    $comment: z.string().optional(),
    /** Minutes after which an unacknowledged alert is notified again. */
    renotifyMinutes: minutes(1, 1440).default(15),
    rules: z.array(Rule).min(1),
  })
  .strict()
  .superRefine((set, ctx) => {
    const seen = new Map<string, number>();
    set.rules.forEach((r, i) => {
      if (r.kind === 'instant' && r.pendingMinutes > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'pendingMinutes'],
          message: 'instant rules raise at once; use a window rule to wait',
        });
      }
      const first = seen.get(r.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicates rules[${first}].id "${r.id}"` });
      }
      seen.set(r.id, i);
    });
  });

export type AlertRule = z.infer<typeof Rule>;
export type RuleKind = AlertRule['kind'];
export type RuleSet = z.infer<typeof RuleSetSchema>;
export type RuleOf<K extends RuleKind> = Extract<AlertRule, { kind: K }>;

/** One thing wrong with a rule set: where (`rules[2].windowMinutes`) and why. */
export interface RuleFieldError {
  path: string;
  message: string;
}

export class RuleSetError extends Error {
  constructor(
    readonly source: string,
    readonly errors: RuleFieldError[],
  ) {
    super(`${source}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
}

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

/** The content hash a rule set is versioned by: of its canonical JSON, so formatting does not count. */
export function ruleSetHash(set: RuleSet): string {
  return createHash('sha256').update(JSON.stringify(set)).digest('hex');
}

/**
 * Checks a rule set and fills its defaults; every problem is reported with its exact field. Throws a
 * {@link RuleSetError}; the caller keeps the rules already running.
 */
export function parseRuleSet(raw: unknown, source = 'alert rules'): RuleSet {
  const parsed = RuleSetSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new RuleSetError(
    source,
    parsed.error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message })),
  );
}

export function loadRuleSet(file = DEFAULT_ALERT_RULES): RuleSet {
  return parseRuleSet(readJsonFile(file), file);
}
