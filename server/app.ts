import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { join } from 'node:path';
import type { Db } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { openDb } from '../db/open.ts';
import { createDefaultAnalyser } from '../ingest/analyse/analyse.ts';
import type { Analyse } from '../ingest/analyse/types.ts';
import { createApiKeyAuthenticator } from '../ingest/api-keys.ts';
import {
  createContactSealer,
  generateContactKeySpec,
  parseContactKeys,
  type ContactSealer,
  createPersonIndex,
  personIndexKey,
} from '../ingest/contact-seal.ts';
import { createPipeline, type Pipeline } from '../ingest/pipeline.ts';
import { createAnalyserPool } from '../ingest/analyse/pool.ts';
import { loadHotlineFieldMap, parseWebhookSecrets } from '../ingest/channels/hotline.ts';
import { createHotlineIntake } from '../ingest/hotline-intake.ts';
import { loadDepartments } from '../ingest/departments.ts';
import { createOpen311 } from './open311.ts';
import { createRegisterImports, type RegisterImports } from './imports.ts';
import type { RemapContext } from '../ingest/channels/remap.ts';
import { loadFeedsConfig } from '../ingest/channels/feed.ts';
import { createRegionResolver, type RegionResolver } from '../ingest/region-resolver.ts';
import { createIntake, type Intake } from '../ingest/intake.ts';
import { createRateLimiter } from '../ingest/rate-limit.ts';
import { loadRegionPack, type RegionPack } from '../ingest/regions.ts';
import { createPetitionWriter, type PetitionWriter } from '../ingest/writer.ts';
import { attachRealtime, type Realtime } from '../realtime/gateway.ts';
import { LiveStats, readWallSnapshot } from '../realtime/live-stats.ts';
import { cookiesFromHeader, liveRooms, resolveIdentity } from './auth/identity.ts';
import { type Bus, createBus } from './bus.ts';
import type { Config } from './config.ts';
import { seedDemoAccounts } from './demo-accounts.ts';
import { type DemoFeed, startDemoFeed } from './demo-feed.ts';
import { computeKpis } from '../alerts/kpis.ts';
import { type Alerting, createAlerting } from './alerting.ts';
import { channelJobs } from './channel-jobs.ts';
import { JOBS, startJobs } from './jobs.ts';
import { createLog, type Log } from './log.ts';
import { createMetrics, type Metrics } from './metrics.ts';

/** Everything a request handler, the realtime gateway or a job needs: built once per process. */
export interface AppContext {
  config: Config;
  log: Log;
  db: Db;
  storageMode: 'plain' | 'timescale';
  region: RegionPack;
  bus: Bus;
  metrics: Metrics;
  sealer: ContactSealer;
  writer: PetitionWriter;
  intake: Intake;
  /** Every channel's way in: validate, analyse, commit, dead-letter. */
  pipeline: Pipeline;
  resolver: RegionResolver;
  /** Signed hotline work-order webhooks. */
  hotlineIntake: ReturnType<typeof createHotlineIntake>;
  /** What retrying a kept original needs (server/dead-letters.ts). */
  remapContext(now: Date): RemapContext;
  /** Register (登记表) imports of the upload page: preview, then commit with progress. */
  imports: RegisterImports;
  /** Open311 GeoReport v2. */
  open311: ReturnType<typeof createOpen311>;
  /** Blind person keys of a contact (same-person hints). */
  personIndex: ReturnType<typeof createPersonIndex>;
  /** Early warning: rules, engine, lifecycle and who may see which alert. */
  alerts: Alerting;
  stats: LiveStats;
  analyse: Analyse;
  now: () => Date;
  /** The live rooms a socket handshake's credentials allow (see realtime/gateway.ts), or null. */
  roomsFor(handshake: { cookie: string | undefined }): Promise<string[] | null>;
  /** Starts background work (the demo feed, demo accounts); `baseUrl` is where the server listens. */
  start(baseUrl: string): Promise<void>;
  /** Stops background work, flushes pending writes and closes the database. */
  close(): Promise<void>;
}

export interface CreateAppOptions {
  /** An already open database (tests); otherwise the configured one is opened. */
  db?: Db;
  now?: () => Date;
  log?: Log;
}

