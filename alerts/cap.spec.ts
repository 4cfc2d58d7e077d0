import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRegionPack } from '../ingest/regions.ts';
import { atomFeed } from './atom.ts';
import { CAP_SEVERITY, capDateTime, capIdentifier, capXml, type CapContext } from './cap.ts';
import { ALERT_SEVERITIES, ALL_SCOPE, type Alert, scopeKeyOf } from './types.ts';

const SCHEMA = fileURLToPath(new URL('../tests/fixtures/standards/cap12.xsd', import.meta.url));
const region = loadRegionPack('suzhou');
const ctx: CapContext = { sender: 'wenkong@320500', region, baseUrl: 'https://wk.example.cn/' };

/** Runs xmllint on `xml` (stdin); `schema` validates against the CAP 1.2 schema, else well-formedness. */
function xmllint(xml: string, schema = true): { status: number | null; stderr: string } {
  const args = schema ? ['--noout', '--schema', SCHEMA, '-'] : ['--noout', '-'];
  const r = spawnSync('xmllint', args, { input: xml, encoding: 'utf8' });
  if (r.error) throw new Error('xmllint could not run (Debian: apt-get install libxml2-utils)', { cause: r.error });
  return { status: r.status, stderr: r.stderr };
}

function expectValidCap(xml: string): void {
  const { status, stderr } = xmllint(xml);
  expect(stderr.replace(/^- validates\n?$/, ''), `xmllint:\n${stderr}\n${xml}`).toBe('');
  expect(status, stderr).toBe(0);
}

function elements(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!);
}

const PETITION_IDS = ['5f0c2a9e-8b1d-4c7e-9a3f-2d6b8e1c4a70', '9d3e7b21-4a6c-4f8e-b1d2-0c5a7e9f3b18'];

let seq = 0;
function alertOf(overrides: Partial<Alert> = {}): Alert {
  seq += 1;
  const scope = overrides.scope ?? { regionCode: '320508', topic: 'labour', channel: null, term: null };
  const raisedAt = new Date('2026-11-03T01:02:03.456Z');
  return {
    id: `0b7c5a4e-1f2d-4c3b-9a8e-${String(seq).padStart(12, '0')}`,
    ruleId: 'volume-region-topic',
    ruleVersion: 1,
    kind: 'volume',
    scopeKey: scopeKeyOf(scope),
    severity: 'key',
    state: 'raised',
    title: { zh: '区域话题信访量异常', en: 'Unusual volume for a region and topic' },
    measures: { count: 12, expected: 2.1, pValue: 0.00012, windowMinutes: 60 },
    score: 64.5,
    factors: [
      { name: 'volume', label: { zh: '信访量', en: 'Volume' }, value: 12, weight: 2, contribution: 24 },
      { name: 'negativity', label: { zh: '负面情感', en: 'Negativity' }, value: 0.8, weight: 30, contribution: 24 },
    ],
    petitionIds: PETITION_IDS,
    signalCount: 1,
    sensitivePeriod: null,
    silenceId: null,
    raisedAt,
    lastSeenAt: raisedAt,
    updatedAt: raisedAt,
    acknowledgedAt: null,
    acknowledgedBy: null,
    actingAt: null,
    resolvedAt: null,
    resolvedBy: null,
    outcome: null,
    notifiedAt: null,
    notifyCount: 0,
    ...overrides,
    scope,
  };
}

const later = new Date('2026-11-03T06:30:00.999Z');

