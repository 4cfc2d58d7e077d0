/**
 * Times as Chinese office systems write them — 2026-11-30 09:30, 2026/11/30 9:30:00, 2026年11月30日 9时30分,
 * 20261130093000 — read as wall-clock time at a fixed offset (+08:00 for the whole mainland), or ISO 8601
 * with its own offset. Returns ISO 8601 with the offset, or null when the text is not such a time.
 */
const LOCAL =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]*(\d{1,2})\s*[:时點点]\s*(\d{1,2})\s*(?:[:分]\s*(?:(\d{1,2})\s*秒?)?)?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseLocalTime(text: string, offset = '+08:00'): string | null {
  const value = text.trim();
  if (ISO.test(value)) return Number.isNaN(Date.parse(value)) ? null : value;
  const m = LOCAL.exec(value) ?? COMPACT.exec(value);
  if (!m) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m
    .slice(1)
    .map((p) => (p === undefined ? undefined : Number(p)));
  if (!year || !month || !day) return null;
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Rejects 2026-02-30 and 25:00 instead of rolling them over.
  if (
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    second > 59
  ) {
    return null;
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${offset}`;
}
