/**
 * `npm run --silent analyze`: JSON lines {"id", "text"} on standard input, one analysis per line on
 * standard output, in order. A bad line answers {"id", "error"} and the run goes on; the exit status is
 * 0 unless standard input cannot be read.
 */
import { createInterface } from 'node:readline';
import { analyse } from '../ingest/analyse/analyse.ts';
import { analyseLine } from '../ingest/analyse/analyse-line.ts';

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
try {
  for await (const line of lines) {
    if (line.trim() === '') continue;
    if (!process.stdout.write(`${JSON.stringify(analyseLine(line, analyse))}\n`)) {
      await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
  }
} catch (error) {
  process.stderr.write(`analyze: cannot read standard input: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
