/**
 * The built-in demo feed's petition generator: realistic Chinese petitions for a region pack, with a
 * daily rhythm and occasional incident bursts. Pure and deterministic: the same seed and the same
 * sequence of `now` values give the same items; no Math.random, no I/O.
 *
 * ```ts
 * const gen = createDemoGenerator({ region: loadRegionPack('suzhou'), seed: 42 });
 * const perMinute = gen.ratePerMinute(now, 2);   // how many items to emit this minute (a mean)
 * const burst = gen.burstAt(now);                // log it when it changes
 * const petition = gen.next(now);                // a PetitionInput for POST /api/petitions
 * ```
 */
import type { ChannelCode } from '../channels/catalog.ts';
import type { Contact, PetitionInput } from '../petition.ts';
import type { District, RegionPack } from '../regions.ts';
import { TOPIC_CODES, type TopicCode } from '../taxonomy.ts';
import { zonedParts } from '../time.ts';
import {
  BURST_TEMPLATES,
  CHANNEL_FRAMES,
  ENTERPRISE_TEMPLATES,
  ESCALATION,
  EXTREME_TEMPLATES,
  NAMES,
  QUIET_FRAMES,
  TEMPLATES,
  type PetitionTemplate,
  type TopicTemplate,
} from './templates.ts';

export { TEMPLATES } from './templates.ts';

// ─── Public types ────────────────────────────────────────────────────────────────────────────────

export interface DemoGeneratorOptions {
  /** Districts (codes, names, weights) and timezone of the deployment. */
  region: RegionPack;
  /**
   * Any number; used modulo 2^32. Defaults to 20261201. It is part of every `externalId`, so a feed
   * that restarts against a persistent store should pass a new seed (e.g. `Date.now()`) or its first
   * items will be dropped as repeats.
   */
  seed?: number;
}

/** The channels the demo feed writes for (not the import-only `open311` and `register`). */
export type DemoChannel = Exclude<ChannelCode, 'open311' | 'register'>;

export type BurstKind = 'wage_arrears' | 'pollution';

/** An incident that, while active, produces many near-identical petitions from one district. */
export interface Burst {
  /** `burst-<seed base 36>-<slot>`; stable for a seed. */
  readonly id: string;
  readonly kind: BurstKind;
  /** `labour` for wage arrears, `environment` for pollution. */
  readonly topic: TopicCode;
  readonly regionCode: string;
  readonly districtName: string;
  /** The construction site or chemical plant the texts are about. */
  readonly subject: string;
  /** A one-line Chinese description for logs, e.g. `吴中区锦绣华庭项目工地 农民工讨薪`. */
  readonly label: string;
  readonly startsAt: Date;
  /** Exclusive. */
  readonly endsAt: Date;
  /** Extra rate while active: the rate is multiplied by `1 + intensity`. */
  readonly intensity: number;
}

/** One generated petition plus what it was written as (hints for logs and tests, not labels). */
export interface DemoItem {
  petition: PetitionInput;
  /** The topic the template was written for. */
  topic: TopicCode;
  /** `<topic>/<i>` (index into TEMPLATES), `enterprise/<i>`, `extreme/<i>` or `burst:<kind>/<i>`. */
  templateId: string;
  /** The burst this item belongs to, if any. */
  burstId: string | null;
}

export interface DemoGenerator {
  /** The normalised seed (0 ≤ seed < 2^32). */
  readonly seed: number;
  /** The next petition; while a burst is active a share of items comes from it. */
  next(now?: Date): PetitionInput;
  /** Like `next`, with the template, topic and burst it came from. */
  draw(now?: Date): DemoItem;
  /**
   * The daily-rhythm multiplier at `now` in the region's timezone: about 0.15 at night, about 1.6 in
   * the 9–11 and 14–17 peaks, averaging 1 over a day; times 1.2–1.5 in the five weeks before Spring
   * Festival (wage season) and 0.5 during the festival week. Bursts are not included.
   */
  rhythm(now: Date): number;
  /** `baseRate × rhythm(now) × (1 + active burst's intensity)`: the mean items per minute at `now`. */
  ratePerMinute(now: Date, baseRate: number): number;
  /**
   * The burst active at `now`, or null. A pure function of seed and time: bursts are scheduled in
   * 65-minute slots, one starting 0–25 minutes into each slot and lasting 8–14 minutes, so starts are
   * 40–90 minutes apart. At night (22:00–07:00) half the slots have none and the rest are pollution.
   */
  burstAt(now: Date): Burst | null;
}

