import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { openDb } from '../db/open.ts';
import { searchAudit } from '../db/queries/audit.ts';
import { appendAudit, recordAudit, verifyAuditChain, type AuditEntry } from '../db/audit-chain.ts';
import { ENGINES, useMigratedDb } from './helpers/databases.ts';

const run = promisify(execFile);
let n = 0;
const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  at: new Date(Date.UTC(2026, 11, 1, 2, 0, n++)),
  actor: 'u-1',
  actorRole: 'operator',
  action: 'contact.read',
  subjectType: 'petition',
  subjectId: `p-${n}`,
  address: '127.0.0.1',
  before: null,
  after: { fields: ['name', 'phone'], nested: { b: 2, a: [1, '二'] } },
  ...over,
});

describe.each(ENGINES)('audit trail on %s', (_name, open) => {
  const store = useMigratedDb(open);
  let db: Db;
  beforeAll(() => {
    db = store.db;
  });

  it('chains appends, also concurrent ones, and verifies intact', async () => {
    await db.withTransaction((tx) => appendAudit(tx, [entry(), entry(), entry()]));
    await Promise.all(Array.from({ length: 8 }, () => recordAudit(db, [entry({ actor: 'u-2' })])));
    const result = await verifyAuditChain(db);
    expect(result).toEqual({ ok: true, checked: 11 });
    const found = await searchAudit(db, { actor: 'u-2' });
    expect(found).toHaveLength(8);
    expect(found[0]!.seq).toBeGreaterThan(found[7]!.seq);
  });

  it('treats filter values as data, not SQL', async () => {
    const hostile = ["' OR 1=1 --", "'; DROP TABLE audit_log; --", '%', '\\'];
    for (const actor of hostile) expect(await searchAudit(db, { actor, action: actor })).toEqual([]);
    expect((await verifyAuditChain(db)).checked).toBe(11);
  });

  it('refuses updates and deletes outright', async () => {
    await expect(db.exec("UPDATE audit_log SET actor = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(db.exec('DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow(/append-only/);
  });

  it('names the first broken link when a row is edited or deleted behind its back', async () => {
    await db.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await db.exec(`UPDATE audit_log SET after = '{"fields": ["name"]}' WHERE seq = 5`);
    expect(await verifyAuditChain(db)).toEqual({
      ok: false,
      checked: 4,
      firstBroken: { seq: 5, reason: 'its content does not match its hash' },
    });
    await db.exec('DELETE FROM audit_log WHERE seq IN (3, 5)');
    expect((await verifyAuditChain(db)).firstBroken).toEqual({ seq: 3, reason: 'row 3 is missing' });
    await db.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  });
});

describe('npm run audit:verify', () => {
  it('reports an intact trail, then the first broken row with exit status 3', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wenkong-audit-'));
    const env = { ...process.env, DATA_DIR: dataDir };
    try {
      let db = await openDb({ dataDir });
      await migrate(db);
      await recordAudit(db, [entry(), entry(), entry()]);
      await db.close();
      const ok = await run('npm', ['run', '--silent', 'audit:verify'], { env });
      expect(ok.stdout).toBe('audit trail intact: 3 rows\n');

      db = await openDb({ dataDir });
      await db.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await db.exec("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2");
      await db.close();
      const broken = await run('npm', ['run', '--silent', 'audit:verify'], { env }).catch(
        (e: { code: number; stdout: string }) => e,
      );
      expect(broken).toMatchObject({ code: 3, stdout: expect.stringContaining('BROKEN at row 2') });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
