/** `npm run audit:verify`: checks the audit trail's hash chain and names the first broken link. */
import { migrate } from '../db/migrate.ts';
import { openDb } from '../db/open.ts';
import { verifyAuditChain } from '../db/audit-chain.ts';
import { loadConfig } from '../server/config.ts';

try {
  const db = await openDb(loadConfig());
  try {
    await migrate(db);
    const result = await verifyAuditChain(db, (n) => process.stderr.write(`\raudit:verify: ${n} rows checked…`));
    process.stderr.write('\n');
    if (result.ok) {
      process.stdout.write(`audit trail intact: ${result.checked} rows\n`);
    } else {
      const b = result.firstBroken!;
      process.stdout.write(
        `audit trail BROKEN at row ${b.seq}: ${b.reason} (${result.checked} rows before it are intact)\n`,
      );
      process.exitCode = 3;
    }
  } finally {
    await db.close();
  }
} catch (error) {
  process.stderr.write(`audit:verify: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
