import { appendAudit } from '../db/audit-chain.ts';
import type { Db } from '../db/client.ts';
import {
  endSilence,
  insertAlertEvent,
  insertSilence,
  lockAlert,
  type Silence,
  updateAlert,
} from '../db/queries/alerts.ts';
import { uuidv7 } from '../ingest/uuid.ts';
import type { Publish } from '../server/bus.ts';
import type { AlertNotify } from './engine.ts';
import { ALERT_OUTCOMES, type Alert, type AlertOutcome, type AlertState } from './types.ts';

/** What a duty officer does with an alert. */
export type AlertAction = 'acknowledge' | 'act' | 'resolve' | 'note';

/** From which states each action may be taken, and where it leads (note: nowhere). */
const TRANSITIONS: Record<AlertAction, { from: readonly AlertState[]; to: AlertState | null }> = {
  acknowledge: { from: ['raised'], to: 'acknowledged' },
  act: { from: ['raised', 'acknowledged'], to: 'acting' },
  resolve: { from: ['raised', 'acknowledged', 'acting'], to: 'resolved' },
  note: { from: ['raised', 'acknowledged', 'acting', 'resolved'], to: null },
};

export interface Actor {
  username: string;
  role: string;
  address?: string | null;
}

export interface LifecycleDeps {
  db: Db;
  publish: Publish;
  notify?: AlertNotify | undefined;
  afterNotify?: (() => void) | undefined;
}

export type ActionResult =
  | { ok: true; alert: Alert }
  | { ok: false; code: 'not_found' | 'invalid_transition' | 'invalid_input'; message: string };

const MAX_NOTE = 2000;

/**
 * Moves an alert along raised → acknowledged → acting → resolved (or adds a note), with the state
 * history, the audit trail and the live update in one step. Acting needs a note (which plan, what was
 * done); resolving needs an outcome, which `npm run train:risk` learns from.
 */
export async function actOnAlert(
  deps: LifecycleDeps,
  id: string,
  action: AlertAction,
  actor: Actor,
  input: { note?: string | null; outcome?: string | null },
  now: Date,
): Promise<ActionResult> {
  const note = input.note?.trim() || null;
  if (note && note.length > MAX_NOTE) {
    return invalid(`备注不超过${MAX_NOTE}字 · A note has at most ${MAX_NOTE} characters`);
  }
  if ((action === 'act' || action === 'note') && !note) {
    return invalid(
      action === 'act'
        ? '请写明启动的预案或采取的措施 · Say which plan was triggered or what is being done'
        : '备注不能为空 · The note is empty',
    );
  }
  let outcome: AlertOutcome | null = null;
  if (action === 'resolve') {
    if (!input.outcome || !(ALERT_OUTCOMES as readonly string[]).includes(input.outcome)) {
      return invalid(
        '请选择处置结果：escalated（已演变为事件）、contained（已化解）或 false_alarm（误报） · Choose an outcome: escalated, contained or false_alarm',
      );
    }
    outcome = input.outcome as AlertOutcome;
  }

  const result = await deps.db.withTransaction(async (tx): Promise<ActionResult> => {
    const before = await lockAlert(tx, id);
    if (!before) return { ok: false, code: 'not_found', message: '预警不存在 · No such alert' };
    const rule = TRANSITIONS[action];
    if (!rule.from.includes(before.state)) {
      return {
        ok: false,
        code: 'invalid_transition',
        message: `预警当前为“${STATE_ZH[before.state]}”，不能${ACTION_ZH[action]} · The alert is ${before.state}; it cannot be ${ACTION_EN[action]}`,
      };
    }
    const alert: Alert = { ...before, updatedAt: now };
    if (rule.to) alert.state = rule.to;
    if (action === 'acknowledge' || (action === 'act' && before.acknowledgedAt === null)) {
      alert.acknowledgedAt = now;
      alert.acknowledgedBy = actor.username;
    }
    if (action === 'act') alert.actingAt = now;
    if (action === 'resolve') {
      alert.resolvedAt = now;
      alert.resolvedBy = actor.username;
      alert.outcome = outcome;
    }
    await updateAlert(tx, alert);
    await insertAlertEvent(tx, {
      alertId: id,
      at: now,
      actor: actor.username,
      kind:
        action === 'acknowledge'
          ? 'acknowledged'
          : action === 'act'
            ? 'acting'
            : action === 'resolve'
              ? 'resolved'
              : 'note',
      fromState: before.state,
      toState: alert.state,
      note,
      detail: outcome ? { outcome } : null,
    });
    await appendAudit(tx, [
      {
        at: now,
        actor: actor.username,
        actorRole: actor.role,
        action: `alert.${action}`,
        subjectType: 'alert',
        subjectId: id,
        address: actor.address ?? null,
        before: { state: before.state },
        after: { state: alert.state, note, outcome },
      },
    ]);
    if (action === 'resolve' && alert.silenceId === null && deps.notify) await deps.notify(tx, alert, 'resolved', now);
    return { ok: true, alert };
  });
  if (result.ok) {
    if (result.alert.silenceId === null) deps.publish('alerts.changed', { alert: result.alert, change: 'updated' });
    if (action === 'resolve') deps.afterNotify?.();
  }
  return result;
}

