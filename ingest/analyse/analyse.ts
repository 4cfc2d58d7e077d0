/**
 * The baseline petition analyser: topic, grade with reasons, sentiment, head count, amount, extreme
 * behaviour and risk terms for one text, by the rules of ../../spec/grading.md.
 *
 * Dependency-free and fast: every word list of ./lexicon.ts is compiled once, at module load, into a
 * first-two-characters index that one left-to-right pass over the text consults; numerals are found by
 * one precompiled regular expression. Work per call is linear in the text and allocates only small
 * per-hit objects. A later version swaps the internals (segmentation, Aho-Corasick, a topic model)
 * behind the same `analyse(text): Analysis`.
 */
import { TOPIC_CODES, type Grade, type SentimentLabel, type TopicCode } from '../taxonomy.ts';
import { AhoCorasick } from '@monyone/aho-corasick';
import OpenCC from 'opencc-js';
import type { Guard } from './lexicon.ts';
import { encodeSignature, lshBands, SIGNATURE_VERSION, textSignature } from './minhash.ts';
import { countPersonalNumbers } from '../mask.ts';
import { loadRegionPack, type RegionPack } from '../regions.ts';
import { createPlaceFinder } from './places.ts';
import { createSegmenter, type Segment } from './segment.ts';
import { loadTopicModel, topicFeatures, topicLogPosterior, type TopicModel } from './topic-model.ts';
import { NUMERAL_RUN_SOURCE, parseChineseNumber } from './numerals.ts';
import { loadRules, type Rules } from './rules.ts';
import type { Analyse, Analysis, RiskCategory, RiskTerm } from './types.ts';

/** The analyser's code version; each analysis records it with the rules version (`analyser-2+grading-…`). */
export const ANALYSER_VERSION = 'analyser-2';

// ─── Normalisation ───────────────────────────────────────────────────────────────────────────────

const FULLWIDTH_RE = /[\uFF01-\uFF5E]/g;
const INVISIBLE_RE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const WHITESPACE_RE = /\s+/g;
const UPPER_ASCII_RE = /[A-Z]/g;

const toHalfWidth = (c: string): string => String.fromCharCode(c.charCodeAt(0) - 0xfee0);
const toLower = (c: string): string => String.fromCharCode(c.charCodeAt(0) + 32);

/**
 * Light normalisation; riskTerm offsets refer to its result: full-width ASCII → half-width
 * (１２３ → 123, ，→ ,), invisible format characters removed, runs of whitespace → one space, trimmed.
 */
export function normalise(text: string): string {
  return text.replace(INVISIBLE_RE, '').replace(FULLWIDTH_RE, toHalfWidth).replace(WHITESPACE_RE, ' ').trim();
}

const toMainland = OpenCC.Converter({ from: 'twp', to: 'cn' });

/**
 * Traditional text is converted to simplified at the vocabulary level (opencc, 軟體 → 软件), only
 * when it contains a character of the rules' traditional table, since converting simplified text can
 * alter it; the table then catches anything opencc left. Offsets refer to the converted text.
 */
export function makeSimplifier(tradToSimp: string): (norm: string) => string {
  const table = new Map<string, string>();
  for (const pair of tradToSimp.split(/\s+/)) {
    if (pair.length === 2 && pair[0] !== pair[1]) table.set(pair[0]!, pair[1]!);
  }
  if (table.size === 0) return (norm) => norm;
  const all = new RegExp(`[${[...table.keys()].join('')}]`, 'g');
  const any = new RegExp(all.source);
  const one = (c: string): string => table.get(c) ?? c;
  return (norm) => (any.test(norm) ? toMainland(norm).replace(all, one) : norm);
}

/**
 * Builds an analyser for a rule set: every word list is compiled once here, so one call costs a
 * pass over the text. Operators' rule changes take effect by building a new analyser.
 */
export interface AnalyserOptions {
  /** Naive Bayes topic model combined with the rules' keyword scores; keywords alone when null. */
  topicModel?: TopicModel | null;
  /** Word segmentation for the topic model's features. */
  segment?: Segment;
  /** The deployed region: its districts are reported as `places` when a text names them. */
  region?: RegionPack | null;
}

