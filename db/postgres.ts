import pg from 'pg';
import type { Db, Queryable, QueryResult } from './client.ts';

export interface PostgresOptions {
  connectionString: string;
  max?: number;
  /** Called for errors on idle connections; without a listener they would kill the process. */
  onError?: (error: Error) => void;
}

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const result = await client.query(sql, params as unknown[] | undefined);
      return { rows: result.rows as R[], rowCount: result.rowCount };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

/** A pooled PostgreSQL (≥ 15) database. */
export function openPostgres(options: PostgresOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: 'wenkong',
  });
  pool.on('error', (error) => options.onError?.(error));
  const base = wrap(pool);

  async function withConnection<T>(fn: (conn: Queryable) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      return await fn(wrap(client));
    } finally {
      client.release();
    }
  }

  return {
    engine: 'postgres',
    ...base,
    withConnection,
    withTransaction: (fn) =>
      withConnection(async (conn) => {
        await conn.exec('BEGIN');
        try {
          const value = await fn(conn);
          await conn.exec('COMMIT');
          return value;
        } catch (error) {
          await conn.exec('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    async ping() {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}
