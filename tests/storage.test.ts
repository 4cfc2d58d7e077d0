import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client.ts';
import { migrate, readMigrations } from '../db/migrate.ts';
import { countPetitions, findContact, findPetition, petitionsSharingBands } from '../db/queries/petitions.ts';
import { minuteCells, minuteTotals } from '../db/queries/rollups.ts';
import { wallSnapshot } from '../db/queries/wall.ts';
import { createContactSealer, generateContactKeySpec, parseContactKeys } from '../ingest/contact-seal.ts';
import { createPetitionWriter } from '../ingest/writer.ts';
import type { InternalEvents } from '../server/bus.ts';
import { freshPGlite, freshPostgres, freshTimescalePGlite, type TestDb } from './helpers/databases.ts';
import { preparedPetition } from './helpers/rows.ts';

const engines: [string, () => Promise<TestDb>, 'plain' | 'timescale'][] = [
  ['PostgreSQL', freshPostgres, 'plain'],
  ['PGlite', freshPGlite, 'plain'],
  ['PGlite + TimescaleDB', freshTimescalePGlite, 'timescale'],
];

describe.each(engines)('storage on %s', (_name, open, expectedMode) => {
  let t: TestDb;
  let db: Db;
  const sealer = createContactSealer(parseContactKeys(generateContactKeySpec()));
  const committed: InternalEvents['petitions.committed'][] = [];

  beforeAll(async () => {
    t = await open();
    db = t.db;
  });
  afterAll(async () => {
    await t.drop();
  });

  it('migrates once, records each migration, and is a no-op the second time', async () => {
    const first = await migrate(db);
    expect(first.applied).toEqual(readMigrations().map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`));
    expect(first.storageMode).toBe(expectedMode);
    const second = await migrate(db);
    expect(second.applied).toEqual([]);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0]!.n).toBe(readMigrations().length);
  });

  it('refuses to run when a landed migration was edited', async () => {
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(db, edited)).rejects.toThrow(/was edited/);
  });

  it('writes batches, stores a repeated channel + externalId once, and rolls up per minute', async () => {
    const writer = createPetitionWriter({
      db,
      storageMode: expectedMode,
      sealer,
      publish: (_name, payload) => committed.push(payload),
    });
    const minuteA = new Date('2026-12-01T02:03:10Z');
    const minuteB = new Date('2026-12-01T02:04:50Z');
    const first = preparedPetition({ externalId: 'GD-1', receivedAt: minuteA, grade: 'key' });
    const sameKeyInBatch = preparedPetition({ externalId: 'GD-1', receivedAt: minuteA });
    const other = preparedPetition({
      externalId: 'GD-2',
      receivedAt: minuteB,
      grade: 'major',
      sentimentLabel: 'neutral',
    });
    const noKey = preparedPetition(
      { receivedAt: minuteB, regionCode: null, topic: 'housing' },
      {
        name: '张三',
        phone: '13812345678',
      },
    );

    const outcomes = await writer.write([first, sameKeyInBatch, other, noKey]);
    expect(outcomes.map((o) => o.duplicate)).toEqual([false, true, false, false]);
    expect(outcomes[1]!.id).toBe(first.row.id);

    // A later request with the same key gets the first id back and stores nothing.
    const again = await writer.write([preparedPetition({ externalId: 'GD-2', receivedAt: minuteB })]);
    expect(again).toEqual([{ id: other.row.id, duplicate: true }]);
    // The same externalId on another channel is another petition.
    const elsewhere = await writer.write([
      preparedPetition({ externalId: 'GD-2', channel: 'letter', receivedAt: minuteB }),
    ]);
    expect(elsewhere[0]!.duplicate).toBe(false);
    await writer.close();

    expect(await countPetitions(db)).toBe(4);
    expect(committed.flatMap((c) => c.petitions.map((p) => p.id))).toHaveLength(4);

    const totals = await minuteTotals(db, new Date('2026-12-01T02:00:00Z'), new Date('2026-12-01T03:00:00Z'));
    expect(totals.map((m) => [m.bucket.toISOString(), m.total, m.key, m.major])).toEqual([
      ['2026-12-01T02:03:00.000Z', 1, 1, 0],
      ['2026-12-01T02:04:00.000Z', 3, 0, 1],
    ]);
    const cells = await minuteCells(db, new Date('2026-12-01T02:04:00Z'), new Date('2026-12-01T02:05:00Z'));
    expect(cells.map((c) => [c.regionCode, c.topic, c.channel, c.total])).toEqual([
      ['', 'housing', 'hotline', 1],
      ['320508', 'labour', 'hotline', 1],
      ['320508', 'labour', 'letter', 1],
    ]);
  });

  it('keeps the contact apart from the text, sealed, and readable only with the key', async () => {
    const { rows } = await db.query<{ id: string }>("SELECT id FROM petitions WHERE topic = 'housing'");
    const id = rows[0]!.id;
    const stored = await findContact(db, id);
    expect(stored).not.toBeNull();
    expect(stored!.sealed.toString('latin1')).not.toContain('13812345678');
    expect(sealer.unseal(stored!.keyId, stored!.sealed)).toEqual({ name: '张三', phone: '13812345678' });
    const petition = await findPetition(db, id);
    expect(petition?.amountYuan).toBe(8000);
  });

  it('finds petitions that share a near-duplicate band', async () => {
    const writer = createPetitionWriter({ db, storageMode: expectedMode, sealer, publish: () => undefined });
    const a = preparedPetition({
      receivedAt: new Date('2026-11-30T15:00:00Z'),
      lshBands: ['b0:aa', 'b1:bb'],
      signature: 'sig',
    });
    const b = preparedPetition({ receivedAt: new Date('2026-11-30T15:01:00Z'), lshBands: ['b0:cc', 'b1:bb'] });
    const c = preparedPetition({ receivedAt: new Date('2026-11-30T15:02:00Z'), lshBands: ['b0:dd'] });
    await writer.write([a, b, c]);
    await writer.close();
    const found = await petitionsSharingBands(db, ['b1:bb', 'b9:zz'], new Date('2026-11-30T00:00:00Z'));
    expect(found.map((f) => f.id)).toEqual([b.row.id, a.row.id]);
    expect(found[1]!.signature).toBe('sig');
    // Clean up so the counts of the next test stay as they were.
    await db.query('DELETE FROM petitions WHERE id = ANY($1::uuid[])', [[a.row.id, b.row.id, c.row.id]]);
  });

  it('answers the wall snapshot in one query from the rollup view', async () => {
    const snap = await wallSnapshot(db, {
      from: new Date('2026-12-01T02:00:00Z'),
      dayStart: new Date('2026-11-30T16:00:00Z'),
      latest: 2,
    });
    expect(snap.today).toBe(4);
    expect(snap.minutes.reduce((s, m) => s + m.total, 0)).toBe(4);
    expect(snap.latest).toHaveLength(2);
    expect(Object.keys(snap.latest[0]!)).not.toContain('text');
  });

  if (expectedMode === 'timescale') {
    it('uses a hypertable and a real-time continuous aggregate with policies', async () => {
      const hyper = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM timescaledb_information.hypertables WHERE hypertable_name = 'petitions'",
      );
      expect(hyper.rows[0]!.n).toBe(1);
      const jobs = await db.query<{ proc_name: string }>(
        'SELECT proc_name FROM timescaledb_information.jobs WHERE job_id >= 1000 ORDER BY proc_name',
      );
      expect(jobs.rows.map((r) => r.proc_name)).toEqual([
        'policy_compression',
        'policy_refresh_continuous_aggregate',
        'policy_retention',
      ]);
      // The writer left the plain rollup untouched: the aggregate is the source.
      const plain = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM petition_minute_rollup');
      expect(plain.rows[0]!.n).toBe(0);
      // After the refresh policy runs, the materialised counts still agree.
      const job = await db.query<{ job_id: number }>(
        "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate'",
      );
      await db.exec(`CALL run_job(${job.rows[0]!.job_id})`);
      const totals = await minuteTotals(db, new Date('2026-12-01T02:00:00Z'), new Date('2026-12-01T03:00:00Z'));
      expect(totals.map((m) => m.total)).toEqual([1, 3]);
    }, 120_000);
  }
});

describe('migrations on PostgreSQL from two processes at once', () => {
  it('apply once: the advisory lock serialises them', async () => {
    const t = await freshPostgres();
    const { openPostgres } = await import('../db/postgres.ts');
    const other = openPostgres({ connectionString: t.url! });
    try {
      const [a, b] = await Promise.all([migrate(t.db), migrate(other)]);
      expect([...a.applied, ...b.applied].sort()).toEqual(
        readMigrations().map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`),
      );
    } finally {
      await other.close();
      await t.drop();
    }
  });
});
