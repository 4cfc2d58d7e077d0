import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate.ts';
import { listKioskTokens } from '../db/queries/kiosk.ts';
import { checkKiosk, createKioskToken, revokeKioskToken } from '../server/auth/kiosk.ts';
import { freshPGlite, type TestDb } from './helpers/databases.ts';

describe('kiosk tokens for wall displays', () => {
  let t: TestDb;
  const now = new Date('2026-12-01T08:00:00Z');
  beforeAll(async () => {
    t = await freshPGlite();
    await migrate(t.db);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('binds to the first screen, refuses others, and stops working when revoked', async () => {
    const token = await createKioskToken(t.db, '指挥大厅主屏', 'admin');
    const first = await checkKiosk(t.db, token, undefined, now);
    expect(first).toMatchObject({ ok: true, identity: { label: '指挥大厅主屏' } });
    const device = (first as { newDeviceSecret: string }).newDeviceSecret;
    expect(device).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(await checkKiosk(t.db, token, device, now)).toMatchObject({ ok: true });
    expect((await checkKiosk(t.db, token, device, now)) as object).not.toHaveProperty('newDeviceSecret');
    expect(await checkKiosk(t.db, token, undefined, now)).toEqual({ ok: false, reason: 'bound_elsewhere' });
    expect(await checkKiosk(t.db, token, 'x'.repeat(43), now)).toEqual({ ok: false, reason: 'bound_elsewhere' });

    const [row] = await listKioskTokens(t.db);
    expect(await revokeKioskToken(t.db, row!.id, now)).toBe(true);
    expect(await checkKiosk(t.db, token, device, now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses malformed and oversized tokens', async () => {
    for (const bad of [undefined, '', 'wk_kiosk_short', 'x'.repeat(10_000), "wk_kiosk_' OR 1=1 --"]) {
      expect(await checkKiosk(t.db, bad, undefined, now)).toEqual({ ok: false, reason: 'invalid' });
    }
  });
});
