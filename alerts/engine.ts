import type { Db, Queryable } from '../db/client.ts';
import {
  activeSilences,
  alertsDueForRenotify,
  clearPendingNotSeen,
  deletePending,
  insertAlert,
  insertAlertEvent,
  lockAlert,
  lockOpenAlert,
  openSilencedAlerts,
  touchAlertSeen,
  type Silence,
  touchPending,
  updateAlert,
} from '../db/queries/alerts.ts';
import type { RegionPack } from '../ingest/regions.ts';
import { uuidv7 } from '../ingest/uuid.ts';
import type { CommittedPetition, Publish } from '../server/bus.ts';
import type { Calendar } from './calendar.ts';
import { type DetectContext, MINUTE } from './detect/context.ts';
import { detectGrowth } from './detect/growth.ts';
import { detectHotTopic } from './detect/hot-topic.ts';
import { detectInstant } from './detect/instant.ts';
import { detectJoint } from './detect/joint.ts';
import { detectNegativeIndex } from './detect/negative.ts';
import { detectRepeat } from './detect/repeat.ts';
import { detectVolume } from './detect/volume.ts';
import { type RiskModel, scoreRisk } from './risk.ts';
import type { RuleStore } from './rule-store.ts';
import type { AlertRule } from './rules.ts';
import { HourlyHistory } from './hourly-history.ts';
import type { AlertSource, CountCell, WindowPetition } from './source.ts';
import { type Alert, type Signal, severityRank } from './types.ts';

/** What publication does inside the alert's transaction (the outbox) for each notifiable change. */
export type AlertNotify = (
  tx: Queryable,
  alert: Alert,
  event: 'raised' | 'escalated' | 'renotified' | 'resolved',
  now: Date,
) => Promise<void>;

export interface AlertEngineDeps {
  db: Db;
  source: AlertSource;
  region: RegionPack;
  calendar: Calendar;
  rules: RuleStore;
  risk: RiskModel;
  publish: Publish;
  log: { error(m: string, e?: unknown): void };
  /** Enqueues deliveries to subscribers; called in the alert's transaction. */
  notify?: AlertNotify;
  /** After a commit that enqueued deliveries (wakes the delivery worker). */
  afterNotify?: () => void;
}

export interface ApplyResult {
  raised: number;
  updated: number;
  pending: number;
  silenced: number;
  /** Signals that could not be stored (logged); the others were. */
  failed: number;
}

export interface AlertEngine {
  /** Instant rules over a committed batch; queued, so batches are judged in commit order. */
  onCommitted(petitions: readonly CommittedPetition[], now: Date): void;
  /** Window rules at `now` (the scheduled job; one node at a time through its advisory lock). */
  evaluateWindows(now: Date): Promise<ApplyResult & { signals: number }>;
  /** Notifies again every alert still unacknowledged after the rule set's renotify period. */
  renotify(now: Date): Promise<number>;
  /** Resolves when queued instant evaluations are done (tests, shutdown). */
  idle(): Promise<void>;
}

/** Evidence kept per alert: enough to open the petitions, bounded so rows stay small. */
const MAX_EVIDENCE = 200;
/** The newest petitions re-read each evaluation for rules that look only at new ones (commit lag). */
const FRESH_OVERLAP = 2 * MINUTE;

