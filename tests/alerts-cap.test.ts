import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Alert, type AlertScope } from '../alerts/types.ts';
import { insertAlert } from '../db/queries/alerts.ts';
import type { UserRole } from '../db/queries/users.ts';
import { createUser } from '../server/auth/login.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { storedAlert } from './helpers/alerts.ts';

const SCHEMA = fileURLToPath(new URL('fixtures/standards/cap12.xsd', import.meta.url));
const PASSWORD = 'Wenkong-Test-Passw0rd!';

function xmllint(xml: string, schema: boolean): { status: number | null; stderr: string } {
  const args = schema ? ['--noout', '--schema', SCHEMA, '-'] : ['--noout', '-'];
  const r = spawnSync('xmllint', args, { input: xml, encoding: 'utf8' });
  if (r.error) throw new Error('xmllint could not run (Debian: apt-get install libxml2-utils)', { cause: r.error });
  return { status: r.status, stderr: r.stderr };
}

function expectValidCap(xml: string): void {
  const { status, stderr } = xmllint(xml, true);
  expect(status, `xmllint:\n${stderr}\n${xml}`).toBe(0);
}

const PETITION_ID = randomUUID();
let minute = 0;

function alertOf(ruleId: string, kind: string, scope: Partial<AlertScope>, overrides: Partial<Alert> = {}): Alert {
  // Raised a minute apart, in insertion order: the feed lists the newest first.
  minute += 1;
  return storedAlert({
    ruleId,
    kind,
    scope,
    at: new Date(Date.UTC(2026, 10, 3, 1, minute, 0, 250)),
    measures: { count: 7 },
    score: 55,
    factors: [{ name: 'volume', label: { zh: '信访量', en: 'Volume' }, value: 7, weight: 3, contribution: 21 }],
    petitionIds: [PETITION_ID],
    ...overrides,
  });
}

