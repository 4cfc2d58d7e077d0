import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../db/client.ts';
import {
  claimDueDeliveries,
  type DeliveryRow,
  enqueueDeliveries as insertDeliveries,
  markDelivered,
  markFailed,
  markRetry,
} from '../db/queries/alert-deliveries.ts';
import { getAlert as getStoredAlert } from '../db/queries/alerts.ts';
import { uuidv7 } from '../ingest/uuid.ts';
import {
  DEFAULT_TIMEOUT_MS,
  type DeliveryEvent,
  type EmailSubscriber,
  type SmsSubscriber,
  type Subscriber,
  type WebhookSubscriber,
} from './subscribers/config.ts';
import { createEmailSender, EMAIL_TIMEOUT_MS } from './subscribers/email.ts';
import { alertUrl, type EmailContent, emailMessage, smsText, webhookBody } from './subscribers/render.ts';
import { subscribersFor } from './subscribers/routing.ts';
import { sendSms } from './subscribers/sms.ts';
import { type OutgoingDelivery, type SendOutcome, sendWebhook } from './subscribers/webhook.ts';
import type { Alert } from './types.ts';

/**
 * Publishing alerts to subscribers through the outbox. The engine writes one pending row per matching
 * subscriber in the transaction that raises or changes the alert ({@link enqueueDeliveries}); a worker
 * ({@link createDeliveryWorker}) claims due rows, sends them outside any transaction, and records what
 * happened, retrying with exponential backoff. A slow or dead subscriber therefore never holds up
 * evaluation, and a crash loses nothing: an unfinished attempt is retried once its lease runs out.
 */

/** Attempts before a delivery is given up as failed. */
export const MAX_ATTEMPTS = 8;
export const BASE_BACKOFF_MS = 30_000;
export const MAX_BACKOFF_MS = 30 * 60_000;
/** How often the worker looks for due deliveries without being kicked (retries fall due this way). */
export const POLL_INTERVAL_MS = 5000;
/** Sends at once: enough to fan out an alert quickly, few enough not to flood a shared SMTP relay. */
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_BATCH = 50;
/** Added to the longest send timeout when leasing a row, for recording the outcome after the send. */
const LEASE_MARGIN_MS = 30_000;
/** A kick waits this long, so the deliveries of one evaluation go out in one pass. */
const KICK_DELAY_MS = 50;

/**
 * ±10 % from the delivery id: deterministic (tests can assert it) yet different per delivery, so the
 * deliveries that failed together during a receiver's outage do not all come back in the same second.
 */
export function jitterFactor(deliveryId: string): number {
  const n = createHash('sha256').update(deliveryId).digest().readUInt32BE(0);
  return (n / 0x1_0000_0000) * 0.2 - 0.1;
}

