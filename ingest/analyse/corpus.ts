import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GRADE_CODES, TOPIC_CODES, type Grade, type SentimentLabel, type TopicCode } from '../taxonomy.ts';

/** A petition labelled in the conventions of the grading specification. */
export interface LabelledPetition {
  id: string;
  text: string;
  topic: TopicCode;
  grade: Grade;
  polarity: SentimentLabel;
  people: number | null;
  amountYuan: number | null;
  extreme: boolean;
}

const FIXTURES = fileURLToPath(new URL('../../tests/fixtures/', import.meta.url));
/** The development examples of the specification (reported on, never trained on). */
export const DEV_SET = join(FIXTURES, 'petitions-dev.jsonl');
/** The product's own labelled corpus: split into train and test by id. */
export const CORPUS_DIR = join(FIXTURES, 'analyser-corpus');

/** Reads a JSON-lines file of labelled petitions; a bad line is an error naming file and line. */
export function readLabelled(file: string): LabelledPetition[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, n }) => {
      const where = `${file}:${n}`;
      let v: Record<string, unknown>;
      try {
        v = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${where}: not JSON`);
      }
      const ok =
        typeof v.id === 'string' &&
        typeof v.text === 'string' &&
        TOPIC_CODES.includes(v.topic as TopicCode) &&
        GRADE_CODES.includes(v.grade as Grade) &&
        ['negative', 'neutral', 'positive'].includes(v.polarity as string) &&
        (v.people === null || Number.isInteger(v.people)) &&
        (v.amountYuan === null || typeof v.amountYuan === 'number') &&
        typeof v.extreme === 'boolean';
      if (!ok) {
        throw new Error(
          `${where}: not a labelled petition (id, text, topic, grade, polarity, people, amountYuan, extreme)`,
        );
      }
      return v as unknown as LabelledPetition;
    });
}

/** All corpus files, in name order. */
export function readCorpus(dir = CORPUS_DIR): LabelledPetition[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => readLabelled(join(dir, f)));
}

/** A stable 70/30 split by a hash of the id, so adding items never moves existing ones. */
export function splitOf(id: string): 'train' | 'test' {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 10 < 7 ? 'train' : 'test';
}