// ─── Tunables ────────────────────────────────────────────────────────────────────────────────────

const DEFAULT_SEED = 20261201;

const CHANNEL_WEIGHTS: readonly (readonly [DemoChannel, number])[] = [
  ['hotline', 0.46],
  ['web', 0.16],
  ['social', 0.1],
  ['visit', 0.08],
  ['enterprise_hotline', 0.08],
  ['letter', 0.07],
  ['email', 0.05],
];

const TOPIC_WEIGHTS: Readonly<Record<TopicCode, number>> = {
  labour: 0.2,
  public_service: 0.15,
  housing: 0.16,
  consumer: 0.14,
  environment: 0.11,
  land: 0.05,
  litigation: 0.05,
  finance: 0.04,
  safety: 0.04,
  conduct: 0.04,
  other: 0.02,
};

/** Severity tier the quantity slots are filled for (see templates.ts). */
type Tier = 'general' | 'key' | 'major';
const TIER_WEIGHTS: readonly (readonly [Tier, number])[] = [
  ['general', 0.77],
  ['key', 0.2],
  ['major', 0.03],
];
const TIERED_SLOT = /\{(?:n|amount|times|ord|injured)\}/;

/** Share of ordinary items drawn from EXTREME_TEMPLATES. */
const EXTREME_RATE = 0.005;
/** Share of enterprise-hotline items drawn from ENTERPRISE_TEMPLATES. */
const ENTERPRISE_TEMPLATE_RATE = 0.85;

const CONTACT_RATE: Readonly<Record<DemoChannel, number>> = {
  hotline: 0.65,
  letter: 0.75,
  web: 0.6,
  visit: 0.9,
  email: 0.55,
  social: 0.15,
  enterprise_hotline: 0.8,
};
const ID_RATE: Readonly<Record<DemoChannel, number>> = {
  hotline: 0.12,
  letter: 0.35,
  web: 0.2,
  visit: 0.7,
  email: 0.1,
  social: 0.02,
  enterprise_hotline: 0.1,
};
/** Share of items that carry a phone number inside the text (exercises masking downstream). */
const INLINE_PHONE_RATE = 0.12;
const INLINE_ID_RATE = 0.03;

/** Raw hourly shape, 00:00…23:00 local; normalised below so the daily mean is exactly 1. */
const HOURLY_RAW = [
  0.2, 0.15, 0.15, 0.15, 0.15, 0.2, 0.5, 1.0, 1.4, 1.6, 1.65, 1.6, 1.3, 1.5, 1.6, 1.65, 1.6, 1.5, 1.35, 1.3, 1.2, 1.0,
  0.75, 0.5,
];
const HOURLY_MEAN = HOURLY_RAW.reduce((a, b) => a + b, 0) / HOURLY_RAW.length;
const HOURLY = HOURLY_RAW.map((v) => v / HOURLY_MEAN);

/** Lunar New Year's day (month, day) by Gregorian year. Outside the table, 1 February is assumed. */
const SPRING_FESTIVAL: Readonly<Record<number, readonly [number, number]>> = {
  2024: [2, 10],
  2025: [1, 29],
  2026: [2, 17],
  2027: [2, 6],
  2028: [1, 26],
  2029: [2, 13],
  2030: [2, 3],
  2031: [1, 23],
  2032: [2, 11],
  2033: [1, 31],
  2034: [2, 19],
  2035: [2, 8],
};

const SLOT_MS = 65 * 60_000;
const DAY_MS = 86_400_000;

const BURST_CHANNELS: Readonly<Record<BurstKind, readonly (readonly [DemoChannel, number])[]>> = {
  wage_arrears: [
    ['hotline', 0.5],
    ['social', 0.15],
    ['visit', 0.15],
    ['web', 0.12],
    ['email', 0.05],
    ['letter', 0.03],
  ],
  pollution: [
    ['hotline', 0.55],
    ['web', 0.2],
    ['social', 0.2],
    ['email', 0.05],
  ],
};

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '147',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '176',
  '177',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '193',
  '195',
  '198',
  '199',
];

// ─── PRNG and picking ────────────────────────────────────────────────────────────────────────────

