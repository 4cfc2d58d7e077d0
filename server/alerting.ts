import { type Audiences, loadAudiences } from '../alerts/audiences.ts';
import { loadCalendar } from '../alerts/calendar.ts';
import { type AlertEngine, type AlertNotify, createAlertEngine } from '../alerts/engine.ts';
import type { LifecycleDeps } from '../alerts/lifecycle.ts';
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
  close(): Promise<void>;
}

export interface AlertingOptions {
  db: Db;
  bus: Bus;
  region: RegionPack;
  log: Log;
  now: () => Date;
  rulesFile?: string | undefined;
  /** Deliveries to subscribers, enqueued in each alert's transaction (server wiring adds the outbox). */
  notify?: AlertNotify | undefined;
  afterNotify?: (() => void) | undefined;
}

/**
 * Early warning, wired: instant rules on every committed batch, window rules and re-notification as
 * scheduled jobs (one node at a time), and the live `alerts.changed` events the gateway sends on.
 */
export async function createAlerting(options: AlertingOptions): Promise<Alerting> {
  const { db, bus, region, log } = options;
  const rules = await openRuleStore(db, options.rulesFile ?? DEFAULT_ALERT_RULES, log);
  const engine = createAlertEngine({
    db,
    source: databaseAlertSource(db),
    region,
    calendar: loadCalendar(region.timezone),
    rules,
    risk: loadRiskModel(),
    publish: bus.publish,
    log,
    notify: options.notify,
    afterNotify: options.afterNotify,
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
    lifecycle: { db, publish: bus.publish, notify: options.notify, afterNotify: options.afterNotify },
    jobs,
    async close() {
      unsubscribe();
      await engine.idle();
    },
  };
}