function invalid(message: string): ActionResult {
  return { ok: false, code: 'invalid_input', message };
}

const STATE_ZH: Record<AlertState, string> = {
  raised: '已发出',
  acknowledged: '已签收',
  acting: '处置中',
  resolved: '已解除',
};
const ACTION_ZH: Record<AlertAction, string> = { acknowledge: '签收', act: '启动处置', resolve: '解除', note: '备注' };
const ACTION_EN: Record<AlertAction, string> = {
  acknowledge: 'acknowledged',
  act: 'acted on',
  resolve: 'resolved',
  note: 'annotated',
};

export interface SilenceInput {
  ruleId?: string | null;
  regionCode?: string | null;
  topic?: string | null;
  reason: string;
  /** Minutes from now until it ends (at most 7 days: a silence must not become a way to forget). */
  minutes: number;
}

export type SilenceResult = { ok: true; silence: Silence } | { ok: false; message: string };

export const MAX_SILENCE_MINUTES = 7 * 24 * 60;

/** Creates a silence, audited. It mutes new and grouped alerts of its match until it expires. */
export async function createSilence(db: Db, input: SilenceInput, actor: Actor, now: Date): Promise<SilenceResult> {
  const reason = input.reason.trim();
  if (!reason) return { ok: false, message: '请写明静默原因 · Give the reason for the silence' };
  if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > MAX_SILENCE_MINUTES) {
    return {
      ok: false,
      message: `静默时长须为1至${MAX_SILENCE_MINUTES}分钟 · A silence lasts 1 to ${MAX_SILENCE_MINUTES} minutes`,
    };
  }
  if (!input.ruleId && !input.regionCode && !input.topic) {
    return { ok: false, message: '至少指定规则、区域或话题之一 · Name at least a rule, a region or a topic' };
  }
  const silence: Silence = {
    id: uuidv7(now.getTime()),
    ruleId: input.ruleId || null,
    regionCode: input.regionCode || null,
    topic: input.topic || null,
    reason,
    createdBy: actor.username,
    createdAt: now,
    startsAt: now,
    endsAt: new Date(now.getTime() + input.minutes * 60_000),
  };
  await db.withTransaction(async (tx) => {
    await insertSilence(tx, silence);
    await appendAudit(tx, [
      {
        at: now,
        actor: actor.username,
        actorRole: actor.role,
        action: 'alert.silence',
        subjectType: 'alert_silence',
        subjectId: silence.id,
        after: silence,
      },
    ]);
  });
  return { ok: true, silence };
}

export async function expireSilence(db: Db, id: string, actor: Actor, now: Date): Promise<boolean> {
  return db.withTransaction(async (tx) => {
    const ended = await endSilence(tx, id, now);
    if (ended) {
      await appendAudit(tx, [
        {
          at: now,
          actor: actor.username,
          actorRole: actor.role,
          action: 'alert.unsilence',
          subjectType: 'alert_silence',
          subjectId: id,
        },
      ]);
    }
    return ended;
  });
}