/** CAP and Atom over real HTTP, with the reader rule of alerts/audiences.ts (config/routing). */
describe('CAP and Atom routes', () => {
  let server: TestServer;
  const cookies = new Map<string, string>();

  const extreme = alertOf(
    'extreme-behaviour',
    'instant.extreme',
    { regionCode: '320508', topic: 'labour' },
    {
      severity: 'extreme',
      title: { zh: '极端行为苗头 <&"\'>', en: 'Extreme behaviour threatened <&"\'>' },
    },
  );
  const conduct = alertOf(
    'extreme-behaviour',
    'instant.extreme',
    { regionCode: '320505', topic: 'conduct' },
    {
      severity: 'extreme',
    },
  );
  const labour = alertOf('volume-region-topic', 'volume', { regionCode: '320583', topic: 'labour' });
  const silencedSafety = alertOf(
    'volume-region-topic',
    'volume',
    { regionCode: '320583', topic: 'safety' },
    {
      silenceId: randomUUID(),
    },
  );
  const resolvedAll = alertOf(
    'growth-week',
    'growth',
    {},
    {
      severity: 'general',
      state: 'resolved',
      signalCount: 3,
      resolvedAt: new Date(Date.UTC(2026, 10, 3, 6, 0, 0)),
      updatedAt: new Date(Date.UTC(2026, 10, 3, 6, 0, 0)),
    },
  );
  const all = [extreme, conduct, labour, silencedSafety, resolvedAll];

  async function signIn(
    name: string,
    role: UserRole,
    extra: { agency?: string; department?: string } = {},
  ): Promise<void> {
    const username = `t-${name}`;
    await createUser(server.app.db, { username, password: PASSWORD, role, ...extra }, new Date());
    const r = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
      body: new URLSearchParams({ username, password: PASSWORD }),
    });
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('wk_session='));
    if (!cookie) throw new Error(`signing in as ${username} failed with ${r.status}`);
    cookies.set(name, cookie.split(';')[0]!);
  }

  const get = (path: string, who?: string) =>
    fetch(`${server.url}${path}`, { headers: who ? { cookie: cookies.get(who)! } : {} });

  const entryIds = (feed: string) =>
    [...feed.matchAll(/<entry>\n\s*<id>urn:wenkong:alert:([0-9a-f-]{36})<\/id>/g)].map((m) => m[1]);

  beforeAll(async () => {
    server = await startTestServer('pglite');
    for (const a of all) expect(await insertAlert(server.app.db, a)).toBe(true);
    await signIn('operator', 'operator');
    await signIn('police', 'liaison', { agency: '市公安局' });
    await signIn('labour', 'department', { department: '区人社局' });
    await signIn('wall', 'wall');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers a readable alert with a valid CAP 1.2 message', async () => {
    const r = await get(`/api/alerts/${extreme.id}.cap.xml`, 'police');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/cap+xml; charset=utf-8');
    const xml = await r.text();
    expectValidCap(xml);
    expect(xml).toContain('<msgType>Alert</msgType>');
    expect(xml).toContain('<scope>Restricted</scope>');
    expect(xml).toContain('<severity>Extreme</severity>');
    expect(xml).toContain('<event>极端行为苗头 &lt;&amp;&quot;&apos;&gt;</event>');
    expect(xml).toContain(`<web>${server.url}/console/alerts/${extreme.id}</web>`);
    expect(xml).toContain('<sent>2026-11-03T09:01:00+08:00</sent>');
    expect(xml).not.toContain(PETITION_ID);
  });

  it('writes a resolved alert as an Update with AllClear', async () => {
    const r = await get(`/api/alerts/${resolvedAll.id}.cap.xml`, 'operator');
    expect(r.status).toBe(200);
    const xml = await r.text();
    expectValidCap(xml);
    expect(xml).toContain('<msgType>Update</msgType>');
    expect(xml).toContain('<responseType>AllClear</responseType>');
    expect(xml).toMatch(/<references>wenkong@320500,urn:wenkong:alert:[0-9a-f-]{36}:1,2026-11-03T09:05:00\+08:00</);
    expect(xml).toContain('<areaDesc>苏州市</areaDesc>');
  });

  it('answers an alert the reader may not see exactly like a missing one', async () => {
    for (const [who, a] of [
      ['police', conduct],
      ['police', labour],
      ['labour', conduct],
      ['wall', extreme],
    ] as const) {
      const r = await get(`/api/alerts/${a.id}.cap.xml`, who);
      expect(r.status, `${who} reading ${a.ruleId}/${a.scopeKey}`).toBe(404);
      expect(await r.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    // The duty room sees everything, accusations included.
    const staff = await get(`/api/alerts/${conduct.id}.cap.xml`, 'operator');
    expect(staff.status).toBe(200);
    expectValidCap(await staff.text());
    const department = await get(`/api/alerts/${labour.id}.cap.xml`, 'labour');
    expect(department.status).toBe(200);
  });

  it('answers an unknown id with 404 and a clear message', async () => {
    for (const id of [randomUUID(), 'not-an-alert']) {
      const r = await get(`/api/alerts/${id}.cap.xml`, 'operator');
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('not_found');
      expect(body.error.message).toContain(id);
    }
  });

  it('refuses anonymous readers with 401', async () => {
    for (const path of [`/api/alerts/${extreme.id}.cap.xml`, '/api/alerts.atom']) {
      const r = await get(path);
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({
        error: { code: 'unauthenticated', message: expect.any(String) as string },
      });
    }
  });

  it('lists only what a 市公安局 liaison may read in the Atom feed', async () => {
    const r = await get('/api/alerts.atom', 'police');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = await r.text();
    expect(xmllint(feed, false).status).toBe(0);
    // The extreme-behaviour alert yes; accusations never; labour volume no; silenced safety no.
    expect(entryIds(feed)).toEqual([extreme.id]);
    expect(feed).toContain(`<link rel="self" type="application/atom+xml" href="${server.url}/api/alerts.atom"/>`);
    expect(feed).toContain(
      `<link rel="alternate" type="application/cap+xml" href="${server.url}/api/alerts/${extreme.id}.cap.xml"/>`,
    );
    expect(feed).not.toContain(PETITION_ID);
  });

  it('embeds valid CAP in every entry of the staff feed, newest first, silenced left out', async () => {
    const r = await get('/api/alerts.atom', 'operator');
    expect(r.status).toBe(200);
    const feed = await r.text();
    expect(xmllint(feed, false).status).toBe(0);
    expect(entryIds(feed)).toEqual([resolvedAll.id, labour.id, conduct.id, extreme.id]);
    const embedded = [...feed.matchAll(/<content type="application\/cap\+xml">\n(<alert [\s\S]*?<\/alert>)\n/g)];
    expect(embedded).toHaveLength(4);
    for (const [, cap] of embedded) expectValidCap(cap!);
    // The feed changed when its newest entry did.
    expect(feed).toMatch(/<\/title>\n {2}<updated>2026-11-03T14:00:00\+08:00<\/updated>/);
  });

  it('gives a department its own topics and a reader with no audience an empty feed', async () => {
    const department = await (await get('/api/alerts.atom', 'labour')).text();
    // Labour volume, and the extreme-behaviour alert about labour too (its topic is listed).
    expect(entryIds(department)).toEqual([labour.id, extreme.id]);
    const wall = await get('/api/alerts.atom', 'wall');
    expect(wall.status).toBe(200);
    const empty = await wall.text();
    expect(xmllint(empty, false).status).toBe(0);
    expect(entryIds(empty)).toEqual([]);
  });
});
