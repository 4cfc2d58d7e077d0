import { describe, expect, it } from 'vitest';
import type { AlertView, KpiSnapshot } from '$realtime/contract.ts';
import { applyAlerts, compareAlerts, EMPTY_BOOK, isAlertView, resyncAlerts, sortedAlerts } from './alert-order.ts';
import { AlertState, FLASH_MS, type Schedule } from './alert-state.svelte.ts';
import type { WallSocket } from './wall-state.svelte.ts';

const T0 = Date.parse('2025-03-04T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function alert(id: string, over: Partial<AlertView> = {}): AlertView {
  return {
    id,
    ruleId: 'volume',
    kind: 'volume',
    severity: 'key',
    state: 'raised',
    title: { zh: `预警 ${id}`, en: `Alert ${id}` },
    regionCode: '320583',
    topic: 'labour',
    score: 50,
    factors: [],
    measures: {},
    signalCount: 1,
    sensitivePeriod: null,
    raisedAt: at(0),
    updatedAt: at(0),
    ...over,
  };
}

/** Runs batches only when told, as animation frames would. */
function manualFrames() {
  let queued: (() => void) | null = null;
  const schedule: Schedule = (flush) => {
    queued = flush;
    return () => (queued = null);
  };
  return {
    schedule,
    frame() {
      const f = queued;
      queued = null;
      f?.();
    },
  };
}

const noAlerts = { alerts: [], complete: true };

describe('alert order', () => {
  it('puts extreme before major before key before general, then the higher score first', () => {
    const list = [
      alert('g', { severity: 'general', score: 99 }),
      alert('k1', { severity: 'key', score: 40 }),
      alert('x', { severity: 'extreme', score: 10 }),
      alert('k2', { severity: 'key', score: 80 }),
      alert('m', { severity: 'major', score: 20 }),
    ];
    expect(list.sort(compareAlerts).map((a) => a.id)).toEqual(['x', 'm', 'k2', 'k1', 'g']);
  });

  it('breaks a tie of severity and score by the newest raised, then by id', () => {
    const list = [alert('b'), alert('old', { raisedAt: at(-5) }), alert('a'), alert('new', { raisedAt: at(3) })];
    expect(list.sort(compareAlerts).map((a) => a.id)).toEqual(['new', 'a', 'b', 'old']);
  });
});

describe('applying alert events', () => {
  it('keeps the newer version when an older update is replayed after it', () => {
    let { book } = applyAlerts(EMPTY_BOOK, [alert('a')]);
    ({ book } = applyAlerts(book, [alert('a', { state: 'acting', score: 70, updatedAt: at(5) })]));
    const replay = applyAlerts(book, [alert('a', { state: 'acknowledged', score: 60, updatedAt: at(2) })]);
    expect(replay.changed).toBe(false);
    expect(replay.book.open.get('a')).toMatchObject({ state: 'acting', score: 70 });
  });

  it('removes a resolved alert, and a replayed raise does not bring it back', () => {
    let { book } = applyAlerts(EMPTY_BOOK, [alert('a'), alert('b')]);
    ({ book } = applyAlerts(book, [alert('a', { state: 'resolved', updatedAt: at(4) })]));
    expect([...book.open.keys()]).toEqual(['b']);
    const replay = applyAlerts(book, [alert('a'), alert('a', { state: 'acting', updatedAt: at(3) })]);
    expect(replay.changed).toBe(false);
    expect(replay.book.open.has('a')).toBe(false);
  });

  it('lets a resolution win a tie of updatedAt, and a newer version reopen a resolved alert', () => {
    let { book } = applyAlerts(EMPTY_BOOK, [alert('a', { updatedAt: at(1) })]);
    ({ book } = applyAlerts(book, [alert('a', { state: 'resolved', updatedAt: at(1) })]));
    expect(book.open.size).toBe(0);
    ({ book } = applyAlerts(book, [alert('a', { state: 'raised', updatedAt: at(1) })]));
    expect(book.open.size).toBe(0);
    ({ book } = applyAlerts(book, [alert('a', { state: 'raised', updatedAt: at(9) })]));
    expect(book.open.has('a')).toBe(true);
  });

  it('flashes new and escalated alerts, not routine updates', () => {
    const first = applyAlerts(EMPTY_BOOK, [alert('a'), alert('b')]);
    expect(first.flash).toEqual(['a', 'b']);
    const next = applyAlerts(first.book, [
      alert('a', { score: 90, updatedAt: at(1) }),
      alert('b', { severity: 'major', updatedAt: at(1) }),
    ]);
    expect(next.flash).toEqual(['b']);
  });

  it('rejects payloads that are not alerts', () => {
    expect(isAlertView(alert('a'))).toBe(true);
    expect(isAlertView(null)).toBe(false);
    expect(isAlertView({ ...alert('a'), severity: 'catastrophic' })).toBe(false);
    expect(isAlertView({ ...alert('a'), updatedAt: 'yesterday' })).toBe(false);
    expect(isAlertView({ ...alert('a'), title: null })).toBe(false);
  });
});

