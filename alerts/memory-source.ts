import type { AlertSource, CountCell, WindowPetition } from './source.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * An {@link AlertSource} over petitions held in memory: the backtest replays a history through it, and
 * detector tests build exact situations with it. Petitions must be added in time order.
 */
export class MemoryAlertSource implements AlertSource {
  private readonly list: WindowPetition[] = [];
  private readonly minutesByBucket = new Map<number, Map<string, CountCell>>();
  private readonly hoursByBucket = new Map<number, Map<string, CountCell>>();
  private readonly byPerson = new Map<string, WindowPetition[]>();

  add(p: WindowPetition): void {
    const last = this.list[this.list.length - 1];
    if (last && p.receivedAt < last.receivedAt) throw new Error('MemoryAlertSource: petitions must come in time order');
    this.list.push(p);
    const t = p.receivedAt.getTime();
    bump(this.minutesByBucket, Math.floor(t / MINUTE) * MINUTE, p);
    bump(this.hoursByBucket, Math.floor(t / HOUR) * HOUR, p);
    for (const k of p.personKeys) {
      let list = this.byPerson.get(k);
      if (!list) this.byPerson.set(k, (list = []));
      list.push(p);
    }
  }

  get size(): number {
    return this.list.length;
  }

  minuteCounts(from: Date, to: Date): Promise<CountCell[]> {
    return Promise.resolve(cellsIn(this.minutesByBucket, from, to, MINUTE));
  }

  hourlyCounts(from: Date, to: Date): Promise<CountCell[]> {
    return Promise.resolve(cellsIn(this.hoursByBucket, from, to, HOUR));
  }

  petitions(from: Date, to: Date): Promise<WindowPetition[]> {
    return Promise.resolve(this.slice(from, to));
  }

  termCounts(from: Date, to: Date): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const p of this.slice(from, to)) {
      for (const term of new Set(p.riskTerms.map((t) => t.term))) out.set(term, (out.get(term) ?? 0) + 1);
    }
    return Promise.resolve(out);
  }

  bandCounts(bands: readonly string[], from: Date, to: Date): Promise<Map<string, number>> {
    const wanted = new Set(bands);
    const out = new Map<string, number>();
    for (const p of this.slice(from, to)) {
      for (const b of p.bands) if (wanted.has(b)) out.set(b, (out.get(b) ?? 0) + 1);
    }
    return Promise.resolve(out);
  }

  samePersonPetitions(keys: readonly string[], from: Date, to: Date): Promise<string[]> {
    const found = new Map<string, WindowPetition>();
    for (const k of keys) {
      for (const p of this.byPerson.get(k) ?? []) if (p.receivedAt >= from && p.receivedAt < to) found.set(p.id, p);
    }
    return Promise.resolve(
      [...found.values()].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime()).map((p) => p.id),
    );
  }

  private slice(from: Date, to: Date): WindowPetition[] {
    return this.list.slice(lowerBound(this.list, from.getTime()), lowerBound(this.list, to.getTime()));
  }
}

function bump(index: Map<number, Map<string, CountCell>>, bucket: number, p: WindowPetition): void {
  let cells = index.get(bucket);
  if (!cells) index.set(bucket, (cells = new Map()));
  const regionCode = p.regionCode ?? '';
  const key = `${regionCode}|${p.topic}|${p.channel}`;
  let cell = cells.get(key);
  if (!cell) {
    cell = {
      bucket: new Date(bucket),
      regionCode,
      topic: p.topic,
      channel: p.channel,
      total: 0,
      negative: 0,
      sentimentSum: 0,
    };
    cells.set(key, cell);
  }
  cell.total++;
  if (p.negative) cell.negative++;
}

function cellsIn(index: Map<number, Map<string, CountCell>>, from: Date, to: Date, step: number): CountCell[] {
  const out: CountCell[] = [];
  for (let t = Math.ceil(from.getTime() / step) * step; t < to.getTime(); t += step) {
    const cells = index.get(t);
    if (cells) for (const c of cells.values()) out.push({ ...c });
  }
  return out;
}

function lowerBound(list: readonly WindowPetition[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.receivedAt.getTime() < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
