import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeKpis, KPI_DEFINITIONS } from '../alerts/kpis.ts';
import type { Alert, AlertSeverity, AlertState } from '../alerts/types.ts';
import type { Db } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { insertAlert } from '../db/queries/alerts.ts';
import { petitionCountsInSpans } from '../db/queries/kpis.ts';
import type { NewPetitionRow } from '../db/queries/petitions.ts';
import { USER_ROLES } from '../db/queries/users.ts';
import { createContactSealer, generateContactKeySpec, parseContactKeys } from '../ingest/contact-seal.ts';
import { uuidv7 } from '../ingest/uuid.ts';
import { createPetitionWriter, type PreparedPetition } from '../ingest/writer.ts';
import type { KpiSnapshot } from '../realtime/contract.ts';
import { createKioskToken } from '../server/auth/kiosk.ts';
import { freshPGlite, freshPostgres, freshTimescalePGlite, type TestDb } from './helpers/databases.ts';
import { preparedPetition } from './helpers/rows.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { signInAs } from './helpers/sign-in.ts';

const TZ = 'Asia/Shanghai';
/** 14:30:20 in Shanghai: today began at 2026-11-30T16:00:00Z. */
const NOW = new Date('2026-12-01T06:30:20Z');
const MS = { second: 1000, minute: 60_000 };

type Overrides = Partial<NewPetitionRow>;
const NEG: Overrides = { sentimentLabel: 'negative', sentimentScore: -0.5 };
const NOT_NEG: Overrides = { sentimentLabel: 'neutral', sentimentScore: 0.25 };

function term(t: string, category: string, start = 0) {
  return { term: t, category, start };
}

/** `n` petitions from `start`, `step` apart, with overrides by index. */
function series(n: number, start: string, step: number, each: (i: number) => Overrides): PreparedPetition[] {
  const t0 = Date.parse(start);
  return Array.from({ length: n }, (_, i) => preparedPetition({ receivedAt: new Date(t0 + i * step), ...each(i) }));
}

function at(iso: string, o: Overrides = {}): PreparedPetition {
  return preparedPetition({ receivedAt: new Date(iso), ...o });
}

/**
 * Petitions whose counts are known by construction (see each group). Several sit on the very edges
 * of the spans, down to the millisecond, so rounding a span to whole minutes would show.
 */
function fixture(): PreparedPetition[] {
  const today = [
    // 20 in 320508 (labour): 18 by hotline, 2 by letter; 10 negative; 12 carry 集体上访.
    ...series(20, '2026-12-01T01:00:00.500Z', 61 * MS.second, (i) => ({
      regionCode: '320508',
      topic: 'labour',
      channel: i < 18 ? 'hotline' : 'letter',
      ...(i < 10 ? NEG : NOT_NEG),
      // A term said twice in one petition counts once.
      riskTerms:
        i === 0
          ? [term('集体上访', 'mass_action', 3), term('集体上访', 'mass_action', 40)]
          : i < 12
            ? [term('集体上访', 'mass_action')]
            : [term(`敏感词${i}`, 'sensitive')],
    })),
    // 10 in 320505 (housing) by letter, 7 negative; 3 carry 跳楼; the first at local midnight itself,
    // the last in the current minute but before now.
    at('2026-11-30T16:00:00.000Z', { regionCode: '320505', topic: 'housing', channel: 'letter', ...NEG }),
    ...series(8, '2026-12-01T03:00:00Z', 90 * MS.second, (i) => ({
      regionCode: '320505',
      topic: 'housing',
      channel: 'letter',
      ...(i < 6 ? NEG : NOT_NEG),
      riskTerms: i < 3 ? [term('跳楼', 'extreme')] : [],
    })),
    at('2026-12-01T06:30:19.999Z', { regionCode: '320505', topic: 'housing', channel: 'letter', ...NOT_NEG }),
  ];
  // After now (the clock is injected): counted nowhere, though in the current minute.
  const future = [at('2026-12-01T06:30:20.000Z'), at('2026-12-01T06:30:50Z')];
  // Yesterday after its compared span (which ends at 06:30:20Z): in the last 24 h, not in day growth.
  const lateYesterday = [
    at('2026-11-30T06:30:20.000Z', { regionCode: null, topic: 'labour', channel: 'web', ...NEG }),
    at('2026-11-30T06:30:40Z', { regionCode: null, topic: 'labour', channel: 'web', ...NEG }),
    // 5 in 320506 (1 negative), 3 in 320507 (all negative: too few to rank); 2 carry 曝光.
    ...series(8, '2026-11-30T10:00:00Z', MS.minute, (i) => ({
      regionCode: i < 5 ? '320506' : '320507',
      topic: 'environment',
      channel: 'letter',
      ...(i === 0 || i >= 5 ? NEG : NOT_NEG),
      riskTerms: i < 2 ? [term('曝光', 'media')] : [],
    })),
  ];
  // Yesterday's compared span [11-29T16:00Z, 11-30T06:30:20Z): 20, labour, 14 carry 集体上访.
  const yesterday = [
    at('2026-11-29T16:00:00.000Z', { riskTerms: [term('集体上访', 'mass_action')] }),
    ...series(18, '2026-11-30T00:00:05Z', MS.minute, (i) => ({
      riskTerms: i < 13 ? [term('集体上访', 'mass_action')] : [],
    })),
    at('2026-11-30T06:30:19.999Z'),
  ];
  // Earlier this week (from 11-24T06:30:20Z): 10, housing, 7 carry 曝光; all in the hot-topic baseline.
  const earlierThisWeek = [
    at('2026-11-24T06:30:20.000Z', { regionCode: '320505', topic: 'housing' }),
    at('2026-11-29T15:59:59.999Z', { regionCode: '320505', topic: 'housing' }),
    ...series(8, '2026-11-26T08:00:00Z', MS.minute, (i) => ({
      regionCode: '320505',
      topic: 'housing',
      riskTerms: i < 7 ? [term('曝光', 'media')] : [],
    })),
  ];
  // The week before [11-17T06:30:20Z, 11-24T06:30:20Z): 35. Its last one is in the baseline; the
  // 5 mentions of 曝光 on 11-20 are before the baseline.
  const weekBefore = [
    at('2026-11-17T06:30:20.000Z', { topic: 'other' }),
    ...series(33, '2026-11-20T03:00:00Z', MS.minute, (i) => ({
      topic: 'other',
      riskTerms: i < 5 ? [term('曝光', 'media')] : [],
    })),
    at('2026-11-24T06:30:19.999Z', { topic: 'other' }),
  ];
  const longAgo = [at('2026-11-17T06:30:19.999Z', { topic: 'other' })];
  return [...today, ...future, ...lateYesterday, ...yesterday, ...earlierThisWeek, ...weekBefore, ...longAgo];
}

