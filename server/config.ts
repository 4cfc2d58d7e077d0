import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

/** Every setting, from the environment. The README's configuration table lists the same names. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  demoFeed: boolean;
  /** Demo petitions per minute, on average over a day. */
  demoRate: number;
  regionPack: string;
  /** `id:base64key[,…]`; undefined → a key file under DATA_DIR is used (created on first start). */
  contactKeys: string | undefined;
  /** Base64 32-byte key of the blind person index; kept across contact-key rotations. */
  contactIndexKey: string | undefined;
  /** `hotline:<secret>,enterprise_hotline:<secret>`: shared secrets of the signed work-order webhooks. */
  webhookSecrets: string | undefined;
  /** Path of the hotline work-order field map (default config/channels/hotline.json). */
  hotlineFieldMap: string | undefined;
  /** The Open311 jurisdiction_id this server answers to (besides the region code). */
  open311Jurisdiction: string | undefined;
  /** imap(s)://user:password@host:port/mailbox of the petitions mailbox; unset: no e-mail channel. */
  imapUrl: string | undefined;
  /** When the mailbox is polled (cron). */
  imapSchedule: string;
  /** Path of the feeds configuration (config/feeds.example.json shows the form); unset: no feeds. */
  feedsConfig: string | undefined;
  /** Path of the alert rules (default config/rules/alerts.json). */
  alertRules: string | undefined;
  /** Path of the alert subscribers (config/alerts/subscribers.example.json shows the form); unset: none. */
  alertSubscribers: string | undefined;
  /** The console's public address (https://…), for links in alert messages; unset: where it listens. */
  publicUrl: string | undefined;
  quiet: boolean;
  /** Analyser threads beside the main thread; 0 analyses on the main thread. */
  analysisThreads: number;
  /** Intake requests per second per API key (bursts of 10× allowed). */
  intakeRatePerSecond: number;
  /** `open`: anyone may view the wall (it never shows personal data); `signed-in`: a session or kiosk. */
  wallAccess: 'open' | 'signed-in';
  /** Seed one demo account per role on an empty embedded database and print the credentials. */
  demoAccounts: boolean;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on or off, got "${env[name]}"`);
}

function wallAccess(env: NodeJS.ProcessEnv, databaseUrl: string | undefined): 'open' | 'signed-in' {
  const raw = env.WALL_ACCESS || (databaseUrl ? 'signed-in' : 'open');
  if (raw !== 'open' && raw !== 'signed-in') {
    throw new ConfigError(`WALL_ACCESS must be open or signed-in, got "${raw}"`);
  }
  return raw;
}

function publicUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.PUBLIC_URL;
  if (!raw) return undefined;
  if (!/^https?:\/\/[^/\s]+/.test(raw)) throw new ConfigError(`PUBLIC_URL must be an http(s):// address, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

/** Reads and checks the configuration; throws a {@link ConfigError} naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir: resolve(env.DATA_DIR || './data'),
    // The demo feed is on by default only on embedded storage: never fill a real database with it unasked.
    demoFeed: onOff(env, 'DEMO_FEED', !databaseUrl),
    demoRate: integer(env, 'DEMO_RATE', 40, 1, 100_000),
    regionPack: env.REGION_PACK || 'suzhou',
    contactKeys: env.CONTACT_KEYS || undefined,
    contactIndexKey: env.CONTACT_INDEX_KEY || undefined,
    webhookSecrets: env.WEBHOOK_SECRETS || undefined,
    hotlineFieldMap: env.HOTLINE_FIELD_MAP || undefined,
    open311Jurisdiction: env.OPEN311_JURISDICTION || undefined,
    imapUrl: env.IMAP_URL || undefined,
    imapSchedule: env.IMAP_SCHEDULE || '* * * * *',
    feedsConfig: env.FEEDS_CONFIG || undefined,
    alertRules: env.ALERT_RULES || undefined,
    alertSubscribers: env.ALERT_SUBSCRIBERS || undefined,
    publicUrl: publicUrl(env),
    quiet: onOff(env, 'QUIET', false),
    intakeRatePerSecond: integer(env, 'INTAKE_RATE_PER_SECOND', 50, 1, 1_000_000),
    // One per core: PostgreSQL and the main thread then share what analysis leaves.
    analysisThreads: integer(env, 'ANALYSIS_THREADS', Math.min(4, availableParallelism()), 0, 64),
    wallAccess: wallAccess(env, databaseUrl),
    demoAccounts: onOff(env, 'DEMO_ACCOUNTS', !databaseUrl),
  };
}