/** One alert of every kind family, severity and state, scoped to a district or to all. */
const CASES: [string, Alert][] = [
  [
    'instant.extreme, raised, first version',
    alertOf({
      kind: 'instant.extreme',
      ruleId: 'extreme-behaviour',
      severity: 'extreme',
      title: { zh: '极端行为苗头', en: 'Extreme behaviour threatened' },
      measures: { grade: 'major' },
    }),
  ],
  [
    'instant.major, acknowledged',
    alertOf({ kind: 'instant.major', severity: 'major', state: 'acknowledged', updatedAt: later }),
  ],
  [
    'instant.planned_mass_action, acting, safety topic',
    alertOf({
      kind: 'instant.planned_mass_action',
      severity: 'major',
      state: 'acting',
      signalCount: 2,
      updatedAt: later,
      scope: { regionCode: '320583', topic: 'safety', channel: 'hotline', term: null },
      sensitivePeriod: '全国两会',
    }),
  ],
  ['volume, resolved', alertOf({ state: 'resolved', signalCount: 4, updatedAt: later })],
  [
    'growth, general, all-region scope',
    alertOf({
      kind: 'growth',
      ruleId: 'growth-week',
      severity: 'general',
      scope: ALL_SCOPE,
      measures: { count: 260, previous: 190, growth: 0.368, period: 'week' },
    }),
  ],
  [
    'negative_index, environment topic',
    alertOf({
      kind: 'negative_index',
      scope: { regionCode: '320509', topic: 'environment', channel: null, term: null },
      measures: { index: 91.2, rise: 24, count: 18 },
    }),
  ],
  [
    'hot_topic with markup and quotes in the term and title',
    alertOf({
      kind: 'hot_topic',
      scope: { regionCode: null, topic: null, channel: null, term: `<欠薪&"'>` },
      title: { zh: `热点<话题>&"突增'`, en: `Hot <topic> & "bursting" 'now'` },
      measures: { count: 9, ratio: 7.5, source: 'terms' },
      signalCount: 3,
      updatedAt: later,
    }),
  ],
  ['joint, major', alertOf({ kind: 'joint', severity: 'major', measures: { petitioners: 6, count: 6 } })],
  [
    'repeat, with petitioner data in measures and scope that must not leak',
    alertOf({
      kind: 'repeat',
      scope: { regionCode: '320508', topic: 'housing', channel: null, term: `petition:${PETITION_IDS[0]}` },
      measures: {
        petitions: 4,
        windowDays: 30,
        overHeads: 'yes',
        petitionId: PETITION_IDS[0]!,
        last: PETITION_IDS[1]!,
        personKey: 'ab12cd34ef56ab78cd90',
        who: 'person:k7Q2',
      },
    }),
  ],
  [
    'instant.planned_mass_action as the engine titles it, with when and where',
    alertOf({
      kind: 'instant.planned_mass_action',
      severity: 'major',
      scope: { regionCode: '320508', topic: 'land', channel: null, term: null },
      title: {
        zh: '预谋群体行动（有时间或地点）：姑苏区 · 征地拆迁，扬言明日聚集',
        en: 'Planned mass action with a time or place: Gusu · Land & demolition, gathering threatened',
      },
      measures: { grade: 'major', people: 30, amountYuan: null, when: '明天上午', where: '市政府门口' },
    }),
  ],
  [
    'unknown district code falls back to the region',
    alertOf({ scope: { regionCode: '110101', topic: null, channel: null, term: null } }),
  ],
];

const caseOf = (prefix: string): Alert => CASES.find(([name]) => name.startsWith(prefix))![1];

describe('capDateTime', () => {
  it('writes whole seconds with the zone offset, never Z or milliseconds', () => {
    const at = new Date('2026-11-03T16:02:03.999Z');
    expect(capDateTime(at, 'Asia/Shanghai')).toBe('2026-11-04T00:02:03+08:00');
    expect(capDateTime(at, 'Asia/Kolkata')).toBe('2026-11-03T21:32:03+05:30');
    expect(capDateTime(at, 'America/New_York')).toBe('2026-11-03T11:02:03-05:00');
    // CAP 1.2 writes UTC as -00:00.
    expect(capDateTime(at, 'UTC')).toBe('2026-11-03T16:02:03-00:00');
  });
});