function alert(severity: AlertSeverity, state: AlertState, silenced = false): Alert {
  const now = new Date('2026-12-01T06:00:00Z');
  const id = uuidv7();
  return {
    id,
    ruleId: `test-${id}`,
    ruleVersion: 1,
    kind: 'volume',
    scopeKey: 'all',
    scope: { regionCode: null, topic: null, channel: null, term: null },
    severity,
    state,
    title: { zh: '测试预警', en: 'Test alert' },
    measures: {},
    score: 50,
    factors: [],
    petitionIds: [],
    signalCount: 1,
    sensitivePeriod: null,
    silenceId: silenced ? uuidv7() : null,
    raisedAt: now,
    lastSeenAt: now,
    updatedAt: now,
    acknowledgedAt: null,
    acknowledgedBy: null,
    actingAt: null,
    resolvedAt: state === 'resolved' ? now : null,
    resolvedBy: null,
    outcome: null,
    notifiedAt: null,
    notifyCount: 0,
  };
}

const engines: [string, () => Promise<TestDb>, 'plain' | 'timescale'][] = [
  ['PostgreSQL', freshPostgres, 'plain'],
  ['PGlite', freshPGlite, 'plain'],
  ['PGlite + TimescaleDB', freshTimescalePGlite, 'timescale'],
];

