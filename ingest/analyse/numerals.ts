/**
 * Chinese and Arabic numerals as petitions write them, resolved to a number.
 *
 * Vague quantities resolve to their lower bound (../../spec/grading.md, "Extraction conventions"):
 * 三十多 → 30, 十几 → 10, 八九十 → 80, 两三 → 2, 二百余 → 200, 上百 → 100, 上千 → 1000, 近百 → 90.
 * Mixed forms work too: 1.2万 → 12000, 3.5亿 → 350000000, 30多万 → 300000, 3万5千 → 35000,
 * and colloquial elision: 四万二 → 42000, 三千五 → 3500. Traditional and financial characters
 * (兩 萬 億 幾 餘 來 壹 貳 拾 佰 仟 …) are read like their simplified forms.
 *
 * Dependency-free and allocation-light: the analyser calls this for every numeral run it meets.
 */

/** Digit characters (simplified, traditional, financial). 零/〇 are placeholders, see below. */
const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  壹: 1,
  二: 2,
  两: 2,
  兩: 2,
  贰: 2,
  貳: 2,
  三: 3,
  叁: 3,
  參: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  陸: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};

const UNITS: Readonly<Record<string, number>> = {
  十: 10,
  拾: 10,
  百: 100,
  佰: 100,
  千: 1000,
  仟: 1000,
  万: 1e4,
  萬: 1e4,
  亿: 1e8,
  億: 1e8,
};

/** 几/幾: an unknown digit. */
const VAGUE = new Set(['几', '幾']);
/** "More than" markers: ignored, which gives the lower bound (三百多 → 300). */
const FILLERS = new Set(['多', '余', '餘', '来', '來']);

/** Lower-bound value of a leading 几 (几十 → 20, 几个 → 2): "a few" is at least two. */
export const VAGUE_LEADING_VALUE = 2;
/** 近百 → 90: "nearly N" resolves to 90% of N. */
export const NEAR_FACTOR = 0.9;

/** Every character that may occur inside a numeral run, for building scanners. */
export const NUMERAL_CHARS = '零〇一壹二两兩贰貳三叁參四肆五伍六陆陸七柒八捌九玖十拾百佰千仟万萬亿億几幾';

/**
 * Source of a regular expression matching one numeral run in simplified or traditional text:
 * an optional vague prefix (近, 上百/上千/上万, 成百, 数十/数百, 好几), then digits, Chinese numerals
 * and 多/余/来 markers. Build it with the `g` flag; hand each match to {@link parseChineseNumber}.
 */
export const NUMERAL_RUN_SOURCE =
  `(?:近|[上成](?=[百佰千仟万萬])|[数數](?=[十拾百佰千仟万萬])|好(?=[几幾]))?` +
  `(?:\\d+(?:,\\d{3})*(?:\\.\\d+)?|[${NUMERAL_CHARS}])` +
  `(?:\\d+(?:,\\d{3})*(?:\\.\\d+)?|[${NUMERAL_CHARS}多余餘来來])*`;

const ARABIC = /\d+(?:,\d{3})*(?:\.\d+)?/y;
const POSITIONAL = /^[零〇一二三四五六七八九]+$/;

const isUnitChar = (ch: string | undefined): boolean => ch !== undefined && ch in UNITS;
const isSmallUnitChar = (ch: string | undefined): boolean => ch !== undefined && ch in UNITS && UNITS[ch]! < 1e4;

/**
 * Parses a numeral expression to its (lower-bound) value, or null when it holds no number or holds
 * characters that are not part of one. Integers for whole values; decimals kept to two places
 * (a bare "3.5" stays 3.5).
 *
 * @example parseChineseNumber('三百多') // 300
 * @example parseChineseNumber('四万二千') // 42000
 * @example parseChineseNumber('1.2万') // 12000
 * @example parseChineseNumber('近百') // 90
 */
