import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { generateContactKeySpec } from '../ingest/contact-seal.ts';

/** `npm run dev`: vite dev with the same realtime gateway, attached by server/vite-plugin.ts. */
describe('the Vite dev server', () => {
  it('serves the live gateway on its own port', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wenkong-dev-'));
    const saved = { ...process.env };
    Object.assign(process.env, {
      DATA_DIR: dataDir,
      DEMO_FEED: 'off',
      DEMO_ACCOUNTS: 'off',
      QUIET: 'on',
      CONTACT_KEYS: generateContactKeySpec(),
    });
    // The plugin stays quiet under vitest unless told this is a real dev server.
    delete process.env.VITEST;
    const { createServer } = await import('vite');
    const server = await createServer({
      configFile: 'vite.config.ts',
      server: { port: 0, host: '127.0.0.1' },
      logLevel: 'silent',
    });
    try {
      await server.listen();
      const address = server.httpServer!.address() as { port: number };
      const snapshot = await new Promise<{ minutes: unknown[] }>((resolve, reject) => {
        const s = io(`http://127.0.0.1:${address.port}`, {
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        });
        s.once('stats:snapshot', (snap) => {
          s.close();
          resolve(snap);
        });
        s.once('connect_error', reject);
      });
      expect(snapshot.minutes).toHaveLength(60);
    } finally {
      await server.close();
      process.env = saved;
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
