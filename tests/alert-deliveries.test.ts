import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backoffMs,
  createDeliveryWorker,
  type DeliveryLog,
  type DeliveryWorker,
  type DeliveryWorkerOptions,
  enqueueDeliveries,
  jitterFactor,
  MAX_ATTEMPTS,
  MAX_BACKOFF_MS,
} from '../alerts/deliveries.ts';
import { parseSubscribers, type Subscriber } from '../alerts/subscribers/config.ts';
import { SMS_MAX_CHARS } from '../alerts/subscribers/render.ts';
import { verifyAlertSignature } from '../alerts/subscribers/webhook.ts';
import { type Alert, type AlertScope } from '../alerts/types.ts';
import type { Db } from '../db/client.ts';
import {
  claimDueDeliveries,
  deliveryCounts,
  type DeliveryRow,
  listDeliveries,
} from '../db/queries/alert-deliveries.ts';
import { insertAlert } from '../db/queries/alerts.ts';
import { ENGINES, useMigratedDb } from './helpers/databases.ts';
import { storedAlert } from './helpers/alerts.ts';

/** The outbox end to end: real database, real HTTP and SMTP receivers on port 0, an injected clock. */

const SECRET = 'alert-hook-secret-0123456789';
const SMS_TOKEN = 'sms-gateway-token-42';
const PETITION_ID = randomUUID();
const BASE_URL = 'https://wenkong.example.gov.cn';

let ruleN = 0;
function alertOf(scope: Partial<AlertScope> = {}, overrides: Partial<Alert> = {}): Alert {
  const at = new Date('2026-11-30T01:30:00Z');
  ruleN += 1;
  return storedAlert({
    ruleId: `delivery-test-${ruleN}`,
    kind: 'volume',
    scope: { regionCode: '320508', topic: 'labour', ...scope },
    at,
    severity: 'major',
    title: { zh: '姑苏区劳动社保信访量异常', en: 'Unusual labour petition volume in Gusu' },
    measures: { count: 14, expected: 2.3 },
    score: 82,
    factors: [{ name: 'volume', label: { zh: '信访量', en: 'Volume' }, value: 14, weight: 2, contribution: 28 }],
    petitionIds: [PETITION_ID],
    signalCount: 2,
    notifiedAt: at,
    notifyCount: 1,
    ...overrides,
  });
}

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

type Answer = number | { status: number; body: string } | null;

/** An HTTP receiver on port 0 answering each request with `answer(n)` (n from 1); null never answers. */
async function receiver(answer: (n: number, req: Received) => Answer) {
  const requests: Received[] = [];
  const waiting: (() => void)[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(got);
      for (const w of waiting.splice(0)) w();
      const a = answer(requests.length, got);
      if (a === null) return;
      const { status, body } = typeof a === 'number' ? { status: a, body: a >= 400 ? `refused ${a}` : 'ok' } : a;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url,
    requests,
    /** Resolves once the receiver has had `n` requests. */
    received: (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (requests.length >= n ? resolve() : waiting.push(check));
        check();
      }),
  };
}

let cleanups: (() => Promise<void> | void)[] = [];

