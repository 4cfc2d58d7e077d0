import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeadLetters } from '../db/queries/dead-letters.ts';
import { countPetitions } from '../db/queries/petitions.ts';
import { openDb } from '../db/open.ts';
import { postAction, signInAs } from './helpers/sign-in.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const run = promisify(execFile);
const fixture = (name: string) => new URL(`./fixtures/channels/register/${name}`, import.meta.url).pathname;

describe('npm run import -- <file>', () => {
  it('imports a GB18030 register with progress, keeps the bad row and writes it out with its reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wenkong-import-'));
    try {
      const file = join(dir, '登记表.csv');
      copyFileSync(fixture('gb18030.csv'), file);
      const env = { ...process.env, DATA_DIR: join(dir, 'data') };
      const { stdout, stderr } = await run('npm', ['run', '--silent', 'import', '--', file], { env });
      expect(stdout).toMatch(/stored 5, duplicates 0, rejected 1/);
      expect(stderr).toMatch(/csv \(gb18030\): 6 rows/);
      expect(stderr).toMatch(/导入 importing \[#+\] 6\/6/);
      const rejected = parseCsv(readFileSync(`${file}.rejected.csv`, 'utf8').replace(/^\uFEFF/, ''), {
        columns: true,
      }) as Record<string, string>[];
      expect(rejected).toHaveLength(1);
      expect(Object.values(rejected[0]!).join(' ')).toMatch(/身份证/);
      // Run again: register numbers make every row a duplicate, nothing is stored twice.
      const again = await run('npm', ['run', '--silent', 'import', '--', file], { env });
      expect(again.stdout).toMatch(/stored 0, duplicates 5/);
      const db = await openDb({ dataDir: join(dir, 'data') });
      try {
        expect(await countPetitions(db)).toBe(5);
        expect((await listDeadLetters(db, { limit: 10, channel: 'register' })).total).toBe(2);
      } finally {
        await db.close();
      }
      const broken = await run('npm', ['run', '--silent', 'import', '--', fixture('truncated.xlsx')], { env }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect(broken).toMatchObject({ code: 1, stderr: expect.stringContaining('XLSX') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the register upload page', () => {
  let server: TestServer;
  let operator: string;
  beforeAll(async () => {
    server = await startTestServer('pglite');
    operator = await signInAs(server, 'operator');
  });
  afterAll(async () => {
    await server.stop();
  });

  function upload(name: string, cookie = operator) {
    const form = new FormData();
    form.set('file', new File([readFileSync(fixture(name))], name));
    return fetch(`${server.url}/console/import?/upload`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: server.url, accept: 'text/html' },
      body: form,
    });
  }

  it('previews an XLS register, commits it with progress, and offers the rejected rows', async () => {
    const uploaded = await upload('register.xls');
    expect(uploaded.status).toBe(303);
    const location = uploaded.headers.get('location')!;
    expect(location).toMatch(/^\/console\/import\/[0-9a-f-]{36}$/);
    const preview = await (await fetch(`${server.url}${location}`, { headers: { cookie: operator } })).text();
    expect(preview).toContain('XLS');
    expect(preview).toContain('诉求内容');
    expect(await countPetitions(server.app.db)).toBe(0);

    const committed = await postAction(server, `${location}?/commit`, operator, new URLSearchParams());
    expect(committed.type).toBe('success');
    // The page polls this endpoint; here the test does, until the import reports done.
    let progress = { status: 'running', done: 0, total: 1, stored: 0, rejected: 0 };
    for (let i = 0; i < 200 && progress.status === 'running'; i++) {
      const r = await fetch(`${server.url}${location}/progress`, { headers: { cookie: operator } });
      progress = (await r.json()) as typeof progress;
      if (progress.status === 'running') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(progress).toMatchObject({ status: 'done' });
    expect(progress.done).toBe(progress.total);
    expect(await countPetitions(server.app.db)).toBe(progress.stored);
    const csv = await fetch(`${server.url}${location}/rejected.csv`, { headers: { cookie: operator } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).split('\n').length - 1).toBeGreaterThanOrEqual(progress.rejected);
  });

  it('explains a damaged file and refuses other users’ imports and other roles', async () => {
    const broken = await postAction(
      server,
      '/console/import?/upload',
      operator,
      (() => {
        const form = new FormData();
        form.set('file', new File([readFileSync(fixture('truncated.xlsx'))], 'truncated.xlsx'));
        return form;
      })(),
    );
    expect(broken.actionStatus).toBe(422);
    expect(broken.data).toContain('XLSX');
    const leader = await signInAs(server, 'duty_leader');
    const refused = await upload('gb18030.csv', leader);
    expect(refused.status).toBe(403);
    const mine = (await upload('gb18030.csv')).headers.get('location')!;
    const other = await signInAs(server, 'operator', 't-operator-2');
    expect((await fetch(`${server.url}${mine}`, { headers: { cookie: other } })).status).toBe(404);
  });
});
