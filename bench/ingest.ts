/**
 * `npm run bench:ingest`: sustained petitions/s from HTTP batches through analysis to durable commit
 * on the real PostgreSQL, against a bare COPY of the very same rows in the same run.
 *
 * 1. The production server on a fresh PostgreSQL database; N realistic demo petitions (contacts,
 *    unique externalIds, received over the last 24 hours) generated and serialised up front.
 * 2. Sustained phase: all N posted in batches of 500 by 4 concurrent clients; every answer must be
 *    201. Wall time from the first post to the last answer; batch latency; the rate in 5-second
 *    windows; the process's peak RSS (the server runs in this process).
 * 3. Durability: the petitions table must hold N rows.
 * 4. Bare COPY: the stored rows (COPY … TO STDOUT from the first database) are COPYed into a table
 *    `LIKE petitions INCLUDING ALL` in a second fresh database; only that COPY is timed.
 * 5. Register import (when ingest/channels/register.ts offers `parseRegister`): a 100,000-row CSV
 *    built in memory, parsed and submitted through the pipeline in chunks of 1,000.
 *
 * Env: BENCH_INGEST_ROWS (60000), BENCH_INGEST_BATCH (500), BENCH_REGISTER_ROWS (100000).
 * Exits 0 when the target is missed (it is a measurement) and prints TARGET MISSED; exits 1 only when
 * a check fails (an answer other than 201, a row count that is not N).
 */
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { ChannelRecord, RecordOutcome } from '../ingest/channels/adapter.ts';
import { createDemoGenerator } from '../ingest/demo/generator.ts';
import type { PetitionInput } from '../ingest/petition.ts';
import type { RegionPack } from '../ingest/regions.ts';
import { migrate } from '../db/migrate.ts';
import { ensureBuild } from '../server/build.ts';
import { freshPostgres, TEST_DATABASE_URL, type TestDb } from '../tests/helpers/databases.ts';
import { startTestServer, type TestServer } from '../tests/helpers/server.ts';

const ROWS = Number(process.env.BENCH_INGEST_ROWS ?? 60_000);
const BATCH = Number(process.env.BENCH_INGEST_BATCH ?? 500);
const CONCURRENCY = 4;
const WINDOW_MS = 5_000;
const TARGET = 5_000;
const REGISTER_ROWS = Number(process.env.BENCH_REGISTER_ROWS ?? 100_000);
const REGISTER_CHUNK = 1_000;
const REGISTER_IN_FLIGHT = 2;
const REGISTER_LIMIT_SECONDS = 30;
const DAY_MS = 86_400_000;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** Peak RSS of this process (client and server both), sampled every 100 ms while running. */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

// ─── Sustained phase ─────────────────────────────────────────────────────────────────────────────

/** N hotline petitions (the bench key is a hotline key), received evenly over the last 24 hours. */
function generatePetitions(region: RegionPack, n: number, tag: string): PetitionInput[] {
  const generator = createDemoGenerator({ region, seed: 7 });
  const start = Date.now() - DAY_MS;
  const step = DAY_MS / n;
  return Array.from({ length: n }, (_, i) => ({
    ...generator.next(new Date(start + i * step)),
    channel: 'hotline',
    externalId: `bench-${tag}-${i}`,
  }));
}

interface Sustained {
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  windows: number[];
  rssBefore: number;
  rssPeak: number;
  /** CPU seconds of this process (server and clients) during the phase. */
  cpuSeconds: number;
  /** Event-loop delay, ms: how long a ready DB answer or request can wait for the main thread. */
  loopDelayP99: number;
  loopDelayMax: number;
}

