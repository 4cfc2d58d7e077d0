import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeadLetters } from '../db/queries/dead-letters.ts';
import { findContact, findPetition } from '../db/queries/petitions.ts';
import { findOriginal } from '../db/queries/originals.ts';
import { createApiKey } from '../ingest/api-keys.ts';
import { signWebhook } from '../ingest/channels/hotline.ts';
import { startTestServer, type Engine, type TestServer } from './helpers/server.ts';

const SECRET = 'test-hotline-secret-0123456789';
const orders = JSON.parse(
  readFileSync(new URL('./fixtures/channels/hotline/work-orders.json', import.meta.url), 'utf8'),
) as Record<string, unknown>[];

describe.each<Engine>(['postgres', 'pglite'])('channels over HTTP on %s', (engine) => {
  let server: TestServer;
  let open311Key: string;
  beforeAll(async () => {
    server = await startTestServer(engine, { WEBHOOK_SECRETS: `hotline:${SECRET}` });
    open311Key = await createApiKey(server.app.db, 'open311', 'test client');
  });
  afterAll(async () => {
    await server.stop();
  });

  function webhook(body: string, options: { secret?: string; timestamp?: number; channel?: string } = {}) {
    const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(`${server.url}/api/webhooks/${options.channel ?? 'hotline'}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-wenkong-timestamp': String(ts),
        'x-wenkong-signature': signWebhook(options.secret ?? SECRET, ts, body),
      },
      body,
    });
  }

  describe('12345 hotline webhook', () => {
    it('stores signed work orders, each answered on its own, contacts sealed and originals kept', async () => {
      const fresh = { ...orders[0], 来电时间: '2026-11-30 09:41:07' };
      const response = await webhook(JSON.stringify({ workOrders: [fresh, orders[2]] }));
      expect(response.status).toBe(207);
      const { results } = (await response.json()) as {
        results: { status: number; id?: string; error?: { code: string; deadLetterId?: string } }[];
      };
      expect(results[0]).toMatchObject({ status: 201 });
      expect(results[1]).toMatchObject({
        status: 422,
        error: { code: 'invalid_petition', deadLetterId: expect.any(String) },
      });
      const stored = await findPetition(server.app.db, results[0]!.id!);
      expect(stored).toMatchObject({ channel: 'hotline', externalId: 'SZ12345-20261130-000871', regionCode: '320506' });
      // The text holds no identity; the contact (with the address) is sealed apart from it.
      const contact = await findContact(server.app.db, results[0]!.id!);
      expect(contact!.sealed.includes(Buffer.from('王建国'))).toBe(false);
      expect(server.app.sealer.unseal(contact!.keyId, contact!.sealed)).toMatchObject({
        name: '王建国',
        address: '苏州市吴中区木渎镇金山路18号',
      });
      const original = await findOriginal(server.app.db, results[0]!.id!);
      const content = server.app.sealer.unsealBytes(original!.keyId, original!.sealed).toString('utf8');
      expect(JSON.parse(content)).toMatchObject({ 办理时限: '2026-12-05 09:41:07' });
      // The same work order again (a replay inside the window) is a duplicate, not a second petition.
      const again = await webhook(JSON.stringify(fresh));
      expect(again.status).toBe(200);
      expect(((await again.json()) as { results: { id: string; duplicate: boolean }[] }).results[0]).toMatchObject({
        id: results[0]!.id,
        duplicate: true,
      });
    });

    it('refuses a bad signature or a stale timestamp and keeps nothing', async () => {
      const before = (await listDeadLetters(server.app.db, { limit: 1 })).total;
      const body = JSON.stringify({ ...orders[0], 工单编号: 'FORGED-1' });
      const forged = await webhook(body, { secret: 'not-the-secret-at-all-000' });
      expect(forged.status).toBe(401);
      expect(await forged.json()).toMatchObject({ error: { code: 'bad_signature' } });
      const stale = await webhook(body, { timestamp: Math.floor(Date.now() / 1000) - 600 });
      expect(stale.status).toBe(401);
      expect(await stale.json()).toMatchObject({ error: { code: 'stale_timestamp' } });
      const unconfigured = await webhook(body, { channel: 'enterprise_hotline' });
      expect(unconfigured.status).toBe(503);
      expect((await listDeadLetters(server.app.db, { limit: 1 })).total).toBe(before);
    });

    it('keeps a signed but broken body as a dead letter', async () => {
      const response = await webhook('{"工单编号": "SZ-9", "诉求内容": ');
      expect(response.status).toBe(400);
      const { rows } = await listDeadLetters(server.app.db, { limit: 5, channel: 'hotline' });
      expect(rows.some((r) => r.stage === 'parse' && r.reason.includes('not valid JSON'))).toBe(true);
    });
  });

  describe('Open311 GeoReport v2', () => {
    const xml = new XMLParser();
    const base = () => `${server.url}/open311/v2`;

    it('lists services as JSON and XML and defines one', async () => {
      const json = (await (await fetch(`${base()}/services.json`)).json()) as { service_code: string }[];
      expect(json.map((s) => s.service_code)).toContain('labour');
      const xmlResponse = await fetch(`${base()}/services.xml`);
      expect(xmlResponse.headers.get('content-type')).toContain('application/xml');
      const parsed = xml.parse(await xmlResponse.text()) as { services: { service: { service_code: string }[] } };
      expect(parsed.services.service.length).toBe(json.length);
      const definition = await fetch(`${base()}/services/labour.json`);
      expect(await definition.json()).toMatchObject({ service_code: 'labour', attributes: [] });
      const unknown = await fetch(`${base()}/services/nope.json`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual([{ code: 404, description: expect.stringContaining('nope') }]);
    });

    it('files a request with a form post (no Origin, as 311 clients do) and follows it by id and token', async () => {
      const form = new URLSearchParams({
        api_key: open311Key,
        service_code: 'labour',
        description: '昆山市某工地拖欠农民工工资两个月，二十多人没拿到钱。',
        lat: '31.386',
        long: '120.98',
        first_name: '三',
        last_name: '张',
        phone: '13700001111',
      });
      const created = await fetch(`${base()}/requests.json`, { method: 'POST', body: form });
      expect(created.status).toBe(201);
      const [receipt] = (await created.json()) as { service_request_id: string; token: string }[];
      expect(receipt!.service_request_id).toMatch(/^[0-9a-f-]{36}$/);
      const stored = await findPetition(server.app.db, receipt!.service_request_id);
      expect(stored).toMatchObject({ channel: 'open311', regionCode: '320583' });

      const one = (await (await fetch(`${base()}/requests/${receipt!.service_request_id}.json`)).json()) as Record<
        string,
        unknown
      >[];
      expect(one[0]).toMatchObject({
        service_request_id: receipt!.service_request_id,
        status: 'open',
        agency_responsible: expect.stringContaining('人力资源和社会保障局'),
        expected_datetime: expect.stringMatching(/\+08:00$/),
        address: null,
      });
      // The public description is the masked summary: no phone number.
      expect(JSON.stringify(one)).not.toContain('13700001111');
      const token = xml.parse(await (await fetch(`${base()}/tokens/${receipt!.token}.xml`)).text()) as {
        service_requests: { request: { service_request_id: string } };
      };
      expect(token.service_requests.request.service_request_id).toBe(receipt!.service_request_id);
      const listed = (await (await fetch(`${base()}/requests.json?service_code=labour,housing`)).json()) as {
        service_request_id: string;
      }[];
      expect(listed.map((r) => r.service_request_id)).toContain(receipt!.service_request_id);
      const closed = (await (await fetch(`${base()}/requests.json?status=closed`)).json()) as unknown[];
      expect(closed).toEqual([]);
    });

    it('answers errors in the spec format: bad key, missing fields, bad query, other jurisdiction', async () => {
      const noKey = await fetch(`${base()}/requests.json`, {
        method: 'POST',
        body: new URLSearchParams({ service_code: 'labour', description: 'x', lat: '31.3', long: '120.6' }),
      });
      expect(noKey.status).toBe(403);
      const missing = await fetch(`${base()}/requests.xml`, {
        method: 'POST',
        body: new URLSearchParams({ api_key: open311Key, service_code: 'labour' }),
      });
      expect(missing.status).toBe(400);
      const errors = xml.parse(await missing.text()) as { errors: { error: { code: number; description: string }[] } };
      const descriptions = [errors.errors.error].flat().map((e) => e.description);
      expect(descriptions.join(' ')).toMatch(/description/);
      const badDate = await fetch(`${base()}/requests.json?start_date=yesterday`);
      expect(badDate.status).toBe(400);
      expect(await badDate.json()).toEqual([
        expect.objectContaining({ code: 400, description: expect.stringContaining('start_date') }),
      ]);
      const elsewhere = await fetch(`${base()}/services.json?jurisdiction_id=beijing.gov.cn`);
      expect(elsewhere.status).toBe(404);
    });
  });

  it('still refuses cross-site form posts to cookie-authenticated pages', async () => {
    const response = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'username=a&password=b',
    });
    expect(response.status).toBe(403);
  });
});
