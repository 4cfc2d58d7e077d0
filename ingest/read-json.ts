import { readFileSync } from 'node:fs';

/** Reads a configuration file as JSON; the error names the file and what was wrong with it. */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`${file}: not readable as JSON: ${(cause as Error).message}`, { cause });
  }
}
