import { randomUUID } from 'node:crypto';
import type { ChannelRecord, Original, RecordOutcome, RecordSource, Submit } from '../ingest/channels/adapter.ts';
import { parseRegister, RegisterFileError, type RegisterParse, rejectedRowsCsv } from '../ingest/channels/register.ts';

/** Rows per pipeline call: big enough for group commit, small enough for a smooth progress bar. */
export const IMPORT_CHUNK = 1_000;
/** Chunks in flight at once: analysis of one overlaps the commit of the other. */
const IN_FLIGHT = 2;
/** A storage outage during an import is waited out this many times (with backoff) before pausing. */
const STORAGE_RETRIES = 5;
/** Previews and finished imports are kept this long for the page (and the rejected-rows download). */
const KEEP_MS = 2 * 3600_000;
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export type ImportStatus = 'preview' | 'running' | 'paused' | 'done';

export interface ImportProgress {
  id: string;
  filename: string;
  status: ImportStatus;
  total: number;
  done: number;
  stored: number;
  duplicates: number;
  rejected: number;
  /** Set when storage stayed unavailable: the import can be resumed from `done`. */
  error: string | null;
}

interface ImportJob {
  progress: ImportProgress;
  parse: RegisterParse;
  owner: string;
  source: RecordSource;
  rejected: RejectedRow[];
  keptUntil: number;
}

export interface RegisterImports {
  /** Parses an upload and keeps it for the preview; nothing is stored yet. A damaged file says why. */
  preview(
    bytes: Uint8Array,
    filename: string,
    owner: RecordSource,
  ): Promise<{ ok: true; id: string; parse: RegisterParse } | { ok: false; message: string }>;
  /** Starts (or resumes) storing a previewed import in the background; progress via `progress`. */
  commit(id: string, owner: string): ImportProgress | null;
  progress(id: string, owner: string): ImportProgress | null;
  parseOf(id: string, owner: string): RegisterParse | null;
  /** The rejected rows as CSV, once the import has run. */
  rejectedCsv(id: string, owner: string): string | null;
}

/**
 * Register imports of the upload page: a file is parsed into a preview first (mapping, sample rows,
 * rejections), then committed in chunks through the pipeline while the page polls progress. Every row
 * ends stored or dead-lettered with its row number; a storage outage pauses the import instead of
 * losing rows, and it resumes where it stopped. Jobs live in this process's memory for two hours.
 */
