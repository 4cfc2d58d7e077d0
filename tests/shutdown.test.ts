import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateContactKeySpec } from '../ingest/contact-seal.ts';

/** `npm start`'s process as an operator runs it: start, serve, SIGTERM, clean exit, data kept. */
describe('server process', () => {
  it('serves on PORT, exits 0 within 10 s of SIGTERM, and keeps what it accepted', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wenkong-proc-'));
    const env = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_FEED: 'on',
      DEMO_RATE: '600',
      CONTACT_KEYS: generateContactKeySpec(),
    };
    const run = async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let log = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          log += chunk.toString();
          const m = /listening on (http:\/\/\S+)/.exec(log);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${log}`)));
      });
      return { child, url, log: () => log };
    };

    try {
      const first = await run();
      const health = (await (await fetch(`${first.url}/healthz`)).json()) as { status: string };
      expect(health.status).toBe('ok');
      // Let the demo feed post through the intake for a few seconds.
      await new Promise((r) => setTimeout(r, 3500));
      const started = Date.now();
      const exited = new Promise<number | null>((resolve) => first.child.once('exit', resolve));
      first.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(first.log()).toContain('demo feed on');

      // Restarted on the same data directory, the wall's first paint still counts what was accepted.
      const second = await run();
      const html = await (await fetch(`${second.url}/wall`)).text();
      const today = Number(/data-testid="today-count"[^>]*>([\d,]+)</.exec(html)?.[1]?.replace(/,/g, '') ?? 'NaN');
      expect(today).toBeGreaterThan(0);
      const exit2 = new Promise((resolve) => second.child.once('exit', resolve));
      second.child.kill('SIGINT');
      expect(await exit2).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