describe('resync after a reconnect', () => {
  it('drops held alerts missing from a complete list, unless their events came since connecting', () => {
    const { book } = applyAlerts(EMPTY_BOOK, [
      alert('gone', { updatedAt: at(1) }),
      alert('kept', { updatedAt: at(1) }),
      alert('live', { updatedAt: at(1) }),
    ]);
    const list = { alerts: [alert('kept', { updatedAt: at(1) }), alert('new', { updatedAt: at(2) })] };
    const live = new Set(['live']);
    const complete = resyncAlerts(book, { ...list, complete: true }, live);
    expect(sortedAlerts(complete.book).map((a) => a.id)).toEqual(['kept', 'live', 'new']);
    expect(complete.flash).toEqual(['new']);
    // A replayed raise of the dropped alert stays out.
    expect(applyAlerts(complete.book, [alert('gone', { updatedAt: at(1) })]).changed).toBe(false);

    // A list cut at its limit may just not reach an open alert: nothing is dropped.
    const partial = resyncAlerts(book, { ...list, complete: false }, live);
    expect(partial.book.open.has('gone')).toBe(true);
  });
});

describe('AlertState', () => {
  it('applies events once per frame, sorted, counted, with flashes that end', () => {
    const frames = manualFrames();
    let now = T0;
    const state = new AlertState(
      { alerts: { alerts: [alert('k', { severity: 'key' })], complete: true }, kpis: null },
      { now: () => now, schedule: frames.schedule },
    );
    expect(state.alerts.map((a) => a.id)).toEqual(['k']);
    expect(state.flashes.size).toBe(0);

    state.receive(alert('x', { severity: 'extreme' }));
    state.receive(alert('g', { severity: 'general' }));
    state.receive({ id: 'junk' });
    expect(state.alerts).toHaveLength(1);
    frames.frame();
    expect(state.alerts.map((a) => a.id)).toEqual(['x', 'k', 'g']);
    expect(state.counts).toEqual({ extreme: 1, major: 0, key: 1, general: 1, total: 3 });
    expect(state.flashes.get('x')).toBe(T0 + FLASH_MS);

    now = T0 + FLASH_MS + 1;
    state.receive(alert('g', { state: 'resolved', updatedAt: at(1) }));
    state.receive(alert('k', { state: 'acknowledged', updatedAt: at(1) }));
    frames.frame();
    expect(state.alerts.map((a) => [a.id, a.state])).toEqual([
      ['x', 'raised'],
      ['k', 'acknowledged'],
    ]);
    expect(state.counts).toEqual({ extreme: 1, major: 0, key: 1, general: 0, total: 2 });
    expect(state.flashes.size).toBe(0);
  });

  it('asks for a resync on each unrecovered connect, and keeps what the socket delivered since', () => {
    const handlers = new Map<string, (payload?: unknown) => void>();
    const socket = {
      recovered: false,
      on: (event: string, handler: (payload?: unknown) => void) => handlers.set(event, handler),
      off: (event: string) => handlers.delete(event),
    };
    const frames = manualFrames();
    let resyncs = 0;
    const state = new AlertState(
      { alerts: { alerts: [alert('old')], complete: true }, kpis: null },
      { schedule: frames.schedule, onResync: () => (resyncs += 1) },
    );
    const stop = state.listen(socket as unknown as WallSocket);
    handlers.get('connect')!();
    expect(resyncs).toBe(1);
    handlers.get('alert:raised')!(alert('live'));
    frames.frame();
    // The list was read before 'live' was committed, and 'old' was resolved meanwhile.
    state.resync({ alerts: [], complete: true }, null);
    expect(state.alerts.map((a) => a.id)).toEqual(['live']);

    socket.recovered = true;
    handlers.get('connect')!();
    expect(resyncs).toBe(1);
    stop();
    expect(handlers.size).toBe(0);
  });

  it('keeps the newest KPIs', () => {
    const kpis = (t: number) => ({ at: at(t) }) as KpiSnapshot;
    const state = new AlertState({ alerts: noAlerts, kpis: kpis(1) }, { schedule: manualFrames().schedule });
    state.receiveKpis(kpis(2));
    state.receiveKpis(kpis(0));
    expect(state.kpis?.at).toBe(at(2));
    state.resync(noAlerts, kpis(1));
    expect(state.kpis?.at).toBe(at(2));
  });
});
