import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelRecord, ChannelState, RecordOutcome, RecordSource, Submit } from '../ingest/channels/adapter.ts';
import { createFeedPoller, type FeedConfig, feedStateKey } from '../ingest/channels/feed.ts';

const fixtures = fileURLToPath(new URL('./fixtures/channels/feed/', import.meta.url));
const file = (name: string) => readFileSync(`${fixtures}${name}`);

/** What the test server was asked, per path: the conditional headers of each request. */
let requests: { path: string; ifNoneMatch?: string; ifModifiedSince?: string }[] = [];

interface Route {
  body: Buffer;
  type: string;
  etag?: string;
  lastModified?: string;
}
const ROUTES: Record<string, Route> = {
  '/rss.xml': { body: file('rss.xml'), type: 'application/rss+xml; charset=utf-8', etag: '"rss-v1"' },
  '/atom.xml': { body: file('atom.xml'), type: 'application/atom+xml', etag: 'W/"atom-7"' },
  '/feed.json': {
    body: file('feed.json'),
    type: 'application/feed+json',
    lastModified: 'Mon, 30 Nov 2026 10:30:00 GMT',
  },
  // No validators at all: every poll fetches it in full, and its items come back as duplicates.
  '/plain/feed.json': { body: file('feed.json'), type: 'application/json' },
  '/broken.xml': { body: file('broken.xml'), type: 'application/rss+xml', etag: '"broken-1"' },
  // Forums in GBK/GB2312 seldom put a charset in the Content-Type; the XML declaration has it.
  '/gb2312.xml': { body: file('rss-gb2312.xml'), type: 'application/rss+xml', etag: '"cs-1"' },
};

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  const ifNoneMatch = req.headers['if-none-match'];
  const ifModifiedSince = req.headers['if-modified-since'];
  requests.push({
    path,
    ...(ifNoneMatch ? { ifNoneMatch } : {}),
    ...(ifModifiedSince ? { ifModifiedSince } : {}),
  });
  if (path === '/hang') return; // never answers: the poller's timeout must end it
  if (path === '/trickle') {
    // Headers and half a body, then nothing: the timeout must cover reading the body too.
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.write(file('rss.xml').subarray(0, 1000));
    return;
  }
  if (path === '/500') {
    res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
    return;
  }
  const route = ROUTES[path];
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  const validators: Record<string, string> = {};
  if (route.etag) validators.etag = route.etag;
  if (route.lastModified) validators['last-modified'] = route.lastModified;
  const fresh =
    (route.etag !== undefined && ifNoneMatch === route.etag) ||
    (route.etag === undefined && route.lastModified !== undefined && ifModifiedSince === route.lastModified);
  if (fresh) {
    res.writeHead(304, validators).end();
    return;
  }
  res.writeHead(200, { 'content-type': route.type, ...validators }).end(route.body);
}

let server: Server;
let base: string;
/** A port nothing listens on, for a refused connection. */
let closedPort: number;

function listen(s: Server): Promise<number> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
}

beforeAll(async () => {
  server = createServer(handle);
  base = `http://127.0.0.1:${await listen(server)}`;
  const probe = createServer();
  closedPort = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  // The hanging request and fetch's keep-alive sockets would keep close() waiting.
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests = [];
});

function memoryState(): ChannelState & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: async (key) => values.get(key) ?? null,
    set: async (key, value) => {
      values.set(key, value);
    },
  };
}

/**
 * A pipeline stand-in: stores each externalId once (repeats are duplicates), dead-letters rejected
 * records, or answers `unavailable` for everything while `down` is set.
 */
function fakeSubmit() {
  const stored = new Map<string, ChannelRecord>();
  const calls: { records: readonly ChannelRecord[]; source: RecordSource }[] = [];
  const fake = {
    stored,
    calls,
    down: false,
    submit: (async (records, source) => {
      calls.push({ records, source });
      return records.map((r, i): RecordOutcome => {
        if (fake.down) return { status: 'unavailable', reason: 'database unreachable' };
        if (!r.ok) return { status: 'rejected', stage: r.stage, reason: r.reason, deadLetterId: `dl-${i}` };
        const id = r.input.externalId!;
        const duplicate = stored.has(id);
        if (!duplicate) stored.set(id, r);
        return { status: 'stored', id: `p-${id}`, duplicate };
      });
    }) satisfies Submit,
  };
  return fake;
}

