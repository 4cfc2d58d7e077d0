import type {
  Alert,
  AlertOutcome,
  AlertScope,
  AlertSeverity,
  AlertState,
  Bilingual,
  Factor,
} from '../../alerts/types.ts';
import type { Queryable } from '../client.ts';

const ALERT_COLUMNS = `id, rule_id, rule_version, kind, scope_key, scope, severity, state, title, measures, score,
  factors, petition_ids, signal_count, sensitive_period, silence_id, raised_at, last_seen_at, updated_at,
  acknowledged_at, acknowledged_by, acting_at, resolved_at, resolved_by, outcome, notified_at, notify_count`;

function toAlert(r: Record<string, unknown>): Alert {
  return {
    id: r.id as string,
    ruleId: r.rule_id as string,
    ruleVersion: r.rule_version as number,
    kind: r.kind as string,
    scopeKey: r.scope_key as string,
    scope: r.scope as AlertScope,
    severity: r.severity as AlertSeverity,
    state: r.state as AlertState,
    title: r.title as Bilingual,
    measures: r.measures as Alert['measures'],
    score: Number(r.score),
    factors: r.factors as Factor[],
    petitionIds: r.petition_ids as string[],
    signalCount: r.signal_count as number,
    sensitivePeriod: (r.sensitive_period as string | null) ?? null,
    silenceId: (r.silence_id as string | null) ?? null,
    raisedAt: r.raised_at as Date,
    lastSeenAt: r.last_seen_at as Date,
    updatedAt: r.updated_at as Date,
    acknowledgedAt: (r.acknowledged_at as Date | null) ?? null,
    acknowledgedBy: (r.acknowledged_by as string | null) ?? null,
    actingAt: (r.acting_at as Date | null) ?? null,
    resolvedAt: (r.resolved_at as Date | null) ?? null,
    resolvedBy: (r.resolved_by as string | null) ?? null,
    outcome: (r.outcome as AlertOutcome | null) ?? null,
    notifiedAt: (r.notified_at as Date | null) ?? null,
    notifyCount: r.notify_count as number,
  };
}

export async function getAlert(db: Queryable, id: string): Promise<Alert | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1`, [id]);
  return rows[0] ? toAlert(rows[0]) : null;
}

/** The open alert of a rule and scope, locked for the rest of the transaction; null when none is open. */
export async function lockOpenAlert(tx: Queryable, ruleId: string, scopeKey: string): Promise<Alert | null> {
  const { rows } = await tx.query(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE rule_id = $1 AND scope_key = $2 AND state <> 'resolved' FOR UPDATE`,
    [ruleId, scopeKey],
  );
  return rows[0] ? toAlert(rows[0]) : null;
}

export async function lockAlert(tx: Queryable, id: string): Promise<Alert | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await tx.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ? toAlert(rows[0]) : null;
}

/**
 * Inserts a new open alert unless one is already open for its rule and scope (another node raced us);
 * returns false then, and the caller folds its signal into that one instead.
 */
export async function insertAlert(tx: Queryable, a: Alert): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO alerts (id, rule_id, rule_version, kind, scope_key, scope, region_code, topic, severity, state,
       title, measures, score, factors, petition_ids, signal_count, sensitive_period, silence_id, raised_at,
       last_seen_at, updated_at, notified_at, notify_count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
     ON CONFLICT (rule_id, scope_key) WHERE state <> 'resolved' DO NOTHING
     RETURNING id`,
    [
      a.id,
      a.ruleId,
      a.ruleVersion,
      a.kind,
      a.scopeKey,
      JSON.stringify(a.scope),
      a.scope.regionCode,
      a.scope.topic,
      a.severity,
      a.state,
      JSON.stringify(a.title),
      JSON.stringify(a.measures),
      a.score,
      JSON.stringify(a.factors),
      a.petitionIds,
      a.signalCount,
      a.sensitivePeriod,
      a.silenceId,
      a.raisedAt,
      a.lastSeenAt,
      a.updatedAt,
      a.notifiedAt,
      a.notifyCount,
    ],
  );
  return rows.length > 0;
}

/** Writes back every mutable field of an alert read with {@link lockOpenAlert} or {@link lockAlert}. */
export async function updateAlert(tx: Queryable, a: Alert): Promise<void> {
  await tx.query(
    `UPDATE alerts SET rule_version = $2, severity = $3, state = $4, title = $5, measures = $6, score = $7,
       factors = $8, petition_ids = $9, signal_count = $10, sensitive_period = $11, silence_id = $12,
       last_seen_at = $13, updated_at = $14, acknowledged_at = $15, acknowledged_by = $16, acting_at = $17,
       resolved_at = $18, resolved_by = $19, outcome = $20, notified_at = $21, notify_count = $22,
       scope = $23, region_code = $24, topic = $25
     WHERE id = $1`,
    [
      a.id,
      a.ruleVersion,
      a.severity,
      a.state,
      JSON.stringify(a.title),
      JSON.stringify(a.measures),
      a.score,
      JSON.stringify(a.factors),
      a.petitionIds,
      a.signalCount,
      a.sensitivePeriod,
      a.silenceId,
      a.lastSeenAt,
      a.updatedAt,
      a.acknowledgedAt,
      a.acknowledgedBy,
      a.actingAt,
      a.resolvedAt,
      a.resolvedBy,
      a.outcome,
      a.notifiedAt,
      a.notifyCount,
      JSON.stringify(a.scope),
      a.scope.regionCode,
      a.scope.topic,
    ],
  );
}

/** Notes that an alert's condition still holds, without changing anything shown. */
export async function touchAlertSeen(tx: Queryable, id: string, at: Date): Promise<void> {
  await tx.query('UPDATE alerts SET last_seen_at = greatest(last_seen_at, $2) WHERE id = $1', [id, at]);
}

/** Open alerts muted by a silence (the silence may have ended since). */
export async function openSilencedAlerts(db: Queryable): Promise<Alert[]> {
  const { rows } = await db.query(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE state <> 'resolved' AND silence_id IS NOT NULL LIMIT 1000`,
  );
  return rows.map(toAlert);
}

