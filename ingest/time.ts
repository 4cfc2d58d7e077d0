/** Time helpers that respect the deployment's time zone (the region pack's, e.g. Asia/Shanghai). */

export const MINUTE_MS = 60_000;

/** Start of the UTC minute containing `t` (rollup buckets are whole minutes). */
export function minuteFloor(t: Date | number): Date {
  const ms = typeof t === 'number' ? t : t.getTime();
  return new Date(ms - (ms % MINUTE_MS));
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock parts of `t` in `timeZone`. */
export function zonedParts(t: Date, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(t)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24, // some ICU versions say 24 for midnight even with h23
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The calendar date of `t` in `timeZone`, as YYYY-MM-DD. */
export function zonedDate(t: Date, timeZone: string): string {
  const p = zonedParts(t, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The instant local midnight began on the day containing `t` in `timeZone`. */
export function startOfZonedDay(t: Date, timeZone: string): Date {
  const p = zonedParts(t, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const offset = asUtc - (t.getTime() - t.getMilliseconds());
  return new Date(Date.UTC(p.year, p.month - 1, p.day) - offset);
}
