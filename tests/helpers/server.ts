import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '../../ingest/api-keys.ts';
import { generateContactKeySpec } from '../../ingest/contact-seal.ts';
import { loadConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import { freshPGlite, freshPostgres, type TestDb } from './databases.ts';

export type Engine = 'postgres' | 'pglite';

export interface TestServer extends RunningServer {
  keys: { hotline: string; letter: string };
  stop(): Promise<void>;
}

/**
 * The real production server (built handler + Socket.IO) on port 0, over a fresh database, with the
 * demo feed off so tests see only what they post.
 */
export async function startTestServer(engine: Engine, env: Record<string, string> = {}): Promise<TestServer> {
  const t: TestDb = engine === 'postgres' ? await freshPostgres() : await freshPGlite();
  const dataDir = mkdtempSync(join(tmpdir(), 'wenkong-data-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DEMO_FEED: 'off',
    DEMO_ACCOUNTS: 'off',
    CONTACT_KEYS: generateContactKeySpec(),
    QUIET: 'on',
    // Test servers analyse on the main thread (fast to start, light); tests/analyser-threads.test.ts
    // and the benchmarks run the threads.
    ANALYSIS_THREADS: '0',
    ...env,
  });
  const server = await startServer(config, { db: t.db });
  const keys = {
    hotline: await createApiKey(t.db, 'hotline', 'test'),
    letter: await createApiKey(t.db, 'letter', 'test'),
  };
  return {
    ...server,
    keys,
    async stop() {
      await server.close();
      // close() closed the database; drop() removes what is left of it.
      await t.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON to the intake with a key. */
export async function postPetitions(
  server: { url: string },
  key: string | null,
  body: unknown,
  init: RequestInit = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${server.url}/api/petitions`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { results?: Record<string, unknown>[] },
  };
}