/** A URL on a port nothing listens on (it was just free): the connection is refused. */
async function closedUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}/closed`;
}

function recordingLog(): DeliveryLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m, e) => lines.push(`error ${m}${e ? ` ${String(e)}` : ''}`),
  };
}

describe.each(ENGINES)('alert deliveries on %s', (_name, open) => {
  const store = useMigratedDb(open);
  let clock: Date;

  beforeEach(async () => {
    clock = new Date('2026-11-30T02:00:00Z');
    cleanups = [];
    // Each test starts with an empty outbox: a worker would otherwise pick up another test's rows.
    await store.db.query('DELETE FROM alert_deliveries');
  });

  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  function subscribers(raw: unknown[], env: NodeJS.ProcessEnv = {}): Subscriber[] {
    return parseSubscribers(raw, 'test', { HOOK_SECRET: SECRET, SMS_TOKEN, ...env });
  }

  function worker(subs: Subscriber[], extra: Partial<DeliveryWorkerOptions> = {}): DeliveryWorker {
    const w = createDeliveryWorker({
      db: store.db,
      subscribers: subs,
      now: () => clock,
      log: recordingLog(),
      baseUrl: BASE_URL,
      ...extra,
    });
    cleanups.push(() => w.stop());
    return w;
  }

  /** Stores an alert and queues its event, as the engine does: one transaction. */
  async function raise(subs: Subscriber[], alert = alertOf()): Promise<{ alert: Alert; queued: number }> {
    const queued = await store.db.withTransaction(async (tx) => {
      expect(await insertAlert(tx, alert)).toBe(true);
      return enqueueDeliveries(tx, alert, 'raised', subs, clock);
    });
    return { alert, queued };
  }

  async function only(db: Db, alertId: string): Promise<DeliveryRow> {
    const rows = await listDeliveries(db, alertId);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  const hook = (url: string, extra: Record<string, unknown> = {}) => ({
    id: 'hook',
    kind: 'webhook',
    minSeverity: 'key',
    url,
    secretEnv: 'HOOK_SECRET',
    ...extra,
  });

  it('retries 500, 500 then delivers on the backoff schedule, signed, under one delivery id', async () => {
    const r = await receiver((n) => (n <= 2 ? 500 : 200));
    const subs = subscribers([
      hook(r.url),
      // Routed away: below its minimum severity.
      { ...hook(r.url), id: 'extreme-only', minSeverity: 'extreme' },
    ]);
    const { alert, queued } = await raise(subs);
    expect(queued).toBe(1);
    const w = worker(subs);

    const first = clock;
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    let row = await only(store.db, alert.id);
    const wait1 = backoffMs(row.id, 1);
    expect(wait1).toBeGreaterThanOrEqual(27_000);
    expect(wait1).toBeLessThanOrEqual(33_000);
    expect(row).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500, subscriberId: 'hook' });
    expect(row.lastError).toBe('HTTP 500: refused 500');
    expect(row.lastAttemptAt?.getTime()).toBe(first.getTime());
    expect(row.nextAttemptAt.getTime()).toBe(first.getTime() + wait1);

    // Not due yet: nothing is sent.
    clock = new Date(row.nextAttemptAt.getTime() - 1);
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(r.requests).toHaveLength(1);

    clock = row.nextAttemptAt;
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    const second = clock;
    row = await only(store.db, alert.id);
    const wait2 = backoffMs(row.id, 2);
    expect(wait2).toBe(Math.round(60_000 * (1 + jitterFactor(row.id))));
    expect(row.attempts).toBe(2);
    expect(row.nextAttemptAt.getTime()).toBe(second.getTime() + wait2);

    clock = row.nextAttemptAt;
    expect(await w.runOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    row = await only(store.db, alert.id);
    expect(row).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 200, lastError: null });
    expect(row.deliveredAt?.getTime()).toBe(clock.getTime());

    expect(r.requests).toHaveLength(3);
    const sentAt = [first, second, clock];
    r.requests.forEach((req, i) => {
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['x-wenkong-event']).toBe('raised');
      expect(req.headers['x-wenkong-delivery']).toBe(row.id);
      const signature = req.headers['x-wenkong-signature'] as string;
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifyAlertSignature(SECRET, signature, req.body, sentAt[i]!)).toEqual({ ok: true });
      expect(verifyAlertSignature('another-secret-0123456789', signature, req.body, sentAt[i]!).ok).toBe(false);
      expect(verifyAlertSignature(SECRET, signature, `${req.body} `, sentAt[i]!).ok).toBe(false);
      expect(req.body).not.toContain(PETITION_ID);
      expect(JSON.parse(req.body)).toMatchObject({
        event: 'raised',
        sentAt: sentAt[i]!.toISOString(),
        alert: { id: alert.id, severity: 'major', score: 82, url: `${BASE_URL}/console/alerts/${alert.id}` },
      });
    });
    expect(await deliveryCounts(store.db)).toEqual({ pending: 0, delivered: 1, failed: 0 });
  });

  it('does not claim a row again while it is being sent', async () => {
    // The send is held until the test releases it.
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const subs = subscribers([hook('http://127.0.0.1:9/unused', { timeoutMs: 10_000 })]);
    const { alert } = await raise(subs);
    const w = worker(subs, {
      senders: {
        webhook: async () => {
          await held;
          return { ok: true, status: 200 };
        },
      },
    });
    const running = w.runOnce();
    // The claim is committed before the send starts; wait for it through the database, not a sleep.
    let row = await only(store.db, alert.id);
    for (let i = 0; row.attempts === 0 && i < 200; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      row = await only(store.db, alert.id);
    }
    expect(row.attempts).toBe(1);
    expect(row.nextAttemptAt.getTime()).toBe(clock.getTime() + 10_000 + 30_000);
    const again = await store.db.withTransaction((tx) =>
      claimDueDeliveries(tx, clock, 10, new Date(clock.getTime() + 60_000)),
    );
    expect(again).toEqual([]);
    release();
    expect(await running).toEqual({ delivered: 1, retried: 0, failed: 0 });
  });

  it('classifies a receiver that never answers as a timeout to retry, without waiting past the timeout', async () => {
    const r = await receiver(() => null);
    const subs = subscribers([hook(r.url, { timeoutMs: 300 })]);
    const { alert } = await raise(subs);
    const w = worker(subs);
    const started = performance.now();
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(performance.now() - started).toBeLessThan(300 + 2000);
    const row = await only(store.db, alert.id);
    expect(row).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastStatus: null,
      lastError: 'no answer within 300 ms',
    });
    expect(r.requests).toHaveLength(1);
  });

  it('fails a 400 at once, and a refused connection is retried', async () => {
    const r = await receiver(() => 400);
    const subs = subscribers([hook(r.url), { ...hook(await closedUrl()), id: 'nobody-home' }]);
    const { alert } = await raise(subs);
    const w = worker(subs);
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 1, failed: 1 });
    const rows = await listDeliveries(store.db, alert.id);
    const bad = rows.find((x) => x.subscriberId === 'hook');
    const closed = rows.find((x) => x.subscriberId === 'nobody-home');
    expect(bad).toMatchObject({ state: 'failed', attempts: 1, lastStatus: 400, lastError: 'HTTP 400: refused 400' });
    expect(closed).toMatchObject({ state: 'pending', attempts: 1, lastStatus: null });
    expect(closed?.lastError).toMatch(/^cannot connect: fetch failed/);
    expect(await deliveryCounts(store.db)).toEqual({ pending: 1, delivered: 0, failed: 1 });
  });

  it(`gives up after ${MAX_ATTEMPTS} failed attempts, the waits doubling up to 30 minutes`, async () => {
    const r = await receiver(() => 503);
    const subs = subscribers([hook(r.url)]);
    const { alert } = await raise(subs);
    const w = worker(subs);
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await w.runOnce();
      const row = await only(store.db, alert.id);
      expect(row.attempts).toBe(attempt);
      if (attempt < MAX_ATTEMPTS) {
        expect(result).toEqual({ delivered: 0, retried: 1, failed: 0 });
        waits.push(row.nextAttemptAt.getTime() - clock.getTime());
        clock = row.nextAttemptAt;
      } else {
        expect(result).toEqual({ delivered: 0, retried: 0, failed: 1 });
        expect(row).toMatchObject({ state: 'failed', lastStatus: 503 });
      }
    }
    const id = (await only(store.db, alert.id)).id;
    expect(waits).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(id, n)));
    // 30 s × 2^6 = 32 min is capped at 30 min (± the delivery's jitter).
    expect(waits[6]).toBe(Math.round(MAX_BACKOFF_MS * (1 + jitterFactor(id))));
    expect(r.requests).toHaveLength(MAX_ATTEMPTS);
    expect(new Set(r.requests.map((q) => q.headers['x-wenkong-delivery'])).size).toBe(1);
    // Failed rows are never claimed again.
    clock = new Date(clock.getTime() + 24 * 3_600_000);
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
  });

  it('sends e-mail through SMTP with a UTF-8 subject; a 5xx refusal fails, a 4xx is retried', async () => {
    const messages: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const refuse = (code: number, text: string) =>
          callback(Object.assign(new Error(text), { responseCode: code }) as Error);
        if (address.address.startsWith('unknown@')) return refuse(550, 'No such user here');
        if (address.address.startsWith('busy@')) return refuse(451, 'Try again later');
        callback();
      },
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          messages.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
    const port = (smtp.server.address() as AddressInfo).port;
    const mail = (id: string, to: string) => ({
      id,
      kind: 'email',
      minSeverity: 'key',
      to: [to],
      from: '稳控预警 <alerts@wenkong.example.gov.cn>',
    });
    const subs = subscribers(
      [mail('duty', 'duty@gusu.example.gov.cn'), mail('gone', 'unknown@x.cn'), mail('busy', 'busy@x.cn')],
      { SMTP_URL: `smtp://127.0.0.1:${port}` },
    );
    const { alert, queued } = await raise(subs);
    expect(queued).toBe(3);
    const w = worker(subs);
    expect(await w.runOnce()).toEqual({ delivered: 1, retried: 1, failed: 1 });

    const rows = await listDeliveries(store.db, alert.id);
    const by = (id: string) => rows.find((x) => x.subscriberId === id);
    expect(by('duty')).toMatchObject({ state: 'delivered', lastStatus: 250 });
    expect(by('gone')).toMatchObject({ state: 'failed', lastStatus: 550 });
    expect(by('gone')?.lastError).toContain('No such user here');
    expect(by('busy')).toMatchObject({ state: 'pending', lastStatus: 451 });

    expect(messages).toHaveLength(1);
    const raw = messages[0]!;
    expect(raw).toMatch(/^Subject: =\?UTF-8\?/im);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('[重大预警] 姑苏区劳动社保信访量异常');
    expect(parsed.messageId).toBe(`<${by('duty')!.id}@alerts.wenkong>`);
    expect(parsed.headers.get('x-wenkong-delivery')).toBe(by('duty')!.id);
    expect(parsed.from?.value[0]).toMatchObject({ name: '稳控预警', address: 'alerts@wenkong.example.gov.cn' });
    const text = parsed.text ?? '';
    expect(text.indexOf('姑苏区劳动社保信访量异常')).toBeLessThan(text.indexOf('Unusual labour petition volume'));
    expect(parsed.html || '').toContain(`${BASE_URL}/console/alerts/${alert.id}`);
    expect(raw).not.toContain(PETITION_ID);
  });

  it('sends SMS to the gateway with the bearer token, one segment long', async () => {
    const r = await receiver((_n, req) => (req.headers.authorization === `Bearer ${SMS_TOKEN}` ? 200 : 401));
    const subs = subscribers([
      { id: 'sms', kind: 'sms', minSeverity: 'major', url: r.url, tokenEnv: 'SMS_TOKEN', to: ['13912345678'] },
      { id: 'sms-no-token', kind: 'sms', minSeverity: 'major', url: r.url, to: ['18612345678'] },
    ]);
    const { alert } = await raise(subs);
    const w = worker(subs);
    expect(await w.runOnce()).toEqual({ delivered: 1, retried: 0, failed: 1 });
    const rows = await listDeliveries(store.db, alert.id);
    expect(rows.find((x) => x.subscriberId === 'sms')).toMatchObject({ state: 'delivered', lastStatus: 200 });
    expect(rows.find((x) => x.subscriberId === 'sms-no-token')).toMatchObject({ state: 'failed', lastStatus: 401 });
    const sent = r.requests.find((q) => q.headers.authorization !== undefined)!;
    const body = JSON.parse(sent.body) as { to: string[]; text: string };
    expect(body.to).toEqual(['13912345678']);
    expect(body.text.length).toBeLessThanOrEqual(SMS_MAX_CHARS);
    expect(body.text).toBe('【稳控预警】重大：姑苏区劳动社保信访量异常 风险82');
    expect(sent.headers['content-type']).toBe('application/json');
  });

  it('keeps secrets out of the delivery log when a receiver echoes the request', async () => {
    const echo = (_n: number, req: Received) => ({
      status: 503,
      body: `overloaded; you sent ${req.headers.authorization} ${JSON.stringify(req.headers)}`,
    });
    const r = await receiver(echo);
    const subs = subscribers([
      {
        id: 'sms',
        kind: 'sms',
        minSeverity: 'major',
        url: `${r.url}?key=${SMS_TOKEN}`,
        tokenEnv: 'SMS_TOKEN',
        to: ['13912345678'],
      },
    ]);
    const { alert } = await raise(subs);
    const log = recordingLog();
    expect(await worker(subs, { log }).runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    const row = await only(store.db, alert.id);
    expect(row.lastError).toContain('HTTP 503');
    expect(row.lastError).toContain('[redacted]');
    expect(row.lastError).not.toContain(SMS_TOKEN);
    expect(log.lines.join('\n')).not.toContain(SMS_TOKEN);
  });

  it('routes conduct alerts only to subscribers naming conduct, and silenced alerts nowhere', async () => {
    const r = await receiver(() => 200);
    const subs = subscribers([hook(r.url), { ...hook(r.url), id: 'inspectors', scope: { topics: ['conduct'] } }]);
    const { alert, queued } = await raise(subs, alertOf({ topic: 'conduct' }));
    expect(queued).toBe(1);
    expect((await listDeliveries(store.db, alert.id)).map((x) => x.subscriberId)).toEqual(['inspectors']);
    const silenced = await raise(subs, alertOf({}, { silenceId: randomUUID() }));
    expect(silenced.queued).toBe(0);
  });

  it('runs on its own once started, and stop() waits for the send in flight', async () => {
    const r = await receiver(() => 200);
    const subs = subscribers([hook(r.url)]);
    const w = worker(subs, { intervalMs: 60_000 });
    w.start();
    const { alert } = await raise(subs);
    w.kick();
    w.kick();
    await r.received(1);
    await w.stop();
    expect(await only(store.db, alert.id)).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(r.requests).toHaveLength(1);
  });

  it('never throws into the caller when storage fails', async () => {
    const log = recordingLog();
    const broken = {
      ...store.db,
      withTransaction: () => Promise.reject(new Error('connection terminated')),
    } as Db;
    const w = worker([], { db: broken, log });
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(log.lines.some((l) => l.startsWith('error alert deliveries: cannot claim'))).toBe(true);
  });
});
