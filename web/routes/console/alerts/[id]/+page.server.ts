import { error, fail } from '@sveltejs/kit';
import { mayReadAlert } from '$alerts/audiences.ts';
import { actOnAlert, type AlertAction } from '$alerts/lifecycle.ts';
import { ALERT_OUTCOMES, type AlertOutcome } from '$alerts/types.ts';
import { alertEvents, type AlertEventKind, getAlert } from '$db/queries/alerts.ts';
import { _alertReader, _alertRow, _STATE_NAMES, _timeFormat } from '../+page.server.ts';
import type { Actions, PageServerLoad } from './$types';
import { listDeliveries } from '$db/queries/alert-deliveries.ts';

const NOT_FOUND = '没有这条预警 · No such alert';

const EVENT_NAMES: Record<AlertEventKind, { zh: string; en: string }> = {
  raised: { zh: '发出', en: 'Raised' },
  updated: { zh: '更新', en: 'Updated' },
  escalated: { zh: '升级', en: 'Escalated' },
  acknowledged: { zh: '签收', en: 'Acknowledged' },
  acting: { zh: '启动处置', en: 'Acting' },
  resolved: { zh: '解除', en: 'Resolved' },
  note: { zh: '备注', en: 'Note' },
  renotified: { zh: '再次通知', en: 'Notified again' },
};

const OUTCOME_NAMES: Record<AlertOutcome, { zh: string; en: string }> = {
  escalated: { zh: '已演变为事件', en: 'Escalated into an incident' },
  contained: { zh: '已化解', en: 'Contained' },
  false_alarm: { zh: '误报', en: 'False alarm' },
};

/** What the detectors measure (alerts/detect/*), in words; unknown keys are shown as they are. */
const MEASURE_NAMES: Record<string, string> = {
  observed: '观测件数 observed',
  expected: '期望件数 expected',
  pValue: '尾概率 p-value',
  windowMinutes: '时间窗（分钟） window, minutes',
  windowDays: '时间窗（天） window, days',
  current: '本期件数 this period',
  previous: '上期件数 previous period',
  growth: '环比增幅 growth',
  period: '周期 period',
  count: '件数 count',
  ratio: '倍数 ratio to baseline',
  term: '词语/聚类 term',
  grade: '等级 grade',
  people: '涉及人数 people',
  amountYuan: '涉及金额（元） amount, yuan',
  when: '计划时间 planned when',
  where: '计划地点 planned where',
  index: '负面情感指数 negative index',
  usual: '常态指数 usual index',
  petitions: '信访件数 petitions',
  negative: '负面件数 negative',
  petitioners: '信访人数 petitioners',
  overHeads: '越级苗头 over heads',
};

/** Who may take which action: leaders act and resolve; operators acknowledge and annotate. */
const MAY: Record<AlertAction, readonly string[]> = {
  acknowledge: ['admin', 'duty_leader', 'operator'],
  note: ['admin', 'duty_leader', 'operator'],
  act: ['admin', 'duty_leader'],
  resolve: ['admin', 'duty_leader'],
};

