/**
 * `npm run --silent key:create -- <channel> [label]`: prints a new API key for a channel and nothing
 * else, so it can be captured: KEY=$(npm run --silent key:create -- hotline).
 */
import { recordAudit } from '../db/audit-chain.ts';
import { migrate } from '../db/migrate.ts';
import { openDb } from '../db/open.ts';
import { createApiKey } from '../ingest/api-keys.ts';
import { CHANNEL_CODES } from '../ingest/channels/catalog.ts';
import { loadConfig } from '../server/config.ts';

const [channel, label = 'cli'] = process.argv.slice(2);
if (!channel) {
  process.stderr.write(
    `usage: npm run --silent key:create -- <channel> [label]\nchannels: ${CHANNEL_CODES.join(', ')}\n`,
  );
  process.exit(2);
}
try {
  const config = loadConfig();
  const db = await openDb(config);
  try {
    await migrate(db);
    const key = await createApiKey(db, channel, label);
    await recordAudit(db, [
      {
        at: new Date(),
        actor: 'cli',
        actorRole: 'operator-cli',
        action: 'apikey.create',
        subjectType: 'api_key',
        subjectId: channel,
        address: 'cli',
        after: { channel, label },
      },
    ]);
    process.stdout.write(`${key}\n`);
  } finally {
    await db.close();
  }
} catch (error) {
  process.stderr.write(`key:create: ${(error as Error).message}\n`);
  process.exit(1);
}