type Rng = () => number;

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes two 32-bit integers into one (murmur3 finaliser). */
function hash32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul((b + 0x632be5ab) | 0, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const chance = (rng: Rng, p: number): boolean => rng() < p;

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

function weighted<T>(rng: Rng, entries: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of entries) total += w;
  let r = rng() * total;
  for (const [value, w] of entries) {
    r -= w;
    if (r < 0) return value;
  }
  return (entries[entries.length - 1] as readonly [T, number])[0];
}

// ─── Chinese numerals ────────────────────────────────────────────────────────────────────────────

const DIGITS = '零一二三四五六七八九';

function section(n: number, leading: boolean): string {
  const units = ['千', '百', '十', ''];
  const ds = [Math.floor(n / 1000) % 10, Math.floor(n / 100) % 10, Math.floor(n / 10) % 10, n % 10];
  let out = '';
  let started = false;
  let zero = false;
  for (let i = 0; i < 4; i++) {
    const d = ds[i] as number;
    if (d === 0) {
      if (started) zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    const ch = d === 1 && i === 2 && !started && leading ? '' : DIGITS.charAt(d);
    out += ch + units[i];
    started = true;
  }
  return out;
}

function cnRaw(n: number, leading: boolean): string {
  if (n < 1e4) return section(n, leading);
  if (n < 1e8) {
    const hi = Math.floor(n / 1e4);
    const lo = n % 1e4;
    return `${section(hi, leading)}万${lo ? (lo < 1000 ? '零' : '') + section(lo, false) : ''}`;
  }
  const yi = Math.floor(n / 1e8);
  const rest = n % 1e8;
  return `${cnRaw(yi, leading)}亿${rest ? (rest < 1e7 ? '零' : '') + cnRaw(rest, false) : ''}`;
}

/**
 * A non-negative integer in Chinese numerals: 15 → 十五, 206 → 二百零六, 42000 → 四万二千,
 * 350000000 → 三亿五千万. With `liang`, a leading 二 before a unit (or alone) reads 两: 两百, 两万, 两.
 */
export function toChineseNumeral(n: number, liang = false): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a non-negative integer: ${n}`);
  if (n === 0) return '零';
  const s = cnRaw(n, true);
  if (liang && s.startsWith('二') && (s.length === 1 || '千百万亿'.includes(s[1] as string))) return `两${s.slice(1)}`;
  return s;
}

const cnL = (n: number): string => toChineseNumeral(n, true);

/** The largest "leading digit × power of ten" ≤ n (340 → 300), or null when it equals n or n < 20. */
function leadFloor(n: number): number | null {
  if (n < 20) return null;
  const m = 10 ** Math.floor(Math.log10(n));
  const f = Math.floor(n / m) * m;
  return f === n ? null : f;
}

const isDecimal = (x: number, places: number): boolean => {
  const k = 10 ** places;
  return Math.abs(x * k - Math.round(x * k)) < 1e-6;
};
const trimDecimal = (x: number): string => String(Math.round(x * 100) / 100);

function roundSig(v: number, sig: number): number {
  const m = 10 ** Math.max(0, Math.floor(Math.log10(v)) - sig + 1);
  return Math.round(v / m) * m;
}

/** A head count without measure word, in a form whose lower bound is still in the value's tier. */
function formatPeople(rng: Rng, n: number): string {
  let vague: string | null = null;
  if (n >= 2 && n <= 3) vague = '两三';
  else if (n > 10 && n < 20) vague = pick(rng, ['十几', '十多', '十余']);
  else if (n >= 80 && n < 90 && chance(rng, 0.3)) vague = '八九十';
  else if (n >= 90 && n < 100 && chance(rng, 0.4)) vague = '近百';
  else if (n >= 100 && n < 200 && chance(rng, 0.4)) vague = '上百';
  else if (n >= 1000 && n < 2000 && chance(rng, 0.4)) vague = '上千';
  else {
    const f = leadFloor(n);
    if (f !== null) vague = cnL(f) + (chance(rng, 0.75) ? '多' : '余');
  }
  const r = rng();
  if (vague !== null && r < 0.35) return vague;
  if (r < 0.65) return String(n);
  return cnL(n);
}

/** Money with 元 in one of the forms the analyser must read: 86万元, 三百多万元, 4.5万元, 四万二千元, 3.5亿元. */
function formatAmount(rng: Rng, a: number): string {
  const style = rng();
  if (a >= 1e8) {
    const x = a / 1e8;
    if (Number.isInteger(x)) return style < 0.5 ? `${x}亿元` : `${cnL(x)}亿元`;
    if (style < 0.45 && isDecimal(x, 2)) return `${trimDecimal(x)}亿元`;
    if (style < 0.7) return `${cnL(Math.floor(x))}亿多元`;
    return `${cnL(a)}元`;
  }
  if (a >= 1e4) {
    const w = a / 1e4;
    if (style < 0.4 && isDecimal(w, 1)) return `${trimDecimal(w)}万元`;
    if (style < 0.6) return Number.isInteger(w) ? `${cnL(w)}万元` : `${cnL(a)}元`;
    if (style < 0.8 && Number.isInteger(w)) {
      if (w > 10 && w < 20) return '十几万元';
      const f = leadFloor(w);
      if (f !== null) return `${cnL(f)}多万元`;
    }
    if (a < 1e6 && style < 0.9) return `${a}元`;
    return isDecimal(w, 2) ? `${trimDecimal(w)}万元` : `${a}元`;
  }
  if (style < 0.4) return `${a}元`;
  if (style < 0.8) return `${cnL(a)}元`;
  const thousands = Math.floor(a / 1000) * 1000;
  return thousands >= 1000 && thousands !== a ? `${cnL(thousands)}多元` : `${a}元`;
}

function peopleFor(rng: Rng, tier: Tier): number {
  if (tier === 'general') return int(rng, 2, 4);
  if (tier === 'key') return Math.min(49, Math.floor(5 * 10 ** rng()));
  return Math.floor(50 * (chance(rng, 0.85) ? 8 : 40) ** rng());
}

function amountFor(rng: Rng, tier: Tier): number {
  const [lo, hi, skew] = tier === 'general' ? [3000, 900_000, 1] : tier === 'key' ? [1e6, 9.5e6, 1] : [1e7, 6e8, 2];
  const v = roundSig(lo * (hi / lo) ** (rng() ** skew), chance(rng, 0.7) ? 2 : 3);
  return Math.min(hi, Math.max(lo, v));
}

const smallAmount = (rng: Rng): number => Math.min(95_000, roundSig(800 * 110 ** rng(), 2));

/** A small count in words: 2 → 两, 7 → 七 (or the digit). */
const countWord = (rng: Rng, n: number): string => (chance(rng, 0.7) ? cnL(n) : String(n));

// ─── Time ────────────────────────────────────────────────────────────────────────────────────────

type ZonedParts = ReturnType<typeof zonedParts>;
const zoned = zonedParts;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function isoWithOffset(date: Date, timeZone: string): string {
  const z = zoned(date, timeZone);
  const wholeSeconds = Math.floor(date.getTime() / 1000) * 1000;
  const offset = Math.round((Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute, z.second) - wholeSeconds) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${pad(z.year, 4)}-${pad(z.month, 2)}-${pad(z.day, 2)}T${pad(z.hour, 2)}:${pad(z.minute, 2)}:${pad(z.second, 2)}` +
    `.${pad(date.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`
  );
}

