/**
 * `npm run user:disable -- <username> [--enable]`: disables an account (its sessions stop working at
 * once) or enables it again; the change is written to the audit trail.
 */
import { recordAudit } from '../db/audit-chain.ts';
import { migrate } from '../db/migrate.ts';
import { openDb } from '../db/open.ts';
import { findUserByUsername } from '../db/queries/users.ts';
import { normaliseUsername, setAccountDisabled } from '../server/auth/login.ts';
import { loadConfig } from '../server/config.ts';

const args = process.argv.slice(2);
const enable = args.includes('--enable');
const username = args.find((a) => !a.startsWith('--'));
if (!username) {
  process.stderr.write('usage: npm run user:disable -- <username> [--enable]\n');
  process.exit(2);
}
try {
  const db = await openDb(loadConfig());
  try {
    await migrate(db);
    const found = await findUserByUsername(db, normaliseUsername(username));
    if (!found) {
      process.stderr.write(`user:disable: no account named ${username}\n`);
      process.exitCode = 2;
    } else {
      const now = new Date();
      await setAccountDisabled(db, found.user.id, !enable, now);
      await recordAudit(db, [
        {
          at: now,
          actor: 'cli',
          actorRole: 'operator-cli',
          action: enable ? 'user.enable' : 'user.disable',
          subjectType: 'user',
          subjectId: found.user.id,
          address: 'cli',
        },
      ]);
      process.stdout.write(`${enable ? 'enabled' : 'disabled'} ${found.user.username}\n`);
    }
  } finally {
    await db.close();
  }
} catch (error) {
  process.stderr.write(`user:disable: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
