/**
 * `npm run --silent kiosk:create -- <screen name> [base URL]`: prints a kiosk link for a wall screen
 * and nothing else. The link binds to the first screen that opens it.
 */
import { recordAudit } from '../db/audit-chain.ts';
import { migrate } from '../db/migrate.ts';
import { openDb } from '../db/open.ts';
import { createKioskToken } from '../server/auth/kiosk.ts';
import { loadConfig } from '../server/config.ts';

const [label, base = `http://localhost:${process.env.PORT || 3000}`] = process.argv.slice(2);
if (!label) {
  process.stderr.write('usage: npm run --silent kiosk:create -- <screen name> [base URL]\n');
  process.exit(2);
}
try {
  const db = await openDb(loadConfig());
  try {
    await migrate(db);
    const token = await createKioskToken(db, label, 'cli');
    await recordAudit(db, [
      {
        at: new Date(),
        actor: 'cli',
        actorRole: 'operator-cli',
        action: 'kiosk.create',
        subjectType: 'kiosk',
        subjectId: label,
        address: 'cli',
        after: { label },
      },
    ]);
    process.stdout.write(`${base.replace(/\/$/, '')}/wall?kiosk=${token}\n`);
  } finally {
    await db.close();
  }
} catch (error) {
  process.stderr.write(`kiosk:create: ${(error as Error).message}\n`);
  process.exit(1);
}
