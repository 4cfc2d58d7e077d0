/** `npm run db:migrate`: applies pending migrations to the configured database and says what it did. */
import { migrate } from '../db/migrate.ts';
import { openDb } from '../db/open.ts';
import { loadConfig } from '../server/config.ts';

try {
  const config = loadConfig();
  const db = await openDb(config);
  try {
    const { applied, storageMode } = await migrate(db);
    process.stdout.write(
      `${applied.length ? `applied ${applied.join(', ')}` : 'up to date'} (${db.engine}, ${storageMode})\n`,
    );
  } finally {
    await db.close();
  }
} catch (error) {
  process.stderr.write(`db:migrate: ${(error as Error).message}\n`);
  process.exit(1);
}
