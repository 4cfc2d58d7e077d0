import { describe, expect, it } from 'vitest';
import type { Alert, AlertScope } from '../types.ts';
import { parseSubscribers, type Subscriber } from './config.ts';
import { subscribersFor } from './routing.ts';

const ENV = { HOOK: 'hook-secret-0123456789abcdef' };

function subs(...partial: Record<string, unknown>[]): Subscriber[] {
  return parseSubscribers(
    partial.map((p, i) => ({
      id: `s${i}`,
      kind: 'webhook',
      minSeverity: 'general',
      url: 'https://h.example',
      secretEnv: 'HOOK',
      ...p,
    })),
    'test',
    ENV,
  );
}

type Routed = Pick<Alert, 'severity' | 'kind' | 'scope'>;
function alert(severity: Alert['severity'], scope: Partial<AlertScope> = {}, kind = 'volume'): Routed {
  return { severity, kind, scope: { regionCode: null, topic: null, channel: null, term: null, ...scope } };
}

const ids = (list: Subscriber[]) => list.map((s) => s.id);

describe('subscribersFor', () => {
  it('sends at or above each minimum severity', () => {
    const list = subs(
      { minSeverity: 'general' },
      { minSeverity: 'key' },
      { minSeverity: 'major' },
      { minSeverity: 'extreme' },
    );
    expect(ids(subscribersFor(alert('general'), 'raised', list))).toEqual(['s0']);
    expect(ids(subscribersFor(alert('major'), 'raised', list))).toEqual(['s0', 's1', 's2']);
    expect(ids(subscribersFor(alert('extreme'), 'raised', list))).toEqual(['s0', 's1', 's2', 's3']);
  });

  it('sends only the events a subscriber lists, every event by default', () => {
    const list = subs({}, { events: ['raised', 'escalated'] });
    expect(ids(subscribersFor(alert('key'), 'escalated', list))).toEqual(['s0', 's1']);
    expect(ids(subscribersFor(alert('key'), 'resolved', list))).toEqual(['s0']);
    expect(ids(subscribersFor(alert('key'), 'renotified', list))).toEqual(['s0']);
  });

  it('narrows by region (a city code covers its districts), topic and kind; absent lists mean any', () => {
    const list = subs(
      {},
      { scope: { regions: ['320508'] } },
      { scope: { regions: ['320500'] } },
      { scope: { topics: ['labour', 'land'] } },
      { scope: { kinds: ['instant.extreme', 'joint'] } },
      { scope: { regions: ['320508'], topics: ['labour'] } },
      { scope: { regions: ['320000'] } },
    );
    expect(ids(subscribersFor(alert('key', { regionCode: '320508', topic: 'labour' }), 'raised', list))).toEqual([
      's0',
      's1',
      's2',
      's3',
      's5',
      's6',
    ]);
    expect(ids(subscribersFor(alert('key', { regionCode: '320583', topic: 'housing' }), 'raised', list))).toEqual([
      's0',
      's2',
      's6',
    ]);
    expect(ids(subscribersFor(alert('key', { regionCode: '310101' }, 'joint'), 'raised', list))).toEqual(['s0', 's4']);
    // A city-wide alert is not about one listed district or topic.
    expect(ids(subscribersFor(alert('key', {}, 'instant.extreme'), 'raised', list))).toEqual(['s0', 's4']);
  });

  it('sends accusation alerts (conduct) only to subscribers who name conduct', () => {
    const list = subs(
      {},
      { scope: { regions: ['320508'] } },
      { scope: { topics: ['conduct'] } },
      { scope: { topics: ['labour', 'conduct'], regions: ['320508'] } },
    );
    expect(ids(subscribersFor(alert('extreme', { regionCode: '320508', topic: 'conduct' }), 'raised', list))).toEqual([
      's2',
      's3',
    ]);
    expect(ids(subscribersFor(alert('extreme', { regionCode: '320583', topic: 'conduct' }), 'raised', list))).toEqual([
      's2',
    ]);
  });
});