export interface AlertFilter {
  states?: readonly AlertState[];
  since?: Date;
  limit?: number;
}

/** Alerts, newest first; by default every state, at most 200. */
export async function listAlerts(db: Queryable, filter: AlertFilter = {}): Promise<Alert[]> {
  const { rows } = await db.query(
    `SELECT ${ALERT_COLUMNS} FROM alerts
     WHERE ($1::text[] IS NULL OR state = ANY($1)) AND ($2::timestamptz IS NULL OR updated_at >= $2)
     ORDER BY raised_at DESC LIMIT $3`,
    [filter.states ? [...filter.states] : null, filter.since ?? null, Math.min(filter.limit ?? 200, 1000)],
  );
  return rows.map(toAlert);
}

/** Unacknowledged, unsilenced alerts last notified before `before`: due for re-notification. */
export async function alertsDueForRenotify(db: Queryable, before: Date): Promise<Alert[]> {
  const { rows } = await db.query(
    `SELECT ${ALERT_COLUMNS} FROM alerts
     WHERE state = 'raised' AND silence_id IS NULL AND notified_at < $1 ORDER BY notified_at LIMIT 500`,
    [before],
  );
  return rows.map(toAlert);
}

export type AlertEventKind =
  'raised' | 'updated' | 'escalated' | 'acknowledged' | 'acting' | 'resolved' | 'note' | 'renotified';

export interface AlertEvent {
  id: number;
  alertId: string;
  at: Date;
  actor: string;
  kind: AlertEventKind;
  fromState: AlertState | null;
  toState: AlertState | null;
  note: string | null;
  detail: unknown;
}

export async function insertAlertEvent(tx: Queryable, e: Omit<AlertEvent, 'id'>): Promise<void> {
  await tx.query(
    `INSERT INTO alert_events (alert_id, at, actor, kind, from_state, to_state, note, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      e.alertId,
      e.at,
      e.actor,
      e.kind,
      e.fromState,
      e.toState,
      e.note,
      e.detail === undefined ? null : JSON.stringify(e.detail),
    ],
  );
}

/** An alert's history, oldest first. */
export async function alertEvents(db: Queryable, alertId: string): Promise<AlertEvent[]> {
  const { rows } = await db.query(
    `SELECT id, alert_id, at, actor, kind, from_state, to_state, note, detail FROM alert_events
     WHERE alert_id = $1 ORDER BY id`,
    [alertId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    alertId: r.alert_id as string,
    at: r.at as Date,
    actor: r.actor as string,
    kind: r.kind as AlertEventKind,
    fromState: (r.from_state as AlertState | null) ?? null,
    toState: (r.to_state as AlertState | null) ?? null,
    note: (r.note as string | null) ?? null,
    detail: r.detail ?? null,
  }));
}

/** Open alerts per severity (KPIs and the wall). */
export async function openAlertCounts(db: Queryable): Promise<Record<AlertSeverity, number>> {
  const { rows } = await db.query<{ severity: AlertSeverity; n: number }>(
    `SELECT severity, count(*)::int AS n FROM alerts WHERE state <> 'resolved' AND silence_id IS NULL GROUP BY severity`,
  );
  const out: Record<AlertSeverity, number> = { general: 0, key: 0, major: 0, extreme: 0 };
  for (const r of rows) out[r.severity] = r.n;
  return out;
}

// ---- silences ----------------------------------------------------------------------------------------

export interface Silence {
  id: string;
  ruleId: string | null;
  regionCode: string | null;
  topic: string | null;
  reason: string;
  createdBy: string;
  createdAt: Date;
  startsAt: Date;
  endsAt: Date;
}

function toSilence(r: Record<string, unknown>): Silence {
  return {
    id: r.id as string,
    ruleId: (r.rule_id as string | null) ?? null,
    regionCode: (r.region_code as string | null) ?? null,
    topic: (r.topic as string | null) ?? null,
    reason: r.reason as string,
    createdBy: r.created_by as string,
    createdAt: r.created_at as Date,
    startsAt: r.starts_at as Date,
    endsAt: r.ends_at as Date,
  };
}

export async function insertSilence(db: Queryable, s: Silence): Promise<void> {
  await db.query(
    `INSERT INTO alert_silences (id, rule_id, region_code, topic, reason, created_by, created_at, starts_at, ends_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [s.id, s.ruleId, s.regionCode, s.topic, s.reason, s.createdBy, s.createdAt, s.startsAt, s.endsAt],
  );
}

/** Silences in force at `at`. */
export async function activeSilences(db: Queryable, at: Date): Promise<Silence[]> {
  const { rows } = await db.query(
    `SELECT id, rule_id, region_code, topic, reason, created_by, created_at, starts_at, ends_at
     FROM alert_silences WHERE starts_at <= $1 AND ends_at > $1 ORDER BY ends_at`,
    [at],
  );
  return rows.map(toSilence);
}

/** Ends a silence now (it stays on record). */
export async function endSilence(db: Queryable, id: string, at: Date): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  const { rowCount } = await db.query(
    "UPDATE alert_silences SET ends_at = greatest(starts_at + interval '1 millisecond', $2) WHERE id = $1 AND ends_at > $2",
    [id, at],
  );
  return (rowCount ?? 0) > 0;
}

