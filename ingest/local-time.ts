/** Local times of hotline systems and registers (used by the hotline and register adapters). */
const NON_ASCII = /[\u0080-\uffff]/;
/** Full-width digits and colons made plain; most cells are ASCII and skip the ICU call. */
const nfkc = (s: string) => (NON_ASCII.test(s) ? s.normalize('NFKC') : s);

const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
const NUMERIC_DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(.+))?$/i;
const CHINESE_DATE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?:\s*(.+))?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?$/;
const CLOCK = /^(\d{1,2})\s*[:时点]\s*(?:(\d{1,2})\s*分?\s*(?:[:]?\s*(\d{1,2}(?:\.\d+)?)\s*秒?)?)?$/;
const HALF_DAY = /^(上午|早上|凌晨|中午|下午|晚上|am|pm)\s*|\s*(am|pm)$/i;
/** A spreadsheet serial day number that lost its date format: 36526 is 2000-01-01. */
const SERIAL = /^\d{5}(?:\.\d+)?$/;
const EXCEL_EPOCH_DAYS = 25569;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function wallClockIso(y: number, mo: number, d: number, h: number, mi: number, s: number, offset: string) {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${offset}`;
}

function clockParts(text: string | undefined): [number, number, number] | null {
  if (text === undefined || text === '') return [0, 0, 0];
  let t = text;
  let pm: boolean | null = null;
  const half = HALF_DAY.exec(t);
  if (half) {
    const word = (half[1] ?? half[2] ?? '').toLowerCase();
    pm = word === '下午' || word === '晚上' || word === 'pm' || word === '中午';
    t = t.replace(HALF_DAY, '');
  }
  const m = CLOCK.exec(t.trim());
  if (!m) return null;
  let h = Number(m[1]);
  if (pm === true && h < 12) h += 12;
  if (pm === false && h === 12) h = 0;
  return [h, Number(m[2] ?? 0), Math.floor(Number(m[3] ?? 0))];
}

/**
 * Reads a time as Chinese office systems and registers write it — 2026-11-30 09:30, 2026/11/30 下午3点,
 * 2026年11月30日 9时30分, 20261130093000, a spreadsheet serial day — as wall-clock time at `offset`
 * (+08:00 for the whole mainland), or ISO 8601 with its own offset. Returns ISO 8601 with the offset,
 * or null when it is not a time we recognise (impossible dates are refused, not rolled over).
 */
export function parseLocalTime(cell: string, offset = '+08:00'): string | null {
  const text = nfkc(cell).trim();
  let m = ISO_WITH_OFFSET.exec(text);
  if (m) {
    const off = m[7]!.toUpperCase();
    const zone = off === 'Z' ? 'Z' : off.includes(':') ? off : `${off.slice(0, 3)}:${off.slice(3)}`;
    const [, y, mo, d, h, mi, s] = m;
    return wallClockIso(+y!, +mo!, +d!, +h!, +mi!, +(s ?? 0), zone);
  }
  m = NUMERIC_DATE.exec(text) ?? CHINESE_DATE.exec(text);
  if (m) {
    const clock = clockParts(m[4]);
    return clock && wallClockIso(+m[1]!, +m[2]!, +m[3]!, clock[0], clock[1], clock[2], offset);
  }
  m = COMPACT_DATE.exec(text);
  if (m) return wallClockIso(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), offset);
  if (SERIAL.test(text)) {
    const days = Number(text);
    if (days < 36526 || days > 73051) return null;
    const t = new Date(Math.round((days - EXCEL_EPOCH_DAYS) * 86_400) * 1000);
    return wallClockIso(
      t.getUTCFullYear(),
      t.getUTCMonth() + 1,
      t.getUTCDate(),
      t.getUTCHours(),
      t.getUTCMinutes(),
      t.getUTCSeconds(),
      offset,
    );
  }
  return null;
}
