import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPetition } from '../db/queries/petitions.ts';
import { analyse } from '../ingest/analyse/analyse.ts';
import { createAnalyserPool, type AnalyserPool } from '../ingest/analyse/pool.ts';
import { createDemoGenerator } from '../ingest/demo/generator.ts';
import { loadRegionPack } from '../ingest/regions.ts';
import { postPetitions, startTestServer, type TestServer } from './helpers/server.ts';

const generator = createDemoGenerator({ region: loadRegionPack('suzhou'), seed: 5 });
const texts = Array.from({ length: 250 }, () => generator.next(new Date()).text);

describe('analysis on threads', () => {
  let pool: AnalyserPool;
  beforeAll(async () => {
    pool = await createAnalyserPool({ size: 2, regionPack: 'suzhou' });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('gives exactly what the main thread gives, in order', async () => {
    const threaded = await pool.analyseMany(texts);
    expect(threaded).toHaveLength(texts.length);
    expect(threaded).toEqual(texts.map((t) => analyse(t)));
  });
});

describe('a server with analyser threads', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { ANALYSIS_THREADS: '2' });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('stores a batch analysed on its threads as the main thread would have', async () => {
    const batch = texts.slice(0, 50).map((text, i) => ({ channel: 'hotline', text, externalId: `T-${i}` }));
    const r = await postPetitions(server, server.keys.hotline, batch);
    expect(r.status).toBe(201);
    const first = await findPetition(server.app.db, r.body.results![0]!.id as string);
    const expected = analyse(texts[0]!);
    expect(first).toMatchObject({ topic: expected.topic, grade: expected.grade, reasons: expected.reasons });
  });
});