export function parseChineseNumber(input: string): number | null {
  let s = input.trim();
  if (s.length === 0 || s.length > 64) return null;

  let factor = 1;
  if (s.startsWith('将近') || s.startsWith('接近')) {
    factor = NEAR_FACTOR;
    s = s.slice(2);
  } else if (s.startsWith('近')) {
    factor = NEAR_FACTOR;
    s = s.slice(1);
  }
  if ((s[0] === '上' || s[0] === '成') && isUnitChar(s[1])) s = s.slice(1);
  else if (s[0] === '好' && VAGUE.has(s[1] ?? '')) s = s.slice(1);
  else if ((s[0] === '数' || s[0] === '數') && isUnitChar(s[1])) s = '几' + s.slice(1);
  if (s.length === 0) return null;

  // Digit-by-digit forms: 二〇二三 → 2023 (only with a zero or four and more digits; 两三 is a range).
  if (POSITIONAL.test(s) && (s.length >= 4 || /[零〇]/.test(s.slice(1)))) {
    let v = 0;
    for (const ch of s) v = v * 10 + DIGITS[ch]!;
    return v;
  }

  let total = 0; // value of completed 万/亿 groups
  let section = 0; // value below 万 of the current group
  let pending = -1; // digit waiting for its unit, -1 when none
  let lastUnit = 0;
  let zeroSinceUnit = false;
  let prevWasDigit = false;
  let seen = false;

  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    let digit = -1;
    if (code >= 48 && code <= 57) {
      ARABIC.lastIndex = i;
      const m = ARABIC.exec(s);
      if (!m) return null;
      const v = Number(m[0].replace(/,/g, ''));
      if (!Number.isFinite(v)) return null;
      digit = v;
      i += m[0].length;
    } else {
      i++;
    }
    if (digit < 0 && ch in DIGITS) {
      const v = DIGITS[ch]!;
      if (v === 0) {
        // 零 only marks a skipped place: 一百零五 → 105, 一万零五百 → 10500.
        zeroSinceUnit = true;
        prevWasDigit = false;
        seen = true;
        continue;
      }
      digit = v;
    } else if (digit < 0 && VAGUE.has(ch)) {
      const leading = total === 0 && section === 0 && pending < 0;
      // 几十 → 20, 几个 → 2; 十几 → 10 (+0); 三百几十 → 310 (几 before a small unit counts 1).
      digit = leading ? VAGUE_LEADING_VALUE : isSmallUnitChar(s[i]) ? 1 : 0;
    }
    if (digit >= 0) {
      // Adjacent digits are a range (八九十, 两三, 十七八): keep the lower one.
      pending = prevWasDigit && pending >= 0 ? Math.min(pending, digit) : digit;
      prevWasDigit = true;
      seen = true;
    } else if (ch in UNITS) {
      const u = UNITS[ch]!;
      const d = pending >= 0 ? pending : -1;
      if (u < 1e4) {
        section += (d >= 0 ? d : 1) * u;
      } else if (u === 1e4) {
        const part = section + (d >= 0 ? d : 0);
        total += (part === 0 ? 1 : part) * u;
        section = 0;
      } else {
        const part = total + section + (d >= 0 ? d : 0);
        total = (part === 0 ? 1 : part) * u;
        section = 0;
      }
      pending = -1;
      lastUnit = u;
      zeroSinceUnit = false;
      prevWasDigit = false;
      seen = true;
    } else if (FILLERS.has(ch)) {
      prevWasDigit = false;
    } else {
      return null;
    }
  }
  if (!seen) return null;

  let value = total + section;
  if (pending >= 0) {
    // Colloquial elision: 四万二 → 42000, 三千五 → 3500, 1万5 → 15000 (not after 十: 二十五 → 25).
    if (lastUnit >= 100 && !zeroSinceUnit && Number.isInteger(pending) && pending < 10) {
      value += (pending * lastUnit) / 10;
    } else value += pending;
  }
  value *= factor;
  if (!Number.isFinite(value)) return null;
  return Number.isInteger(value) ? value : Math.round(value * 100) / 100;
}