/** How long to wait after failed attempt `attempt` (1-based): min(30 s × 2^(n−1), 30 min) ± 10 %. */
export function backoffMs(deliveryId: string, attempt: number): number {
  const base = Math.min(BASE_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Math.round(base * (1 + jitterFactor(deliveryId)));
}

/**
 * Routes an alert event and writes one pending delivery per matching subscriber, due at `now`. Call it
 * inside the transaction that raises or changes the alert, then kick the worker after the commit.
 * A silenced alert notifies no one. Returns how many deliveries were queued.
 */
export async function enqueueDeliveries(
  tx: Queryable,
  alert: Alert,
  event: DeliveryEvent,
  subscribers: readonly Subscriber[],
  now: Date,
): Promise<number> {
  if (alert.silenceId !== null) return 0;
  const targets = subscribersFor(alert, event, subscribers);
  return insertDeliveries(
    tx,
    targets.map((s) => ({
      id: uuidv7(now.getTime()),
      alertId: alert.id,
      subscriberId: s.id,
      event,
      createdAt: now,
      nextAttemptAt: now,
    })),
  );
}

/** How each kind of subscriber is sent to; tests replace some. */
export interface DeliverySenders {
  webhook(subscriber: WebhookSubscriber, delivery: OutgoingDelivery, body: string, now: Date): Promise<SendOutcome>;
  email(subscriber: EmailSubscriber, delivery: OutgoingDelivery, content: EmailContent): Promise<SendOutcome>;
  sms(subscriber: SmsSubscriber, delivery: OutgoingDelivery, text: string): Promise<SendOutcome>;
}

/** Plain line logging (server/log.ts fits); messages carry ids and reasons, never secrets or URLs. */
export interface DeliveryLog {
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
}

export interface DeliveryWorkerOptions {
  db: Db;
  subscribers: readonly Subscriber[];
  now: () => Date;
  log: DeliveryLog;
  /** Where links in messages point (the duty console's public origin), e.g. https://wenkong.example.gov.cn. */
  baseUrl: string;
  senders?: Partial<DeliverySenders>;
  /** Reads the alert a delivery is about; db/queries/alerts.ts `getAlert` by default. */
  getAlert?: (id: string) => Promise<Alert | null>;
  concurrency?: number;
  batchSize?: number;
  intervalMs?: number;
}

export interface DeliveryRunResult {
  delivered: number;
  retried: number;
  failed: number;
}

export interface DeliveryWorker {
  /** One pass: claims due deliveries, sends them, records the outcomes. Never rejects. */
  runOnce(): Promise<DeliveryRunResult>;
  /** Asks for a pass soon; kicks close together make one pass. */
  kick(): void;
  /** Looks for due deliveries every few seconds (the timer does not keep the process alive). */
  start(): void;
  /** Stops the timers and waits for the sends in flight. */
  stop(): Promise<void>;
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { db, now, log, baseUrl } = options;
  const byId = new Map(options.subscribers.map((s) => [s.id, s]));
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  const intervalMs = options.intervalMs ?? POLL_INTERVAL_MS;
  const getAlert = options.getAlert ?? ((id: string) => getStoredAlert(db, id));
  const email = options.senders?.email ? null : createEmailSender();
  const senders: DeliverySenders = {
    webhook: options.senders?.webhook ?? ((s, d, body, at) => sendWebhook(s, d, body, at)),
    email: options.senders?.email ?? ((s, d, content) => email!.send(s, d, content)),
    sms: options.senders?.sms ?? ((s, d, text) => sendSms(s, d, text)),
  };
  // A claimed row is leased for longer than any send can take, so no one else claims it meanwhile.
  const leaseMs =
    Math.max(
      DEFAULT_TIMEOUT_MS,
      ...options.subscribers.map((s) => (s.kind === 'email' ? EMAIL_TIMEOUT_MS : s.timeoutMs)),
    ) + LEASE_MARGIN_MS;

  let current: Promise<DeliveryRunResult> | null = null;
  let kickTimer: NodeJS.Timeout | null = null;
  let interval: NodeJS.Timeout | null = null;
  let stopped = false;

  function send(s: Subscriber, alert: Alert, row: DeliveryRow): Promise<SendOutcome> {
    const delivery: OutgoingDelivery = { id: row.id, event: row.event };
    switch (s.kind) {
      case 'webhook': {
        const at = now();
        return senders.webhook(s, delivery, webhookBody(alert, row.event, at, baseUrl), at);
      }
      case 'email':
        return senders.email(s, delivery, emailMessage(alert, row.event, baseUrl));
      case 'sms':
        return senders.sms(s, delivery, smsText(alert, row.event, alertUrl(baseUrl, alert.id)));
    }
  }

  async function deliver(
    row: DeliveryRow,
    alerts: Map<string, Promise<Alert | null>>,
    result: DeliveryRunResult,
  ): Promise<void> {
    const what = `alert delivery ${row.id} (${row.event} of alert ${row.alertId} to ${row.subscriberId}, attempt ${row.attempts})`;
    try {
      const subscriber = byId.get(row.subscriberId);
      let alert: Alert | null = null;
      if (subscriber) {
        let pending = alerts.get(row.alertId);
        if (!pending) {
          pending = getAlert(row.alertId);
          alerts.set(row.alertId, pending);
        }
        alert = await pending;
      }
      let outcome: SendOutcome;
      if (!subscriber) {
        // During a rolling change another node may know it; if none does, it fails after the last attempt.
        const error = `subscriber ${row.subscriberId} is not configured on this node`;
        outcome = { ok: false, retry: true, status: null, error };
      } else if (!alert) {
        outcome = { ok: false, retry: false, status: null, error: `alert ${row.alertId} not found` };
      } else {
        try {
          outcome = await send(subscriber, alert, row);
        } catch (error) {
          // Senders classify their own failures; anything thrown is unexpected but may be passing.
          outcome = { ok: false, retry: true, status: null, error: `send failed: ${describe(error)}` };
        }
      }

      const at = now();
      // A mark returns false when a newer attempt has taken over (this one outlived its lease).
      const superseded = () => log.warn(`${what}: finished after its lease ran out; a newer attempt is on record`);
      if (outcome.ok) {
        if (!(await markDelivered(db, row.id, row.attempts, at, outcome.status))) return superseded();
        result.delivered++;
        if (outcome.note) log.warn(`${what}: delivered, but ${outcome.note}`);
      } else if (outcome.retry && row.attempts < MAX_ATTEMPTS) {
        const nextAt = new Date(at.getTime() + backoffMs(row.id, row.attempts));
        if (!(await markRetry(db, row.id, row.attempts, nextAt, outcome.status, outcome.error))) return superseded();
        result.retried++;
        log.warn(`${what}: ${outcome.error}; retrying at ${nextAt.toISOString()}`);
      } else {
        if (!(await markFailed(db, row.id, row.attempts, outcome.status, outcome.error))) return superseded();
        result.failed++;
        const why = outcome.retry ? `gave up after ${row.attempts} attempts` : 'not retried';
        log.error(`${what}: ${outcome.error}; ${why}`);
      }
    } catch (error) {
      // Storage failed while recording: the lease runs out and the delivery is tried again.
      log.error(`${what}: outcome not recorded; it is retried after its lease`, error);
    }
  }

  async function pass(): Promise<DeliveryRunResult> {
    const result: DeliveryRunResult = { delivered: 0, retried: 0, failed: 0 };
    try {
      const at = now();
      const claimed = await db.withTransaction((tx) =>
        claimDueDeliveries(tx, at, batchSize, new Date(at.getTime() + leaseMs)),
      );
      if (claimed.length === 0) return result;
      const alerts = new Map<string, Promise<Alert | null>>();
      await eachLimited(claimed, concurrency, (row) => deliver(row, alerts, result));
      // A full batch means more may be due; go on soon rather than after the next tick.
      if (claimed.length === batchSize) kick();
    } catch (error) {
      log.error('alert deliveries: cannot claim due deliveries; trying again on the next pass', error);
    }
    return result;
  }

  function runOnce(): Promise<DeliveryRunResult> {
    if (stopped) return Promise.resolve({ delivered: 0, retried: 0, failed: 0 });
    // One pass at a time: a call during a pass runs a fresh one after it (it may have new rows to see).
    if (current) return current.then(() => runOnce());
    const run = pass().finally(() => {
      if (current === run) current = null;
    });
    current = run;
    return run;
  }

  function kick(): void {
    if (stopped || kickTimer) return;
    kickTimer = setTimeout(() => {
      kickTimer = null;
      void runOnce();
    }, KICK_DELAY_MS);
    kickTimer.unref();
  }

  return {
    runOnce,
    kick,
    start() {
      if (stopped || interval) return;
      interval = setInterval(() => {
        if (!current) void runOnce();
      }, intervalMs);
      interval.unref();
      // Deliveries left pending by a previous run go out now, not after the first interval.
      kick();
    },
    async stop() {
      stopped = true;
      if (kickTimer) clearTimeout(kickTimer);
      if (interval) clearInterval(interval);
      kickTimer = null;
      interval = null;
      while (current) await current;
      email?.close();
    },
  };
}
