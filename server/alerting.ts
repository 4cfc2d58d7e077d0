import { type Audiences, loadAudiences } from '../alerts/audiences.ts';
import { loadCalendar } from '../alerts/calendar.ts';
import { type AlertEngine, type AlertNotify, createAlertEngine } from '../alerts/engine.ts';
import { createDeliveryWorker, type DeliveryWorker, enqueueDeliveries } from '../alerts/deliveries.ts';
import type { LifecycleDeps } from '../alerts/lifecycle.ts';
import { loadSubscribers } from '../alerts/subscribers/config.ts';
import { loadRiskModel } from '../alerts/risk.ts';
import { openRuleStore, type RuleStore } from '../alerts/rule-store.ts';
import { DEFAULT_ALERT_RULES } from '../alerts/rules.ts';
import type { Db } from '../db/client.ts';
import { databaseAlertSource } from '../db/queries/alert-source.ts';
import type { RegionPack } from '../ingest/regions.ts';
import type { Bus } from './bus.ts';
import type { Job } from './jobs.ts';
import type { Log } from './log.ts';

export interface Alerting {
  engine: AlertEngine;
  rules: RuleStore;
  audiences: Audiences;
  /** What the duty console's actions need (acknowledge, act, resolve, note). */
  lifecycle: LifecycleDeps;
  /** The scheduled jobs of early warning (window rules, re-notification). */
  jobs: Job[];
  /** Starts delivering to subscribers; `baseUrl` is where links in messages point. */
  start(baseUrl: string): void;
  close(): Promise<void>;
}

export interface AlertingOptions {
  db: Db;
  bus: Bus;
  region: RegionPack;
  log: Log;
  now: () => Date;
  rulesFile?: string | undefined;
  /** The subscribers file (ALERT_SUBSCRIBERS); none: alerts are live and in CAP/Atom only. */
  subscribersFile?: string | undefined;
  /** Public address of the console for links in messages (PUBLIC_URL), else where the server listens. */
  publicUrl?: string | undefined;
}

/**
 * Early warning, wired: instant rules on every committed batch, window rules and re-notification as
 * scheduled jobs (one node at a time), and the live `alerts.changed` events the gateway sends on.
 */
export async function createAlerting(options: AlertingOptions): Promise<Alerting> {
  const { db, bus, region, log } = options;
  const rules = await openRuleStore(db, options.rulesFile ?? DEFAULT_ALERT_RULES, log);
  // Loaded now, so a bad subscribers file (or a secret variable it names that is unset) stops the start.
  const subscribers = options.subscribersFile ? loadSubscribers(options.subscribersFile) : [];
  let worker: DeliveryWorker | null = null;
  // Deliveries are written to the outbox in the alert's own transaction: a crash loses none.
  const notify: AlertNotify | undefined =
    subscribers.length > 0
      ? async (tx, alert, event, at) => {
          await enqueueDeliveries(tx, alert, event, subscribers, at);
        }
      : undefined;
  const afterNotify = () => worker?.kick();
  const engine = createAlertEngine({
    db,
    source: databaseAlertSource(db),
    region,
    calendar: loadCalendar(region.timezone),
    rules,
    risk: loadRiskModel(),
    publish: bus.publish,
    log,
    notify,
    afterNotify,
  });
  const unsubscribe = bus.subscribe('petitions.committed', ({ petitions }) =>
    engine.onCommitted(petitions, options.now()),
  );
  const jobs: Job[] = [
    {
      name: 'alerts.evaluate',
      cron: '* * * * *',
      run: async (_deps, now) => {
        const r = await engine.evaluateWindows(now);
        return `${r.signals} signals: ${r.raised} raised, ${r.updated} updated, ${r.pending} pending, ${r.silenced} silenced`;
      },
    },
    {
      name: 'alerts.renotify',
      cron: '* * * * *',
      run: async (_deps, now) => `${await engine.renotify(now)} alerts notified again`,
    },
  ];
  return {
    engine,
    rules,
    audiences: loadAudiences(),
    lifecycle: { db, publish: bus.publish, notify, afterNotify },
    jobs,
    start(baseUrl) {
      if (subscribers.length === 0 || worker) return;
      worker = createDeliveryWorker({ db, subscribers, now: options.now, log, baseUrl: options.publicUrl ?? baseUrl });
      worker.start();
    },
    async close() {
      unsubscribe();
      await engine.idle();
      await worker?.stop();
    },
  };
}
