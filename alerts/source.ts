import type { RiskCategory } from '../ingest/analyse/types.ts';
import type { Grade } from '../ingest/taxonomy.ts';

/** Counts of one time bucket × region × topic × channel (minute or hour buckets). */
export interface CountCell {
  bucket: Date;
  regionCode: string;
  topic: string;
  channel: string;
  total: number;
  negative: number;
  sentimentSum: number;
}

/** What window rules need of one recent petition: no text, no contact, only keys and labels. */
export interface WindowPetition {
  id: string;
  receivedAt: Date;
  regionCode: string | null;
  topic: string;
  channel: string;
  grade: Grade;
  negative: boolean;
  extreme: boolean;
  people: number | null;
  amountYuan: number | null;
  riskTerms: { term: string; category: RiskCategory }[];
  /** LSH band keys of the near-duplicate signature. */
  bands: string[];
  /** Encoded MinHash signature, or null for an empty text. */
  signature: string | null;
  /** Blind keys of the petitioner (phone, ID number, e-mail); [] when unknown. */
  personKeys: string[];
}

/**
 * Where window rules read the stream from: the database in production (db/queries/alert-source.ts),
 * an in-memory history in the backtest. Every window is [from, to).
 */
export interface AlertSource {
  minuteCounts(from: Date, to: Date): Promise<CountCell[]>;
  hourlyCounts(from: Date, to: Date): Promise<CountCell[]>;
  petitions(from: Date, to: Date): Promise<WindowPetition[]>;
  /** Occurrences of each risk term in [from, to). */
  termCounts(from: Date, to: Date): Promise<Map<string, number>>;
  /** Petitions in [from, to) carrying each band key (only the keys asked for). */
  bandCounts(bands: readonly string[], from: Date, to: Date): Promise<Map<string, number>>;
  /** Petitions in [from, to) by a person holding any of these keys. */
  samePersonPetitions(keys: readonly string[], from: Date, to: Date): Promise<string[]>;
}