describe('capXml', () => {
  it.each(CASES)('validates against the CAP 1.2 schema: %s', (_name, alert) => {
    expectValidCap(capXml(alert, ctx));
  });

  it('validates in another time zone too', () => {
    expectValidCap(capXml(caseOf('volume, resolved'), { ...ctx, timezone: 'UTC' }));
  });

  it('maps 一般/重点/重大/extreme to Minor/Moderate/Severe/Extreme in both languages', () => {
    expect(CAP_SEVERITY).toEqual({ general: 'Minor', key: 'Moderate', major: 'Severe', extreme: 'Extreme' });
    for (const severity of ALERT_SEVERITIES) {
      expect(elements(capXml(alertOf({ severity }), ctx), 'severity')).toEqual([
        CAP_SEVERITY[severity],
        CAP_SEVERITY[severity],
      ]);
    }
  });

  it('is Actual, Restricted, with a bilingual restriction, and two infos: zh-CN then en-US', () => {
    const xml = capXml(caseOf('instant.extreme'), ctx);
    expect(
      xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'),
    ).toBe(true);
    expect(elements(xml, 'status')).toEqual(['Actual']);
    expect(elements(xml, 'scope')).toEqual(['Restricted']);
    const [restriction] = elements(xml, 'restriction');
    expect(restriction).toMatch(/仅限/);
    expect(restriction).toMatch(/authorised liaison/);
    expect(elements(xml, 'language')).toEqual(['zh-CN', 'en-US']);
    expect(elements(xml, 'sender')).toEqual(['wenkong@320500']);
  });

  it('sends the first version as Alert, later ones as Update referring to the first', () => {
    const first = caseOf('instant.extreme');
    const firstXml = capXml(first, ctx);
    expect(elements(firstXml, 'msgType')).toEqual(['Alert']);
    expect(elements(firstXml, 'references')).toEqual([]);
    expect(elements(firstXml, 'identifier')).toEqual([`urn:wenkong:alert:${first.id}:1`]);

    const update = { ...first, signalCount: 2, updatedAt: later };
    const updateXml = capXml(update, ctx);
    expect(elements(updateXml, 'msgType')).toEqual(['Update']);
    expect(elements(updateXml, 'identifier')).toEqual([`urn:wenkong:alert:${first.id}:2`]);
    expect(elements(updateXml, 'sent')).toEqual(['2026-11-03T14:30:00+08:00']);
    expect(elements(updateXml, 'references')).toEqual([
      `wenkong@320500,urn:wenkong:alert:${first.id}:1,2026-11-03T09:02:03+08:00`,
    ]);
    // A state change alone is a new version with an identifier of its own.
    const acknowledged = { ...first, state: 'acknowledged' as const, updatedAt: later };
    expect(elements(capXml(acknowledged, ctx), 'msgType')).toEqual(['Update']);
    expect(capIdentifier(acknowledged)).not.toBe(capIdentifier(first));
  });

  it('writes every date-time as the schema pattern demands', () => {
    for (const [, alert] of CASES) {
      const xml = capXml(alert, ctx);
      for (const t of [...elements(xml, 'sent'), ...elements(xml, 'onset')]) {
        expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      }
    }
    expect(elements(capXml(caseOf('instant.extreme'), ctx), 'sent')).toEqual(['2026-11-03T09:02:03+08:00']);
  });

  it('answers Monitor, Execute and AllClear by state; Immediate/Observed only for instant kinds', () => {
    const of = (name: string, element: string) => elements(capXml(caseOf(name), ctx), element);
    expect(of('instant.extreme', 'responseType')).toEqual(['Monitor', 'Monitor']);
    expect(of('instant.major', 'responseType')).toEqual(['Monitor', 'Monitor']);
    expect(of('instant.planned_mass_action, acting', 'responseType')).toEqual(['Execute', 'Execute']);
    expect(of('volume, resolved', 'responseType')).toEqual(['AllClear', 'AllClear']);
    expect(of('volume, resolved', 'msgType')).toEqual(['Update']);
    expect(of('instant.extreme', 'urgency')).toEqual(['Immediate', 'Immediate']);
    expect(of('instant.extreme', 'certainty')).toEqual(['Observed', 'Observed']);
    expect(of('growth', 'urgency')).toEqual(['Expected', 'Expected']);
    expect(of('growth', 'certainty')).toEqual(['Likely', 'Likely']);
  });

  it('files safety under Safety, environment under Env, the rest under Security', () => {
    expect(elements(capXml(caseOf('instant.planned_mass_action, acting'), ctx), 'category')).toEqual([
      'Safety',
      'Safety',
    ]);
    expect(elements(capXml(caseOf('negative_index'), ctx), 'category')).toEqual(['Env', 'Env']);
    expect(elements(capXml(caseOf('instant.extreme'), ctx), 'category')).toEqual(['Security', 'Security']);
  });

  it('places the area at the district centre, or the whole region for an all scope', () => {
    const district = capXml(caseOf('instant.extreme'), ctx);
    expect(elements(district, 'areaDesc')).toEqual(['姑苏区', 'Gusu']);
    expect(elements(district, 'circle')).toEqual(['31.336,120.617 5', '31.336,120.617 5']);
    expect(district).toContain('<valueName>GB/T 2260</valueName>\n        <value>320508</value>');
    const all = capXml(caseOf('growth'), ctx);
    expect(elements(all, 'areaDesc')).toEqual(['苏州市', 'Suzhou']);
    expect(elements(all, 'circle')[0]).toBe('31.32,120.62 50');
    expect(all).toContain('<value>320500</value>');
  });

  it('escapes markup and quotes, keeps Chinese as it is, and keeps headlines under 160 characters', () => {
    const alert = caseOf('hot_topic');
    const xml = capXml(alert, ctx);
    expect(xml).toContain('<event>热点&lt;话题&gt;&amp;&quot;突增&apos;</event>');
    expect(xml).toContain('&lt;欠薪&amp;&quot;&apos;&gt;');
    expect(xml).not.toContain('<欠薪');
    const long = alertOf({ title: { zh: '长'.repeat(300), en: 'long '.repeat(100) } });
    const longXml = capXml(long, ctx);
    expectValidCap(longXml);
    for (const h of elements(longXml, 'headline')) expect([...h].length).toBeLessThanOrEqual(160);
  });

  it('drops characters XML cannot carry', () => {
    const xml = capXml(alertOf({ title: { zh: '控制\u0001字符\uFFFF\uD800', en: 'ctrl\u0008 char 𠀀' } }), ctx);
    expectValidCap(xml);
    expect(elements(xml, 'event')).toEqual(['控制字符', 'ctrl char 𠀀']);
  });

  it('describes the measures in each language, with score and factors as parameters', () => {
    const xml = capXml(caseOf('volume, resolved'), ctx);
    const [zh, en] = elements(xml, 'description');
    expect(zh).toContain('信访量 12');
    expect(zh).toContain('尾部概率 0.00012');
    expect(en).toContain('petitions 12');
    expect(en).toContain('Risk score 64.5');
    expect(elements(xml, 'valueName')).toEqual(
      expect.arrayContaining(['wenkong:riskScore', 'wenkong:factor:volume', 'wenkong:factor:negativity']),
    );
    expect(elements(xml, 'web')).toEqual([
      `https://wk.example.cn/console/alerts/${caseOf('volume, resolved').id}`,
      `https://wk.example.cn/console/alerts/${caseOf('volume, resolved').id}`,
    ]);
    const [zhInstruction] = elements(xml, 'instruction');
    expect(zhInstruction).toMatch(/已解除/);
    expect(elements(capXml(caseOf('instant.extreme'), ctx), 'instruction')[0]).toMatch(/立即报告值班领导/);
  });

  it('does not repeat the place when the title already names it', () => {
    const xml = capXml(caseOf('instant.planned_mass_action as the engine'), ctx);
    expect(elements(xml, 'headline')).toEqual([
      '【重大】预谋群体行动（有时间或地点）：姑苏区 · 征地拆迁，扬言明日聚集',
      '[Major] Planned mass action with a time or place: Gusu · Land &amp; demolition, gathering threatened',
    ]);
    expect(elements(xml, 'description')[0]).toContain('等级 重大；涉及人数 30；时间 明天上午；地点 市政府门口');
  });

  it('never carries a petition id or petitioner key', () => {
    for (const [, alert] of CASES) {
      const xml = capXml(alert, ctx);
      for (const id of PETITION_IDS) expect(xml).not.toContain(id);
      expect(xml).not.toContain('ab12cd34ef56ab78cd90');
      expect(xml).not.toContain('person:');
      expect(xml).not.toContain('petition:');
    }
  });
});

