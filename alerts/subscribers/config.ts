import { inspect } from 'node:util';
import { z } from 'zod';
import { readJsonFile } from '../../ingest/read-json.ts';
import { ALERT_SEVERITIES, type AlertSeverity } from '../types.ts';

/**
 * Who hears about alerts outside the duty room: webhooks, e-mail lists and SMS gateways, read from a
 * JSON file (config/alerts/subscribers.example.json shows the form). Secrets are never in the file:
 * it names the environment variables that hold them, and a missing one is refused at start-up rather
 * than discovered at the first alert.
 */

/** The alert events a subscriber can be told about (the outbox's `event` column). */
export const DELIVERY_EVENTS = ['raised', 'escalated', 'renotified', 'resolved'] as const;
export type DeliveryEvent = (typeof DELIVERY_EVENTS)[number];

export const SUBSCRIBER_KINDS = ['webhook', 'email', 'sms'] as const;
export type SubscriberKind = (typeof SUBSCRIBER_KINDS)[number];

/** Default HTTP timeout of webhooks and SMS gateways. */
export const DEFAULT_TIMEOUT_MS = 5000;
/** An HMAC key shorter than this is guessable; the inbound hotline webhooks ask the same. */
export const MIN_SECRET_CHARS = 16;

/**
 * A secret read from the environment. It prints, serialises and interpolates as `[redacted]`, so a
 * subscriber can be logged or dumped whole without leaking it; only {@link Secret.reveal} gives it.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return '[redacted]';
  }
}

/** Which alerts a subscriber wants; an absent list means any. */
export interface SubscriberScope {
  /** 6-digit division codes; one ending in 00 also covers the divisions under it (320500: 3205xx). */
  regions?: string[];
  /** Topic codes (labour, land, …). Accusation alerts (conduct) reach only a list that names conduct. */
  topics?: string[];
  /** Alert kinds (instant.extreme, volume, joint, …). */
  kinds?: string[];
}

interface SubscriberBase {
  /** Unique; stored on every delivery, so renaming one orphans its pending deliveries. */
  id: string;
  minSeverity: AlertSeverity;
  scope?: SubscriberScope;
  /** The events it is told about; all of them unless the file says otherwise. */
  events: DeliveryEvent[];
}

export interface WebhookSubscriber extends SubscriberBase {
  kind: 'webhook';
  url: string;
  /** Name of the environment variable holding the HMAC secret. */
  secretEnv: string;
  secret: Secret;
  timeoutMs: number;
}

export interface EmailSubscriber extends SubscriberBase {
  kind: 'email';
  to: string[];
  from: string;
  /** Name of the environment variable holding the SMTP URL (smtp[s]://user:pass@host:port). */
  smtpUrlEnv: string;
  smtpUrl: Secret;
}

export interface SmsSubscriber extends SubscriberBase {
  kind: 'sms';
  /** The gateway's HTTP endpoint; it is sent `{ to, text }` as JSON. */
  url: string;
  /** Name of the environment variable holding the gateway's bearer token, if it wants one. */
  tokenEnv?: string;
  token?: Secret;
  /** Mainland mobile numbers, 11 digits. */
  to: string[];
  timeoutMs: number;
}

export type Subscriber = WebhookSubscriber | EmailSubscriber | SmsSubscriber;

/** A refused subscribers file; the message names the source and every field at fault. */
export class SubscriberConfigError extends Error {
  /** `path: reason`, one per problem. */
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`Alert subscribers ${source}: ${problems.join('; ')}`);
    this.name = 'SubscriberConfigError';
    this.problems = problems;
  }
}

const required = (what: string) => (i: { input: unknown }) => (i.input === undefined ? 'is required' : what);

const ID = z
  .string({ error: required('must be a string') })
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, - and _ only')
  .max(64, 'must be at most 64 characters');

const HttpUrl = z
  .string({ error: required('must be an https:// or http:// URL') })
  .refine(isHttpUrl, 'must be an https:// or http:// URL');

const EnvName = z
  .string({ error: required('must be the name of an environment variable') })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable, e.g. ALERT_WEBHOOK_SECRET');

