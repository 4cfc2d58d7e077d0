import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAudit } from '../db/queries/audit.ts';
import { countPetitions, findPetition } from '../db/queries/petitions.ts';
import { postPetitions, startTestServer, type Engine, type TestServer } from './helpers/server.ts';

describe.each<Engine>(['postgres', 'pglite'])('POST /api/petitions on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(async () => {
    await server.stop();
  });
  const count = () => countPetitions(server.app.db);

  it('stores one petition and answers 201 with its id after commit', async () => {
    const r = await postPetitions(server, server.keys.hotline, {
      channel: 'hotline',
      text: '小区连续停水三天，物业不管，联系电话13812345678',
      regionCode: '320508',
      externalId: 'GD-001',
      contact: { name: '张三', phone: '13812345678' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ duplicate: false });
    const stored = await findPetition(server.app.db, r.body.id as string);
    expect(stored).toMatchObject({ channel: 'hotline', regionCode: '320508', externalId: 'GD-001' });
    expect(stored!.summary).toContain('138****5678');
    expect(stored!.analyserVersion).toMatch(/^analyser-\d+\+grading-/);
    // The analysis is stored as columns: topic, grade, reasons, risk terms and the signature.
    const { rows } = await server.app.db.query<{
      topic: string;
      reasons: string[];
      signature: string;
      lsh_bands: string[];
    }>('SELECT topic, reasons, signature, lsh_bands FROM petitions WHERE id = $1', [r.body.id]);
    expect(rows[0]!.topic).toBe('housing');
    expect(rows[0]!.reasons.length).toBeGreaterThan(0);
    expect(rows[0]!.signature.length).toBeGreaterThan(100);
    expect(rows[0]!.lsh_bands).toHaveLength(16);
    // The state change is in the audit trail, attributed to the channel's key.
    const audit = await searchAudit(server.app.db, { action: 'petitions.create', subjectId: r.body.id as string });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorRole).toBe('channel:hotline');
  });

  it('places a petition without regionCode in the one district its text names', async () => {
    const r = await postPetitions(server, server.keys.hotline, {
      channel: 'hotline',
      text: '昆山一家电子厂拖欠工资两个月',
    });
    expect(r.status).toBe(201);
    expect((await findPetition(server.app.db, r.body.id as string))?.regionCode).toBe('320583');
  });

  it('returns the first id for a repeated channel + externalId and stores nothing twice', async () => {
    const before = await count();
    const r = await postPetitions(server, server.keys.hotline, {
      channel: 'hotline',
      text: '重复推送',
      externalId: 'GD-001',
    });
    expect(r.status).toBe(200);
    expect(r.body.duplicate).toBe(true);
    expect(await count()).toBe(before);
  });

  it('answers an array per item, 201 when all succeed and 207 when mixed', async () => {
    const before = await count();
    const all = await postPetitions(
      server,
      server.keys.letter,
      Array.from({ length: 3 }, (_, i) => ({ channel: 'letter', text: `来信反映拖欠工资 ${i}` })),
    );
    expect(all.status).toBe(201);
    expect(all.body.results!.map((x) => x.status)).toEqual([201, 201, 201]);

    const mixed = await postPetitions(server, server.keys.letter, [
      { channel: 'letter', text: '有效来信' },
      { channel: 'letter', text: '' },
      { channel: 'hotline', text: '渠道不符' },
    ]);
    expect(mixed.status).toBe(207);
    const [ok, empty, wrong] = mixed.body.results!;
    expect(ok).toMatchObject({ index: 0, status: 201 });
    expect(empty).toMatchObject({ index: 1, status: 422, error: { fields: [{ field: 'text', message: 'is empty' }] } });
    expect(wrong).toMatchObject({ index: 2, status: 403, error: { code: 'wrong_channel' } });
    expect(await count()).toBe(before + 4);
  });

  it('rejects a request without a valid key with 401 and stores nothing', async () => {
    const before = await count();
    for (const key of [null, 'wk_not-a-key', 'x'.repeat(5000)]) {
      const r = await postPetitions(server, key, { channel: 'hotline', text: '无钥匙' });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect(await count()).toBe(before);
  });

  it('gives a clear 4xx for every kind of bad input, and stores none of it', async () => {
    const before = await count();
    const key = server.keys.hotline;
    const cases: [unknown, number, string][] = [
      ['{"channel": "hotline", "text": ', 400, 'malformed_json'],
      ['"just a string"', 400, 'not_a_petition'],
      ['[]', 400, 'empty_batch'],
      [{ channel: 'hotline', text: 42 }, 422, 'invalid_petition'],
      [{ channel: 'fax', text: '未知渠道' }, 422, 'invalid_petition'],
      [{ channel: 'hotline', text: '长'.repeat(20_001) }, 422, 'invalid_petition'],
      [Array.from({ length: 1001 }, () => ({ channel: 'hotline', text: 'x' })), 413, 'batch_too_large'],
      [[{ channel: 'hotline' }, { channel: 'hotline', text: ' ' }], 422, 'invalid_petition'],
    ];
    for (const [body, status, code] of cases) {
      const r = await postPetitions(server, key, body);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      const error = (r.body.error ?? (r.body.results![0] as { error: unknown }).error) as {
        code: string;
        message: string;
      };
      expect(error.code).toBe(code);
      expect(error.message.length).toBeGreaterThan(5);
    }
    const unknownChannel = await postPetitions(server, key, { channel: 'fax', text: '未知渠道' });
    expect((unknownChannel.body.error as { fields: unknown[] }).fields).toEqual([
      { field: 'channel', message: expect.stringContaining('unknown channel "fax"') },
    ]);
    expect(await count()).toBe(before);
  });

  it('answers 415 for a non-JSON content type and 413 for bodies over 1 MB', async () => {
    const send = (contentType: string) =>
      fetch(`${server.url}/api/petitions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.keys.hotline}`, 'content-type': contentType },
        body: '<petition/>',
      });
    const wrongType = await send('application/xml');
    expect(wrongType.status).toBe(415);
    expect(await wrongType.json()).toMatchObject({
      error: { code: 'unsupported_media_type', message: expect.stringContaining('application/xml') },
    });
    // Form-like types reach intake too (the API is exempt from the cookie origin check) and get 415.
    expect((await send('text/plain')).status).toBe(415);

    const huge = JSON.stringify({ channel: 'hotline', text: 'x'.repeat(1_100_000) });
    const tooLarge = await postPetitions(server, server.keys.hotline, huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ error: { code: 'payload_too_large' } });

    // Chunked, without a content-length: still cut off at the limit.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(100_000)));
        controller.close();
      },
    });
    const chunked = await fetch(`${server.url}/api/petitions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.keys.hotline}`, 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('refuses other methods with 405', async () => {
    const r = await fetch(`${server.url}/api/petitions`);
    expect(r.status).toBe(405);
  });

  it('reports health and Prometheus metrics', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: { engine } });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/wenkong_petitions_accepted_total\{channel="hotline"\} \d+/);
    expect(metrics).toMatch(/wenkong_petitions_rejected_total\{reason="invalid"\} \d+/);
    expect(metrics).toContain('wenkong_intake_duration_seconds_bucket');
    expect(metrics).toContain('wenkong_realtime_clients');
    expect(metrics).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('intake rate limit per API key', () => {
  it('answers 429 with Retry-After past the burst, for that key only', async () => {
    const server = await startTestServer('pglite', { INTAKE_RATE_PER_SECOND: '1' });
    try {
      const post = (key: string) =>
        postPetitions(server, key, { channel: key === server.keys.letter ? 'letter' : 'hotline', text: '限流测试' });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await post(server.keys.hotline)).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
      expect(statuses.slice(10)).toEqual([429, 429]);
      const limited = await fetch(`${server.url}/api/petitions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.keys.hotline}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await post(server.keys.letter)).status).toBe(201);
    } finally {
      await server.stop();
    }
  });
});