interface Season {
  /** Daily-volume factor. */
  factor: number;
  /** The five weeks before Spring Festival, when wage arrears peak. */
  wageSeason: boolean;
  /** Wage season or the ten days before National Day. */
  preHoliday: boolean;
}

function seasonOf(z: ZonedParts): Season {
  const today = Date.UTC(z.year, z.month - 1, z.day);
  for (const y of [z.year, z.year + 1]) {
    const [m, d] = SPRING_FESTIVAL[y] ?? [2, 1];
    const days = Math.round((Date.UTC(y, m - 1, d) - today) / DAY_MS);
    if (days >= 1 && days <= 35) {
      return { factor: 1 + 0.5 * (days <= 14 ? 1 : (35 - days) / 21), wageSeason: true, preHoliday: true };
    }
    if (days <= 0 && days >= -6) return { factor: 0.5, wageSeason: false, preHoliday: false };
  }
  const toNationalDay = Math.round((Date.UTC(z.year, 9, 1) - today) / DAY_MS);
  return { factor: 1, wageSeason: false, preHoliday: toNationalDay >= 1 && toNationalDay <= 10 };
}

function hourly(z: ZonedParts): number {
  const f = (z.minute + z.second / 60) / 60;
  const a = HOURLY[z.hour] as number;
  const b = HOURLY[(z.hour + 1) % 24] as number;
  return a + (b - a) * f;
}

