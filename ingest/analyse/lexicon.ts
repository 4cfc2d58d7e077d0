/**
 * The shape of the analyser's rules: word lists, windows and thresholds. The default rule set of the
 * product's grading specification lives in config/rules/grading.json, validated by ./rules.ts. Terms are matched
 * against the normalised text after traditional → simplified folding, so write them in simplified
 * characters. Lists are matched longest-first; within one family (risk, topic, sentiment …) a match
 * that lies inside a longer match of the same family is not counted again.
 */
import type { TopicCode } from '../taxonomy.ts';
import type { RiskCategory } from './types.ts';

/** A term that only counts when it is not followed / not preceded by one of these strings. */
export interface Guard {
  readonly notFollowedBy?: readonly string[];
  readonly notPrecededBy?: readonly string[];
  /** Only the risk and casualty lists honour this guard; topic and sentiment words still count. */
  readonly riskOnly?: boolean;
}

export interface Lexicon {
  readonly version: string;
  readonly thresholds: {
    /** 重大: this many people or more. */
    readonly majorPeople: number;
    /** 重点: this many people or more (below majorPeople). */
    readonly keyPeople: number;
    readonly majorAmountYuan: number;
    readonly keyAmountYuan: number;
    /** 重大: this many injured or more; 重点 below it (but at least one). */
    readonly majorInjured: number;
    /** 重点: repeat petitions with an explicit count of at least this. */
    readonly repeatMin: number;
  };
  readonly windows: {
    /** Characters before a risk term searched for a negator (within the same clause). */
    readonly negation: number;
    /** Largest gap between a one-character negator (不, 没 …) and the term it negates. */
    readonly singleNegatorGap: number;
    /** Characters before a sentiment word searched for a degree word or negator. */
    readonly sentimentModifier: number;
    /** Characters before an injury/death term searched for its head count (same clause). */
    readonly casualtyCountBefore: number;
    /** Characters after an injury/death term searched for its head count (受伤3人). */
    readonly casualtyCountAfter: number;
    /** Characters before "N次" searched for a petitioning verb. */
    readonly repeatVerbBefore: number;
    /** Characters after "N次" searched for a petitioning verb (三次到信访局). */
    readonly repeatVerbAfter: number;
    /** Characters before an amount ending in 万/亿 without 元 searched for a money cue. */
    readonly moneyCue: number;
  };
  /** Ends a clause for negation and count windows. */
  readonly clausePunctuation: string;
  /** Traditional → simplified character pairs ("廠厂 廢废 …"), applied for matching only. */
  readonly tradToSimp: string;

  readonly risk: Readonly<Record<Exclude<RiskCategory, 'casualty' | 'repeat'>, readonly string[]>>;
  readonly casualty: {
    readonly death: readonly string[];
    /** Natural deaths (去世 …): ignored in consultations ("我母亲去世了，请问丧葬费怎么领"). */
    readonly naturalDeath: readonly string[];
    readonly injury: readonly string[];
    /** An injury with no number but one of these before it (多人受伤) counts as `vagueCount`. */
    readonly vaguePlural: readonly string[];
    /** Lower bound of "several" (多人, 数名 …). */
    readonly vagueCount: number;
    /** "一死两伤": a number right before 死 / 伤 counts, unless these follow (一死了之, 两伤心 …). */
    readonly numeralDeathExceptions: readonly string[];
    readonly numeralInjuryExceptions: readonly string[];
  };
  readonly negation: {
    /** Negators, matched longest first; one-character ones only right before the term. */
    readonly negators: readonly string[];
    /** Words that contain a negator character but do not negate what follows (不得不, 不给 …). */
    readonly nonNegating: readonly string[];
    /** A negator does not reach over these (再不给钱我就跳楼, 别逼我跳楼). */
    readonly breakers: readonly string[];
  };
  readonly guards: Readonly<Record<string, Guard>>;
  /**
   * Risk terms that are ordinary words too (北京, 省里, 媒体 …): they only count with one of the cues
   * within `window` characters before or after them in the same clause (去北京, 联系了记者).
   */
  readonly contextual: {
    readonly window: number;
    readonly terms: Readonly<Record<string, readonly string[]>>;
  };

  readonly people: {
    /** Measure words right after a number that make it a head count. */
    readonly counters: readonly string[];
    /** Nouns that make a head count after 个 (三个工人) or directly after a number (200员工). */
    readonly personNouns: readonly string[];
    /** Nouns that make a head count after 家 (十几家商户, but not 十几家企业). */
    readonly householdNouns: readonly string[];
    /** The other side: "三名保安" is not the petitioning side. */
    readonly otherSide: readonly string[];
    /** Counters that are not people when followed by these (名义, 位于 …). */
    readonly counterExceptions: Readonly<Record<string, readonly string[]>>;
    /** First-person singular or an individual's question/purchase: people = 1 when no count. */
    readonly singular: readonly string[];
    /** Unspecified plural: people stays null when no count (我们, 多名村民). */
    readonly plural: readonly string[];
  };
  readonly money: {
    /** Currency words right after a number. 块 only counts before 钱 or a non-CJK character. */
    readonly units: readonly string[];
    /** Words near an amount ending in 万/亿 that make it money without 元 (工资1.2万). */
    readonly cues: readonly string[];
    /** After 万/亿 these are not money (两万人, 三万平方米). */
    readonly nonMoneyFollowers: string;
    /** Near these a bare 万/亿 is a head count, not money. */
    readonly peopleCues: readonly string[];
  };
  readonly repeat: {
    /** Petitioning verbs near "N次" that make it a repeat count. */
    readonly verbs: readonly string[];
  };
  /** Keyword weights per topic; the best total wins, ties broken by topicPriority. */
  readonly topics: Readonly<Record<TopicCode, Readonly<Record<string, number>>>>;
  readonly topicPriority: readonly TopicCode[];
  /** A topic keyword that occurs again in the same text adds this share of its weight. */
  readonly repeatedKeywordFactor: number;
  readonly sentiment: {
    readonly negative: Readonly<Record<string, number>>;
    readonly positive: Readonly<Record<string, number>>;
    /** Questions and requests for information. */
    readonly consult: readonly string[];
    readonly degree: Readonly<Record<string, number>>;
    /** Negators right before a sentiment word flip it. */
    readonly negators: readonly string[];
    /** Label of a text that is no question and carries no sentiment word: petitions complain. */
    readonly defaultLabel: 'negative' | 'neutral';
    /** Its score. */
    readonly defaultScore: number;
    /** Weight a non-negated risk term (extreme, mass action, media …) adds to the negative side. */
    readonly riskTermWeight: number;
    /** Weight of negative words in a clause that is itself a question. */
    readonly questionClauseFactor: number;
    /** A text with consultation cues is negative only with at least this much negative weight. */
    readonly consultNegativeMin: number;
    /** … and positive only with at least this much positive weight. */
    readonly consultPositiveMin: number;
    /** Weight kept by a flipped (negated) sentiment word. */
    readonly flipFactor: number;
    /** A neutral label keeps its score within ± this. */
    readonly neutralScoreLimit: number;
  };
  /** At most this many risk terms are listed per text (all still count for grading). */
  readonly maxRiskTerms: number;
}