export function createAlertEngine(deps: AlertEngineDeps): AlertEngine {
  const history = new HourlyHistory(deps.source);
  const memo = new Map<string, Promise<unknown>>();
  let lastWindowRun: Date | null = null;
  let queue: Promise<void> = Promise.resolve();

  const signalContext = (now: Date) => ({
    now,
    ruleVersion: deps.rules.current().version,
    region: deps.region,
    calendar: deps.calendar,
  });

  async function apply(signals: readonly Signal[], now: Date): Promise<ApplyResult> {
    const result: ApplyResult = { raised: 0, updated: 0, pending: 0, silenced: 0, failed: 0 };
    if (signals.length === 0) return result;
    const silences = await activeSilences(deps.db, now);
    let notified = false;
    for (const signal of signals) {
      let outcome: Awaited<ReturnType<typeof applyOne>>;
      try {
        outcome = await deps.db.withTransaction((tx) => applyOne(tx, signal, silences, now));
      } catch (error) {
        // One signal's failure (a lost connection, a race with a resolve) must not drop the others.
        deps.log.error(`alert ${signal.ruleId}/${signal.scopeKey} could not be stored`, error);
        result.failed++;
        continue;
      }
      if (!('alert' in outcome)) {
        if (outcome.kind === 'pending') result.pending++;
        continue;
      }
      if (outcome.alert.silenceId !== null) result.silenced++;
      else deps.publish('alerts.changed', { alert: outcome.alert, change: outcome.kind });
      if (outcome.kind === 'raised') result.raised++;
      else result.updated++;
      notified ||= outcome.notified;
    }
    if (notified) deps.afterNotify?.();
    return result;
  }

  async function applyOne(
    tx: Queryable,
    signal: Signal,
    silences: readonly Silence[],
    now: Date,
  ): Promise<{ kind: 'pending' | 'unchanged' } | { kind: 'raised' | 'updated'; alert: Alert; notified: boolean }> {
    const open = await lockOpenAlert(tx, signal.ruleId, signal.scopeKey);
    if (open) return fold(tx, open, signal, silences, now);
    if (signal.pendingMinutes > 0) {
      const since = await touchPending(tx, signal.ruleId, signal.scopeKey, now);
      if (now.getTime() - since.getTime() < signal.pendingMinutes * MINUTE) return { kind: 'pending' };
      await deletePending(tx, signal.ruleId, signal.scopeKey);
    }
    const silence = silences.find((s) => silenceMatches(s, signal)) ?? null;
    const { score, factors } = scoreRisk(deps.risk, { ...signal.features, persistence: 0 });
    const alert: Alert = {
      id: uuidv7(now.getTime()),
      ruleId: signal.ruleId,
      ruleVersion: signal.ruleVersion,
      kind: signal.kind,
      scopeKey: signal.scopeKey,
      scope: signal.scope,
      severity: signal.severity,
      state: 'raised',
      title: signal.title,
      measures: signal.measures,
      score,
      factors,
      petitionIds: signal.petitionIds.slice(-MAX_EVIDENCE),
      signalCount: signal.occurrences ?? 1,
      sensitivePeriod: signal.sensitivePeriod,
      silenceId: silence?.id ?? null,
      raisedAt: now,
      lastSeenAt: now,
      updatedAt: now,
      acknowledgedAt: null,
      acknowledgedBy: null,
      actingAt: null,
      resolvedAt: null,
      resolvedBy: null,
      outcome: null,
      notifiedAt: silence ? null : now,
      notifyCount: silence ? 0 : 1,
    };
    if (!(await insertAlert(tx, alert))) {
      // Another node raised it between our look and our insert: fold into theirs.
      const theirs = await lockOpenAlert(tx, signal.ruleId, signal.scopeKey);
      if (!theirs) throw new Error(`alert ${signal.ruleId}/${signal.scopeKey} neither inserted nor found`);
      return fold(tx, theirs, signal, silences, now);
    }
    await insertAlertEvent(tx, {
      alertId: alert.id,
      at: now,
      actor: 'system',
      kind: 'raised',
      fromState: null,
      toState: 'raised',
      note: silence ? `silenced: ${silence.reason}` : null,
      detail: { measures: signal.measures },
    });
    if (!silence && deps.notify) await deps.notify(tx, alert, 'raised', now);
    return { kind: 'raised', alert, notified: !silence && deps.notify !== undefined };
  }

  /** Folds a new signal into the open alert of its scope: grouping, not a second alert. */
  async function fold(
    tx: Queryable,
    open: Alert,
    signal: Signal,
    silences: readonly Silence[],
    now: Date,
  ): Promise<{ kind: 'unchanged' } | { kind: 'updated'; alert: Alert; notified: boolean }> {
    // Window rules see the same petitions again each minute: only new evidence is a new observation.
    const known = new Set(open.petitionIds);
    const fresh = signal.petitionIds.filter((id) => !known.has(id));
    if (signal.petitionIds.length > 0 && fresh.length === 0) {
      // Still holding: the duty room's "quiet for three hours" must not start while it does.
      await touchAlertSeen(tx, open.id, now);
      return { kind: 'unchanged' };
    }
    // A silence set while the alert was open mutes it from now on; one that ran out un-mutes it.
    const silence = silences.find((s) => silenceMatches(s, signal)) ?? null;
    const escalated = severityRank(signal.severity) > severityRank(open.severity);
    const signalCount = open.signalCount + (signal.petitionIds.length > 0 ? fresh.length : (signal.occurrences ?? 1));
    // Once an alert touches an accusation it stays one: its audience must never widen.
    const scope =
      open.scope.topic === 'conduct' || signal.scope.topic !== 'conduct'
        ? open.scope
        : { ...open.scope, topic: 'conduct' };
    const { score, factors } = scoreRisk(deps.risk, { ...signal.features, persistence: Math.log2(signalCount) });
    const evidence = [...new Set([...open.petitionIds, ...signal.petitionIds])].slice(-MAX_EVIDENCE);
    const alert: Alert = {
      ...open,
      scope,
      ruleVersion: signal.ruleVersion,
      severity: escalated ? signal.severity : open.severity,
      title: signal.title,
      measures: signal.measures,
      score: Math.max(score, open.score),
      factors: score >= open.score ? factors : open.factors,
      petitionIds: evidence,
      signalCount,
      sensitivePeriod: signal.sensitivePeriod ?? open.sensitivePeriod,
      silenceId: silence?.id ?? null,
      notifiedAt: silence ? open.notifiedAt : (open.notifiedAt ?? now),
      lastSeenAt: now,
      updatedAt: now,
    };
    await updateAlert(tx, alert);
    await insertAlertEvent(tx, {
      alertId: alert.id,
      at: now,
      actor: 'system',
      kind: escalated ? 'escalated' : 'updated',
      fromState: open.state,
      toState: open.state,
      note: null,
      detail: { measures: signal.measures, score: alert.score },
    });
    const notify = escalated && alert.silenceId === null && deps.notify !== undefined;
    if (notify) await deps.notify!(tx, alert, 'escalated', now);
    return { kind: 'updated', alert, notified: notify };
  }

  async function windowSignals(now: Date): Promise<Signal[]> {
    const { version, set } = deps.rules.current();
    const rules = set.rules.filter((r): r is WindowRule => r.enabled && r.kind !== 'instant');
    const since = new Date((lastWindowRun ?? new Date(now.getTime() - 10 * MINUTE)).getTime() - FRESH_OVERLAP);
    const oldest = Math.min(since.getTime(), ...rules.map((r) => now.getTime() - petitionWindowMs(r)));
    let petitions: Promise<WindowPetition[]> | null = null;
    const minutes = new Map<number, Promise<CountCell[]>>();
    const ctx: DetectContext = {
      now,
      ruleVersion: version,
      region: deps.region,
      calendar: deps.calendar,
      source: deps.source,
      since,
      hours: (from) => history.get(from, now),
      minutes(from) {
        let m = minutes.get(from.getTime());
        if (!m) minutes.set(from.getTime(), (m = deps.source.minuteCounts(from, now)));
        return m;
      },
      async petitions(from) {
        petitions ??= deps.source.petitions(new Date(oldest), now);
        return (await petitions).filter((p) => p.receivedAt >= from);
      },
      memo<T>(key: string, compute: () => Promise<T>) {
        let m = memo.get(key) as Promise<T> | undefined;
        if (!m) {
          memo.set(key, (m = compute()));
          // A failed read is not kept: the next evaluation tries again.
          m.catch(() => memo.delete(key));
          // Baselines are keyed by hour: a day's worth is plenty.
          if (memo.size > 256) memo.delete(memo.keys().next().value!);
        }
        return m;
      },
    };
    const out: Signal[] = [];
    for (const rule of rules) {
      try {
        out.push(...(await detect(rule, ctx)));
      } catch (error) {
        // One broken rule must not silence the others.
        deps.log.error(`alert rule ${rule.id} failed`, error);
      }
    }
    return out;
  }

  return {
    onCommitted(petitions, now) {
      queue = queue.then(async () => {
        try {
          const { set } = deps.rules.current();
          const ctx = signalContext(now);
          const signals = set.rules.flatMap((r) =>
            r.enabled && r.kind === 'instant' ? detectInstant(r, petitions, ctx) : [],
          );
          // One transaction per rule and scope per batch, however many of its petitions met the rule.
          await apply(mergeByScope(signals), now);
        } catch (error) {
          deps.log.error('instant alert rules failed', error);
        }
      });
    },
    async evaluateWindows(now) {
      const signals = await windowSignals(now);
      const result = await apply(signals, now);
      // Only now are this run's new petitions dealt with; a failed run leaves them new for the next.
      lastWindowRun = now;
      // A condition that did not hold this time starts its pending period afresh next time.
      const pendingRules = deps.rules.current().set.rules.filter((r) => r.kind !== 'instant' && r.pendingMinutes > 0);
      for (const r of pendingRules) await clearPendingNotSeen(deps.db, r.id, now);
      return { ...result, signals: signals.length };
    },
    async renotify(now) {
      const minutes = deps.rules.current().set.renotifyMinutes;
      const silences = await activeSilences(deps.db, now);
      let count = 0;
      // An alert muted by a silence that has since ended is raised now, as it would have been.
      for (const muted of await openSilencedAlerts(deps.db)) {
        if (silences.some((s) => s.id === muted.silenceId)) continue;
        const alert = await deps.db.withTransaction(async (tx) => {
          const a = await lockAlert(tx, muted.id);
          if (!a || a.state === 'resolved' || a.silenceId === null) return null;
          const next: Alert = {
            ...a,
            silenceId: null,
            notifiedAt: now,
            notifyCount: a.notifyCount + 1,
            updatedAt: now,
          };
          await updateAlert(tx, next);
          await insertAlertEvent(tx, {
            alertId: a.id,
            at: now,
            actor: 'system',
            kind: 'updated',
            fromState: a.state,
            toState: a.state,
            note: 'silence ended',
            detail: null,
          });
          if (deps.notify) await deps.notify(tx, next, 'raised', now);
          return next;
        });
        if (!alert) continue;
        count++;
        deps.publish('alerts.changed', { alert, change: 'raised' });
      }
      const due = await alertsDueForRenotify(deps.db, new Date(now.getTime() - minutes * MINUTE));
      for (const stale of due) {
        const alert = await deps.db.withTransaction(async (tx) => {
          const a = await lockAlert(tx, stale.id);
          if (!a || a.state !== 'raised' || a.silenceId !== null) return null;
          // A silence set after it was raised mutes its reminders too.
          const silence = silences.find((s) => silenceMatches(s, a));
          if (silence) {
            await updateAlert(tx, { ...a, silenceId: silence.id, updatedAt: now });
            return null;
          }
          const next: Alert = { ...a, notifiedAt: now, notifyCount: a.notifyCount + 1, updatedAt: now };
          await updateAlert(tx, next);
          await insertAlertEvent(tx, {
            alertId: a.id,
            at: now,
            actor: 'system',
            kind: 'renotified',
            fromState: 'raised',
            toState: 'raised',
            note: `unacknowledged after ${minutes} min (notice ${next.notifyCount})`,
            detail: null,
          });
          if (deps.notify) await deps.notify(tx, next, 'renotified', now);
          return next;
        });
        if (!alert) continue;
        count++;
        deps.publish('alerts.changed', { alert, change: 'updated' });
      }
      if (count > 0) deps.afterNotify?.();
      return count;
    },
    idle: () => queue,
  };
}