describe.each(engines)('KPIs on %s', (_name, open, storageMode) => {
  let t: TestDb;
  let db: Db;
  let kpis: KpiSnapshot;
  const rows = fixture();

  beforeAll(async () => {
    t = await open();
    db = t.db;
    expect((await migrate(db)).storageMode).toBe(storageMode);
    const sealer = createContactSealer(parseContactKeys(generateContactKeySpec()));
    // On plain PostgreSQL the writer keeps petition_minute_rollup; with TimescaleDB the aggregate does.
    const writer = createPetitionWriter({ db, storageMode, sealer, publish: () => undefined });
    await writer.write(rows);
    await writer.close();
    for (const a of [
      alert('key', 'raised'),
      alert('key', 'acknowledged'),
      alert('extreme', 'acting'),
      alert('major', 'resolved'),
      alert('general', 'raised', true),
    ]) {
      expect(await insertAlert(db, a)).toBe(true);
    }
    kpis = await computeKpis(db, NOW, TZ);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('gives the day growth rate from local midnight against the same span yesterday', () => {
    expect(kpis.growth.day).toEqual({
      rate: 0.5,
      current: 30,
      previous: 20,
      currentFrom: '2026-11-30T16:00:00.000Z',
      currentTo: '2026-12-01T06:30:20.000Z',
      previousFrom: '2026-11-29T16:00:00.000Z',
      previousTo: '2026-11-30T06:30:20.000Z',
    });
  });

  it('gives the week growth rate: the last 7 × 24 h against the 7 × 24 h before', () => {
    expect(kpis.growth.week).toMatchObject({ rate: 1, current: 70, previous: 35 });
  });

  it('gives the negative-sentiment index and mean score overall and by region (at least 5 petitions)', () => {
    const { byRegion, ...overall } = kpis.negativeIndex;
    expect(overall).toEqual({
      index: 57.5,
      meanSentiment: -0.18125,
      negative: 23,
      total: 40,
      from: '2026-11-30T06:30:20.000Z',
      to: '2026-12-01T06:30:20.000Z',
    });
    // 320507 (3 petitions) and the unknown region (2) are too small to rank.
    expect(byRegion).toEqual([
      { regionCode: '320505', index: 70, meanSentiment: (7 * -0.5 + 3 * 0.25) / 10, negative: 7, total: 10 },
      { regionCode: '320508', index: 50, meanSentiment: (10 * -0.5 + 10 * 0.25) / 20, negative: 10, total: 20 },
      { regionCode: '320506', index: 20, meanSentiment: (1 * -0.5 + 4 * 0.25) / 5, negative: 1, total: 5 },
    ]);
  });

  it('ranks hot terms and topics with their hourly rate and burst over the 7 days before', () => {
    const terms = kpis.hotTopics.filter((h) => h.kind === 'term');
    const topics = kpis.hotTopics.filter((h) => h.kind === 'topic');
    expect(terms).toHaveLength(10);
    expect(terms.slice(0, 3)).toEqual([
      // 12 now, 14 in the 7 days before: 2 a day, 6 times that.
      {
        kind: 'term',
        key: '集体上访',
        category: 'mass_action',
        count: 12,
        perHour: 0.5,
        previousDailyMean: 2,
        burstRatio: 6,
      },
      {
        kind: 'term',
        key: '跳楼',
        category: 'extreme',
        count: 3,
        perHour: 0.125,
        previousDailyMean: 0,
        burstRatio: null,
      },
      // 7 in the baseline; the 5 on 11-20 are older and do not count.
      { kind: 'term', key: '曝光', category: 'media', count: 2, perHour: 2 / 24, previousDailyMean: 1, burstRatio: 2 },
    ]);
    expect(terms.slice(3).every((h) => h.count === 1 && h.burstRatio === null && h.category === 'sensitive')).toBe(
      true,
    );
    expect(topics.map((h) => [h.key, h.count, h.burstRatio])).toEqual([
      ['labour', 22, 7.7],
      ['housing', 10, 7],
      ['environment', 8, null],
    ]);
  });

  it('counts open, unsilenced alerts by severity', () => {
    expect(kpis.openAlerts).toEqual({ general: 0, key: 2, major: 0, extreme: 1, total: 3 });
  });

  it('breaks the last 24 h down by channel, region and topic, each summing to the total', () => {
    const v = kpis.volumes;
    expect(v.total).toBe(40);
    expect(v.byChannel).toEqual([
      { code: 'letter', count: 20 },
      { code: 'hotline', count: 18 },
      { code: 'web', count: 2 },
    ]);
    expect(v.byRegion).toEqual([
      { code: '320508', count: 20 },
      { code: '320505', count: 10 },
      { code: '320506', count: 5 },
      { code: '320507', count: 3 },
      { code: null, count: 2 },
    ]);
    expect(v.byTopic).toEqual([
      { code: 'labour', count: 22 },
      { code: 'housing', count: 10 },
      { code: 'environment', count: 8 },
    ]);
    for (const list of [v.byChannel, v.byRegion, v.byTopic]) {
      expect(list.reduce((s, c) => s + c.count, 0)).toBe(v.total);
    }
  });

  it('carries every definition in Chinese and English', () => {
    expect(kpis.at).toBe(NOW.toISOString());
    expect(kpis.timezone).toBe(TZ);
    expect(Object.keys(kpis.definitions).sort()).toEqual(Object.keys(KPI_DEFINITIONS).sort());
    expect(kpis.definitions.growthDay!.zh).toContain('信访增长率');
    expect(kpis.definitions.negativeIndex!.zh).toContain('负面情感指数');
    expect(kpis.definitions.hotTopics!.zh).toContain('热点话题频次');
  });

  it('gives no rate, not a division by zero, when the base is empty', async () => {
    const now = new Date('2027-06-01T04:00:00Z');
    const writer = createPetitionWriter({
      db,
      storageMode,
      sealer: createContactSealer(parseContactKeys(generateContactKeySpec())),
      publish: () => undefined,
    });
    await writer.write(series(3, '2027-06-01T01:00:00Z', MS.minute, () => ({})));
    await writer.close();
    const k = await computeKpis(db, now, TZ);
    expect(k.growth.day).toMatchObject({ rate: null, current: 3, previous: 0 });
    expect(k.growth.week).toMatchObject({ rate: null, current: 3, previous: 0 });
    expect(k.hotTopics).toEqual([
      {
        kind: 'topic',
        key: 'labour',
        category: null,
        count: 3,
        perHour: 0.125,
        previousDailyMean: 0,
        burstRatio: null,
      },
    ]);

    const empty = await computeKpis(db, new Date('2031-01-01T00:00:00Z'), TZ);
    expect(empty.growth.day).toMatchObject({ rate: null, current: 0, previous: 0 });
    expect(empty.negativeIndex).toMatchObject({ index: null, meanSentiment: null, total: 0, byRegion: [] });
    expect(empty.hotTopics).toEqual([]);
    expect(empty.volumes).toMatchObject({ total: 0, byChannel: [], byRegion: [], byTopic: [] });
  });

  it('counts any span exactly as a count of petitions would, though whole minutes come from the rollup', async () => {
    const edges = rows.map((p) => p.row.receivedAt.getTime());
    const spans = [];
    // Spans starting and ending on, just before and just after stored instants, and within one minute.
    for (let i = 0; i < edges.length; i += 7) {
      const a = edges[i]!;
      const b = edges[(i * 13 + 5) % edges.length]!;
      const [from, to] = a <= b ? [a, b] : [b, a];
      spans.push({ from: new Date(from), to: new Date(to) });
      spans.push({ from: new Date(from + 1), to: new Date(to + 1) });
      spans.push({ from: new Date(from - 1), to: new Date(from + 30 * MS.second) });
    }
    const counted = await petitionCountsInSpans(db, spans);
    const expected = spans.map((s) => rows.filter((p) => p.row.receivedAt >= s.from && p.row.receivedAt < s.to).length);
    expect(counted).toEqual(expected);
  });
});

const getKpis = (server: TestServer, cookie?: string) =>
  fetch(`${server.url}/api/kpis`, { redirect: 'manual', headers: cookie ? { cookie } : {} });

/** A test server with one petition a minute ago, so the last 24 h are not empty. */
async function serverWithOnePetition(env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer('pglite', env);
  await server.app.writer.write([preparedPetition({ receivedAt: new Date(Date.now() - 60_000) })]);
  return server;
}

// One server at a time: the built app reads its context from one process-wide slot (server/context.ts).
describe('GET /api/kpis (WALL_ACCESS=signed-in)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serverWithOnePetition({ WALL_ACCESS: 'signed-in' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(USER_ROLES)('answers a signed-in %s with the KPIs and their definitions', async (role) => {
    const r = await getKpis(server, await signInAs(server, role));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/json');
    expect(r.headers.get('cache-control')).toContain('no-store');
    const body = (await r.json()) as KpiSnapshot;
    expect(body.volumes.total).toBe(1);
    expect(body.openAlerts).toEqual({ general: 0, key: 0, major: 0, extreme: 0, total: 0 });
    expect(body.growth.week).toMatchObject({ current: 1, previous: 0, rate: null });
    expect(body.timezone).toBe(server.app.region.timezone);
    for (const [name, d] of Object.entries(KPI_DEFINITIONS)) {
      expect(body.definitions[name]).toEqual({ zh: d.zh, en: d.en });
    }
  });

  it('answers a wall kiosk', async () => {
    const token = await createKioskToken(server.app.db, '测试大屏', 'test');
    const opened = await fetch(`${server.url}/wall?kiosk=${token}`, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    const cookie = opened.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const r = await getKpis(server, cookie);
    expect(r.status).toBe(200);
    expect(((await r.json()) as KpiSnapshot).volumes.total).toBe(1);
  });

  it('refuses anonymous callers with 401', async () => {
    const r = await getKpis(server);
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) as string } });
  });

  it('allows only GET', async () => {
    const r = await fetch(`${server.url}/api/kpis`, { method: 'POST' });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET');
  });
});

describe('GET /api/kpis (WALL_ACCESS=open)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serverWithOnePetition({ WALL_ACCESS: 'open' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers anonymous callers, as the wall does', async () => {
    const r = await getKpis(server);
    expect(r.status).toBe(200);
    const body = (await r.json()) as KpiSnapshot;
    expect(body.volumes.total).toBe(1);
    expect(body.definitions.growthWeek!.en).toContain('7 × 24 h');
  });
});