// ─── ID numbers and contacts ─────────────────────────────────────────────────────────────────────

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The GB 11643 check character for the first 17 digits of a resident ID number. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('need exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] as number);
  return '10X98765432'[sum % 11] as string;
}

function idNumber(rng: Rng, regionCode: string, male: boolean, year: number): string {
  const birthYear = year - int(rng, 18, 78);
  const seq = int(rng, 1, 499) * 2 - (male ? 1 : 0);
  const first17 = `${regionCode}${birthYear}${pad(int(rng, 1, 12), 2)}${pad(int(rng, 1, 28), 2)}${pad(seq, 3)}`;
  return first17 + idCheckDigit(first17);
}

const mobile = (rng: Rng): string => pick(rng, MOBILE_PREFIXES) + pad(int(rng, 0, 99_999_999), 8);

// ─── Bursts ──────────────────────────────────────────────────────────────────────────────────────

interface BurstState {
  burst: Burst;
  /** Values of the fixed `b…` slots. */
  fixed: Readonly<Record<string, string>>;
  workers: number;
  owed: number;
  households: number;
  district: District;
}

// ─── The generator ───────────────────────────────────────────────────────────────────────────────

interface FillContext {
  rng: Rng;
  region: RegionPack;
  district: District;
  tier: Tier;
  zoned: ZonedParts;
  now: Date;
  season: Season;
  burst: BurstState | null;
  memo: Map<string, string>;
}

/**
 * Creates a demo generator for a region. Throws a RangeError when the region's timezone is unknown.
 * Keeps internal state (PRNG position, per-channel counters); create one per feed.
 */
