import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate.ts';
import { openPostgres } from '../db/postgres.ts';
import { countUsers } from '../db/queries/users.ts';
import { createUser } from '../server/auth/login.ts';
import { createSession, generateSessionToken, validateSessionToken } from '../server/auth/sessions.ts';
import { JOBS, type Job, runJobOnce, startJobs } from '../server/jobs.ts';
import { createLog } from '../server/log.ts';
import { freshPostgres, type TestDb } from './helpers/databases.ts';

const log = createLog(true);

describe('scheduled jobs', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshPostgres();
    await migrate(t.db);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('runs a job on one node at a time (advisory lock) and never overlaps itself', async () => {
    const otherNode = openPostgres({ connectionString: t.url! });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const job: Job = {
      name: 'test.slow',
      cron: '* * * * *',
      run: async () => {
        runs += 1;
        await gate;
        return 'done';
      },
    };
    try {
      const first = runJobOnce({ db: t.db, log }, job, new Date());
      await new Promise((r) => setTimeout(r, 50));
      expect(await runJobOnce({ db: t.db, log }, job, new Date())).toEqual({ ran: false, note: 'still running here' });
      // Another node sharing the database (its own pool): the lock is held, so it skips.
      expect(await runJobOnce({ db: otherNode, log }, job, new Date())).toEqual({
        ran: false,
        note: 'running on another node',
      });
      release();
      expect(await first).toEqual({ ran: true, note: 'done' });
      expect(await runJobOnce({ db: otherNode, log }, { ...job, run: async () => 'again' }, new Date())).toEqual({
        ran: true,
        note: 'again',
      });
      expect(runs).toBe(1);
    } finally {
      await otherNode.close();
    }
  });

  it('sessions.expire deletes sessions past their expiry and keeps live ones', async () => {
    const user = await createUser(
      t.db,
      { username: 'job-user', password: 'Job-Test-Passw0rd!', role: 'operator' },
      new Date(),
    );
    expect(await countUsers(t.db)).toBe(1);
    const old = generateSessionToken();
    const fresh = generateSessionToken();
    const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    await createSession(t.db, old, user.id, { address: '', userAgent: '' }, longAgo);
    await createSession(t.db, fresh, user.id, { address: '', userAgent: '' }, new Date());
    const expire = JOBS.find((j) => j.name === 'sessions.expire')!;
    const result = await runJobOnce({ db: t.db, log }, expire, new Date());
    expect(result).toEqual({ ran: true, note: '1 expired sessions deleted' });
    expect(await validateSessionToken(t.db, fresh, new Date())).not.toBeNull();
  });

  it('waits for a running job when stopped, so the database is not closed under it', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const job: Job = {
      name: 'test.stop',
      cron: '* * * * * *',
      run: async () => {
        started();
        await gate;
        return 'done';
      },
    };
    const jobs = startJobs({ db: t.db, log }, 'Asia/Shanghai', [job]);
    await running;
    let stopped = false;
    const stopping = jobs.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
  });
});
