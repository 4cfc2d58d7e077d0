import type { Queryable } from '../client.ts';

/**
 * The outbox of alert deliveries (alert_deliveries, 0009). A row is written in the alert's own
 * transaction, claimed by the delivery worker when due, and ends delivered or failed; its columns are
 * the delivery log the duty console shows.
 */

export type DeliveryEventName = 'raised' | 'escalated' | 'renotified' | 'resolved';
export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface NewDelivery {
  id: string;
  alertId: string;
  subscriberId: string;
  event: DeliveryEventName;
  createdAt: Date;
  /** Usually createdAt: due at once. */
  nextAttemptAt: Date;
}

export interface DeliveryRow {
  id: string;
  alertId: string;
  subscriberId: string;
  event: DeliveryEventName;
  createdAt: Date;
  state: DeliveryState;
  /** Attempts started so far, counting the one in flight. */
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  /** HTTP status (or SMTP reply code) of the last attempt; null when there was no answer. */
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
}

/** Long enough for a useful reason, short enough that a chatty receiver cannot bloat the log. */
export const MAX_ERROR_CHARS = 500;

const COLUMNS = `id, alert_id, subscriber_id, event, created_at, state, attempts, next_attempt_at, last_attempt_at,
  last_status, last_error, delivered_at`;

function toRow(r: Record<string, unknown>): DeliveryRow {
  return {
    id: r.id as string,
    alertId: r.alert_id as string,
    subscriberId: r.subscriber_id as string,
    event: r.event as DeliveryEventName,
    createdAt: r.created_at as Date,
    state: r.state as DeliveryState,
    attempts: r.attempts as number,
    nextAttemptAt: r.next_attempt_at as Date,
    lastAttemptAt: (r.last_attempt_at as Date | null) ?? null,
    lastStatus: (r.last_status as number | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    deliveredAt: (r.delivered_at as Date | null) ?? null,
  };
}

const clip = (error: string | null) => (error === null ? null : error.slice(0, MAX_ERROR_CHARS));

/** Inserts pending deliveries in one statement; returns how many. */
export async function enqueueDeliveries(tx: Queryable, rows: readonly NewDelivery[]): Promise<number> {
  if (rows.length === 0) return 0;
  const { rowCount } = await tx.query(
    `INSERT INTO alert_deliveries (id, alert_id, subscriber_id, event, created_at, next_attempt_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.alertId),
      rows.map((r) => r.subscriberId),
      rows.map((r) => r.event),
      rows.map((r) => r.createdAt),
      rows.map((r) => r.nextAttemptAt),
    ],
  );
  return rowCount ?? rows.length;
}

/**
 * Claims up to `limit` pending deliveries due at `now`, oldest due first, and starts an attempt on each:
 * attempts + 1, last_attempt_at = now, and next_attempt_at moved to `leaseUntil`, so that no other
 * worker claims a row while it is being sent, and a process that dies mid-send retries it after the
 * lease. SKIP LOCKED lets several nodes claim side by side without waiting on each other.
 */
export async function claimDueDeliveries(
  tx: Queryable,
  now: Date,
  limit: number,
  leaseUntil: Date,
): Promise<DeliveryRow[]> {
  const { rows } = await tx.query(
    `UPDATE alert_deliveries d SET attempts = d.attempts + 1, last_attempt_at = $1, next_attempt_at = $3
     FROM (SELECT id FROM alert_deliveries WHERE state = 'pending' AND next_attempt_at <= $1
           ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
     WHERE d.id = due.id
     RETURNING d.id, d.alert_id, d.subscriber_id, d.event, d.created_at, d.state, d.attempts, d.next_attempt_at,
       d.last_attempt_at, d.last_status, d.last_error, d.delivered_at`,
    [now, limit, leaseUntil],
  );
  return rows.map(toRow).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/*
 * The outcome updates below match on the attempt they report: if a lease ran out and another worker
 * started a newer attempt, a late answer to the old one must not overwrite it.
 */

/** Records a successful attempt. Returns false when the attempt was no longer current. */
export async function markDelivered(
  db: Queryable,
  id: string,
  attempt: number,
  at: Date,
  status: number | null,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE alert_deliveries SET state = 'delivered', delivered_at = $3, last_status = $4, last_error = NULL
     WHERE id = $1 AND attempts = $2 AND state = 'pending'`,
    [id, attempt, at, status],
  );
  return (rowCount ?? 0) > 0;
}

/** Records a failed attempt that will be retried at `nextAt`. */
export async function markRetry(
  db: Queryable,
  id: string,
  attempt: number,
  nextAt: Date,
  status: number | null,
  error: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE alert_deliveries SET next_attempt_at = $3, last_status = $4, last_error = $5
     WHERE id = $1 AND attempts = $2 AND state = 'pending'`,
    [id, attempt, nextAt, status, clip(error)],
  );
  return (rowCount ?? 0) > 0;
}

/** Gives up on a delivery: a permanent refusal, or the last attempt failed. */
export async function markFailed(
  db: Queryable,
  id: string,
  attempt: number,
  status: number | null,
  error: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE alert_deliveries SET state = 'failed', last_status = $3, last_error = $4
     WHERE id = $1 AND attempts = $2 AND state = 'pending'`,
    [id, attempt, status, clip(error)],
  );
  return (rowCount ?? 0) > 0;
}

/** The delivery log of one alert, newest first. */
export async function listDeliveries(db: Queryable, alertId: string): Promise<DeliveryRow[]> {
  if (!/^[0-9a-f-]{36}$/i.test(alertId)) return [];
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM alert_deliveries WHERE alert_id = $1 ORDER BY created_at DESC, id DESC`,
    [alertId],
  );
  return rows.map(toRow);
}

/** Deliveries per state (health and metrics: a growing pending or failed count needs a look). */
export async function deliveryCounts(db: Queryable): Promise<Record<DeliveryState, number>> {
  const { rows } = await db.query<{ state: DeliveryState; n: number }>(
    'SELECT state, count(*)::int AS n FROM alert_deliveries GROUP BY state',
  );
  const out: Record<DeliveryState, number> = { pending: 0, delivered: 0, failed: 0 };
  for (const r of rows) out[r.state] = r.n;
  return out;
}
