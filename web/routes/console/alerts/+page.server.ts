import { error } from '@sveltejs/kit';
import { ALERT_STAFF_ROLES, mayReadAlert } from '$alerts/audiences.ts';
import {
  ALERT_SEVERITIES,
  ALERT_STATES,
  type Alert,
  type AlertSeverity,
  type AlertState,
  severityRank,
} from '$alerts/types.ts';
import { listAlerts } from '$db/queries/alerts.ts';
import type { RegionPack } from '$ingest/regions.ts';
import { TOPICS } from '$ingest/taxonomy.ts';
import { textParam } from '$lib/server/query-params.ts';
import type { Identity } from '$server/auth/identity.ts';
import type { PageServerLoad } from './$types';

export const _SEVERITY_NAMES: Record<AlertSeverity, { zh: string; en: string }> = {
  general: { zh: '一般', en: 'General' },
  key: { zh: '重点', en: 'Key' },
  major: { zh: '重大', en: 'Major' },
  extreme: { zh: '极端', en: 'Extreme' },
};

export const _STATE_NAMES: Record<AlertState, { zh: string; en: string }> = {
  raised: { zh: '已发出', en: 'Raised' },
  acknowledged: { zh: '已签收', en: 'Acknowledged' },
  acting: { zh: '处置中', en: 'Acting' },
  resolved: { zh: '已解除', en: 'Resolved' },
};

const OPEN_STATES: readonly AlertState[] = ['raised', 'acknowledged', 'acting'];
/** How long a resolved alert stays on the default list. */
const RECENT_RESOLVED_DAYS = 7;
const OPEN_LIMIT = 200;
const RESOLVED_LIMIT = 50;
// Liaisons and departments see a few alerts among many: scan further back to fill their list.
const SCAN = 1000;

type AlertReaderIdentity = Extract<Identity, { kind: 'user' }>;

/**
 * Who may open the alert pages: the duty room (admin, duty leader, operator) sees every alert; a
 * liaison or department sees what config/routing/alert-audiences.json sends it; anyone else gets 403.
 */
export function _alertReader(identity: Identity): { me: AlertReaderIdentity; staff: boolean } {
  if (identity.kind === 'user') {
    if ((ALERT_STAFF_ROLES as readonly string[]).includes(identity.role)) return { me: identity, staff: true };
    if (identity.role === 'liaison' || identity.role === 'department') return { me: identity, staff: false };
  }
  error(403, '无权查看预警 · You may not view alerts');
}

export function _timeFormat(timezone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: timezone,
    dateStyle: 'short',
    timeStyle: 'medium',
    hourCycle: 'h23',
  });
}

/** Where an alert is: its district (or the whole region), topic, channel and term, in words. */
export function _scopeText(alert: Pick<Alert, 'scope'>, region: RegionPack): { region: string; topic: string } {
  const { regionCode, topic, channel, term } = alert.scope;
  let place = `${region.name}（全市）`;
  if (regionCode !== null) {
    const district = region.districts.find((d) => d.code === regionCode);
    place = district ? district.name : regionCode === region.code ? region.name : regionCode;
  }
  const parts: string[] = [];
  if (topic !== null) parts.push(TOPICS[topic as keyof typeof TOPICS]?.zh ?? topic);
  if (channel !== null) parts.push(`渠道 ${channel}`);
  if (term !== null) parts.push(`“${term}”`);
  return { region: place, topic: parts.join(' · ') || '全部话题 all topics' };
}

/** What the list (and the detail page's header) shows of an alert: never its petition ids. */
export function _alertRow(alert: Alert, region: RegionPack, time: Intl.DateTimeFormat) {
  const scope = _scopeText(alert, region);
  return {
    id: alert.id,
    ruleId: alert.ruleId,
    kind: alert.kind,
    severity: alert.severity,
    severityName: _SEVERITY_NAMES[alert.severity],
    state: alert.state,
    stateName: _STATE_NAMES[alert.state],
    title: alert.title,
    region: scope.region,
    topic: scope.topic,
    score: Math.round(alert.score * 10) / 10,
    signalCount: alert.signalCount,
    raisedAt: time.format(alert.raisedAt),
    resolvedAt: alert.resolvedAt ? time.format(alert.resolvedAt) : '',
    silenced: alert.silenceId !== null,
  };
}

function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | null {
  return values.find((v) => v === value) ?? null;
}

/**
 * Open alerts (raised, acknowledged, acting) first, then those resolved in the last week; filtered
 * by `?state=` and `?severity=`. Liaisons and departments get only the alerts they may read, and no
 * silenced ones (the same as their live rooms and the Atom feed).
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const { me, staff } = _alertReader(locals.identity);
  const { db, region, now } = locals.app;
  const state = oneOf(ALERT_STATES, textParam(url.searchParams.get('state'), 20));
  const severity = oneOf(ALERT_SEVERITIES, textParam(url.searchParams.get('severity'), 20));
  const scan = staff ? null : SCAN;

  const wantOpen = state === null || state !== 'resolved';
  const wantResolved = state === null || state === 'resolved';
  const since = new Date(now().getTime() - RECENT_RESOLVED_DAYS * 24 * 3600_000);
  const [open, resolved] = await Promise.all([
    wantOpen ? listAlerts(db, { states: state ? [state] : OPEN_STATES, limit: scan ?? OPEN_LIMIT }) : [],
    wantResolved
      ? listAlerts(db, {
          states: ['resolved'],
          // Asked for explicitly: all resolved ones (newest first); by default the last week's.
          since: state === 'resolved' ? undefined : since,
          limit: scan ?? (state === 'resolved' ? OPEN_LIMIT : RESOLVED_LIMIT),
        })
      : [],
  ]);
  const audiences = locals.app.alerts.audiences;
  const visible = (a: Alert) =>
    (severity === null || a.severity === severity) &&
    (staff || (a.silenceId === null && mayReadAlert(me, a, audiences)));
  const time = _timeFormat(region.timezone);
  const rows = (list: Alert[], limit: number) =>
    list
      .filter(visible)
      .slice(0, limit)
      .map((a) => _alertRow(a, region, time));

  return {
    filter: { state: state ?? '', severity: severity ?? '' },
    states: ALERT_STATES.map((code) => ({ code, name: _STATE_NAMES[code] })),
    severities: [...ALERT_SEVERITIES]
      .sort((a, b) => severityRank(b) - severityRank(a))
      .map((code) => ({ code, name: _SEVERITY_NAMES[code] })),
    open: rows(open, OPEN_LIMIT),
    resolved: rows(resolved, state === 'resolved' ? OPEN_LIMIT : RESOLVED_LIMIT),
    recentDays: RECENT_RESOLVED_DAYS,
    canSilence: me.role === 'admin' || me.role === 'duty_leader',
    canEditRules: me.role === 'admin',
    readOnly: !staff,
  };
};