export function createRegisterImports(deps: {
  submit: Submit;
  now: () => Date;
  resolveRegion: (cell: string) => string | null;
  log: (message: string, error?: unknown) => void;
  sleep?: (ms: number) => Promise<void>;
}): RegisterImports {
  const jobs = new Map<string, ImportJob>();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  function sweep() {
    const now = Date.now();
    for (const [id, job] of jobs) if (job.keptUntil < now && job.progress.status !== 'running') jobs.delete(id);
  }
  function own(id: string, owner: string): ImportJob | null {
    const job = jobs.get(id);
    return job && job.owner === owner ? job : null;
  }

  async function run(job: ImportJob): Promise<void> {
    const { records } = job.parse;
    const p = job.progress;
    while (p.done < records.length) {
      const chunks: { start: number; records: ChannelRecord[] }[] = [];
      for (let i = 0; i < IN_FLIGHT && p.done + i * IMPORT_CHUNK < records.length; i++) {
        const start = p.done + i * IMPORT_CHUNK;
        chunks.push({ start, records: records.slice(start, start + IMPORT_CHUNK) });
      }
      const results = await Promise.all(chunks.map((c) => submitWithRetry(job, c.records)));
      for (let i = 0; i < chunks.length; i++) {
        const outcomes = results[i];
        if (!outcomes) {
          p.status = 'paused';
          p.error =
            '存储持续不可用，导入已暂停，可继续 · Storage stayed unavailable; the import is paused and can be resumed';
          return;
        }
        count(job, chunks[i]!.records, outcomes);
        p.done = chunks[i]!.start + chunks[i]!.records.length;
      }
    }
    p.status = 'done';
    p.error = null;
  }

  async function submitWithRetry(job: ImportJob, chunk: ChannelRecord[]): Promise<RecordOutcome[] | null> {
    for (let attempt = 0; attempt <= STORAGE_RETRIES; attempt++) {
      const outcomes = await deps.submit(chunk, job.source);
      if (!outcomes.some((o) => o.status === 'unavailable')) return outcomes;
      // Stored rows are idempotent only with a register number; retry just the rows not kept.
      const pending = outcomes.flatMap((o, i) => (o.status === 'unavailable' ? [i] : []));
      if (pending.length < chunk.length) {
        const rest = await submitWithRetry(
          job,
          pending.map((i) => chunk[i]!),
        );
        if (!rest) return null;
        pending.forEach((i, k) => (outcomes[i] = rest[k]!));
        return outcomes;
      }
      await sleep(Math.min(500 * 2 ** attempt, 8_000));
    }
    return null;
  }

  function count(job: ImportJob, chunk: ChannelRecord[], outcomes: RecordOutcome[]) {
    outcomes.forEach((o, i) => {
      if (o.status === 'stored') {
        if (o.duplicate) job.progress.duplicates++;
        else job.progress.stored++;
      } else if (o.status === 'rejected') {
        job.progress.rejected++;
        job.rejected.push(rejectedRowOf(chunk[i]!.original, o.reason));
      }
    });
  }

  return {
    async preview(bytes, filename, owner) {
      sweep();
      let parse: RegisterParse;
      try {
        parse = await parseRegister(bytes, { filename, now: deps.now(), resolveRegion: deps.resolveRegion });
      } catch (error) {
        // Decided here, beside the parser: the SvelteKit bundle has its own copy of the error class.
        if (error instanceof RegisterFileError) return { ok: false, message: error.message };
        throw error;
      }
      const id = randomUUID();
      jobs.set(id, {
        parse,
        owner: owner.actor,
        source: owner,
        rejected: [],
        keptUntil: Date.now() + KEEP_MS,
        progress: {
          id,
          filename,
          status: 'preview',
          total: parse.records.length,
          done: 0,
          stored: 0,
          duplicates: 0,
          rejected: 0,
          error: null,
        },
      });
      return { ok: true, id, parse };
    },
    commit(id, owner) {
      const job = own(id, owner);
      if (!job) return null;
      if (job.progress.status === 'preview' || job.progress.status === 'paused') {
        job.progress.status = 'running';
        job.progress.error = null;
        job.keptUntil = Date.now() + KEEP_MS;
        run(job).catch((error: unknown) => {
          deps.log('register import failed', error);
          job.progress.status = 'paused';
          job.progress.error = '导入出错，已暂停，可继续 · The import failed and is paused; it can be resumed';
        });
      }
      return { ...job.progress };
    },
    progress: (id, owner) => {
      const job = own(id, owner);
      return job ? { ...job.progress } : null;
    },
    parseOf: (id, owner) => own(id, owner)?.parse ?? null,
    rejectedCsv(id, owner) {
      const job = own(id, owner);
      if (!job) return null;
      const parseRejected = job.progress.status === 'preview' ? previewRejections(job.parse) : job.rejected;
      return rejectedRowsCsv(
        job.parse.headers.map((h) => h.header),
        parseRejected,
      );
    },
  };
}

export interface RejectedRow {
  position: string;
  row: Record<string, string>;
  reason: string;
}

/** A rejected register row as the rejected-rows file lists it: its cells, row number and reason. */
export function rejectedRowOf(original: Original, reason: string): RejectedRow {
  let row: Record<string, string> = {};
  try {
    row = JSON.parse(original.content) as Record<string, string>;
  } catch {
    // A row is always kept as JSON; if not, the file still lists its number and reason.
  }
  return { position: original.position ?? '', row, reason };
}

/** The rows a preview already knows will be rejected (parse and validation problems). */
export function previewRejections(parse: RegisterParse): RejectedRow[] {
  return parse.records.flatMap((r) => (r.ok ? [] : [rejectedRowOf(r.original, r.reason)]));
}