/**
 * One alert: severity, score and its factors, measures, the state history, and (for the duty room
 * only) the petitions behind it. A liaison or department reads it without petition ids; an alert the
 * reader may not see answers as one that does not exist.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
  const { me, staff } = _alertReader(locals.identity);
  const { db, region } = locals.app;
  const alert = await getAlert(db, params.id);
  if (!alert || !mayReadAlert(me, alert, locals.app.alerts.audiences)) error(404, NOT_FOUND);
  const [events, deliveries] = await Promise.all([
    alertEvents(db, alert.id),
    // Who was told and how it went: the duty room's to see (subscriber names say who is listening).
    staff ? listDeliveries(db, alert.id) : Promise.resolve([]),
  ]);
  const time = _timeFormat(region.timezone);
  const rule = locals.app.alerts.rules.current().set.rules.find((r) => r.id === alert.ruleId);
  const may = (action: AlertAction) => MAY[action].includes(me.role);
  const open = alert.state !== 'resolved';
  return {
    alert: {
      ..._alertRow(alert, region, time),
      ruleName: rule?.name ?? null,
      ruleVersion: alert.ruleVersion,
      sensitivePeriod: alert.sensitivePeriod,
      lastSeenAt: time.format(alert.lastSeenAt),
      acknowledged: alert.acknowledgedAt ? `${time.format(alert.acknowledgedAt)} · ${alert.acknowledgedBy ?? ''}` : '',
      resolved: alert.resolvedAt ? `${time.format(alert.resolvedAt)} · ${alert.resolvedBy ?? ''}` : '',
      outcome: alert.outcome ? OUTCOME_NAMES[alert.outcome] : null,
      factors: alert.factors.map((f) => ({
        name: f.name,
        label: f.label,
        value: round(f.value),
        weight: round(f.weight),
        contribution: round(f.contribution),
      })),
      measures: Object.entries(alert.measures).map(([key, value]) => ({
        key,
        name: MEASURE_NAMES[key] ?? key,
        value: value === null ? '—' : typeof value === 'number' ? String(round(value)) : value,
      })),
    },
    // Petition ids are the duty room's: a liaison or department never gets them, not even as links.
    petitionIds: staff ? alert.petitionIds : [],
    events: events.map((e) => ({
      id: e.id,
      at: time.format(e.at),
      actor: e.actor,
      kind: e.kind,
      name: EVENT_NAMES[e.kind] ?? { zh: e.kind, en: e.kind },
      from: e.fromState ? _STATE_NAMES[e.fromState] : null,
      to: e.toState ? _STATE_NAMES[e.toState] : null,
      note: e.note,
      outcome: outcomeOf(e.detail),
    })),
    deliveries: deliveries.map((d) => ({
      id: d.id,
      subscriber: d.subscriberId,
      event: d.event,
      state: d.state,
      attempts: d.attempts,
      created: time.format(d.createdAt),
      delivered: d.deliveredAt ? time.format(d.deliveredAt) : null,
      next: d.state === 'pending' ? time.format(d.nextAttemptAt) : null,
      status: d.lastStatus,
      error: d.lastError,
    })),
    outcomes: ALERT_OUTCOMES.map((code) => ({ code, name: OUTCOME_NAMES[code] })),
    can: {
      acknowledge: may('acknowledge') && alert.state === 'raised',
      act: may('act') && (alert.state === 'raised' || alert.state === 'acknowledged'),
      resolve: may('resolve') && open,
      note: may('note'),
    },
    readOnly: !staff,
  };
};

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function outcomeOf(detail: unknown): { zh: string; en: string } | null {
  if (detail === null || typeof detail !== 'object' || !('outcome' in detail)) return null;
  const outcome = (detail as { outcome: unknown }).outcome;
  return typeof outcome === 'string' && outcome in OUTCOME_NAMES ? OUTCOME_NAMES[outcome as AlertOutcome] : null;
}

const ACTION_DONE: Record<AlertAction, string> = {
  acknowledge: '已签收 · Acknowledged',
  act: '已启动处置 · Action started',
  resolve: '已解除 · Resolved',
  note: '已添加备注 · Note added',
};

const FORBIDDEN: Record<AlertAction, string> = {
  acknowledge: '无权签收：仅值班人员可以签收 · Only duty staff may acknowledge',
  note: '无权备注：仅值班人员可以备注 · Only duty staff may add notes',
  act: '无权启动处置：仅值班领导和管理员可以 · Only duty leaders and admins may act on an alert',
  resolve: '无权解除：仅值班领导和管理员可以 · Only duty leaders and admins may resolve an alert',
};

function action(name: AlertAction): Actions[string] {
  return async ({ request, locals, params, getClientAddress }) => {
    const me = locals.identity;
    if (me.kind !== 'user' || !MAY[name].includes(me.role)) {
      return fail(403, { ok: false as const, action: name, message: FORBIDDEN[name] });
    }
    const form = await request.formData();
    const text = (key: string) => {
      const v = form.get(key);
      return typeof v === 'string' ? v : null;
    };
    const { app } = locals;
    // Only duty-room roles get this far, and they read every alert: no audience check is needed.
    const result = await actOnAlert(
      app.alerts.lifecycle,
      params.id,
      name,
      { username: me.username, role: me.role, address: getClientAddress() },
      { note: text('note'), outcome: name === 'resolve' ? text('outcome') : null },
      app.now(),
    );
    if (!result.ok) {
      const status = result.code === 'not_found' ? 404 : result.code === 'invalid_transition' ? 409 : 400;
      return fail(status, { ok: false as const, action: name, message: result.message });
    }
    return { ok: true as const, action: name, message: ACTION_DONE[name] };
  };
}

export const actions: Actions = {
  acknowledge: action('acknowledge'),
  act: action('act'),
  resolve: action('resolve'),
  note: action('note'),
};
