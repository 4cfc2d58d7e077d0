import { createTask, type ScheduledTask } from 'node-cron';
import type { Db } from '../db/client.ts';
import { deleteExpiredSessions } from '../db/queries/sessions.ts';
import type { Log } from './log.ts';

export interface JobDeps {
  db: Db;
  log: Log;
}

/** One scheduled job: what it is called, when it runs (cron, in the region's time zone), what it does. */
export interface Job {
  name: string;
  cron: string;
  run(deps: JobDeps, now: Date): Promise<string>;
}

/** Every scheduled job of the product, as data. Later issues (alerts, clocks) add theirs here. */
export const JOBS: readonly Job[] = [
  {
    name: 'sessions.expire',
    cron: '*/10 * * * *',
    run: async ({ db }, now) => `${await deleteExpiredSessions(db, now)} expired sessions deleted`,
  },
];

/** A stable 31-bit advisory-lock key per job name (FNV-1a). */
export function jobLockKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 1) + 1_000_000;
}

/** Jobs running in this process, per database handle (one handle per process in production). */
const runningByDb = new WeakMap<Db, Set<string>>();

/**
 * Runs a job unless it is already running here (overlap) or on another node (a session advisory lock
 * held for the run). Returns what happened, for logs and tests.
 */
export async function runJobOnce(deps: JobDeps, job: Job, now: Date): Promise<{ ran: boolean; note: string }> {
  let running = runningByDb.get(deps.db);
  if (!running) runningByDb.set(deps.db, (running = new Set()));
  if (running.has(job.name)) return { ran: false, note: 'still running here' };
  running.add(job.name);
  try {
    return await deps.db.withConnection(async (conn) => {
      const key = jobLockKey(job.name);
      const { rows } = await conn.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [key]);
      if (!rows[0]?.locked) return { ran: false, note: 'running on another node' };
      try {
        return { ran: true, note: await job.run(deps, now) };
      } finally {
        await conn.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    });
  } finally {
    running.delete(job.name);
  }
}

/** Schedules every job; failures are logged and never stop the schedule. */
export function startJobs(deps: JobDeps, timezone: string, jobs: readonly Job[] = JOBS): { stop(): Promise<void> } {
  // Runs in flight: stopping waits for them, so the database is not closed under a running job.
  const inFlight = new Set<Promise<unknown>>();
  const tasks: ScheduledTask[] = jobs.map((job) =>
    createTask(
      job.cron,
      () => {
        const run = runJobOnce(deps, job, new Date()).then(
          (r) => r.ran && deps.log.info(`job ${job.name}: ${r.note}`),
          (error: unknown) => deps.log.error(`job ${job.name} failed`, error),
        );
        inFlight.add(run);
        void run.finally(() => inFlight.delete(run));
        return run;
      },
      { name: job.name, timezone },
    ),
  );
  for (const t of tasks) void t.start();
  return {
    async stop() {
      for (const t of tasks) await t.destroy();
      await Promise.all(inFlight);
    },
  };
}
