import { validateDetailed } from 'node-cron';
import { z } from 'zod';
import { readJsonFile } from '../read-json.ts';

/** Every five minutes: often enough to catch a post the day it appears, gentle on small forums. */
export const DEFAULT_FEED_SCHEDULE = '*/5 * * * *';

/** What a feed is allowed to be: the formats `parseFeed` reads, or `auto` to tell from the body. */
export const FEED_FORMATS = ['auto', 'rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/** One monitored feed. */
export interface FeedConfig {
  /** Lowercase letters, digits and `-`; prefixes every item's externalId, so never rename it. */
  id: string;
  /** Where the feed is fetched from (http or https). */
  url: string;
  /** `auto` (default) tells RSS, Atom and JSON Feed apart from the body. */
  format?: FeedFormat;
  /** Keep an item only when its title or text contains at least one of these (when given). */
  include?: string[];
  /** Drop an item when its title or text contains any of these. */
  exclude?: string[];
  /** 6-digit division code given to every petition from this feed (e.g. a district's own forum). */
  regionCode?: string;
}

/** The `config/feeds.json` file: when to poll, and what. */
export interface FeedsConfig {
  /** Cron expression (node-cron, 5 or 6 fields), in the region's time zone. */
  schedule: string;
  feeds: FeedConfig[];
}

/** Long enough for a readable name, short enough that `${id}:${sha256}` stays within 200 characters. */
const MAX_ID_CHARS = 64;

const keywords = z
  .array(z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty'), {
    error: 'must be an array of keywords',
  })
  .optional();

const FeedSchema = z.strictObject(
  {
    id: z
      .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
      .regex(/^[a-z0-9-]+$/, 'must be lowercase letters, digits and - only')
      .max(MAX_ID_CHARS, `must be at most ${MAX_ID_CHARS} characters`),
    url: z
      .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
      .refine(isHttpUrl, 'must be an http(s) URL'),
    format: z.enum(FEED_FORMATS, { error: `must be one of ${FEED_FORMATS.join(', ')}` }).optional(),
    include: keywords,
    exclude: keywords,
    regionCode: z
      .string({ error: 'must be a string' })
      .regex(/^\d{6}$/, 'must be a 6-digit administrative division code, e.g. 320508')
      .optional(),
  },
  { error: (i) => (i.code === 'unrecognized_keys' ? undefined : 'must be an object with id and url') },
);

const FeedsSchema = z
  .strictObject(
    {
      schedule: z
        .string({ error: 'must be a cron expression string' })
        .default(DEFAULT_FEED_SCHEDULE)
        .superRefine((value, ctx) => {
          const problem = cronProblem(value);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      feeds: z.array(FeedSchema, {
        error: (i) => (i.input === undefined ? 'is required' : 'must be an array of feeds'),
      }),
    },
    { error: (i) => (i.code === 'unrecognized_keys' ? undefined : 'must be an object with schedule and feeds') },
  )
  .superRefine((config, ctx) => {
    // The id is the feed's identity in externalIds and stored state; two feeds sharing one would
    // swallow each other's items as duplicates and overwrite each other's ETag.
    const seen = new Map<string, number>();
    config.feeds.forEach((feed, i) => {
      const first = seen.get(feed.id);
      if (first === undefined) seen.set(feed.id, i);
      else ctx.addIssue({ code: 'custom', path: ['feeds', i, 'id'], message: `repeats feeds.${first}.id` });
    });
  });

function isHttpUrl(value: string): boolean {
  // URL.canParse alone accepts "javascript:" or "file:"; fetch must only ever go to the web.
  if (!URL.canParse(value)) return false;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'http:' || protocol === 'https:') && hostname.length > 0;
}

function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    return `must be a cron expression of 5 fields (minute hour day month weekday; 6 with seconds first), e.g. ${DEFAULT_FEED_SCHEDULE}`;
  }
  const detail = validateDetailed(expression);
  if (detail.valid) return null;
  const first = detail.errors[0];
  return `is not a valid cron expression${first ? `: ${first.field}: ${first.message}` : ''}`;
}

/**
 * Validates a feeds config object. Throws an Error that names the source and, for every problem, the
 * exact field path and what is wrong, e.g. `config/feeds.json: feeds.1.url: must be an http(s) URL`.
 */
export function parseFeedsConfig(raw: unknown, source: string): FeedsConfig {
  const parsed = FeedsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      // zod puts the object's path on the issue and the offending names in `keys`; name each field.
      return issue.keys.map((k) => `${[...issue.path, k].join('.')}: unknown field`).join('; ');
    }
    return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
  });
  throw new Error(`Feeds config ${source}: ${problems.join('; ')}`);
}

/** Reads and validates a feeds config file (see `config/feeds.example.json`). */
export function loadFeedsConfig(path: string): FeedsConfig {
  return parseFeedsConfig(readJsonFile(path), path);
}