// ---- pending conditions --------------------------------------------------------------------------------

/** Records that a condition holds at `at`; returns when it was first seen holding (without a break). */
export async function touchPending(tx: Queryable, ruleId: string, scopeKey: string, at: Date): Promise<Date> {
  const { rows } = await tx.query<{ first_seen_at: Date }>(
    `INSERT INTO alert_pending (rule_id, scope_key, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $3)
     ON CONFLICT (rule_id, scope_key) DO UPDATE SET last_seen_at = excluded.last_seen_at
     RETURNING first_seen_at`,
    [ruleId, scopeKey, at],
  );
  return rows[0]!.first_seen_at;
}

/** Forgets pending conditions of a rule that did not hold in the evaluation at `at`. */
export async function clearPendingNotSeen(tx: Queryable, ruleId: string, at: Date): Promise<void> {
  await tx.query('DELETE FROM alert_pending WHERE rule_id = $1 AND last_seen_at < $2', [ruleId, at]);
}

export async function deletePending(tx: Queryable, ruleId: string, scopeKey: string): Promise<void> {
  await tx.query('DELETE FROM alert_pending WHERE rule_id = $1 AND scope_key = $2', [ruleId, scopeKey]);
}

// ---- rule sets -------------------------------------------------------------------------------------------

export interface StoredRuleSet {
  version: number;
  sha256: string;
  body: unknown;
  source: string;
  createdAt: Date;
}

/**
 * Puts a rule set in force: stored as a new version unless it is the running one already. Returns the
 * version in force. Callers serialise (the engine holds its lock), so two loads cannot interleave.
 */
export async function storeRuleSet(db: Queryable, sha256: string, body: unknown, source: string): Promise<number> {
  const latest = await latestRuleSet(db);
  if (latest?.sha256 === sha256) return latest.version;
  const { rows } = await db.query<{ version: number }>(
    'INSERT INTO alert_rule_sets (sha256, body, source) VALUES ($1, $2, $3) RETURNING version',
    [sha256, JSON.stringify(body), source],
  );
  return rows[0]!.version;
}

/** The newest stored rule set, or null before the first. */
export async function latestRuleSet(db: Queryable): Promise<StoredRuleSet | null> {
  const { rows } = await db.query(
    'SELECT version, sha256, body, source, created_at FROM alert_rule_sets ORDER BY version DESC LIMIT 1',
  );
  const r = rows[0];
  return r
    ? {
        version: r.version as number,
        sha256: r.sha256 as string,
        body: r.body,
        source: r.source as string,
        createdAt: r.created_at as Date,
      }
    : null;
}

export async function ruleSetHistory(db: Queryable): Promise<Omit<StoredRuleSet, 'body'>[]> {
  const { rows } = await db.query(
    'SELECT version, sha256, source, created_at FROM alert_rule_sets ORDER BY version DESC LIMIT 100',
  );
  return rows.map((r) => ({
    version: r.version as number,
    sha256: r.sha256 as string,
    source: r.source as string,
    createdAt: r.created_at as Date,
  }));
}

/** Every alert raised in [from, to), oldest first (the backtest's report; reports and exports). */
export async function alertsRaisedBetween(db: Queryable, from: Date, to: Date): Promise<Alert[]> {
  const { rows } = await db.query(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE raised_at >= $1 AND raised_at < $2 ORDER BY raised_at`,
    [from, to],
  );
  return rows.map(toAlert);
}
