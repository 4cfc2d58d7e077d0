import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDb } from '../db/open.ts';
import { createApiKeyAuthenticator } from '../ingest/api-keys.ts';

const run = promisify(execFile);

describe('npm run --silent key:create -- <channel>', () => {
  it('prints a new key and nothing else, and the key authenticates as that channel', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wenkong-cli-'));
    try {
      const env = { ...process.env, DATA_DIR: dataDir };
      const { stdout, stderr } = await run('npm', ['run', '--silent', 'key:create', '--', 'letter'], { env });
      expect(stdout).toMatch(/^wk_[A-Za-z0-9_-]{43}\n$/);
      expect(stderr).toBe('');
      const failed = await run('npm', ['run', '--silent', 'key:create', '--', 'fax'], { env }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining('Unknown channel "fax"') });

      const db = await openDb({ dataDir });
      try {
        const identity = await createApiKeyAuthenticator(db).authenticate(`Bearer ${stdout.trim()}`);
        expect(identity?.channel).toBe('letter');
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm run --silent kiosk:create -- <screen>', () => {
  it('prints a kiosk link and nothing else', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wenkong-cli-'));
    try {
      const { stdout } = await run(
        'npm',
        ['run', '--silent', 'kiosk:create', '--', '指挥大厅', 'http://wall.example:3000'],
        {
          env: { ...process.env, DATA_DIR: dataDir },
        },
      );
      expect(stdout).toMatch(/^http:\/\/wall\.example:3000\/wall\?kiosk=wk_kiosk_[A-Za-z0-9_-]{43}\n$/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm run user:create / user:disable', () => {
  it('creates an account from standard input, disables and enables it, never printing the password', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wenkong-cli-'));
    const env = { ...process.env, DATA_DIR: dataDir, WENKONG_PASSWORD: 'Cli-Created-Passw0rd!' };
    try {
      const created = await run('npm', ['run', '--silent', 'user:create', '--', 'cli-op', 'operator'], { env });
      expect(created.stdout).toContain('created cli-op (operator)');
      expect(created.stdout + created.stderr).not.toContain('Cli-Created-Passw0rd!');
      expect((await run('npm', ['run', '--silent', 'user:disable', '--', 'cli-op'], { env })).stdout).toBe(
        'disabled cli-op\n',
      );
      const db = await openDb({ dataDir });
      try {
        const { findUserByUsername } = await import('../db/queries/users.ts');
        expect((await findUserByUsername(db, 'cli-op'))?.user.disabledAt).not.toBeNull();
      } finally {
        await db.close();
      }
      expect((await run('npm', ['run', '--silent', 'user:disable', '--', 'cli-op', '--enable'], { env })).stdout).toBe(
        'enabled cli-op\n',
      );
      const missing = await run('npm', ['run', '--silent', 'user:disable', '--', 'nobody'], { env }).catch(
        (e: { code: number }) => e,
      );
      expect(missing).toMatchObject({ code: 2 });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
