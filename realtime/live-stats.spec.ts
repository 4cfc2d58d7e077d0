import { describe, expect, it } from 'vitest';
import type { CommittedPetition } from '../server/bus.ts';
import { LiveStats } from './live-stats.ts';

const TZ = 'Asia/Shanghai';
let n = 0;
function petition(at: string, grade: CommittedPetition['grade'] = 'general'): CommittedPetition {
  n += 1;
  return {
    id: `p${n}`,
    receivedAt: new Date(at),
    channel: 'hotline',
    regionCode: '320508',
    topic: 'labour',
    grade,
    sentiment: { label: 'negative', score: -0.4 },
    extreme: false,
    people: null,
    amountYuan: null,
    riskTerms: [],
    plannedAction: null,
    summary: '测试',
  };
}

describe('LiveStats', () => {
  it('counts committed petitions into minutes and today, with consecutive tick numbers', () => {
    const now = new Date('2026-12-01T02:10:30Z');
    const stats = new LiveStats(TZ, now);
    stats.seed(
      {
        minutes: [{ bucket: '2026-12-01T02:09:00.000Z', total: 4, key: 1, major: 0, negative: 2 }],
        today: 10,
        latest: [],
      },
      now,
    );
    const before = stats.snapshot(now);
    expect(before.minutes).toHaveLength(60);
    expect(before.minutes.at(-1)!.t).toBe('2026-12-01T02:10:00.000Z');
    expect(before.minutes.at(-2)!.total).toBe(4);

    stats.apply([petition('2026-12-01T02:10:01Z', 'major'), petition('2026-12-01T02:09:59Z')]);
    const tick = stats.tick(new Date('2026-12-01T02:10:31Z'));
    expect(tick.seq).toBe(before.seq + 1);
    expect(tick.today).toBe(12);
    expect(tick.minutes.map((m) => [m.t, m.total, m.major])).toEqual([
      ['2026-12-01T02:09:00.000Z', 5, 0],
      ['2026-12-01T02:10:00.000Z', 1, 1],
    ]);
    // A quiet second still ticks, carrying only the current minute.
    const quiet = stats.tick(new Date('2026-12-01T02:10:32Z'));
    expect(quiet.seq).toBe(tick.seq + 1);
    expect(quiet.minutes.map((m) => m.t)).toEqual(['2026-12-01T02:10:00.000Z']);
    expect(stats.snapshot(new Date('2026-12-01T02:10:32Z')).seq).toBe(quiet.seq);
  });

  it('lists the newest first and keeps at most 30', () => {
    const now = new Date('2026-12-01T02:10:30Z');
    const stats = new LiveStats(TZ, now);
    const batch = Array.from({ length: 40 }, (_, i) =>
      petition(`2026-12-01T02:10:${String(i % 60).padStart(2, '0')}Z`),
    );
    stats.apply(batch);
    const latest = stats.snapshot(now).latest;
    expect(latest).toHaveLength(30);
    expect(latest[0]!.id).toBe(batch.at(-1)!.id);
  });

  it('restarts today at local midnight (Asia/Shanghai), keeping what arrived after it', () => {
    const evening = new Date('2026-12-01T15:59:30Z'); // 23:59:30 in Shanghai
    const stats = new LiveStats(TZ, evening);
    stats.seed({ minutes: [], today: 500, latest: [] }, evening);
    stats.apply([petition('2026-12-01T15:59:40Z')]);
    expect(stats.tick(evening).today).toBe(501);
    stats.apply([petition('2026-12-01T16:00:05Z'), petition('2026-12-01T16:00:06Z')]);
    expect(stats.tick(new Date('2026-12-01T16:00:10Z')).today).toBe(2);
  });

  it('drops minutes that fall out of the 60-minute window', () => {
    const now = new Date('2026-12-01T02:00:00Z');
    const stats = new LiveStats(TZ, now);
    stats.apply([petition('2026-12-01T01:58:00Z')]);
    stats.tick(new Date('2026-12-01T03:30:00Z'));
    const snap = stats.snapshot(new Date('2026-12-01T03:30:00Z'));
    expect(snap.minutes.reduce((s, m) => s + m.total, 0)).toBe(0);
  });
});