type WindowRule = Exclude<AlertRule, { kind: 'instant' }>;

/** Signals of one rule and scope folded into one: evidence joined, the strongest features kept. */
export function mergeByScope(signals: readonly Signal[]): Signal[] {
  const merged = new Map<string, Signal>();
  for (const s of signals) {
    const key = `${s.ruleId}\u0000${s.scopeKey}`;
    const into = merged.get(key);
    if (!into) {
      merged.set(key, { ...s, occurrences: s.occurrences ?? 1 });
      continue;
    }
    const features = { ...into.features };
    for (const [name, value] of Object.entries(s.features)) features[name] = Math.max(features[name] ?? 0, value);
    merged.set(key, {
      ...s,
      features,
      petitionIds: [...into.petitionIds, ...s.petitionIds],
      severity: severityRank(s.severity) > severityRank(into.severity) ? s.severity : into.severity,
      occurrences: (into.occurrences ?? 1) + (s.occurrences ?? 1),
    });
  }
  return [...merged.values()];
}

function detect(rule: WindowRule, ctx: DetectContext): Promise<Signal[]> {
  switch (rule.kind) {
    case 'volume':
      return detectVolume(rule, ctx);
    case 'growth':
      return detectGrowth(rule, ctx);
    case 'negative_index':
      return detectNegativeIndex(rule, ctx);
    case 'hot_topic':
      return detectHotTopic(rule, ctx);
    case 'joint':
      return detectJoint(rule, ctx);
    case 'repeat':
      return detectRepeat(rule, ctx);
  }
}

/** How far back a rule reads individual petitions (count-based rules read none). */
function petitionWindowMs(rule: AlertRule): number {
  if (rule.kind === 'hot_topic' || rule.kind === 'joint') return rule.windowMinutes * MINUTE;
  return 0;
}

export function silenceMatches(s: Silence, signal: Pick<Signal, 'ruleId' | 'scope'>): boolean {
  return (
    (s.ruleId === null || s.ruleId === signal.ruleId) &&
    (s.regionCode === null || s.regionCode === signal.scope.regionCode) &&
    (s.topic === null || s.topic === signal.scope.topic)
  );
}
