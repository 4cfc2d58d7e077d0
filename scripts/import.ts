/**
 * `npm run import -- <file> [--dry-run]`: imports a petition register (CSV, XLSX or XLS) through the same
 * pipeline as every channel, showing progress. Rows that cannot be stored are kept as dead letters and
 * written, with row number and reason, to `<file>.rejected.csv`. On embedded storage stop the server
 * first (PGlite allows one process per data directory); with DATABASE_URL it can run beside it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseRegister, RegisterFileError, rejectedRowsCsv } from '../ingest/channels/register.ts';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { IMPORT_CHUNK, previewRejections, rejectedRowOf } from '../server/imports.ts';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  process.stderr.write('usage: npm run import -- <register.csv|.xlsx|.xls> [--dry-run]\n');
  process.exit(2);
}

const tty = process.stderr.isTTY;
function bar(label: string, done: number, total: number): void {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
  // On a terminal the bar redraws in place; in a log every 10% is a line.
  if (tty) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
  else if (done === total || Math.floor((done / total) * 10) !== Math.floor(((done - IMPORT_CHUNK) / total) * 10)) {
    process.stderr.write(`${line}\n`);
  }
}

try {
  const bytes = readFileSync(file);
  const config = loadConfig({ ...process.env, DEMO_FEED: 'off', DEMO_ACCOUNTS: 'off', QUIET: 'on' });
  const app = await createApp(config);
  try {
    const started = performance.now();
    const parse = await parseRegister(bytes, {
      filename: basename(file),
      now: app.now(),
      resolveRegion: (cell) => app.resolver.fromCell(cell),
      onProgress: (done, total) => bar('读取 reading  ', done, total),
    });
    const mapped = parse.headers.filter((h) => h.field).map((h) => `${h.header}→${h.field}`);
    process.stderr.write(
      `${parse.format}${parse.encoding ? ` (${parse.encoding})` : ''}: ${parse.records.length} rows; columns ${mapped.join(', ')}` +
        `${parse.unmappedHeaders.length ? `; not imported: ${parse.unmappedHeaders.join(', ')}` : ''}\n`,
    );
    const source = { actor: 'cli:import', role: 'operator-cli', channel: 'register' as const, address: 'cli' };
    const rejected = dryRun ? previewRejections(parse) : [];
    const totals = { stored: 0, duplicates: 0, rejected: 0, unavailable: 0 };
    if (!dryRun) {
      const records = parse.records;
      for (let start = 0; start < records.length; start += IMPORT_CHUNK) {
        const chunk = records.slice(start, start + IMPORT_CHUNK);
        const outcomes = await app.pipeline.submit(chunk, source);
        outcomes.forEach((o, i) => {
          if (o.status === 'stored') totals[o.duplicate ? 'duplicates' : 'stored']++;
          else if (o.status === 'unavailable') totals.unavailable++;
          else {
            totals.rejected++;
            rejected.push(rejectedRowOf(chunk[i]!.original, o.reason));
          }
        });
        if (totals.unavailable > 0) {
          throw new Error(
            `storage became unavailable at row ${start + 2}; rows before it are stored, run again to continue`,
          );
        }
        bar('导入 importing', Math.min(start + IMPORT_CHUNK, records.length), records.length);
      }
      await app.writer.flush();
    }
    if (rejected.length > 0) {
      const out = `${file}.rejected.csv`;
      writeFileSync(
        out,
        rejectedRowsCsv(
          parse.headers.map((h) => h.header),
          rejected,
        ),
      );
      process.stderr.write(`${rejected.length} row(s) not imported (kept as dead letters): ${out}\n`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const summary = dryRun
      ? `dry run: ${parse.records.length - rejected.length} rows would be stored, ${rejected.length} rejected (${seconds} s)`
      : `stored ${totals.stored}, duplicates ${totals.duplicates}, rejected ${totals.rejected} in ${seconds} s`;
    process.stdout.write(`${summary}\n`);
  } finally {
    await app.close();
  }
} catch (error) {
  const message = error instanceof RegisterFileError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`\nimport: ${message}\n`);
  process.exit(1);
}
