import type { Db, Queryable, QueryResult } from './client.ts';

/**
 * The part of PGlite's API we use. Structural, so the test-only TimescaleDB build of PGlite
 * (a different package and version) fits as well as `@electric-sql/pglite`.
 */
export interface PGliteLike {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
  transaction<T>(fn: (tx: PGliteTxLike) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
interface PGliteTxLike {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

function wrap(target: PGliteTxLike): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const result = await target.query<R>(sql, params as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  };
}

/** Wraps an open PGlite instance. PGlite is one connection: its own mutex serialises callers. */
export function fromPGlite(instance: PGliteLike): Db {
  const base = wrap(instance);
  return {
    engine: 'pglite',
    ...base,
    withTransaction: (fn) => instance.transaction((tx) => fn(wrap(tx))),
    withConnection: (fn) => fn(base),
    async ping() {
      await instance.query('SELECT 1');
    },
    close: () => instance.close(),
  };
}

/** Opens (creating if needed) the embedded database persisted in `dataDir`. */
export async function openPGlite(dataDir: string): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  const instance = await PGlite.create({ dataDir });
  return fromPGlite(instance);
}