const Timeout = z
  .number({ error: 'must be a number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .min(100, 'must be at least 100 (milliseconds)')
  .max(60_000, 'must be at most 60000 (milliseconds)')
  .default(DEFAULT_TIMEOUT_MS);

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/;
/** Mainland China mobile numbers (no +86, no spaces). */
const MOBILE = /^1[3-9]\d{9}$/;

const codes = (what: string, pattern: RegExp, message: string) =>
  z
    .array(z.string({ error: 'must be a string' }).regex(pattern, message), { error: `must be an array of ${what}` })
    .min(1, `must list at least one ${what.replace(/s$/, '')}, or be left out to mean any`)
    .optional();

const ScopeSchema = z.strictObject(
  {
    regions: codes('division codes', /^\d{6}$/, 'must be a 6-digit administrative division code, e.g. 320508'),
    topics: codes('topic codes', /^[a-z_]+$/, 'must be a topic code, e.g. labour or conduct'),
    kinds: codes('alert kinds', /^[a-z_]+(\.[a-z_]+)*$/, 'must be an alert kind, e.g. volume or instant.extreme'),
  },
  { error: (i) => (i.code === 'unrecognized_keys' ? undefined : 'must be an object with regions, topics or kinds') },
);

const base = {
  id: ID,
  minSeverity: z.enum(ALERT_SEVERITIES, { error: required(`must be one of ${ALERT_SEVERITIES.join(', ')}`) }),
  scope: ScopeSchema.optional(),
  events: z
    .array(z.enum(DELIVERY_EVENTS, { error: `must be one of ${DELIVERY_EVENTS.join(', ')}` }), {
      error: 'must be an array of events',
    })
    .min(1, 'must list at least one event, or be left out to mean all')
    .default([...DELIVERY_EVENTS]),
};

const strictOf = (kind: string) => (i: { code?: string }) =>
  i.code === 'unrecognized_keys' ? undefined : `must be an object describing a ${kind} subscriber`;

const WebhookSchema = z.strictObject(
  {
    kind: z.literal('webhook'),
    ...base,
    url: HttpUrl,
    secretEnv: EnvName,
    timeoutMs: Timeout,
  },
  { error: strictOf('webhook') },
);

const EmailSchema = z.strictObject(
  {
    kind: z.literal('email'),
    ...base,
    to: z
      .array(
        z.string({ error: 'must be a string' }).regex(EMAIL, 'must be an e-mail address, e.g. duty@example.gov.cn'),
        {
          error: required('must be an array of e-mail addresses'),
        },
      )
      .min(1, 'must list at least one address'),
    from: z
      .string({ error: required('must be an e-mail address') })
      .refine(isFromAddress, 'must be an e-mail address, optionally with a name: 稳控预警 <alerts@example.gov.cn>'),
    smtpUrlEnv: EnvName.default('SMTP_URL'),
  },
  { error: strictOf('email') },
);

const SmsSchema = z.strictObject(
  {
    kind: z.literal('sms'),
    ...base,
    url: HttpUrl,
    tokenEnv: EnvName.optional(),
    to: z
      .array(
        z
          .string({ error: 'must be a string' })
          .regex(MOBILE, 'must be a mainland mobile number of 11 digits, e.g. 13912345678'),
        { error: required('must be an array of mobile numbers') },
      )
      .min(1, 'must list at least one number'),
    timeoutMs: Timeout,
  },
  { error: strictOf('sms') },
);

const SubscriberSchema = z.discriminatedUnion('kind', [WebhookSchema, EmailSchema, SmsSchema], {
  error: (i) =>
    i.code === 'invalid_union'
      ? `must be one of ${SUBSCRIBER_KINDS.join(', ')}`
      : 'must be an object with id, kind and minSeverity',
});

const FileSchema = z.strictObject(
  {
    $comment: z.string({ error: 'must be a string' }).optional(),
    subscribers: z.array(SubscriberSchema, { error: required('must be an array of subscribers') }),
  },
  {
    error: (i) => (i.code === 'unrecognized_keys' ? undefined : 'must be an object with a subscribers array'),
  },
);

type Parsed = z.infer<typeof SubscriberSchema>;

function isHttpUrl(value: string): boolean {
  // URL.canParse alone accepts javascript: or file:; alerts only ever go to the web.
  if (!URL.canParse(value)) return false;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'http:' || protocol === 'https:') && hostname.length > 0;
}

function isFromAddress(value: string): boolean {
  const named = /^[^<>]*<([^<>]+)>$/.exec(value.trim());
  return EMAIL.test(named ? named[1]!.trim() : value.trim());
}

/** `subscribers[2].scope.regions[0]`: the path as a reader of the JSON file would write it. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(root)';
}

function structuralProblems(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => `${formatPath([...issue.path, k])}: unknown field`);
    }
    return [`${formatPath(issue.path)}: ${issue.message}`];
  });
}

/** The value of a named environment variable, or the reason it cannot be used (never the value). */
function envSecret(env: NodeJS.ProcessEnv, name: string, check?: (v: string) => string | null): Secret | string {
  const value = env[name];
  if (value === undefined || value.trim() === '') return `environment variable ${name} is not set`;
  const problem = check?.(value);
  return problem ? `environment variable ${name} ${problem}` : new Secret(value);
}

const hmacKey = (v: string) => (v.length < MIN_SECRET_CHARS ? `must be at least ${MIN_SECRET_CHARS} characters` : null);

function smtpUrl(v: string): string | null {
  if (!URL.canParse(v)) return 'must be an smtp:// or smtps:// URL';
  const { protocol, hostname } = new URL(v);
  return (protocol === 'smtp:' || protocol === 'smtps:') && hostname ? null : 'must be an smtp:// or smtps:// URL';
}

function resolve(s: Parsed, at: string, env: NodeJS.ProcessEnv, problems: string[]): Subscriber | null {
  const common = {
    id: s.id,
    minSeverity: s.minSeverity,
    events: s.events,
    ...(s.scope ? { scope: s.scope } : {}),
  };
  switch (s.kind) {
    case 'webhook': {
      const secret = envSecret(env, s.secretEnv, hmacKey);
      if (typeof secret === 'string') {
        problems.push(`${at}.secretEnv: ${secret}`);
        return null;
      }
      return { ...common, kind: 'webhook', url: s.url, secretEnv: s.secretEnv, secret, timeoutMs: s.timeoutMs };
    }
    case 'email': {
      const url = envSecret(env, s.smtpUrlEnv, smtpUrl);
      if (typeof url === 'string') {
        problems.push(`${at}.smtpUrlEnv: ${url}`);
        return null;
      }
      return { ...common, kind: 'email', to: s.to, from: s.from.trim(), smtpUrlEnv: s.smtpUrlEnv, smtpUrl: url };
    }
    case 'sms': {
      const out: SmsSubscriber = { ...common, kind: 'sms', url: s.url, to: s.to, timeoutMs: s.timeoutMs };
      if (s.tokenEnv !== undefined) {
        const token = envSecret(env, s.tokenEnv);
        if (typeof token === 'string') {
          problems.push(`${at}.tokenEnv: ${token}`);
          return null;
        }
        out.tokenEnv = s.tokenEnv;
        out.token = token;
      }
      return out;
    }
  }
}

/**
 * Validates a subscribers file's content: `{ "subscribers": [...] }` (a bare array is read as that
 * list). Checks every field, that ids are unique and that every named environment variable is set.
 * Throws {@link SubscriberConfigError} naming each field, e.g.
 * `subscribers[2].url: must be an https:// or http:// URL`; secrets never appear in it.
 */
export function parseSubscribers(raw: unknown, source: string, env: NodeJS.ProcessEnv): Subscriber[] {
  const parsed = FileSchema.safeParse(Array.isArray(raw) ? { subscribers: raw } : raw);
  if (!parsed.success) throw new SubscriberConfigError(source, structuralProblems(parsed.error));

  const problems: string[] = [];
  const seen = new Map<string, number>();
  const out: Subscriber[] = [];
  parsed.data.subscribers.forEach((s, i) => {
    const at = formatPath(['subscribers', i]);
    // The id is stored on every delivery row; two subscribers sharing one would read each other's log.
    const first = seen.get(s.id);
    if (first === undefined) seen.set(s.id, i);
    else problems.push(`${at}.id: repeats ${formatPath(['subscribers', first, 'id'])} ("${s.id}")`);
    const resolved = resolve(s, at, env, problems);
    if (resolved) out.push(resolved);
  });
  if (problems.length > 0) throw new SubscriberConfigError(source, problems);
  return out;
}

/** Reads and validates a subscribers file (see config/alerts/subscribers.example.json). */
export function loadSubscribers(file: string, env: NodeJS.ProcessEnv = process.env): Subscriber[] {
  return parseSubscribers(readJsonFile(file), file, env);
}
