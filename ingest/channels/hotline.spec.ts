import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLocalTime } from '../local-time.ts';
import { createRegionResolver } from '../region-resolver.ts';
import { loadRegionPack } from '../regions.ts';
import {
  loadHotlineFieldMap,
  parseWebhookSecrets,
  REPLAY_WINDOW_SECONDS,
  signWebhook,
  verifyWebhook,
  workOrderToRecord,
} from './hotline.ts';

const orders = JSON.parse(
  readFileSync(new URL('../../tests/fixtures/channels/hotline/work-orders.json', import.meta.url), 'utf8'),
) as unknown[];
const now = new Date('2026-11-30T04:00:00Z');
const options = {
  channel: 'hotline' as const,
  fieldMap: loadHotlineFieldMap(),
  now,
  resolver: createRegionResolver(loadRegionPack('suzhou')),
};

describe('hotline work orders', () => {
  it('maps the Chinese hotline fields through the field map', () => {
    const r = workOrderToRecord(orders[0], { ...options, position: 'order 1' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.input).toMatchObject({
      channel: 'hotline',
      externalId: 'SZ12345-20261130-000871',
      receivedAt: '2026-11-30T01:41:07.000Z',
      regionCode: '320506',
      matterKind: 'grievance',
      contact: { name: '王建国', phone: '13912345678', address: '苏州市吴中区木渎镇金山路18号' },
    });
    expect(r.input.text.startsWith('拖欠工资\n本人在吴中区')).toBe(true);
    // The whole work order is the original, deadline and all.
    expect(JSON.parse(r.original.content)).toMatchObject({ 办理时限: '2026-12-05 09:41:07' });
  });

  it('reads an accusation with its accused unit and a region given as a code', () => {
    const r = workOrderToRecord(orders[1], { ...options, position: 'order 2' });
    expect(r.ok && r.input).toMatchObject({
      matterKind: 'accusation',
      accusedUnit: '姑苏区某街道办事处',
      regionCode: '320508',
      receivedAt: '2026-11-30T02:02:00.000Z',
    });
  });

  it('rejects an unreadable time and a missing text, naming the field and the order', () => {
    const badTime = workOrderToRecord(orders[2], { ...options, position: 'order 3' });
    expect(badTime).toMatchObject({ ok: false, stage: 'validate', fields: [{ field: '来电时间' }] });
    expect(!badTime.ok && badTime.reason).toContain('order 3');
    const noText = workOrderToRecord(orders[3], { ...options, position: 'order 4' });
    expect(noText).toMatchObject({ ok: false, stage: 'validate', fields: [{ field: '诉求内容' }] });
    expect(workOrderToRecord('text', { ...options, position: 'order 5' })).toMatchObject({ ok: false, stage: 'parse' });
  });
});

describe('webhook signatures', () => {
  const secret = 'hotline-shared-secret-0001';
  const body = new TextEncoder().encode(JSON.stringify(orders[0]));
  const ts = Math.floor(now.getTime() / 1000);

  it('accepts the HMAC of timestamp and body, with any current secret during a rotation', () => {
    const signature = signWebhook(secret, ts, body);
    expect(verifyWebhook({ timestamp: String(ts), signature }, body, [secret], now)).toEqual({ ok: true });
    expect(verifyWebhook({ timestamp: String(ts), signature }, body, ['new-secret-0000000000', secret], now)).toEqual({
      ok: true,
    });
  });

  it('refuses a bad signature, a changed body, a stale or future timestamp, and missing headers', () => {
    const signature = signWebhook(secret, ts, body);
    expect(verifyWebhook({ timestamp: String(ts), signature: 'sha256=00' }, body, [secret], now)).toMatchObject({
      ok: false,
      code: 'bad_signature',
    });
    const changed = new TextEncoder().encode('{"工单编号":"forged"}');
    expect(verifyWebhook({ timestamp: String(ts), signature }, changed, [secret], now)).toMatchObject({
      code: 'bad_signature',
    });
    const old = ts - REPLAY_WINDOW_SECONDS - 1;
    const stale = verifyWebhook(
      { timestamp: String(old), signature: signWebhook(secret, old, body) },
      body,
      [secret],
      now,
    );
    expect(stale).toMatchObject({ ok: false, code: 'stale_timestamp' });
    const ahead = ts + REPLAY_WINDOW_SECONDS + 60;
    expect(
      verifyWebhook({ timestamp: String(ahead), signature: signWebhook(secret, ahead, body) }, body, [secret], now),
    ).toMatchObject({ code: 'stale_timestamp' });
    expect(verifyWebhook({ timestamp: null, signature: null }, body, [secret], now)).toMatchObject({
      code: 'signature_missing',
    });
    expect(verifyWebhook({ timestamp: '12a', signature }, body, [secret], now)).toMatchObject({
      code: 'bad_timestamp',
    });
  });

  it('parses WEBHOOK_SECRETS and refuses short secrets or unknown channels', () => {
    const secrets = parseWebhookSecrets(
      'hotline:aaaaaaaaaaaaaaaa,hotline:bbbbbbbbbbbbbbbb,enterprise_hotline:cccccccccccccccc',
    );
    expect(secrets.get('hotline')).toHaveLength(2);
    expect(() => parseWebhookSecrets('hotline:short')).toThrow(/at least 16/);
    expect(() => parseWebhookSecrets('email:aaaaaaaaaaaaaaaa')).toThrow(/hotline:<secret>/);
  });
});

describe('local times', () => {
  it('reads the forms office systems write, at +08:00', () => {
    expect(parseLocalTime('2026-11-30 09:30')).toBe('2026-11-30T09:30:00+08:00');
    expect(parseLocalTime('2026/11/30 9:30:05')).toBe('2026-11-30T09:30:05+08:00');
    expect(parseLocalTime('2026年11月30日 9时30分')).toBe('2026-11-30T09:30:00+08:00');
    expect(parseLocalTime('2026年11月30日')).toBe('2026-11-30T00:00:00+08:00');
    expect(parseLocalTime('20261130093000')).toBe('2026-11-30T09:30:00+08:00');
    expect(parseLocalTime('2026-11-30T01:30:00Z')).toBe('2026-11-30T01:30:00Z');
  });

  it('refuses impossible dates instead of rolling them over', () => {
    expect(parseLocalTime('2026-02-30')).toBeNull();
    expect(parseLocalTime('2026-11-30 25:00')).toBeNull();
    expect(parseLocalTime('昨天上午')).toBeNull();
  });
});
