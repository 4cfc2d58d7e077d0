import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCalendar, EMPTY_CALENDAR } from '../alerts/calendar.ts';
import { createAlertEngine, type AlertNotify } from '../alerts/engine.ts';
import { actOnAlert, createSilence, expireSilence } from '../alerts/lifecycle.ts';
import { MemoryAlertSource } from '../alerts/memory-source.ts';
import { HAND_SET_MODEL } from '../alerts/risk.ts';
import { openRuleStore, RuleSetError } from '../alerts/rule-store.ts';
import type { WindowPetition } from '../alerts/source.ts';
import type { Alert } from '../alerts/types.ts';
import { alertEvents, getAlert, listAlerts, ruleSetHistory } from '../db/queries/alerts.ts';
import { loadRegionPack } from '../ingest/regions.ts';
import type { CommittedPetition, InternalEvents } from '../server/bus.ts';
import { ENGINES, useMigratedDb } from './helpers/databases.ts';

const region = loadRegionPack('suzhou');
const A = region.districts[0]!.code;
const T0 = new Date('2026-12-01T10:00:00+08:00');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const log = { error: () => {} };

function rulesFile(rules: unknown[], renotifyMinutes = 15): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wenkong-rules-')), 'alerts.json');
  writeFileSync(file, JSON.stringify({ renotifyMinutes, rules }));
  return file;
}

const MAJOR = {
  id: 'major-petition',
  kind: 'instant',
  condition: 'major',
  severity: 'major',
  name: { zh: '重大信访', en: 'Major' },
};
const EXTREME = {
  id: 'extreme',
  kind: 'instant',
  condition: 'extreme',
  severity: 'extreme',
  name: { zh: '极端', en: 'Extreme' },
};
const GROWTH = {
  id: 'growth',
  kind: 'growth',
  groupBy: ['region'],
  period: 'day',
  threshold: 1,
  minCount: 10,
  severity: 'key',
  pendingMinutes: 30,
  name: { zh: '增长', en: 'Growth' },
};

let n = 0;
function committed(over: Partial<CommittedPetition> = {}): CommittedPetition {
  n++;
  return {
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    receivedAt: T0,
    channel: 'hotline',
    regionCode: A,
    topic: 'labour',
    grade: 'major',
    sentiment: { label: 'negative', score: -0.8 },
    extreme: false,
    people: 80,
    amountYuan: 2_000_000,
    riskTerms: [{ term: '集体上访', category: 'mass_action' }],
    plannedAction: null,
    summary: '八十名农民工被拖欠工资',
    ...over,
  };
}

function windowPetition(atTime: Date): WindowPetition {
  n++;
  return {
    id: `00000000-0000-7000-9000-${String(n).padStart(12, '0')}`,
    receivedAt: atTime,
    regionCode: A,
    topic: 'labour',
    channel: 'hotline',
    grade: 'general',
    negative: true,
    extreme: false,
    people: null,
    amountYuan: null,
    riskTerms: [],
    bands: [],
    signature: null,
    personKeys: [],
  };
}

