/**
 * `npm run bench`: intake throughput (batches of 500 over HTTP, each answered only after a durable
 * commit) and post → `petition:new` latency, on the embedded PGlite and on PostgreSQL.
 * Uses the production server and the demo generator's realistic texts. Prints a table.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../realtime/contract.ts';
import { createDemoGenerator } from '../ingest/demo/generator.ts';
import { loadRegionPack } from '../ingest/regions.ts';
import { ensureBuild } from '../server/build.ts';
import { startTestServer, type Engine, type TestServer } from '../tests/helpers/server.ts';

const BATCH = 500;
const BATCHES = Number(process.env.BENCH_BATCHES ?? 40);
const CONCURRENCY = 4;
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 300);

const generator = createDemoGenerator({ region: loadRegionPack('suzhou'), seed: 7 });

function batchFor(channel: 'hotline'): unknown[] {
  return Array.from({ length: BATCH }, () => ({ ...generator.next(new Date()), channel, externalId: undefined }));
}

async function post(server: TestServer, body: unknown): Promise<{ status: number; id?: string }> {
  const r = await fetch(`${server.url}/api/petitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.keys.hotline}` },
    body: JSON.stringify(body),
  });
  const answer = (await r.json()) as { id?: string };
  return { status: r.status, id: answer.id };
}

async function throughput(server: TestServer): Promise<number> {
  const bodies = Array.from({ length: BATCHES }, () => batchFor('hotline'));
  await post(server, bodies[0]); // warm-up: JIT, statement plans
  let nextIndex = 1;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (nextIndex < bodies.length) {
        const body = bodies[nextIndex++];
        const { status } = await post(server, body);
        if (status !== 201) throw new Error(`intake answered ${status}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return ((BATCHES - 1) * BATCH) / seconds;
}

async function latency(server: TestServer): Promise<{ p50: number; p99: number }> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, {
    transports: ['websocket'],
    forceNew: true,
  });
  await new Promise<void>((resolve) => socket.once('stats:snapshot', () => resolve()));
  // The event may arrive before the HTTP answer that names the id: remember arrivals by id.
  const arrivals = new Map<string, number>();
  let wake: (() => void) | null = null;
  socket.on('petition:new', (p) => {
    arrivals.set(p.id, performance.now());
    wake?.();
  });
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const started = performance.now();
    const { status, id } = await post(server, { channel: 'hotline', text: generator.next(new Date()).text });
    if (status !== 201 || !id) throw new Error(`intake answered ${status}`);
    while (!arrivals.has(id)) await new Promise<void>((resolve) => (wake = resolve));
    samples.push(arrivals.get(id)! - started);
    arrivals.clear();
  }
  socket.close();
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

ensureBuild();
const rows: string[] = [];
for (const engine of ['pglite', 'postgres'] as Engine[]) {
  // The benchmark measures the pipeline, not the per-key rate limit.
  const server = await startTestServer(engine, { INTAKE_RATE_PER_SECOND: '1000000' });
  try {
    const perSecond = await throughput(server);
    const { p50, p99 } = await latency(server);
    rows.push(
      `${engine.padEnd(9)} ${perSecond.toFixed(0).padStart(10)} ${p50.toFixed(1).padStart(9)} ${p99.toFixed(1).padStart(9)}`,
    );
  } finally {
    await server.stop();
  }
}
console.log(
  `intake: ${BATCHES - 1} batches of ${BATCH} over HTTP, ${CONCURRENCY} in flight; latency: ${LATENCY_SAMPLES} single posts`,
);
console.log('engine    petitions/s  p50 (ms)  p99 (ms)');
for (const r of rows) console.log(r);