export function createAnalyser(L: Rules, options: AnalyserOptions = {}): Analyse {
  const model = options.topicModel ?? null;
  const findPlaces = options.region ? createPlaceFinder(options.region) : () => [];
  const segment = options.segment ?? (model ? createSegmenter() : null);
  const posterior = new Float64Array(TOPIC_CODES.length);
  const version = [ANALYSER_VERSION, L.version, model?.version].filter(Boolean).join('+');
  const T = L.thresholds;
  const W = L.windows;

  const toSimplifiedText = makeSimplifier(L.tradToSimp);

  function foldForMatching(norm: string): string {
    return norm.replace(UPPER_ASCII_RE, toLower);
  }

  // ─── Compiled lexicon ────────────────────────────────────────────────────────────────────────────

  const FAM_RISK = 0;
  const FAM_CASUALTY = 1;
  const FAM_TOPIC = 2;
  const FAM_SENTIMENT = 3;
  const FAM_CONSULT = 4;
  const FAM_PERSON = 5;
  const FAMILIES = 6;

  type CasualtyKind = 'death' | 'natural' | 'injury';

  type Payload =
    | { fam: typeof FAM_RISK; category: RiskCategory }
    | { fam: typeof FAM_CASUALTY; kind: CasualtyKind }
    | { fam: typeof FAM_TOPIC; topic: number; weight: number }
    | { fam: typeof FAM_SENTIMENT; polarity: 1 | -1; weight: number }
    | { fam: typeof FAM_CONSULT }
    | { fam: typeof FAM_PERSON; plural: boolean };

  interface Entry {
    term: string;
    len: number;
    guard: Guard | undefined;
    payloads: Payload[];
    /** Call number that last scored this term as a topic keyword: repeats count half. */
    seen: number;
  }

  const ENTRIES = new Map<string, Entry>();
  function addTerm(term: string, payload: Payload): void {
    if (term.length === 0) return;
    let e = ENTRIES.get(term);
    if (!e) {
      e = { term, len: term.length, guard: L.guards[term], payloads: [], seen: 0 };
      ENTRIES.set(term, e);
    }
    // One payload per family and term: the first list wins.
    if (!e.payloads.some((p) => p.fam === payload.fam)) e.payloads.push(payload);
  }

  const RISK_CATEGORIES = Object.keys(L.risk) as (keyof typeof L.risk)[];
  for (const category of RISK_CATEGORIES) for (const t of L.risk[category]) addTerm(t, { fam: FAM_RISK, category });
  for (const t of L.casualty.death) addTerm(t, { fam: FAM_CASUALTY, kind: 'death' });
  for (const t of L.casualty.naturalDeath) addTerm(t, { fam: FAM_CASUALTY, kind: 'natural' });
  for (const t of L.casualty.injury) addTerm(t, { fam: FAM_CASUALTY, kind: 'injury' });
  TOPIC_CODES.forEach((code, topic) => {
    for (const [t, weight] of Object.entries(L.topics[code])) addTerm(t, { fam: FAM_TOPIC, topic, weight });
  });
  for (const [t, weight] of Object.entries(L.sentiment.negative)) {
    addTerm(t, { fam: FAM_SENTIMENT, polarity: -1, weight });
  }
  for (const [t, weight] of Object.entries(L.sentiment.positive)) {
    addTerm(t, { fam: FAM_SENTIMENT, polarity: 1, weight });
  }
  for (const t of L.sentiment.consult) addTerm(t, { fam: FAM_CONSULT });
  for (const t of L.people.plural) addTerm(t, { fam: FAM_PERSON, plural: true });
  for (const t of L.people.singular) addTerm(t, { fam: FAM_PERSON, plural: false });

  /**
   * Every term of every family in one Aho-Corasick automaton: one pass over the text finds all
   * matches, whatever the number of terms. Matches are then taken in text order, longest first at
   * each position, as the family rules below expect.
   */
  const MATCHER = new AhoCorasick([...ENTRIES.keys()]);
  const byStartThenLongest = (x: { begin: number; end: number }, y: { begin: number; end: number }) =>
    x.begin - y.begin || y.end - x.end;

  const PUNCT = new Uint8Array(65536);
  for (const ch of L.clausePunctuation) PUNCT[ch.charCodeAt(0)] = 1;
  const QUESTION_MARK = '?'.charCodeAt(0);

  const NEGATORS = [...L.negation.negators].sort((a, b) => b.length - a.length);
  const NEGATOR_FIRST = new Uint8Array(65536);
  for (const n of NEGATORS) NEGATOR_FIRST[n.charCodeAt(0)] = 1;
  /** char → [word, offset of that char in word] for words that neutralise a negator character. */
  const NON_NEGATING = new Map<string, [string, number][]>();
  for (const w of L.negation.nonNegating) {
    for (let k = 0; k < w.length; k++) {
      const ch = w[k]!;
      const list = NON_NEGATING.get(ch);
      if (list) list.push([w, k]);
      else NON_NEGATING.set(ch, [[w, k]]);
    }
  }
  const DEGREE = Object.entries(L.sentiment.degree).sort((a, b) => b[0].length - a[0].length);
  const SENT_NEGATOR = new Uint8Array(65536);
  for (const n of L.sentiment.negators) SENT_NEGATOR[n.charCodeAt(0)] = 1;

  const NUMERAL_RE = new RegExp(NUMERAL_RUN_SOURCE, 'g');
  const PRIORITY = L.topicPriority.map((t) => TOPIC_CODES.indexOf(t));
  const OTHER_INDEX = TOPIC_CODES.indexOf('other');

  const WAN_YI_RE = /[万亿]/;
  const CH_DI = '第'.charCodeAt(0);
  const CH_CI = '次'.charCodeAt(0);

  // Reused per call (analyse is synchronous, so this is safe).
  const covered = new Int32Array(FAMILIES);
  let callNumber = 0;
  const topicScores = new Float64Array(TOPIC_CODES.length);

  // ─── Small helpers ───────────────────────────────────────────────────────────────────────────────

  const isCjk = (c: number): boolean => c >= 0x4e00 && c <= 0x9fff;

  /** Start of the window of up to `w` characters before `pos`, stopping at clause punctuation. */
  function clauseStartWithin(s: string, pos: number, w: number): number {
    const lim = Math.max(0, pos - w);
    let j = pos;
    while (j > lim && PUNCT[s.charCodeAt(j - 1)] === 0) j--;
    return j;
  }

  /** End of the window of up to `w` characters from `pos`, stopping at clause punctuation. */
  function clauseEndWithin(s: string, pos: number, w: number): number {
    const lim = Math.min(s.length, pos + w);
    let j = pos;
    while (j < lim && PUNCT[s.charCodeAt(j)] === 0) j++;
    return j;
  }

  function noPunctBetween(s: string, from: number, to: number): boolean {
    for (let j = from; j < to; j++) if (PUNCT[s.charCodeAt(j)] === 1) return false;
    return true;
  }

  const startsWithAny = (s: string, list: readonly string[], pos: number): boolean => {
    for (const x of list) if (s.startsWith(x, pos)) return true;
    return false;
  };

  const includesAny = (s: string, list: readonly string[]): boolean => {
    for (const x of list) if (s.includes(x)) return true;
    return false;
  };

  function guardAllows(s: string, start: number, end: number, g: Guard): boolean {
    if (g.notFollowedBy) for (const x of g.notFollowedBy) if (s.startsWith(x, end)) return false;
    if (g.notPrecededBy) for (const x of g.notPrecededBy) if (s.endsWith(x, start)) return false;
    return true;
  }

  /** Is the character at `j` part of a word like 不得不 / 不给 that does not negate what follows? */
  function insideNonNegating(s: string, j: number): boolean {
    const list = NON_NEGATING.get(s[j]!);
    if (!list) return false;
    for (const [w, k] of list) if (j - k >= 0 && s.startsWith(w, j - k)) return true;
    return false;
  }

  /**
   * Is the term at `start` negated? A negator within the window before it, in the same clause, with no
   * breaker (就, 逼, 否则 …) in between; one-character negators only right before the term.
   */
  function isNegated(s: string, start: number): boolean {
    const ws = clauseStartWithin(s, start, W.negation);
    for (let j = start - 1; j >= ws; j--) {
      if (NEGATOR_FIRST[s.charCodeAt(j)] === 0 || insideNonNegating(s, j)) continue;
      let neg: string | undefined;
      for (const x of NEGATORS) {
        if (x.length <= start - j && s.startsWith(x, j)) {
          neg = x;
          break;
        }
      }
      if (neg === undefined) continue;
      const gap = s.slice(j + neg.length, start);
      if (includesAny(gap, L.negation.breakers)) return false;
      if (neg.length === 1 && gap.length > W.singleNegatorGap) continue;
      return true;
    }
    return false;
  }

  /** A contextual risk term (北京, 媒体 …) counts only with one of its cues near it in its clause. */
  function inContext(s: string, term: string, start: number, end: number): boolean {
    const cues = L.contextual.terms[term];
    if (!cues) return true;
    const w = L.contextual.window;
    const around = s.slice(clauseStartWithin(s, start, w), start) + '|' + s.slice(end, clauseEndWithin(s, end, w));
    return includesAny(around, cues);
  }

  /** Length of a people counter at `e` (名, 户, 个工人, 家商户, 员工 …), 0 when there is none. */
  function peopleCounterAt(s: string, e: number): { len: number; otherSide: boolean } | null {
    const ch = s[e];
    if (ch === undefined) return null;
    if (L.people.counters.includes(ch)) {
      const exc = L.people.counterExceptions[ch];
      if (exc && startsWithAny(s, exc, e + 1)) return null;
      return { len: 1, otherSide: startsWithAny(s, L.people.otherSide, e + 1) };
    }
    if (ch === '个') {
      if (startsWithAny(s, L.people.otherSide, e + 1)) return { len: 1, otherSide: true };
      return startsWithAny(s, L.people.personNouns, e + 1) ? { len: 1, otherSide: false } : null;
    }
    if (ch === '家') return startsWithAny(s, L.people.householdNouns, e + 1) ? { len: 1, otherSide: false } : null;
    for (const noun of L.people.personNouns) if (s.startsWith(noun, e)) return { len: noun.length, otherSide: false };
    return null;
  }

  function moneyUnitAt(s: string, e: number): boolean {
    for (const u of L.money.units) {
      if (!s.startsWith(u, e)) continue;
      if (u !== '块') return true;
      const next = s.charCodeAt(e + 1);
      return Number.isNaN(next) || !isCjk(next) || s[e + 1] === '钱';
    }
    return false;
  }

  /** An amount ending in 万/亿 without 元: money when a money cue is near or the clause ends. */
  function bareAmountIsMoney(s: string, start: number, end: number, run: string): boolean {
    if (!WAN_YI_RE.test(run)) return false;
    const next = s[end];
    if (next !== undefined && L.money.nonMoneyFollowers.includes(next)) return false;
    const before = s.slice(clauseStartWithin(s, start, W.moneyCue), start);
    if (includesAny(before, L.money.peopleCues)) return false;
    if (includesAny(before, L.money.cues)) return true;
    return next === undefined || PUNCT[s.charCodeAt(end)] === 1 || next === '的' || s.startsWith('左右', end);
  }

  function fmtNumber(x: number): string {
    return String(Math.round(x * 100) / 100);
  }

  function fmtYuan(v: number): string {
    if (v >= 1e8) return `${fmtNumber(v / 1e8)}亿元`;
    if (v >= 1e4) return `${fmtNumber(v / 1e4)}万元`;
    return `${fmtNumber(v)}元`;
  }

  const unique = (xs: string[]): string[] => [...new Set(xs)];

  // ─── The analyser ────────────────────────────────────────────────────────────────────────────────

  interface Hit {
    start: number;
    end: number;
  }
  interface RiskHit extends Hit {
    category: RiskCategory;
  }
  interface CasualtyHit extends Hit {
    kind: CasualtyKind;
  }
  interface SentimentHit extends Hit {
    polarity: 1 | -1;
    weight: number;
  }
  interface CountToken extends Hit {
    value: number;
    otherSide: boolean;
  }

  /** Index of the first hit whose start is ≥ pos, in hits sorted by start. */
  function lowerBound(hits: readonly Hit[], pos: number): number {
    let lo = 0;
    let hi = hits.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hits[mid]!.start < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Head count of a casualty term: the nearest count before it in its clause, else right after it. */
  function casualtyCount(s: string, hit: Hit, tokens: CountToken[]): number {
    // Tokens are sorted and do not overlap: the candidate before is the last one starting before hit.
    const k = lowerBound(tokens, hit.start);
    const before = tokens[k - 1];
    if (before && before.end <= hit.start && hit.start - before.end <= W.casualtyCountBefore) {
      if (noPunctBetween(s, before.end, hit.start)) return before.value;
    }
    const after = tokens[lowerBound(tokens, hit.end)];
    if (after && after.start - hit.end <= W.casualtyCountAfter && noPunctBetween(s, hit.end, after.start)) {
      return after.value;
    }
    const window = s.slice(clauseStartWithin(s, hit.start, W.casualtyCountBefore), hit.start);
    return includesAny(window, L.casualty.vaguePlural) ? L.casualty.vagueCount : 1;
  }

  /** Analyses one petition text. Never throws; any string (empty, huge, malformed UTF-16) is fine. */
  function analyse(text: string): Analysis {
    const norm = toSimplifiedText(normalise(typeof text === 'string' ? text : String(text ?? '')));
    const s = foldForMatching(norm);

    covered.fill(0);
    topicScores.fill(0);
    callNumber = (callNumber + 1) | 0;
    const risks: RiskHit[] = [];
    const casualties: CasualtyHit[] = [];
    const sentiments: SentimentHit[] = [];
    const consults: Hit[] = [];
    let singular = false;
    let plural = false;

    // One pass of the automaton; at each position the longest terms come first.
    const matches = MATCHER.matchInText(s).sort(byStartThenLongest);
    for (const m of matches) {
      const e = ENTRIES.get(m.keyword)!;
      const i = m.begin;
      const end = m.end;
      const g = e.guard;
      const blocked = g !== undefined && !guardAllows(s, i, end, g);
      if (blocked && !g.riskOnly) continue;
      for (const p of e.payloads) {
        if (blocked && p.fam <= FAM_CASUALTY) continue;
        if (end <= covered[p.fam]!) continue; // inside a longer match of the same family
        covered[p.fam] = end;
        switch (p.fam) {
          case FAM_RISK:
            if (!isNegated(s, i) && inContext(s, e.term, i, end)) risks.push({ start: i, end, category: p.category });
            break;
          case FAM_CASUALTY:
            if (!isNegated(s, i)) casualties.push({ start: i, end, kind: p.kind });
            break;
          case FAM_TOPIC:
            topicScores[p.topic]! += e.seen === callNumber ? p.weight * L.repeatedKeywordFactor : p.weight;
            e.seen = callNumber;
            break;
          case FAM_SENTIMENT:
            sentiments.push({ start: i, end, polarity: p.polarity, weight: p.weight });
            break;
          case FAM_CONSULT:
            consults.push({ start: i, end });
            break;
          case FAM_PERSON:
            if (p.plural) plural = true;
            else singular = true;
            break;
        }
      }
    }

    // Numerals: head counts, amounts, repeat counts, 一死两伤.
    const counts: CountToken[] = [];
    const repeats: { start: number; end: number; value: number; ordinal: boolean }[] = [];
    let amount: number | null = null;
    let deathsByNumeral = 0;
    let injuredByNumeral = 0;
    NUMERAL_RE.lastIndex = 0;
    for (let m = NUMERAL_RE.exec(s); m !== null; m = NUMERAL_RE.exec(s)) {
      const run = m[0];
      const start = m.index;
      const end = start + run.length;
      const value = parseChineseNumber(run);
      if (value === null) continue;
      const prev = start > 0 ? s.charCodeAt(start - 1) : 0;
      if (s.charCodeAt(end) === CH_CI) {
        if (prev === CH_DI) {
          repeats.push({ start: start - 1, end: end + 1, value, ordinal: true });
        } else {
          const before = s.slice(clauseStartWithin(s, start, W.repeatVerbBefore), start);
          const after = s.slice(end + 1, clauseEndWithin(s, end + 1, W.repeatVerbAfter));
          if (includesAny(before, L.repeat.verbs) || includesAny(after, L.repeat.verbs)) {
            repeats.push({ start, end: end + 1, value, ordinal: false });
          }
        }
        continue;
      }
      if (prev === CH_DI) continue; // an ordinal: 第三名, 第一户
      if (moneyUnitAt(s, end) || prev === 0xa5 || prev === 0xffe5 || bareAmountIsMoney(s, start, end, run)) {
        const yuan = Math.round(value);
        if (yuan > 0 && (amount === null || yuan > amount)) amount = yuan;
        continue;
      }
      const counter = peopleCounterAt(s, end);
      if (counter) {
        counts.push({ start, end: end + counter.len, value: Math.floor(value), otherSide: counter.otherSide });
        continue;
      }
      const next = s[end];
      if (next === '死' && !startsWithAny(s, L.casualty.numeralDeathExceptions, end + 1)) {
        deathsByNumeral = Math.max(deathsByNumeral, Math.floor(value));
      } else if (next === '伤' && !startsWithAny(s, L.casualty.numeralInjuryExceptions, end + 1)) {
        injuredByNumeral = Math.max(injuredByNumeral, Math.floor(value));
      }
    }

    // People: the largest count on the petitioning side; else 1 for a first-person singular text.
    let people: number | null = null;
    for (const t of counts) if (!t.otherSide && (people === null || t.value > people)) people = t.value;
    if (people === null && !plural && singular) people = 1;

    const consult = consults.length > 0;

    // Casualties.
    let deaths = deathsByNumeral;
    let injured = injuredByNumeral;
    for (const h of casualties) {
      if (h.kind === 'natural' && consult) continue;
      const k = casualtyCount(s, h, counts);
      if (h.kind === 'injury') injured = Math.max(injured, k);
      else deaths = Math.max(deaths, k);
    }

    // Repeat count.
    let repeat = 0;
    let repeatOrdinal = false;
    for (const r of repeats) {
      if (r.value > repeat) {
        repeat = r.value;
        repeatOrdinal = r.ordinal;
      }
    }

    // Risk terms and grading conditions.
    const terms = (cat: RiskCategory): string[] =>
      unique(risks.filter((r) => r.category === cat).map((r) => norm.slice(r.start, r.end)));
    const extremeTerms = terms('extreme');
    const violenceTerms = terms('violence');
    const massTerms = terms('mass_action');
    const overTerms = terms('over_heads');
    const mediaTerms = terms('media');
    const extreme = extremeTerms.length > 0 || violenceTerms.length > 0;

    const major: string[] = [];
    const key: string[] = [];
    if (extremeTerms.length > 0) major.push(`扬言极端行为：${extremeTerms.join('、')}`);
    if (violenceTerms.length > 0) major.push(`扬言伤害他人：${violenceTerms.join('、')}`);
    if (deaths > 0) major.push(`发生人员死亡（${deaths}人）`);
    if (injured >= T.majorInjured) major.push(`${T.majorInjured}人以上受伤（${injured}人）`);
    else if (injured > 0) key.push(`人员受伤（${injured}人）`);
    if (people !== null && people >= T.majorPeople) major.push(`涉及人数${T.majorPeople}人以上（${people}人）`);
    else if (people !== null && people >= T.keyPeople) {
      key.push(`涉及人数${T.keyPeople}至${T.majorPeople - 1}人（${people}人）`);
    }
    if (amount !== null && amount >= T.majorAmountYuan) {
      major.push(`涉及金额${fmtYuan(T.majorAmountYuan)}以上（${fmtYuan(amount)}）`);
    } else if (amount !== null && amount >= T.keyAmountYuan) {
      key.push(`涉及金额${fmtYuan(T.keyAmountYuan)}至${fmtYuan(T.majorAmountYuan)}（${fmtYuan(amount)}）`);
    }
    if (massTerms.length > 0) key.push(`计划或正在进行群体性行为：${massTerms.join('、')}`);
    if (overTerms.length > 0) key.push(`越级上访：${overTerms.join('、')}`);
    if (mediaTerms.length > 0) key.push(`扬言媒体曝光：${mediaTerms.join('、')}`);
    const repeatFires = repeat >= T.repeatMin;
    if (repeatFires) key.push(repeatOrdinal ? `重复信访第${repeat}次` : `重复信访${repeat}次`);

    const grade: Grade = major.length > 0 ? 'major' : key.length > 0 ? 'key' : 'general';
    const reasons = [...major, ...key];
    if (reasons.length === 0) reasons.push('未触发重点或重大条件');

    const riskTerms: RiskTerm[] = [];
    for (const r of risks) riskTerms.push({ term: norm.slice(r.start, r.end), category: r.category, start: r.start });
    for (const h of casualties) {
      riskTerms.push({ term: norm.slice(h.start, h.end), category: 'casualty', start: h.start });
    }
    if (repeatFires) {
      for (const r of repeats) {
        if (r.value >= T.repeatMin) {
          riskTerms.push({ term: norm.slice(r.start, r.end), category: 'repeat', start: r.start });
        }
      }
    }
    riskTerms.sort((a, b) => a.start - b.start);
    if (riskTerms.length > L.maxRiskTerms) riskTerms.length = L.maxRiskTerms;

    const sig = textSignature(norm);

    // Topic: with a model, its log-posterior plus the weighted keyword scores; without one, the best
    // keyword score, ties by priority, `other` when nothing scores.
    let topicIndex = OTHER_INDEX;
    const anyKeyword = topicScores.some((v) => v > 0);
    // Too little the model knows and no keyword: nothing recognisable, so `other`, not the prior.
    if (
      model &&
      segment &&
      (topicLogPosterior(model, topicFeatures(norm, segment(norm)), posterior) > 2 || anyKeyword)
    ) {
      let bestScore = -Infinity;
      for (let t = 0; t < posterior.length; t++) {
        const v = posterior[t]! + model.keywordWeight * topicScores[t]!;
        if (v > bestScore) {
          bestScore = v;
          topicIndex = t;
        }
      }
    } else {
      let best = 0;
      for (const t of PRIORITY) {
        if (topicScores[t]! > best) {
          best = topicScores[t]!;
          topicIndex = t;
        }
      }
    }
    const topic: TopicCode = TOPIC_CODES[topicIndex]!;

    // Sentiment.
    let pos = 0;
    let neg = 0;
    for (const h of sentiments) {
      let w = h.weight;
      let polarity = h.polarity;
      const ws = clauseStartWithin(s, h.start, W.sentimentModifier);
      const before = s.slice(ws, h.start);
      for (const [d, f] of DEGREE) {
        if (before.includes(d)) {
          w *= f;
          break;
        }
      }
      for (let j = h.start - 1; j >= ws; j--) {
        if (SENT_NEGATOR[s.charCodeAt(j)] === 1 && !insideNonNegating(s, j)) {
          polarity = polarity === 1 ? -1 : 1;
          w *= L.sentiment.flipFactor;
          break;
        }
      }
      if (polarity === -1) {
        const cs = clauseStartWithin(s, h.start, 200);
        const ce = clauseEndWithin(s, h.end, 200);
        const q = consults[lowerBound(consults, cs)];
        const question = s.charCodeAt(ce) === QUESTION_MARK || (q !== undefined && q.start < ce);
        neg += question ? w * L.sentiment.questionClauseFactor : w;
      } else {
        pos += w;
      }
    }
    for (const r of risks) {
      if (r.category !== 'vulnerable' && r.category !== 'sensitive') neg += L.sentiment.riskTermWeight;
    }
    neg += casualties.length * L.sentiment.riskTermWeight;
    if (repeatFires) neg += L.sentiment.riskTermWeight;

    let label: SentimentLabel;
    if (consult) {
      if (neg >= L.sentiment.consultNegativeMin && neg > pos) label = 'negative';
      else if (pos >= L.sentiment.consultPositiveMin && pos > neg) label = 'positive';
      else label = 'neutral';
    } else if (pos === 0 && neg === 0) {
      label = L.sentiment.defaultLabel;
    } else {
      label = neg > pos ? 'negative' : pos > neg ? 'positive' : 'neutral';
    }
    let score = pos === 0 && neg === 0 && !consult ? L.sentiment.defaultScore : (pos - neg) / (pos + neg + 1);
    const limit = L.sentiment.neutralScoreLimit;
    if (label === 'neutral') score = Math.max(-limit, Math.min(limit, score));
    score = Math.round(Math.max(-1, Math.min(1, score)) * 1000) / 1000;
    if (Object.is(score, -0)) score = 0;

    return {
      version,
      topic,
      grade,
      sentiment: { label, score },
      people,
      amountYuan: amount,
      extreme,
      riskTerms,
      reasons,
      personalNumbers: countPersonalNumbers(norm),
      places: findPlaces(norm),
      signature: { version: SIGNATURE_VERSION, minhash: encodeSignature(sig), bands: lshBands(sig) },
    };
  }

  return analyse;
}

let defaultAnalyser: Analyse | null = null;

/**
 * The analyser with the default rules (config/rules/grading.json) and topic model
 * (config/models/topics.json), built on first use so that training can run before a model exists.
 */
export const analyse: Analyse = (text) => (defaultAnalyser ??= createDefaultAnalyser())(text);

/** The shipped rules and model, with the region pack named by REGION_PACK (default suzhou). */
export function createDefaultAnalyser(
  region: RegionPack = loadRegionPack(process.env.REGION_PACK || 'suzhou'),
): Analyse {
  return createAnalyser(loadRules(), { topicModel: loadTopicModel(), region });
}