async function sustained(server: TestServer, bodies: readonly string[], rowsPerBody: readonly number[]) {
  const latencies: number[] = [];
  const finished: { at: number; rows: number }[] = [];
  const rssBefore = process.memoryUsage().rss;
  const rss = rssSampler();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu = process.cpuUsage();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const sent = performance.now();
        const r = await fetch(`${server.url}/api/petitions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${server.keys.hotline}` },
          body: bodies[i],
        });
        const text = await r.text();
        if (r.status !== 201) throw new Error(`batch ${i}: intake answered ${r.status}: ${text.slice(0, 2000)}`);
        const at = performance.now();
        latencies.push(at - sent);
        finished.push({ at: at - started, rows: rowsPerBody[i]! });
      }
    }),
  );
  const ms = performance.now() - started;
  const rssPeak = rss.stop();
  const cpuUsed = process.cpuUsage(cpu);
  loop.disable();
  const total = rowsPerBody.reduce((a, b) => a + b, 0);
  // Full 5-second windows only; the last, partial one would understate the rate.
  const windows = Array.from({ length: Math.floor(ms / WINDOW_MS) }, () => 0);
  for (const f of finished) {
    const w = Math.floor(f.at / WINDOW_MS);
    if (w < windows.length) windows[w]! += f.rows;
  }
  latencies.sort((a, b) => a - b);
  const result: Sustained = {
    seconds: ms / 1000,
    perSecond: total / (ms / 1000),
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    windows: windows.map((rows) => rows / (WINDOW_MS / 1000)),
    rssBefore,
    rssPeak,
    cpuSeconds: (cpuUsed.user + cpuUsed.system) / 1e6,
    loopDelayP99: loop.percentile(99) / 1e6,
    loopDelayMax: loop.max / 1e6,
  };
  return result;
}

// ─── Bare COPY phase ─────────────────────────────────────────────────────────────────────────────

