import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './client.ts';
import { openPGlite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export interface OpenDbOptions {
  /** PostgreSQL connection string; when absent the embedded database under `dataDir` is used. */
  databaseUrl?: string | undefined;
  dataDir: string;
  onError?: (error: Error) => void;
}

/** Opens the configured database: PostgreSQL when a URL is given, embedded PGlite otherwise. */
export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (options.databaseUrl) {
    const db = openPostgres({ connectionString: options.databaseUrl, onError: options.onError });
    try {
      await db.ping();
    } catch (cause) {
      await db.close();
      throw new Error(`Cannot reach PostgreSQL at DATABASE_URL: ${(cause as Error).message}`, { cause });
    }
    return db;
  }
  const dir = join(options.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  try {
    return await openPGlite(dir);
  } catch (cause) {
    throw new Error(`Cannot open the embedded database in ${dir} (is another Wenkong process using it?)`, { cause });
  }
}
