import type { Queryable } from '../db/client.ts';
import { type PetitionSummaryRow, wallSnapshot, type WallSnapshotRow } from '../db/queries/wall.ts';
import { MINUTE_MS, minuteFloor, startOfZonedDay } from '../ingest/time.ts';
import type { CommittedPetition } from '../server/bus.ts';
import type { MinuteCount, PetitionSummary, StatsSnapshot, StatsTick } from './contract.ts';

export const WINDOW_MINUTES = 60;
const LATEST = 30;

interface Counts {
  total: number;
  key: number;
  major: number;
  negative: number;
}

/**
 * The live wall's numbers, kept in memory: seeded once from the database, then advanced by committed
 * batches, so a tick each second costs no query. Every tick gets the next sequence number; a snapshot
 * carries the number it reflects, so a client can tell a gap from a duplicate.
 */
export class LiveStats {
  readonly #timeZone: string;
  readonly #minutes = new Map<number, Counts>();
  readonly #dirty = new Set<number>();
  #latest: PetitionSummary[] = [];
  #today = 0;
  #dayStart: number;
  #seq = 0;

  constructor(timeZone: string, now: Date) {
    this.#timeZone = timeZone;
    this.#dayStart = startOfZonedDay(now, timeZone).getTime();
  }

  /** Replaces the state with what the database holds (at start). */
  seed(row: WallSnapshotRow, now: Date): void {
    this.#minutes.clear();
    for (const m of row.minutes) {
      this.#minutes.set(Date.parse(m.bucket), { total: m.total, key: m.key, major: m.major, negative: m.negative });
    }
    this.#today = row.today;
    this.#dayStart = startOfZonedDay(now, this.#timeZone).getTime();
    this.#latest = row.latest.map(summaryFromRow);
  }

  /** Counts a committed batch; returns the summaries to announce. */
  apply(petitions: readonly CommittedPetition[]): PetitionSummary[] {
    const summaries: PetitionSummary[] = [];
    for (const p of petitions) {
      const at = p.receivedAt.getTime();
      const bucket = minuteFloor(at).getTime();
      let counts = this.#minutes.get(bucket);
      if (!counts) {
        counts = { total: 0, key: 0, major: 0, negative: 0 };
        this.#minutes.set(bucket, counts);
      }
      counts.total += 1;
      if (p.grade === 'key') counts.key += 1;
      if (p.grade === 'major') counts.major += 1;
      if (p.sentiment.label === 'negative') counts.negative += 1;
      this.#dirty.add(bucket);
      if (at >= this.#dayStart) this.#today += 1;
      summaries.push(toSummary(p));
    }
    this.#latest = [...summaries.slice(-LATEST).reverse(), ...this.#latest].slice(0, LATEST);
    return summaries;
  }

  /** The next tick: changed minutes plus the current one, and today's count. */
  tick(now: Date): StatsTick {
    this.#rollDay(now);
    const current = minuteFloor(now).getTime();
    const from = current - (WINDOW_MINUTES - 1) * MINUTE_MS;
    this.#dirty.add(current);
    const minutes: MinuteCount[] = [];
    for (const t of [...this.#dirty].sort((a, b) => a - b)) {
      if (t >= from) minutes.push(this.#count(t));
    }
    this.#dirty.clear();
    for (const t of this.#minutes.keys()) if (t < from) this.#minutes.delete(t);
    this.#seq += 1;
    return { seq: this.#seq, at: now.toISOString(), minutes, today: this.#today };
  }

  /** The whole window as of the last tick's sequence number. */
  snapshot(now: Date): StatsSnapshot {
    this.#rollDay(now);
    const current = minuteFloor(now).getTime();
    const minutes: MinuteCount[] = [];
    for (let i = WINDOW_MINUTES - 1; i >= 0; i--) minutes.push(this.#count(current - i * MINUTE_MS));
    return { seq: this.#seq, at: now.toISOString(), minutes, today: this.#today, latest: [...this.#latest] };
  }

  #count(t: number): MinuteCount {
    const c = this.#minutes.get(t);
    return {
      t: new Date(t).toISOString(),
      total: c?.total ?? 0,
      key: c?.key ?? 0,
      major: c?.major ?? 0,
      negative: c?.negative ?? 0,
    };
  }

  /** At local midnight today's count restarts from what the window holds after midnight. */
  #rollDay(now: Date): void {
    const dayStart = startOfZonedDay(now, this.#timeZone).getTime();
    if (dayStart === this.#dayStart) return;
    this.#dayStart = dayStart;
    let today = 0;
    for (const [t, c] of this.#minutes) if (t >= dayStart) today += c.total;
    this.#today = today;
  }
}

/** The wall's window as of `now`, in one query: the last 60 minutes, today, the latest arrivals. */
export function readWallSnapshot(db: Queryable, timeZone: string, now: Date): Promise<WallSnapshotRow> {
  return wallSnapshot(db, {
    from: new Date(minuteFloor(now).getTime() - (WINDOW_MINUTES - 1) * MINUTE_MS),
    dayStart: startOfZonedDay(now, timeZone),
    latest: LATEST,
  });
}

/** The wall's snapshot as the database answered it (page loads, before any tick): seq -1. */
export function snapshotFromRow(row: WallSnapshotRow, now: Date): StatsSnapshot {
  const byMinute = new Map(row.minutes.map((m) => [Date.parse(m.bucket), m]));
  const current = minuteFloor(now).getTime();
  const minutes: MinuteCount[] = [];
  for (let i = WINDOW_MINUTES - 1; i >= 0; i--) {
    const t = current - i * MINUTE_MS;
    const m = byMinute.get(t);
    minutes.push({
      t: new Date(t).toISOString(),
      total: m?.total ?? 0,
      key: m?.key ?? 0,
      major: m?.major ?? 0,
      negative: m?.negative ?? 0,
    });
  }
  return { seq: -1, at: now.toISOString(), minutes, today: row.today, latest: row.latest.map(summaryFromRow) };
}

function summaryFromRow(p: PetitionSummaryRow): PetitionSummary {
  return {
    id: p.id,
    receivedAt: p.receivedAt,
    channel: p.channel,
    regionCode: p.regionCode,
    topic: p.topic,
    grade: p.grade,
    sentiment: { label: p.sentimentLabel, score: p.sentimentScore },
    summary: p.summary,
  };
}

export function toSummary(p: CommittedPetition): PetitionSummary {
  return {
    id: p.id,
    receivedAt: p.receivedAt.toISOString(),
    channel: p.channel,
    regionCode: p.regionCode,
    topic: p.topic,
    grade: p.grade,
    sentiment: p.sentiment,
    summary: p.summary,
  };
}
