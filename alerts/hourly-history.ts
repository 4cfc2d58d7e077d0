import type { AlertSource, CountCell } from './source.ts';

const HOUR = 3_600_000;

/**
 * Hourly counts kept in memory between evaluations: complete hours are read once (and all again every
 * six hours, for petitions registered late), the current hour from its minutes each time.
 */
export class HourlyHistory {
  private cells: CountCell[] = [];
  private from = Number.POSITIVE_INFINITY;
  private to = Number.NEGATIVE_INFINITY;
  private refreshedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly source: AlertSource) {}

  async get(fromDate: Date, now: Date): Promise<CountCell[]> {
    const from = Math.floor(fromDate.getTime() / HOUR) * HOUR;
    const hourStart = Math.floor(now.getTime() / HOUR) * HOUR;
    if (from < this.from || now.getTime() - this.refreshedAt > 6 * HOUR || hourStart < this.to) {
      this.cells = await this.source.hourlyCounts(new Date(from), new Date(hourStart));
      [this.from, this.to, this.refreshedAt] = [from, hourStart, now.getTime()];
    } else if (this.to < hourStart) {
      this.cells = this.cells.concat(await this.source.hourlyCounts(new Date(this.to), new Date(hourStart)));
      this.to = hourStart;
    }
    const partial = await this.source.minuteCounts(new Date(hourStart), now);
    return [...this.cells.slice(firstAtOrAfter(this.cells, from)), ...toHours(partial, new Date(hourStart))];
  }
}

function firstAtOrAfter(cells: readonly CountCell[], t: number): number {
  let lo = 0;
  let hi = cells.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cells[mid]!.bucket.getTime() < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toHours(minutes: readonly CountCell[], hour: Date): CountCell[] {
  const out = new Map<string, CountCell>();
  for (const c of minutes) {
    const key = `${c.regionCode}|${c.topic}|${c.channel}`;
    const cell = out.get(key);
    if (cell) {
      cell.total += c.total;
      cell.negative += c.negative;
      cell.sentimentSum += c.sentimentSum;
    } else out.set(key, { ...c, bucket: hour });
  }
  return [...out.values()];
}
