import { MAX_TEXT_CHARS } from '../validate.ts';
import type { Analyse, Analysis } from './types.ts';

// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL_OR_SPACE = /[\u0000-\u001f\u007f-\u009f\s\ufffd]/g;

export type LineResult =
  ({ id: string | number | null } & Omit<Analysis, never>) | { id: string | number | null; error: string };

/**
 * One line of the `analyze` contract: a JSON object with `id` and `text` in, the analysis (or a clear
 * error for that line) out. Never throws.
 */
export function analyseLine(line: string, analyse: Analyse): LineResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { id: null, error: `not valid JSON (line starts ${JSON.stringify(line.slice(0, 30))})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { id: null, error: 'each line must be a JSON object {"id", "text"}' };
  }
  const { id: rawId, text } = value as { id?: unknown; text?: unknown };
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
  if (typeof text !== 'string') {
    return { id, error: text === undefined ? 'no "text" field' : '"text" must be a string' };
  }
  const clean = text.toWellFormed();
  if (clean.trim() === '') return { id, error: '"text" is empty' };
  // The same limit as intake: a petition longer than this is not one petition.
  if (clean.length > MAX_TEXT_CHARS) {
    return { id, error: `"text" is ${clean.length} characters; at most ${MAX_TEXT_CHARS} are analysed` };
  }
  if (clean.replace(CONTROL_OR_SPACE, '') === '') return { id, error: '"text" holds no readable characters' };
  try {
    return { id, ...analyse(clean) };
  } catch (error) {
    return { id, error: `analysis failed: ${(error as Error).message}` };
  }
}
