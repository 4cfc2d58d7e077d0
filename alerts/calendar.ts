import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readJsonFile } from '../ingest/read-json.ts';
import { TOPIC_CODES, type TopicCode } from '../ingest/taxonomy.ts';
import { zonedDate } from '../ingest/time.ts';
import type { Bilingual } from './types.ts';

export const DEFAULT_CALENDAR = fileURLToPath(new URL('../config/rules/sensitive-periods.json', import.meta.url));

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

const CalendarSchema = z
  .object({
    $comment: z.string().optional(),
    periods: z.array(
      z
        .object({
          id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be a–z, 0–9 and -'),
          name: z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict(),
          from: date,
          to: date,
          /** Multiplies the counts and ratios rules need (so < 1 tightens them). */
          factor: z.number().gt(0).max(1),
          topics: z
            .array(z.enum(TOPIC_CODES as [TopicCode, ...TopicCode[]]))
            .min(1)
            .optional(),
        })
        .strict()
        .refine((p) => p.from <= p.to, { message: 'to must not be before from', path: ['to'] }),
    ),
  })
  .strict();

export interface SensitivePeriod {
  id: string;
  name: Bilingual;
  from: string;
  to: string;
  factor: number;
  topics?: TopicCode[] | undefined;
}

/** The sensitive-period calendar (敏感时期): holidays, the wage season, major meetings. */
export interface Calendar {
  /** The tightest period in force at `at` for a topic (null topic: periods that cover every topic). */
  periodAt(at: Date, topic: string | null): SensitivePeriod | null;
  readonly periods: readonly SensitivePeriod[];
}

export function parseCalendar(raw: unknown, timeZone: string, source = 'sensitive periods'): Calendar {
  const parsed = CalendarSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') ?? '';
    throw new Error(`${source}: ${path.replace(/^\./, '') || '(root)'}: ${issue?.message}`);
  }
  return createCalendar(parsed.data.periods, timeZone);
}

export function loadCalendar(timeZone: string, file = DEFAULT_CALENDAR): Calendar {
  return parseCalendar(readJsonFile(file), timeZone, file);
}

export function createCalendar(periods: readonly SensitivePeriod[], timeZone: string): Calendar {
  // Evaluations ask about the same few days over and over (the backtest: thousands of times).
  const byDay = new Map<string, SensitivePeriod[]>();
  const inForce = (day: string) => {
    let found = byDay.get(day);
    if (!found) byDay.set(day, (found = periods.filter((p) => p.from <= day && day <= p.to)));
    return found;
  };
  return {
    periods,
    periodAt(at, topic) {
      let best: SensitivePeriod | null = null;
      for (const p of inForce(zonedDate(at, timeZone))) {
        if (p.topics && (topic === null || !(p.topics as string[]).includes(topic))) continue;
        if (!best || p.factor < best.factor) best = p;
      }
      return best;
    },
  };
}

export const EMPTY_CALENDAR: Calendar = createCalendar([], 'UTC');