describe('atomFeed', () => {
  const alerts = CASES.map(([, a]) => a);
  const feed = atomFeed(alerts, {
    ...ctx,
    selfUrl: 'https://wk.example.cn/api/alerts.atom',
    updated: later,
  });

  it('is well-formed Atom with one entry per alert', () => {
    const { status, stderr } = xmllint(feed, false);
    expect(stderr, feed).toBe('');
    expect(status).toBe(0);
    expect(feed).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(feed).toContain(
      '<link rel="self" type="application/atom+xml" href="https://wk.example.cn/api/alerts.atom"/>',
    );
    expect(elements(feed, 'name')).toHaveLength(1);
    expect(feed.match(/<entry>/g)).toHaveLength(alerts.length);
    expect(elements(feed, 'id')).toEqual([
      'urn:wenkong:alerts:320500',
      ...alerts.map((a) => `urn:wenkong:alert:${a.id}`),
    ]);
    expect(elements(feed, 'updated')[0]).toBe('2026-11-03T14:30:00+08:00');
    for (const a of alerts) {
      expect(feed).toContain(
        `<link rel="alternate" type="application/cap+xml" href="https://wk.example.cn/api/alerts/${a.id}.cap.xml"/>`,
      );
    }
    expect(elements(feed, 'title')[1]).toBe('【极端】极端行为苗头 · 姑苏区 · 劳动社保');
  });

  it('embeds a valid CAP alert in each entry', () => {
    const embedded = [
      ...feed.matchAll(/<content type="application\/cap\+xml">\n(<alert [\s\S]*?<\/alert>)\n\s*<\/content>/g),
    ];
    expect(embedded).toHaveLength(alerts.length);
    for (const [, cap] of embedded) expectValidCap(cap!);
  });

  it('is empty but valid with no alerts', () => {
    const empty = atomFeed([], { ...ctx, selfUrl: 'https://wk.example.cn/api/alerts.atom', updated: later });
    expect(xmllint(empty, false).status).toBe(0);
    expect(empty).not.toContain('<entry>');
  });

  it('never carries a petition id', () => {
    for (const id of PETITION_IDS) expect(feed).not.toContain(id);
  });
});
