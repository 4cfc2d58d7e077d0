/**
 * One database interface over two engines: a `pg` pool on PostgreSQL/TimescaleDB, or an embedded PGlite.
 * Query modules take a {@link Queryable} so the same SQL runs inside or outside a transaction, on either.
 */
export interface QueryResult<R> {
  rows: R[];
  /** Rows changed (or returned); null when the engine does not say. */
  rowCount: number | null;
}

export interface Queryable {
  /** One statement with `$n` parameters. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** One or more statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type Engine = 'postgres' | 'pglite';

export interface Db extends Queryable {
  readonly engine: Engine;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  withTransaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs `fn` on one dedicated connection (session-level advisory locks need one). */
  withConnection<T>(fn: (conn: Queryable) => Promise<T>): Promise<T>;
  /** Pings the database; rejects when it cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
