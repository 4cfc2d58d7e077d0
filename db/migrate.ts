import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './client.ts';

/** Arbitrary constant: every Wenkong process takes this advisory lock to migrate one at a time. */
const MIGRATION_LOCK = 4_720_311_927;

const defaultDir = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Reads `NNNN_name.sql` files in version order; refuses gaps and duplicate numbers. */
export function readMigrations(dir = defaultDir): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return files.map((file, index) => {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new Error(`Migration file ${file} is not named NNNN_name.sql`);
    const version = Number(match[1]);
    if (version !== index + 1) throw new Error(`Migration ${file}: expected number ${index + 1}`);
    const sql = readFileSync(dir + file, 'utf8');
    return { version, name: match[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

export interface MigrateResult {
  applied: string[];
  storageMode: 'plain' | 'timescale';
}

/**
 * Applies pending migrations, each in its own transaction, under a session advisory lock so that
 * processes starting together migrate once. Refuses to run when a landed migration was edited.
 */
export async function migrate(db: Db, migrations = readMigrations()): Promise<MigrateResult> {
  const applied: string[] = [];
  await db.withConnection(async (conn) => {
    await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await conn.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await conn.query<{ version: number; checksum: string }>(
        'SELECT version, checksum FROM schema_migrations ORDER BY version',
      );
      const done = new Map(rows.map((r) => [r.version, r.checksum]));
      for (const m of migrations) {
        const checksum = done.get(m.version);
        if (checksum !== undefined) {
          if (checksum !== m.checksum) {
            throw new Error(`Migration ${m.version}_${m.name} was edited after it was applied`);
          }
          continue;
        }
        await conn.exec('BEGIN');
        try {
          await conn.exec(m.sql);
          await conn.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
            m.version,
            m.name,
            m.checksum,
          ]);
          await conn.exec('COMMIT');
        } catch (cause) {
          await conn.exec('ROLLBACK').catch(() => undefined);
          throw new Error(`Migration ${m.version}_${m.name} failed: ${(cause as Error).message}`, { cause });
        }
        applied.push(`${String(m.version).padStart(4, '0')}_${m.name}`);
      }
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
  return { applied, storageMode: await readStorageMode(db) };
}

/** Which storage features this database has, as the migrations decided. */
export async function readStorageMode(db: Db): Promise<'plain' | 'timescale'> {
  const { rows } = await db.query<{ value: string }>("SELECT value FROM app_settings WHERE key = 'storage_mode'");
  return rows[0]?.value === 'timescale' ? 'timescale' : 'plain';
}