export function createDemoGenerator(opts: DemoGeneratorOptions): DemoGenerator {
  const { region } = opts;
  const seed = (opts.seed ?? DEFAULT_SEED) >>> 0;
  const seedTag = seed.toString(36);
  const tz = region.timezone;
  zoned(new Date(0), tz); // fail fast on a bad timezone
  const rng = mulberry32(hash32(seed, 0x5eed));
  const districtWeights = region.districts.map((d) => [d, d.weight] as const);
  const counters = new Map<DemoChannel, number>();
  const burstCache = new Map<number, BurstState | null>();

  const topicWeights = (season: Season): (readonly [TopicCode, number])[] => {
    const labourBoost = season.wageSeason ? 1.6 : season.preHoliday ? 1.2 : 1;
    return TOPIC_CODES.map((t) => [t, TOPIC_WEIGHTS[t] * (t === 'labour' ? labourBoost : 1)] as const);
  };

  function slot(name: string, ctx: FillContext): string {
    const cached = ctx.memo.get(name);
    if (cached !== undefined) return cached;
    const value = slotValue(name, ctx);
    ctx.memo.set(name, value);
    return value;
  }

  function slotValue(name: string, ctx: FillContext): string {
    const { rng: r, tier } = ctx;
    const brand = (): string => pick(r, NAMES.brands);
    if (ctx.burst) {
      const b = ctx.burst;
      if (name === 'bn') return formatPeople(r, b.workers);
      if (name === 'bamount') return formatAmount(r, b.owed);
      if (name === 'bhh') return formatPeople(r, b.households);
      const fixed = b.fixed[name];
      if (fixed !== undefined) return fixed;
    }
    switch (name) {
      case 'district':
        return ctx.district.name;
      case 'city':
        return ctx.region.name;
      case 'cityShort':
        return ctx.region.name.replace(/市$/, '');
      case 'street':
        return pick(r, NAMES.streets);
      case 'road':
        return pick(r, NAMES.roads);
      case 'estate':
        return pick(r, NAMES.estates);
      case 'village':
        return pick(r, NAMES.villages);
      case 'park':
        return pick(r, NAMES.parks);
      case 'river':
        return pick(r, NAMES.rivers);
      case 'company':
        return `${brand()}${pick(r, [...NAMES.manufacturing, ...NAMES.services])}有限公司`;
      case 'factory':
        return `${brand()}${pick(r, NAMES.manufacturing)}${pick(r, ['有限公司', '厂'])}`;
      case 'chemco':
        return `${brand()}${pick(r, ['化工有限公司', '精细化工厂', '化工厂'])}`;
      case 'developer':
        return `${brand()}${pick(r, ['置业有限公司', '房地产开发有限公司'])}`;
      case 'builder':
        return `${brand()}${pick(r, ['建设工程有限公司', '建筑劳务有限公司', '劳务分包有限公司'])}`;
      case 'site':
        return chance(r, 0.75)
          ? `${pick(r, NAMES.estates)}${pick(r, NAMES.siteKinds)}`
          : `${pick(r, NAMES.roads)}${pick(r, ['改造工程工地', '综合管廊工地'])}`;
      case 'shop':
        return `${brand()}${pick(r, NAMES.shopKinds)}`;
      case 'platform':
        return `${brand()}${pick(r, NAMES.platformKinds)}`;
      case 'hospital':
        return `${ctx.district.name}${pick(r, ['人民医院', '中医医院', '妇幼保健院'])}`;
      case 'school':
        return `${pick(r, NAMES.roads).replace(/[路街]$/, '')}${pick(r, ['小学', '实验小学', '中学'])}`;
      case 'bus':
        return `${int(r, 2, 399)}路公交`;
      case 'boss':
        return `${pick(r, NAMES.surnames)}${pick(r, ['老板', '经理', '总'])}`;
      case 'bldg':
        return `${int(r, 1, 28)}${pick(r, ['幢', '号楼', '栋'])}`;
      case 'n':
        return formatPeople(r, peopleFor(r, tier));
      case 'amount':
        return formatAmount(r, amountFor(r, tier));
      case 'smallAmount':
        return formatAmount(r, smallAmount(r));
      case 'months': {
        const x = r();
        if (x < 0.15) return '半年';
        if (x < 0.25) return '一年多';
        return `${countWord(r, int(r, 2, 11))}个月`;
      }
      case 'days':
        return pick(r, ['三天', '一个星期', '十来天', '半个多月', '二十多天', '一个多月']);
      case 'yearsN':
        return countWord(r, int(r, 2, 8));
      case 'year':
        return String(ctx.zoned.year - int(r, 0, 2));
      case 'date': {
        if (chance(r, 0.4)) return pick(r, ['上周', '前几天', '上个月', '昨天']);
        const z = zoned(new Date(ctx.now.getTime() - int(r, 1, 60) * DAY_MS), ctx.region.timezone);
        return `${z.month}月${z.day}日`;
      }
      case 'mu':
        return chance(r, 0.7) ? countWord(r, int(r, 1, 12)) : String(int(r, 3, 40) / 10);
      case 'times':
        return tier === 'general' ? pick(r, ['两次', '好几次', '多次']) : pick(r, ['三次', '四次', '五次', '3次']);
      case 'ord':
        return tier === 'general' ? '第二次' : pick(r, ['第三次', '第四次', '第五次']);
      case 'injured':
        return tier === 'major' ? countWord(r, int(r, 3, 9)) : pick(r, ['一', '两']);
      case 'holidayNote':
        if (ctx.season.wageSeason) return pick(r, ['马上就要过年了', '眼看就要过年了', '过年回家的车票都买好了']);
        if (ctx.season.preHoliday) return '国庆节快到了';
        return pick(r, ['孩子开学要交学费了', '家里老人看病等着用钱', '房租都快交不起了']);
      default:
        throw new Error(`demo template uses unknown slot {${name}}`);
    }
  }

  function expand(text: string, ctx: FillContext): string {
    return text
      .replace(/\[([^[\]]*)\]/g, (_, alts: string) => pick(ctx.rng, alts.split('|')))
      .replace(/\{(\w+)\}/g, (_, name: string) => slot(name, ctx));
  }

  function escalation(template: PetitionTemplate, ctx: FillContext): string {
    if (template.kind !== 'complaint') return '';
    const r = ctx.rng;
    const general = (): string => {
      const x = r();
      if (x < 0.55) return '';
      return expand(pick(r, x < 0.8 ? ESCALATION.polite : ESCALATION.negated), ctx);
    };
    if (ctx.tier === 'general') return general();
    // key or major: tiered slots already carry the grade most of the time; otherwise say why.
    if (TIERED_SLOT.test(template.text) && chance(r, 0.6)) return general();
    return expand(pick(r, ESCALATION.key), ctx);
  }

  function assemble(
    now: Date,
    channel: DemoChannel,
    district: District,
    topic: TopicCode,
    template: PetitionTemplate,
    templateId: string,
    tier: Tier,
    burst: BurstState | null,
  ): DemoItem {
    const z = zoned(now, tz);
    const ctx: FillContext = {
      rng,
      region,
      district,
      tier,
      zoned: z,
      now,
      season: seasonOf(z),
      burst,
      memo: new Map(),
    };

    let body = expand(template.text, ctx);
    const residential = ['environment', 'housing', 'public_service', 'consumer', 'safety', 'other'].includes(topic);
    if (template.kind === 'complaint' && residential && !burst && !body.includes(district.name) && chance(rng, 0.3)) {
      body = expand(pick(rng, ['我是{district}{street}的居民，', '我住在{district}{estate}，']), ctx) + body;
    }
    body += escalation(template, ctx);

    // Contact, apart from the text.
    let contact: Contact | undefined;
    if (chance(rng, CONTACT_RATE[channel])) {
      const male = chance(rng, 0.55);
      contact = { name: pick(rng, NAMES.surnames) + pick(rng, male ? NAMES.givenMale : NAMES.givenFemale) };
      if (chance(rng, 0.92)) contact.phone = mobile(rng);
      if (chance(rng, ID_RATE[channel])) {
        const home = chance(rng, 0.8) ? district : weighted(rng, districtWeights);
        contact.idNumber = idNumber(rng, home.code, male, z.year);
      }
    }
    // …and sometimes inside it, so masking downstream has work to do.
    if (chance(rng, INLINE_PHONE_RATE)) {
      const phone = contact?.phone ?? mobile(rng);
      body += pick(rng, [`联系电话${phone}。`, `我的手机号是${phone}，请尽快回电。`, `（联系方式：${phone}）`]);
    }
    if ((channel === 'letter' || channel === 'visit') && chance(rng, INLINE_ID_RATE)) {
      const id = contact?.idNumber ?? idNumber(rng, district.code, chance(rng, 0.5), z.year);
      body += `本人身份证号码：${id}。`;
    }

    const frames = template.kind === 'complaint' ? CHANNEL_FRAMES[channel] : QUIET_FRAMES[channel];
    const frame = expand(pick(rng, frames).replace('{body}', '\u0000'), ctx);
    let text = frame.replace('\u0000', body);
    if (channel === 'letter' && contact?.name && chance(rng, 0.5)) text += `来信人：${contact.name}`;
    if (text.length > 500) text = text.slice(0, 500);

    const count = (counters.get(channel) ?? 0) + 1;
    counters.set(channel, count);
    const ymd = `${pad(z.year, 4)}${pad(z.month, 2)}${pad(z.day, 2)}`;
    const externalId =
      channel === 'hotline'
        ? `GD${ymd}-${seedTag}-${pad(count, 5)}`
        : channel === 'enterprise_hotline'
          ? `QY${ymd}-${seedTag}-${pad(count, 5)}`
          : `demo-${channel}-${seedTag}-${count}`;

    const petition: PetitionInput = {
      channel,
      text,
      receivedAt: isoWithOffset(now, tz),
      regionCode: district.code,
      externalId,
    };
    if (contact) petition.contact = contact;
    return { petition, topic, templateId, burstId: burst ? burst.burst.id : null };
  }

  function burstSlot(k: number): BurstState | null {
    if (burstCache.has(k)) return burstCache.get(k) ?? null;
    const r = mulberry32(hash32(seed, k));
    const startsAt = new Date(k * SLOT_MS + Math.floor(r() * 25 * 60_000));
    const endsAt = new Date(startsAt.getTime() + Math.floor((8 + r() * 6) * 60_000));
    const z = zoned(startsAt, tz);
    const season = seasonOf(z);
    const night = z.hour >= 22 || z.hour < 7;
    let kind: BurstKind | null;
    if (night) kind = chance(r, 0.5) ? 'pollution' : null;
    else kind = chance(r, season.wageSeason ? 0.8 : season.preHoliday ? 0.65 : 0.5) ? 'wage_arrears' : 'pollution';

    let state: BurstState | null = null;
    if (kind) {
      const district = weighted(r, districtWeights);
      const brand = (): string => pick(r, NAMES.brands);
      const promised = (d: Date): string => {
        const p = zoned(d, tz);
        return `${p.month}月${p.day}日`;
      };
      const estate = pick(r, NAMES.estates);
      const fixed: Record<string, string> = {
        bsite: `${estate}${pick(r, NAMES.siteKinds)}`,
        bcompany: `${brand()}${pick(r, ['建筑劳务有限公司', '劳务分包有限公司', '建设工程有限公司'])}`,
        bboss: `${pick(r, NAMES.surnames)}${pick(r, ['老板', '经理', '总'])}`,
        bstreet: pick(r, NAMES.streets),
        bmonths: `${cnL(int(r, 2, 8))}个月`,
        bdate: promised(new Date(startsAt.getTime() - int(r, 3, 30) * DAY_MS)),
        bchem: `${brand()}${pick(r, ['化工有限公司', '精细化工厂', '化工厂'])}`,
        bpark: pick(r, NAMES.parks),
        bestate: pick(
          r,
          NAMES.estates.filter((e) => e !== estate),
        ),
        briver: pick(r, NAMES.rivers),
      };
      const wage = kind === 'wage_arrears';
      const subject = (wage ? fixed.bsite : fixed.bchem) as string;
      const burst: Burst = Object.freeze({
        id: `burst-${seedTag}-${k}`,
        kind,
        topic: wage ? 'labour' : 'environment',
        regionCode: district.code,
        districtName: district.name,
        subject,
        label: wage ? `${district.name}${subject} 农民工讨薪` : `${district.name}${subject} 异味污水`,
        startsAt,
        endsAt,
        intensity: wage ? (1.2 + r() * 1.3) * (season.wageSeason ? 1.3 : 1) : 0.8 + r(),
      });
      state = {
        burst,
        fixed,
        workers: Math.floor(20 + r() * 100),
        owed: roundSig(6e5 + r() * 6e6, 2),
        households: Math.floor(200 * 10 ** r()),
        district,
      };
    }
    if (burstCache.size > 64) burstCache.clear();
    burstCache.set(k, state);
    return state;
  }

  function activeBurst(now: Date): BurstState | null {
    const t = now.getTime();
    const state = burstSlot(Math.floor(t / SLOT_MS));
    return state && t >= state.burst.startsAt.getTime() && t < state.burst.endsAt.getTime() ? state : null;
  }

  function draw(now: Date = new Date()): DemoItem {
    const b = activeBurst(now);
    if (b && chance(rng, b.burst.intensity / (1 + b.burst.intensity))) {
      const kind = b.burst.kind;
      const templates = BURST_TEMPLATES[kind];
      const i = Math.floor(rng() * templates.length);
      const tier: Tier = chance(rng, 0.3) ? 'key' : 'general';
      const channel = weighted(rng, BURST_CHANNELS[kind]);
      return assemble(
        now,
        channel,
        b.district,
        b.burst.topic,
        templates[i] as PetitionTemplate,
        `burst:${kind}/${i}`,
        tier,
        b,
      );
    }

    const channel = weighted(rng, CHANNEL_WEIGHTS);
    const district = weighted(rng, districtWeights);
    const tier = weighted(rng, TIER_WEIGHTS);
    if (channel === 'enterprise_hotline' && chance(rng, ENTERPRISE_TEMPLATE_RATE)) {
      const i = Math.floor(rng() * ENTERPRISE_TEMPLATES.length);
      const t = ENTERPRISE_TEMPLATES[i] as TopicTemplate;
      return assemble(now, channel, district, t.topic, t, `enterprise/${i}`, tier, null);
    }
    if (chance(rng, EXTREME_RATE)) {
      const i = Math.floor(rng() * EXTREME_TEMPLATES.length);
      const t = EXTREME_TEMPLATES[i] as TopicTemplate;
      return assemble(now, channel, district, t.topic, t, `extreme/${i}`, tier, null);
    }
    const topic = weighted(rng, topicWeights(seasonOf(zoned(now, tz))));
    const list = TEMPLATES[topic];
    const i = Math.floor(rng() * list.length);
    return assemble(now, channel, district, topic, list[i] as PetitionTemplate, `${topic}/${i}`, tier, null);
  }

  function rhythm(now: Date): number {
    const z = zoned(now, tz);
    return hourly(z) * seasonOf(z).factor;
  }

  return {
    seed,
    draw,
    next: (now?: Date) => draw(now).petition,
    rhythm,
    ratePerMinute(now: Date, baseRate: number): number {
      if (!Number.isFinite(baseRate) || baseRate < 0) throw new RangeError(`baseRate must be ≥ 0, got ${baseRate}`);
      const b = activeBurst(now);
      return baseRate * rhythm(now) * (1 + (b ? b.burst.intensity : 0));
    },
    burstAt: (now: Date) => activeBurst(now)?.burst ?? null,
  };
}