describe.each(ENGINES)('alert engine on %s', (_name, open) => {
  const t = useMigratedDb(open);

  async function engineWith(rules: unknown[], options: { source?: MemoryAlertSource; notify?: AlertNotify } = {}) {
    const published: InternalEvents['alerts.changed'][] = [];
    const store = await openRuleStore(t.db, rulesFile(rules), log);
    const engine = createAlertEngine({
      db: t.db,
      source: options.source ?? new MemoryAlertSource(),
      region,
      calendar: EMPTY_CALENDAR,
      rules: store,
      risk: HAND_SET_MODEL,
      publish: (name, payload) => {
        if (name === 'alerts.changed') published.push(payload as InternalEvents['alerts.changed']);
      },
      log,
      notify: options.notify,
    });
    return { engine, store, published };
  }

  async function resolveAll() {
    for (const a of await listAlerts(t.db, { states: ['raised', 'acknowledged', 'acting'] })) {
      await actOnAlert(
        { db: t.db, publish: () => {} },
        a.id,
        'resolve',
        { username: 'cleanup', role: 'admin' },
        { outcome: 'contained' },
        at(0),
      );
    }
  }

  it('raises one alert for a major petition and folds fifty more of the same scope into it', async () => {
    await resolveAll();
    const notified: string[] = [];
    const { engine, published } = await engineWith([MAJOR], {
      notify: (_tx, alert, event) => {
        notified.push(`${event}:${alert.id}`);
        return Promise.resolve();
      },
    });
    engine.onCommitted([committed()], at(0));
    await engine.idle();
    for (let i = 0; i < 50; i++) engine.onCommitted([committed()], at(1 + i / 10));
    await engine.idle();
    const open = await listAlerts(t.db, { states: ['raised'] });
    expect(open).toHaveLength(1);
    const alert = open[0]!;
    expect(alert).toMatchObject({
      ruleId: 'major-petition',
      kind: 'instant.major',
      severity: 'major',
      signalCount: 51,
    });
    expect(alert.petitionIds).toHaveLength(51);
    expect(alert.score).toBeGreaterThan(0);
    expect(alert.factors.map((f) => f.name)).toContain('people');
    expect(published.map((p) => p.change)).toEqual(['raised', ...Array<string>(50).fill('updated')]);
    // Subscribers hear of it once, not fifty-one times.
    expect(notified).toEqual([`raised:${alert.id}`]);
    // Ten in one committed batch: one update (one transaction), all ten counted.
    engine.onCommitted(
      Array.from({ length: 10 }, () => committed()),
      at(8),
    );
    await engine.idle();
    expect(published).toHaveLength(52);
    expect((await getAlert(t.db, alert.id))?.signalCount).toBe(61);
    // A different scope is a different alert.
    engine.onCommitted([committed({ regionCode: region.districts[2]!.code })], at(10));
    await engine.idle();
    expect(await listAlerts(t.db, { states: ['raised'] })).toHaveLength(2);
  });

  it('stays quiet on ordinary petitions', async () => {
    await resolveAll();
    const { engine, published } = await engineWith([MAJOR, EXTREME]);
    engine.onCommitted([committed({ grade: 'general' }), committed({ grade: 'key' })], at(0));
    await engine.idle();
    expect(published).toEqual([]);
    expect(await listAlerts(t.db, { states: ['raised'] })).toEqual([]);
  });

  it('keeps a silenced alert on record but publishes and notifies nothing until the silence ends', async () => {
    await resolveAll();
    const notified: string[] = [];
    const { engine, published } = await engineWith([EXTREME], {
      notify: (_tx, _a, event) => {
        notified.push(event);
        return Promise.resolve();
      },
    });
    const actor = { username: 'leader', role: 'duty_leader' };
    const silence = await createSilence(
      t.db,
      { ruleId: 'extreme', regionCode: A, reason: '已在现场处置', minutes: 60 },
      actor,
      at(0),
    );
    expect(silence.ok).toBe(true);
    engine.onCommitted([committed({ extreme: true })], at(1));
    await engine.idle();
    const [muted] = await listAlerts(t.db, { states: ['raised'] });
    expect(muted?.silenceId).toBe(silence.ok ? silence.silence.id : null);
    expect(published).toEqual([]);
    expect(notified).toEqual([]);
    // After the silence ends, the next signal un-mutes the same alert.
    expect(await expireSilence(t.db, silence.ok ? silence.silence.id : '', actor, at(2))).toBe(true);
    engine.onCommitted([committed({ extreme: true })], at(3));
    await engine.idle();
    const [live] = await listAlerts(t.db, { states: ['raised'] });
    expect(live?.id).toBe(muted?.id);
    expect(live?.silenceId).toBeNull();
    expect(published.map((p) => p.change)).toEqual(['updated']);
  });

  it('raises an alert muted by a silence once the silence runs out, with no new signal needed', async () => {
    await resolveAll();
    const notified: string[] = [];
    const { engine, published } = await engineWith([MAJOR], {
      notify: (_tx, _a, event) => {
        notified.push(event);
        return Promise.resolve();
      },
    });
    const actor = { username: 'leader', role: 'duty_leader' };
    const topic = 'housing';
    const made = await createSilence(t.db, { topic, reason: '专班已介入', minutes: 30 }, actor, at(200));
    expect(made.ok).toBe(true);
    engine.onCommitted([committed({ topic })], at(201));
    await engine.idle();
    expect(published).toEqual([]);
    expect(await engine.renotify(at(220))).toBe(0);
    // At minute 231 the silence is over: the alert is raised to the rooms and the subscribers.
    expect(await engine.renotify(at(231))).toBe(1);
    expect(published.map((p) => p.change)).toEqual(['raised']);
    expect(published[0]!.alert.silenceId).toBeNull();
    expect(notified).toEqual(['raised']);
  });

  it('raises a window condition only after it held for the pending period, and starts over when it breaks', async () => {
    await resolveAll();
    const source = new MemoryAlertSource();
    // Yesterday by 10:00: 5; today by 10:00: 30 (growth 500 %).
    const midnight = new Date('2026-12-01T00:00:00+08:00').getTime();
    for (let i = 0; i < 5; i++) source.add(windowPetition(new Date(midnight - 86_400_000 + (i + 1) * 3_600_000)));
    for (let i = 0; i < 30; i++) source.add(windowPetition(new Date(midnight + (i + 1) * 19 * 60_000)));
    const { engine } = await engineWith([GROWTH], { source });
    expect(await engine.evaluateWindows(at(0))).toMatchObject({ signals: 1, pending: 1, raised: 0 });
    expect(await engine.evaluateWindows(at(20))).toMatchObject({ pending: 1, raised: 0 });
    expect(await engine.evaluateWindows(at(31))).toMatchObject({ raised: 1 });
    expect(await engine.evaluateWindows(at(32))).toMatchObject({ updated: 1 });
    const [alert] = await listAlerts(t.db, { states: ['raised'] });
    expect(alert).toMatchObject({ ruleId: 'growth', kind: 'growth', signalCount: 2 });
    expect(alert!.measures.current).toBe(30);
  });

  it('notifies an unacknowledged alert again after the renotify period, and an acknowledged one never', async () => {
    // Clear of the silence the test before set (it covered minutes 0–2).
    await resolveAll();
    const notified: string[] = [];
    const { engine } = await engineWith([MAJOR, EXTREME], {
      notify: (_tx, a, event) => {
        notified.push(`${event}:${a.ruleId}`);
        return Promise.resolve();
      },
    });
    engine.onCommitted([committed(), committed({ extreme: true })], at(100));
    await engine.idle();
    const [a, b] = await listAlerts(t.db, { states: ['raised'] });
    await actOnAlert(
      { db: t.db, publish: () => {} },
      a!.id,
      'acknowledge',
      { username: 'duty', role: 'duty_leader' },
      {},
      at(105),
    );
    expect(await engine.renotify(at(110))).toBe(0);
    expect(await engine.renotify(at(116))).toBe(1);
    expect(await engine.renotify(at(120))).toBe(0);
    expect(await engine.renotify(at(132))).toBe(1);
    const renotified = await getAlert(t.db, b!.id);
    expect(renotified).toMatchObject({ notifyCount: 3, state: 'raised' });
    expect(notified.filter((x) => x.startsWith('renotified'))).toEqual([
      `renotified:${b!.ruleId}`,
      `renotified:${b!.ruleId}`,
    ]);
  });

  it('moves an alert through its lifecycle with a full history, and refuses what does not follow', async () => {
    await resolveAll();
    const { engine } = await engineWith([MAJOR]);
    engine.onCommitted([committed()], at(0));
    await engine.idle();
    const [alert] = await listAlerts(t.db, { states: ['raised'] });
    const deps = { db: t.db, publish: () => {} };
    const leader = { username: 'leader', role: 'duty_leader' };
    expect(await actOnAlert(deps, alert!.id, 'act', leader, {}, at(1))).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
    expect(await actOnAlert(deps, alert!.id, 'acknowledge', leader, {}, at(1))).toMatchObject({ ok: true });
    expect(await actOnAlert(deps, alert!.id, 'acknowledge', leader, {}, at(2))).toMatchObject({
      ok: false,
      code: 'invalid_transition',
    });
    expect(
      await actOnAlert(deps, alert!.id, 'act', leader, { note: '启动欠薪应急预案，劳动监察到场' }, at(3)),
    ).toMatchObject({
      ok: true,
      alert: { state: 'acting' },
    });
    expect(await actOnAlert(deps, alert!.id, 'resolve', leader, {}, at(4))).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
    const done = await actOnAlert(
      deps,
      alert!.id,
      'resolve',
      leader,
      { outcome: 'contained', note: '工资已发放' },
      at(5),
    );
    expect(done).toMatchObject({ ok: true, alert: { state: 'resolved', outcome: 'contained', resolvedBy: 'leader' } });
    const history = await alertEvents(t.db, alert!.id);
    expect(history.map((e) => `${e.kind}:${e.fromState ?? '-'}>${e.toState}`)).toEqual([
      'raised:->raised',
      'acknowledged:raised>acknowledged',
      'acting:acknowledged>acting',
      'resolved:acting>resolved',
    ]);
    // Resolved: the next major petition of the scope raises a new alert.
    engine.onCommitted([committed()], at(6));
    await engine.idle();
    const next = await listAlerts(t.db, { states: ['raised'] });
    expect(next).toHaveLength(1);
    expect(next[0]!.id).not.toBe(alert!.id);
  });

  it('refuses an invalid rule set with the exact field, keeps the running one, and versions every change', async () => {
    const file = rulesFile([MAJOR]);
    const store = await openRuleStore(t.db, file, log);
    const before = store.current();
    const broken = {
      rules: [
        { ...GROWTH, pendingMinutes: -5 },
        { ...MAJOR, severity: 'urgent' },
      ],
    };
    const refused = await store.replace(broken, 'user:admin').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RuleSetError);
    expect((refused as RuleSetError).errors.map((e) => e.path)).toEqual([
      'rules[0].pendingMinutes',
      'rules[1].severity',
    ]);
    expect(store.current()).toEqual(before);
    const changed = await store.replace({ rules: [MAJOR, EXTREME] }, 'user:admin');
    expect(changed.version).toBeGreaterThan(before.version);
    // The same content again is no new version.
    expect((await store.replace({ rules: [MAJOR, EXTREME] }, 'user:admin')).version).toBe(changed.version);
    // A broken file at start: the last stored version stays in force.
    const brokenFile = join(mkdtempSync(join(tmpdir(), 'wenkong-rules-')), 'alerts.json');
    writeFileSync(brokenFile, '{"rules": [{"id": "x"}]}');
    const errors: string[] = [];
    const restarted = await openRuleStore(t.db, brokenFile, { error: (m) => errors.push(m) });
    expect(restarted.current().version).toBe(changed.version);
    expect(errors[0]).toContain('stays in force');
    expect((await ruleSetHistory(t.db)).length).toBeGreaterThanOrEqual(2);
  });

  it('tightens an instant rule’s alert with the sensitive period in force', async () => {
    await resolveAll();
    const store = await openRuleStore(t.db, rulesFile([MAJOR]), log);
    const engine = createAlertEngine({
      db: t.db,
      source: new MemoryAlertSource(),
      region,
      calendar: createCalendar(
        [
          {
            id: 'meeting',
            name: { zh: '重要会议', en: 'Major meeting' },
            from: '2026-11-30',
            to: '2026-12-02',
            factor: 0.6,
          },
        ],
        region.timezone,
      ),
      rules: store,
      risk: HAND_SET_MODEL,
      publish: () => {},
      log,
    });
    engine.onCommitted([committed()], at(0));
    await engine.idle();
    const [alert] = (await listAlerts(t.db, { states: ['raised'] })) as Alert[];
    expect(alert!.sensitivePeriod).toBe('meeting');
    expect(alert!.factors.find((f) => f.name === 'sensitive_period')?.value).toBe(1);
  });
});
