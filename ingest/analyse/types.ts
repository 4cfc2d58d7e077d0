import type { Grade, SentimentLabel, TopicCode } from '../taxonomy.ts';

/** Risk-lexicon categories of ../spec/grading.md. */
export type RiskCategory =
  'extreme' | 'violence' | 'mass_action' | 'over_heads' | 'media' | 'vulnerable' | 'sensitive' | 'casualty' | 'repeat';

export interface RiskTerm {
  term: string;
  category: RiskCategory;
  /** UTF-16 offset of the term in the normalised text. */
  start: number;
}

/** What the analyser says about one petition text. Stored with the petition, versioned. */
export interface Analysis {
  /** Analyser and rules version that produced this, e.g. "baseline-1". */
  version: string;
  topic: TopicCode;
  grade: Grade;
  sentiment: { label: SentimentLabel; score: number };
  people: number | null;
  amountYuan: number | null;
  extreme: boolean;
  riskTerms: RiskTerm[];
  /** Human-readable Chinese reasons, one per grading condition that fired. */
  reasons: string[];
  /** Phone and ID numbers found in the text: every derived view masks them (ingest/mask.ts). */
  personalNumbers: { phones: number; idNumbers: number };
  /** Districts of the deployed region named in the text, in order of first mention. */
  places: { code: string; name: string; start: number }[];
  /** Near-duplicate signature (MinHash over character shingles) and its LSH band keys. */
  signature: { version: string; minhash: string; bands: string[] };
}

export type Analyse = (text: string) => Analysis;