/** Opens storage, migrates, and wires intake → storage → live state. */
export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<AppContext> {
  const log = options.log ?? createLog(config.quiet);
  const now = options.now ?? (() => new Date());
  const region = loadRegionPack(config.regionPack);
  const db = options.db ?? (await openDb({ ...config, onError: (e) => log.error('database connection error', e) }));
  const { applied, storageMode } = await migrate(db);
  if (applied.length > 0) log.info(`migrated: ${applied.join(', ')}`);
  log.info(`storage: ${db.engine} (${storageMode})`);

  // Loads and checks the rules and the topic model now, so a bad file stops the start, not a request.
  const analyse = createDefaultAnalyser(region);
  const contactKeys = parseContactKeys(config.contactKeys ?? localContactKeys(config.dataDir, log));
  const sealer = createContactSealer(contactKeys);
  const personIndex = createPersonIndex(personIndexKey(config.contactIndexKey, contactKeys));
  const bus = createBus((error, event) => log.error(`subscriber of ${event} failed`, error));
  const metrics = createMetrics();
  const writer = createPetitionWriter({ db, storageMode, sealer, personIndex, publish: bus.publish });
  const resolver = createRegionResolver(region);
  const pool =
    config.analysisThreads > 0
      ? await createAnalyserPool({ size: config.analysisThreads, regionPack: config.regionPack })
      : null;
  const pipeline = createPipeline({
    db,
    analyse,
    pool,
    writer,
    sealer,
    resolver,
    now,
    log: (m, e) => log.error(m, e),
  });
  const hotlineFieldMap = loadHotlineFieldMap(config.hotlineFieldMap);
  const feeds = config.feedsConfig ? loadFeedsConfig(config.feedsConfig) : null;
  const hotlineIntake = createHotlineIntake({
    submit: pipeline.submit,
    secrets: parseWebhookSecrets(config.webhookSecrets),
    fieldMap: hotlineFieldMap,
    resolver,
    now,
  });
  const authenticator = createApiKeyAuthenticator(db);
  const open311 = createOpen311({
    db,
    submit: pipeline.submit,
    authenticator,
    resolver,
    region,
    departments: loadDepartments(),
    jurisdictions: [config.open311Jurisdiction ?? region.code, region.code],
    now,
  });
  const intake = createIntake({
    authenticator,
    rateLimiter: createRateLimiter({
      capacity: config.intakeRatePerSecond * 10,
      perSecond: config.intakeRatePerSecond,
    }),
    submit: pipeline.submit,
    metrics: metrics.intake,
    now,
  });

  const stats = new LiveStats(region.timezone, now());
  const seededAt = now();
  stats.seed(await readWallSnapshot(db, region.timezone, seededAt), seededAt);

  // Built now so that a bad IMAP_URL or feeds file stops the start with its reason.
  const channels = channelJobs(config, { db, submit: pipeline.submit, log });
  // Likewise invalid alert rules (with no earlier version stored) stop the start, naming the field.
  const alerts = await createAlerting({
    db,
    bus,
    region,
    log,
    now,
    rulesFile: config.alertRules,
    subscribersFile: config.alertSubscribers,
    publicUrl: config.publicUrl,
  });
  let demo: DemoFeed | null = null;
  let jobs: { stop(): Promise<void> } | null = null;
  return {
    config,
    log,
    db,
    storageMode,
    region,
    bus,
    metrics,
    sealer,
    writer,
    intake,
    pipeline,
    resolver,
    hotlineIntake,
    open311,
    remapContext: (at) => ({ now: at, resolver, hotlineFieldMap, feeds }),
    imports: createRegisterImports({
      submit: pipeline.submit,
      now,
      resolveRegion: (cell) => resolver.fromCell(cell),
      log: (m, e) => log.error(m, e),
    }),
    personIndex,
    alerts,
    stats,
    analyse,
    now,
    async roomsFor({ cookie }) {
      const identity = await resolveIdentity(db, cookiesFromHeader(cookie), now());
      return liveRooms(identity, config.wallAccess);
    },
    async start(baseUrl) {
      jobs = startJobs({ db, log }, region.timezone, [...JOBS, ...channels.jobs, ...alerts.jobs]);
      alerts.start(baseUrl);
      if (config.demoAccounts) await seedDemoAccounts(db, log, baseUrl, now());
      if (config.demoFeed) demo = await startDemoFeed({ db, intake, region, ratePerMinute: config.demoRate, log, now });
    },
    async close() {
      await jobs?.stop();
      await channels.close();
      await demo?.stop();
      await writer.close();
      await alerts.close();
      await pool?.close();
      await db.close();
    },
  };
}

/**
 * Without CONTACT_KEYS the embedded set-up keeps its own key beside the data (created once, mode 0600),
 * so `npm start` needs no configuration. Production sets CONTACT_KEYS from a secret store.
 */
function localContactKeys(dataDir: string, log: Log): string {
  const file = join(dataDir, 'contact-keys');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const spec = generateContactKeySpec();
  writeFileSync(file, `${spec}\n`, { mode: 0o600 });
  log.warn(`CONTACT_KEYS not set: created ${file}; back it up, or contacts cannot be read`);
  return spec;
}

/** Attaches the realtime gateway for this app to an HTTP server (production or Vite's dev server). */
export function attachAppRealtime(httpServer: HttpServer, app: AppContext): Realtime {
  return attachRealtime(httpServer, {
    bus: app.bus,
    stats: app.stats,
    audiences: app.alerts.audiences,
    kpis: () => computeKpis(app.db, app.now(), app.region.timezone),
    onError: (m, e) => app.log.error(m, e),
    now: app.now,
    onClientCount: app.metrics.setClients,
    roomsFor: (handshake) => app.roomsFor(handshake),
  });
}