const feedAt = (id: string, path: string, extra: Partial<FeedConfig> = {}): FeedConfig => ({
  id,
  url: `${base}${path}`,
  ...extra,
});

function poller(feeds: FeedConfig[], fake = fakeSubmit(), state = memoryState(), timeoutMs = 5_000) {
  const errors: string[] = [];
  const p = createFeedPoller({
    config: { schedule: '*/5 * * * *', feeds },
    submit: fake.submit,
    state,
    timeoutMs,
    log: { info: () => {}, error: (m) => errors.push(m) },
  });
  return { poll: () => p.poll(), fake, state, errors };
}

describe('feed poller', () => {
  it('stores new items on the first poll, then asks with If-None-Match and gets 304', async () => {
    const { poll, fake, state } = poller([feedAt('gusu', '/rss.xml', { regionCode: '320508' })]);

    expect(await poll()).toEqual([
      { feed: 'gusu', status: 'fetched', items: 5, kept: 5, stored: 5, duplicates: 0, rejected: 0 },
    ]);
    expect(fake.calls[0]?.source).toEqual({ actor: 'feed:gusu', role: 'channel:social' });
    expect([...fake.stored.keys()]).toContain('gusu:gusu-thread-102311');
    const first = fake.stored.get('gusu:gusu-thread-102311');
    expect(first?.ok && first.input).toMatchObject({
      channel: 'social',
      regionCode: '320508',
      receivedAt: '2026-11-30T12:41:07.000Z',
    });
    expect(JSON.parse(state.values.get(feedStateKey('gusu'))!)).toEqual({ etag: '"rss-v1"', lastModified: null });

    expect(await poll()).toEqual([
      { feed: 'gusu', status: 'not-modified', items: 0, kept: 0, stored: 0, duplicates: 0, rejected: 0 },
    ]);
    expect(requests).toEqual([{ path: '/rss.xml' }, { path: '/rss.xml', ifNoneMatch: '"rss-v1"' }]);
    expect(fake.calls).toHaveLength(1);
  });

  it('uses If-Modified-Since when the feed only gives Last-Modified', async () => {
    const { poll } = poller([feedAt('ks', '/feed.json')]);
    expect((await poll())[0]).toMatchObject({ status: 'fetched', stored: 3 });
    expect((await poll())[0]?.status).toBe('not-modified');
    expect(requests[1]).toEqual({ path: '/feed.json', ifModifiedSince: 'Mon, 30 Nov 2026 10:30:00 GMT' });
  });

  it('counts repeated items as duplicates when a feed has no validators', async () => {
    const { poll, state } = poller([feedAt('ks-plain', '/plain/feed.json')]);
    expect((await poll())[0]).toMatchObject({ status: 'fetched', items: 3, stored: 3, duplicates: 0 });
    expect((await poll())[0]).toMatchObject({ status: 'fetched', items: 3, stored: 0, duplicates: 3 });
    expect(requests.every((r) => r.ifNoneMatch === undefined && r.ifModifiedSince === undefined)).toBe(true);
    expect(state.values.size).toBe(0);
  });

  it('does not save the ETag when storage is unavailable, so the next poll fetches again', async () => {
    const { poll, fake, state } = poller([feedAt('weiyan', '/atom.xml')]);
    fake.down = true;
    const [down] = await poll();
    expect(down).toMatchObject({ feed: 'weiyan', status: 'error', items: 3, kept: 3, stored: 0 });
    expect(down?.error).toBe(
      `feed weiyan (${base}/atom.xml): storage unavailable for 3 of 3 records (database unreachable); the feed is fetched again next time`,
    );
    expect(state.values.has(feedStateKey('weiyan'))).toBe(false);

    fake.down = false;
    expect((await poll())[0]).toMatchObject({ status: 'fetched', stored: 3 });
    expect(requests.map((r) => r.ifNoneMatch)).toEqual([undefined, undefined]);
    expect((await poll())[0]?.status).toBe('not-modified');
  });

  it('keeps polling the good feed when one answers 500 and another is broken; the broken body is dead-lettered', async () => {
    const { poll, fake, state, errors } = poller([
      feedAt('down', '/500'),
      feedAt('broken', '/broken.xml'),
      feedAt('ks', '/feed.json'),
    ]);
    const [failed, broken, good] = await poll();

    expect(failed).toMatchObject({ feed: 'down', status: 'error', items: 0 });
    expect(failed?.error).toBe(`feed down (${base}/500): HTTP 500 Internal Server Error`);
    expect(broken).toMatchObject({ feed: 'broken', status: 'error', rejected: 1 });
    expect(broken?.error).toMatch(/^feed broken \(.*\/broken\.xml\): not well-formed XML at line 9, column 5/);
    expect(good).toMatchObject({ feed: 'ks', status: 'fetched', stored: 3 });
    expect(errors).toHaveLength(2);

    const deadLetter = fake.calls.find((c) => c.source.actor === 'feed:broken');
    expect(deadLetter?.records).toEqual([
      {
        ok: false,
        stage: 'parse',
        reason: expect.stringMatching(/not well-formed XML at line 9, column 5/),
        original: { format: 'feed-item', content: file('broken.xml').toString('utf8'), position: `${base}/broken.xml` },
      },
    ]);
    // The dead letter holds the body; an unchanged broken feed is not dead-lettered again.
    expect(state.values.has(feedStateKey('broken'))).toBe(true);
    expect(state.values.has(feedStateKey('down'))).toBe(false);
    expect((await poll()).map((r) => r.status)).toEqual(['error', 'not-modified', 'not-modified']);
  });

  it('ends a feed that never answers at the timeout, and reports refused connections', async () => {
    const { poll } = poller(
      [
        feedAt('hang', '/hang'),
        feedAt('trickle', '/trickle'),
        { id: 'refused', url: `http://127.0.0.1:${closedPort}/rss` },
        feedAt('gusu', '/rss.xml'),
      ],
      fakeSubmit(),
      memoryState(),
      200,
    );
    const [hang, trickle, refused, good] = await poll();
    expect(hang).toMatchObject({
      status: 'error',
      error: `feed hang (${base}/hang): no complete answer within 200 ms`,
    });
    expect(trickle).toMatchObject({
      status: 'error',
      error: `feed trickle (${base}/trickle): no complete answer within 200 ms`,
    });
    expect(refused?.status).toBe('error');
    expect(refused?.error).toMatch(
      /^feed refused \(http:\/\/127\.0\.0\.1:\d+\/rss\): cannot fetch: fetch failed: .*ECONNREFUSED/,
    );
    expect(good).toMatchObject({ status: 'fetched', stored: 5 });
  });

  it('applies the keyword filter and decodes a GB2312 feed by its XML declaration', async () => {
    const { poll, fake } = poller([
      feedAt('gusu', '/rss.xml', { include: ['欠薪', '拖欠', 'pm2.5'], exclude: ['保安'] }),
      feedAt('changshu', '/gb2312.xml'),
    ]);
    const [filtered, gb] = await poll();
    expect(filtered).toMatchObject({ status: 'fetched', items: 5, kept: 2, stored: 2 });
    expect([...fake.stored.keys()].filter((k) => k.startsWith('gusu:'))).toEqual([
      'gusu:gusu-thread-102311',
      'gusu:gusu-thread-102287',
    ]);
    expect(gb).toMatchObject({ status: 'fetched', items: 2, stored: 2 });
    const text = fake.stored.get('changshu:cs-661203');
    expect(text?.ok && text.input.text).toBe(
      '虞山街道小区垃圾站臭气熏天\n小区门口的垃圾中转站一个多月没清洗，夏天苍蝇成群，现在冬天也臭得开不了窗。',
    );
  });

  it('reports a throwing submit as an error of that feed only', async () => {
    const fake = fakeSubmit();
    const failing = {
      ...fake,
      submit: (async (records, source) => {
        if (source.actor === 'feed:weiyan') throw new Error('pipeline crashed');
        return fake.submit(records, source);
      }) satisfies Submit,
    };
    const { poll, state } = poller([feedAt('weiyan', '/atom.xml'), feedAt('ks', '/feed.json')], failing);
    const [crashed, good] = await poll();
    expect(crashed).toMatchObject({ status: 'error', error: `feed weiyan (${base}/atom.xml): pipeline crashed` });
    expect(good).toMatchObject({ status: 'fetched', stored: 3 });
    expect(state.values.has(feedStateKey('weiyan'))).toBe(false);
  });
});