function databaseUrl(name: string): string {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** The stored petitions, every column, in COPY text format, with the column list. */
async function exportPetitions(server: TestServer): Promise<{ columns: string; chunks: Buffer[]; bytes: number }> {
  const { rows } = await server.app.db.query<{ db: string }>('SELECT current_database() AS db');
  const client = await connect(databaseUrl(rows[0]!.db));
  try {
    const cols = await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = 'petitions' ORDER BY ordinal_position`,
    );
    const columns = cols.rows.map((r) => `"${r.column_name}"`).join(', ');
    const chunks: Buffer[] = [];
    let bytes = 0;
    const out = client.query(copyTo(`COPY (SELECT ${columns} FROM petitions ORDER BY received_at, id) TO STDOUT`));
    for await (const chunk of out) {
      chunks.push(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    return { columns, chunks, bytes };
  } finally {
    await client.end();
  }
}

async function bareCopy(exported: { columns: string; chunks: Buffer[] }): Promise<{ seconds: number; rows: number }> {
  const t: TestDb = await freshPostgres();
  try {
    await migrate(t.db);
    await t.db.exec('CREATE TABLE petitions_copy (LIKE petitions INCLUDING ALL)');
    const client = await connect(t.url!);
    try {
      const started = performance.now();
      await streamPipeline(
        Readable.from(exported.chunks),
        client.query(copyFrom(`COPY petitions_copy (${exported.columns}) FROM STDIN`)),
      );
      const seconds = (performance.now() - started) / 1000;
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM petitions_copy');
      return { seconds, rows: rows[0]!.n };
    } finally {
      await client.end();
    }
  } finally {
    await t.drop();
  }
}

// ─── Register import ─────────────────────────────────────────────────────────────────────────────

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** A register as clerks keep it: 编号, 登记时间 (local wall clock), 信访人, 联系电话, 所属区域, 诉求内容. */
function registerCsv(region: RegionPack, n: number, tag: string): Uint8Array {
  const generator = createDemoGenerator({ region, seed: 11 });
  const names = new Map(region.districts.map((d) => [d.code, d.name]));
  const start = Date.now() - 30 * DAY_MS;
  const step = (30 * DAY_MS) / n;
  const lines = ['编号,登记时间,信访人,联系电话,所属区域,诉求内容'];
  for (let i = 0; i < n; i++) {
    const p = generator.next(new Date(start + i * step));
    const local = (p.receivedAt ?? '').slice(0, 19).replace('T', ' ');
    const district = (p.regionCode && names.get(p.regionCode)) ?? '';
    const cells = [`REG-${tag}-${i}`, local, p.contact?.name ?? '', p.contact?.phone ?? '', district, p.text];
    lines.push(cells.map(csvCell).join(','));
  }
  return new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
}

async function registerImport(server: TestServer, tag: string): Promise<string[]> {
  let mod: typeof import('../ingest/channels/register.ts');
  try {
    mod = await import('../ingest/channels/register.ts');
    if (typeof mod.parseRegister !== 'function') return ['register import: skipped (no parseRegister export yet)'];
  } catch (error) {
    return [`register import: skipped (ingest/channels/register.ts does not load: ${String(error)})`];
  }
  const bytes = registerCsv(server.app.region, REGISTER_ROWS, tag);
  const resolveRegion = typeof mod.regionResolver === 'function' ? mod.regionResolver(server.app.region) : undefined;
  const rss = rssSampler();
  const started = performance.now();
  const parsed = await mod.parseRegister(bytes, { filename: 'bench-register.csv', now: new Date(), resolveRegion });
  const parseSeconds = (performance.now() - started) / 1000;
  const records: readonly ChannelRecord[] = parsed.records;
  const counts = { stored: 0, duplicate: 0, rejected: 0, unavailable: 0 };
  const source = { actor: 'bench', role: 'channel:register', channel: 'register' as const };
  let next = 0;
  await Promise.all(
    Array.from({ length: REGISTER_IN_FLIGHT }, async () => {
      while (next < records.length) {
        const from = next;
        next += REGISTER_CHUNK;
        const chunk = records.slice(from, next);
        const outcomes: RecordOutcome[] = await server.app.pipeline.submit(chunk, source);
        for (const o of outcomes) {
          if (o.status === 'stored') counts[o.duplicate ? 'duplicate' : 'stored']++;
          else counts[o.status]++;
        }
      }
    }),
  );
  const totalSeconds = (performance.now() - started) / 1000;
  const submitSeconds = totalSeconds - parseSeconds;
  const rssPeak = rss.stop();
  const { rows } = await server.app.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM petitions WHERE channel = 'register'",
  );
  const inTime = totalSeconds < REGISTER_LIMIT_SECONDS;
  return [
    `register import: ${fmt(REGISTER_ROWS)}-row CSV (${mb(bytes.byteLength)}) → parseRegister → pipeline.submit, ` +
      `chunks of ${fmt(REGISTER_CHUNK)}, ${REGISTER_IN_FLIGHT} in flight`,
    `  parse            ${parseSeconds.toFixed(1).padStart(6)} s ${fmt(records.length / parseSeconds).padStart(9)} rows/s`,
    `  analyse + commit ${submitSeconds.toFixed(1).padStart(6)} s ${fmt(records.length / submitSeconds).padStart(9)} rows/s`,
    `  total            ${totalSeconds.toFixed(1).padStart(6)} s ${fmt(REGISTER_ROWS / totalSeconds).padStart(9)} rows/s`,
    `  outcomes: ${fmt(counts.stored)} stored, ${fmt(counts.duplicate)} duplicate, ${fmt(counts.rejected)} rejected, ` +
      `${fmt(counts.unavailable)} unavailable; ${fmt(rows[0]!.n)} register rows in petitions; peak RSS ${mb(rssPeak)}`,
    `  ${fmt(REGISTER_ROWS)} rows in < ${REGISTER_LIMIT_SECONDS} s: ${inTime ? 'yes' : 'NO'}`,
  ];
}

// ─── Run ─────────────────────────────────────────────────────────────────────────────────────────

const progress = (message: string) => process.stderr.write(`bench:ingest: ${message}\n`);

ensureBuild();
const tag = Date.now().toString(36);
// The benchmark measures the pipeline, not the per-key rate limit.
const server = await startTestServer('postgres', {
  INTAKE_RATE_PER_SECOND: '1000000',
  ANALYSIS_THREADS: process.env.ANALYSIS_THREADS ?? String(availableParallelism()),
});
let stopped = false;
const stopServer = async () => {
  if (stopped) return;
  stopped = true;
  await server.stop();
};
const report: string[] = [];
try {
  progress(`generating ${fmt(ROWS)} petitions`);
  const petitions = generatePetitions(server.app.region, ROWS, tag);
  const bodies: string[] = [];
  const rowsPerBody: number[] = [];
  for (let i = 0; i < petitions.length; i += BATCH) {
    const batch = petitions.slice(i, i + BATCH);
    bodies.push(JSON.stringify(batch));
    rowsPerBody.push(batch.length);
  }
  const withContact = petitions.filter((p) => p.contact).length;
  const avgChars = petitions.reduce((a, p) => a + p.text.length, 0) / petitions.length;
  // Warm the analyser's JIT on texts of the same kind (nothing is stored): a running server is warm.
  const warm = createDemoGenerator({ region: server.app.region, seed: 99 });
  for (let i = 0; i < 2_000; i++) server.app.analyse(warm.next(new Date()).text);

  progress(`sustained phase: ${bodies.length} batches of ${BATCH}, ${CONCURRENCY} in flight`);
  const s = await sustained(server, bodies, rowsPerBody);

  const { rows: counted } = await server.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM petitions');
  const stored = counted[0]!.n;
  if (stored !== ROWS) throw new Error(`durability: petitions holds ${stored} rows, expected ${ROWS}`);

  // Where the time goes: the analyser alone on the same texts, on this one thread.
  progress('analysis alone on the same texts');
  const analyseStarted = performance.now();
  for (const p of petitions) server.app.analyse(p.text);
  const analyseSeconds = (performance.now() - analyseStarted) / 1000;

  const exported = await exportPetitions(server);
  const { rows: version } = await server.app.db.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  const storageMode = server.app.storageMode;

  progress(`register import: ${fmt(REGISTER_ROWS)} rows`);
  let registerLines: string[];
  try {
    registerLines = await registerImport(server, tag);
  } catch (error) {
    registerLines = [
      `register import: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    ];
  }

  // The server's background jobs (the linker walks the new petitions) must not share the COPY's CPU.
  await stopServer();
  progress('bare COPY of the stored rows');
  const copy = await bareCopy(exported);
  if (copy.rows !== ROWS) throw new Error(`COPY: petitions_copy holds ${copy.rows} rows, expected ${ROWS}`);
  const copyPerSecond = copy.rows / copy.seconds;

  const met = s.perSecond >= TARGET;
  const minWindow = s.windows.length > 0 ? Math.min(...s.windows) : NaN;
  report.push(
    `ingest: ${fmt(ROWS)} petitions (${fmt(withContact)} with contacts, ~${avgChars.toFixed(0)} characters) in ` +
      `${bodies.length} batches of ${BATCH} over HTTP, ${CONCURRENCY} in flight; PostgreSQL ${version[0]!.v} ` +
      `(${storageMode}); all ${fmt(stored)} rows committed`,
    `  wall time ${s.seconds.toFixed(1)} s; batch latency p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms`,
    `  5-s windows (petitions/s): ${s.windows.length > 0 ? s.windows.map(fmt).join(' ') : 'n/a (run under 5 s)'}`,
    `  min window ${Number.isNaN(minWindow) ? 'n/a' : `${fmt(minWindow)}/s`}; process RSS ${mb(s.rssBefore)} before, ` +
      `peak ${mb(s.rssPeak)} (server and clients share the process)`,
    `  process CPU ${s.cpuSeconds.toFixed(1)} s in ${s.seconds.toFixed(1)} s wall ` +
      `(${((s.cpuSeconds / s.seconds) * 100).toFixed(0)}% of one core); event-loop delay p99 ` +
      `${s.loopDelayP99.toFixed(0)} ms, max ${s.loopDelayMax.toFixed(0)} ms`,
    `  analysis alone on the same texts, one thread: ${analyseSeconds.toFixed(1)} s, ` +
      `${fmt(ROWS / analyseSeconds)}/s (${((analyseSeconds / s.seconds) * 100).toFixed(0)}% of the wall time)`,
    `  bare COPY: ${fmt(copy.rows)} stored rows (${mb(exported.bytes)} as COPY text) into petitions_copy ` +
      `(LIKE petitions INCLUDING ALL) in ${copy.seconds.toFixed(2)} s, server stopped`,
    '',
    '                                          rows/s',
    `pipeline  (HTTP → analysis → commit)  ${fmt(s.perSecond).padStart(9)}`,
    `bare COPY (petitions table only)      ${fmt(copyPerSecond).padStart(9)}`,
    `pipeline / COPY                       ${`${((s.perSecond / copyPerSecond) * 100).toFixed(1)} %`.padStart(9)}`,
    `target ${fmt(TARGET)}/s sustained            ${(met ? 'yes' : 'no').padStart(9)}`,
  );
  if (!met) report.push(`TARGET MISSED: ${fmt(s.perSecond)}/s < ${fmt(TARGET)}/s`);
  report.push('', ...registerLines);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await stopServer();
}
for (const line of report) console.log(line);
