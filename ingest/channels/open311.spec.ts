import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { TOPIC_CODES } from '../taxonomy.ts';
import type { ChannelRecord } from './adapter.ts';
import {
  listServices,
  parseRequestQuery,
  parseW3cDatetime,
  recordErrorsToOpen311,
  render,
  requestCreatedView,
  requestToRecord,
  requestView,
  serviceDefinition,
  splitFormat,
  tokenView,
  w3cDatetime,
  type StoredRequestView,
} from './open311.ts';
import { escapeXml, xmlElement } from './open311-xml.ts';

const now = new Date('2026-12-01T08:00:00Z');
const token = 'tok-0001';
const LISTS = new Set(['services.service', 'service_requests.request', 'errors.error']);
const parser = new XMLParser({ parseTagValue: false, isArray: (_name, jpath) => LISTS.has(jpath as string) });
const parseXml = (xml: string) => parser.parse(xml) as Record<string, unknown>;

const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const valid = {
  api_key: 'secret-key',
  service_code: 'housing',
  lat: '31.336',
  long: '120.617',
  address_string: '苏州市姑苏区人民路 100 号',
  description: '  小区电梯坏了两个月，物业不修。  ',
  first_name: '三',
  last_name: '张',
  phone: '138-1234-5678',
  email: 'zhang@example.cn',
  media_url: 'https://example.cn/photo.jpg',
  'attribute[floor]': '12',
};
const toRecord = (fields: URLSearchParams | Record<string, unknown>) =>
  requestToRecord(fields, {
    now,
    token,
    resolvePoint: (lng, lat) => (Math.abs(lng - 120.617) < 0.05 && Math.abs(lat - 31.336) < 0.05 ? '320508' : null),
    resolveAddress: (address) => (address.includes('昆山') ? '320583' : null),
  });
const rejectedFields = (record: ChannelRecord) => (record.ok ? [] : (record.fields ?? []).map((f) => f.field));

describe('splitFormat', () => {
  it('splits a name from json or xml and refuses anything else', () => {
    expect(splitFormat('requests.json')).toEqual({ name: 'requests', format: 'json' });
    expect(splitFormat('0192f1a2-7c3d-7e00-8000-000000000001.xml')).toEqual({
      name: '0192f1a2-7c3d-7e00-8000-000000000001',
      format: 'xml',
    });
    for (const bad of ['requests', 'requests.html', '.json', 'requests.', 'a/b.json', 'requests.JSON']) {
      expect(splitFormat(bad), bad).toBeNull();
    }
  });
});

describe('services', () => {
  it('lists one realtime service per topic, Chinese name with English in the description', () => {
    const services = listServices();
    expect(services.map((s) => s.service_code)).toEqual(TOPIC_CODES);
    expect(services[0]).toEqual({
      service_code: 'labour',
      service_name: '劳动社保',
      description: '劳动社保 — Labour & social insurance',
      metadata: false,
      type: 'realtime',
      keywords: '劳动社保, Labour & social insurance',
      group: '信访 Petitions',
    });
  });

  it('renders JSON as the spec’s array', () => {
    const { body, contentType } = render('services', listServices(), 'json');
    expect(contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(body)).toEqual(listServices());
  });

  it('renders XML as <services><service>, with & escaped', () => {
    const { body, contentType } = render('services', listServices(), 'xml');
    expect(contentType).toBe('application/xml; charset=utf-8');
    expect(body.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<services><service>')).toBe(true);
    expect(body).toContain('<description>劳动社保 — Labour &amp; social insurance</description>');
    const doc = parseXml(body) as { services: { service: Record<string, string>[] } };
    expect(doc.services.service).toHaveLength(TOPIC_CODES.length);
    expect(doc.services.service[1]).toEqual({
      service_code: 'land',
      service_name: '征地拆迁',
      description: '征地拆迁 — Land & demolition',
      metadata: 'false',
      type: 'realtime',
      keywords: '征地拆迁, Land & demolition',
      group: '信访 Petitions',
    });
  });

  it('defines a known service with no attributes and nothing for an unknown one', () => {
    expect(serviceDefinition('housing')).toEqual({ service_code: 'housing', attributes: [] });
    expect(serviceDefinition('potholes')).toBeNull();
    expect(serviceDefinition('toString')).toBeNull();
    const xml = render('service_definition', serviceDefinition('housing'), 'xml').body;
    expect(xml).toContain('<service_definition><service_code>housing</service_code><attributes/></service_definition>');
    expect(parseXml(xml)).toMatchObject({ service_definition: { service_code: 'housing', attributes: '' } });
    expect(JSON.parse(render('service_definition', serviceDefinition('housing'), 'json').body)).toEqual({
      service_code: 'housing',
      attributes: [],
    });
  });
});

describe('XML writer', () => {
  it('escapes the five special characters and drops characters XML cannot carry', () => {
    expect(escapeXml(`a & b < c > d " e ' f`)).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f');
    expect(escapeXml('x\u0000y\u0007z\u001b\u007f\u0085\uFFFE\uD800!')).toBe('xyz!');
    expect(escapeXml('tab\tnl\ncr\r😀')).toBe('tab\tnl\ncr\r😀');
  });

  it('round-trips hostile text through a parser', () => {
    const nasty = `</description><script>alert('x')</script> & ]]> "q"\u0001`;
    const xml = render('errors', [{ code: 400, description: nasty }], 'xml').body;
    expect(xml).not.toContain('<script>');
    const doc = parseXml(xml) as { errors: { error: { code: string; description: string }[] } };
    expect(doc.errors.error).toEqual([{ code: '400', description: nasty.replace('\u0001', '') }]);
  });

  it('writes null as an empty element, leaves undefined out and refuses unusable element names', () => {
    expect(xmlElement('r', { a: null, b: undefined, c: 0, d: true })).toBe('<r><a/><c>0</c><d>true</d></r>');
    expect(xmlElement('attributes', [{ values: [{ key: 1 }] }])).toBe(
      '<attributes><attribute><values><value><key>1</key></value></values></attribute></attributes>',
    );
    expect(() => xmlElement('a b', 'x')).toThrow(/element name/);
  });

  it('wraps a single error in the list and writes <errors><error>', () => {
    const one = { code: 404, description: 'service_request_id not found' };
    expect(JSON.parse(render('errors', one, 'json').body)).toEqual([one]);
    const xml = render('errors', one, 'xml').body;
    expect(xml).toContain(
      '<errors><error><code>404</code><description>service_request_id not found</description></error></errors>',
    );
  });
});

describe('requestToRecord', () => {
  it('maps a full request to an open311 petition, keeping the original without the API key', () => {
    const record = toRecord(form(valid));
    expect(record).toEqual({
      ok: true,
      input: {
        channel: 'open311',
        text: '小区电梯坏了两个月，物业不修。',
        receivedAt: '2026-12-01T08:00:00.000Z',
        regionCode: '320508',
        externalId: 'open311:tok-0001',
        contact: {
          name: '张三',
          phone: '138-1234-5678',
          email: 'zhang@example.cn',
          address: '苏州市姑苏区人民路 100 号',
        },
      },
      original: { format: 'json', content: expect.any(String) as string, position: token },
    });
    const kept = JSON.parse(record.original.content) as Record<string, unknown>;
    expect(kept).not.toHaveProperty('api_key');
    expect(kept).toMatchObject({ media_url: 'https://example.cn/photo.jpg', 'attribute[floor]': '12' });
  });

  it('takes a JSON body too, with numbers for coordinates and nested attributes', () => {
    const record = toRecord({
      service_code: 'environment',
      lat: 31.385,
      long: 120.981,
      description: '工厂夜间排放异味',
      attribute: { smell: 'strong', days: ['mon', 'tue'] },
    });
    expect(record.ok).toBe(true);
    expect(record.ok && record.input).toMatchObject({ channel: 'open311', text: '工厂夜间排放异味' });
    // Kunshan is outside the test resolver's box: no district rather than a wrong one.
    expect(record.ok && record.input.regionCode).toBeUndefined();
    expect(JSON.parse(record.original.content)).toMatchObject({ attribute: { smell: 'strong' } });
  });

  it('falls back to the address for the district, and accepts address_id alone as the location', () => {
    const byAddress = toRecord(form({ service_code: 'labour', address_string: '昆山市前进路', description: '欠薪' }));
    expect(byAddress.ok && byAddress.input.regionCode).toBe('320583');
    const byId = toRecord(form({ service_code: 'labour', address_id: 'A-1', description: '欠薪' }));
    expect(byId.ok).toBe(true);
    expect(byId.ok && byId.input.regionCode).toBeUndefined();
  });

  it('orders Chinese names family first with no space, others first last', () => {
    const name = (first_name: string, last_name: string) => {
      const r = toRecord(form({ service_code: 'other', address_id: 'x', description: 'd', first_name, last_name }));
      return r.ok ? r.input.contact?.name : `rejected: ${rejectedFields(r).join()}`;
    };
    expect(name('小明', '欧阳')).toBe('欧阳小明');
    expect(name('Ming', 'Wang')).toBe('Ming Wang');
    expect(name('Ming', '王')).toBe('Ming 王');
    expect(name('', '王')).toBe('王');
    expect(name('Ming', '')).toBe('Ming');
  });

  it('rejects a missing or unknown service_code, listing the valid codes', () => {
    const missing = toRecord(form({ address_id: 'x', description: 'd' }));
    expect(missing).toMatchObject({ ok: false, stage: 'validate' });
    expect(rejectedFields(missing)).toEqual(['service_code']);
    const unknown = toRecord(form({ service_code: 'potholes', address_id: 'x', description: 'd' }));
    expect(rejectedFields(unknown)).toEqual(['service_code']);
    const [error] = recordErrorsToOpen311(unknown);
    expect(error?.code).toBe(400);
    expect(error?.description).toMatch(/^service_code "potholes" is not a service here; one of labour, land, /);
    expect(error?.description).toContain('public_service, other');
  });

  it('requires a location', () => {
    const r = toRecord(form({ service_code: 'other', description: 'd', lat: '', address_string: '  ' }));
    expect(rejectedFields(r)).toEqual(['location']);
    expect(recordErrorsToOpen311(r)).toEqual([
      { code: 400, description: 'location is required: give lat and long, address_string or address_id' },
    ]);
  });

  it('checks coordinates: numbers in range, both or neither', () => {
    const base = { service_code: 'other', description: 'd' };
    expect(rejectedFields(toRecord(form({ ...base, lat: '91', long: '120' })))).toEqual(['lat']);
    expect(rejectedFields(toRecord(form({ ...base, lat: '31', long: '-180.5' })))).toEqual(['long']);
    expect(rejectedFields(toRecord(form({ ...base, lat: '1e1', long: 'east' })))).toEqual(['lat', 'long']);
    expect(rejectedFields(toRecord(form({ ...base, lat: '31.3' })))).toEqual(['long']);
    expect(toRecord(form({ ...base, lat: '-90', long: '180' })).ok).toBe(true);
  });

  it('requires a description of at most 4000 characters, counting code points', () => {
    const base = { service_code: 'other', address_id: 'x' };
    expect(rejectedFields(toRecord(form(base)))).toEqual(['description']);
    expect(rejectedFields(toRecord(form({ ...base, description: ' \n ' })))).toEqual(['description']);
    expect(rejectedFields(toRecord(form({ ...base, description: 'a'.repeat(4001) })))).toEqual(['description']);
    expect(toRecord(form({ ...base, description: '𠀀'.repeat(4000) })).ok).toBe(true);
  });

  it('refuses a media_url that is not http(s), a repeated field and a non-scalar JSON value', () => {
    const base = { service_code: 'other', address_id: 'x', description: 'd' };
    expect(rejectedFields(toRecord(form({ ...base, media_url: 'javascript:alert(1)' })))).toEqual(['media_url']);
    const twice = new URLSearchParams(base);
    twice.append('service_code', 'labour');
    expect(rejectedFields(toRecord(twice))).toEqual(['service_code']);
    expect(rejectedFields(toRecord({ ...base, description: { text: 'd' } }))).toEqual(['description']);
  });

  it('reports the petition validator’s problems under Open311 parameter names', () => {
    const r = toRecord(
      form({ service_code: 'other', address_id: 'x', description: 'd', phone: 'call me', email: 'nobody' }),
    );
    expect(r).toMatchObject({ ok: false, stage: 'validate' });
    expect(rejectedFields(r)).toEqual(['phone', 'email']);
    expect(recordErrorsToOpen311(r).map((e) => e.description)).toEqual([
      'phone must be a phone number of digits, spaces, ( ) or -',
      'email must be an e-mail address like name@example.cn',
    ]);
    expect(recordErrorsToOpen311(toRecord(form(valid)))).toEqual([]);
  });

  it('refuses an empty token as a programming error', () => {
    expect(() => requestToRecord(form(valid), { now, token: '' })).toThrow(/token/);
  });
});

describe('views', () => {
  const stored: StoredRequestView = {
    id: '0192f1a2-7c3d-7e00-8000-000000000001',
    topic: 'housing',
    summary: '电梯故障 & 物业',
    receivedAt: new Date('2026-11-30T17:05:09.123Z'),
    updatedAt: new Date('2026-12-01T00:00:00Z'),
    status: 'open',
    statusNotes: null,
    agency: '姑苏区住建局',
    expectedAt: null,
    address: '人民路 100 号',
    lat: 31.336,
    long: 120.617,
    mediaUrl: null,
  };

  it('formats datetimes as W3C with +08:00', () => {
    expect(w3cDatetime(new Date('2026-11-30T17:05:09.123Z'))).toBe('2026-12-01T01:05:09+08:00');
    const view = requestView({ ...stored, expectedAt: new Date('2026-12-15T16:00:00Z') });
    expect(view).toMatchObject({
      requested_datetime: '2026-12-01T01:05:09+08:00',
      updated_datetime: '2026-12-01T08:00:00+08:00',
      expected_datetime: '2026-12-16T00:00:00+08:00',
    });
    for (const key of ['requested_datetime', 'updated_datetime', 'expected_datetime']) {
      expect(new Date(view[key] as string).getTime()).not.toBeNaN();
    }
  });

  it('has the spec’s fields in order, null where we have nothing', () => {
    const view = requestView(stored);
    expect(Object.keys(view)).toEqual([
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'address',
      'address_id',
      'zipcode',
      'lat',
      'long',
      'media_url',
    ]);
    expect(view).toMatchObject({ service_name: '住房物业', service_code: 'housing', expected_datetime: null });
  });

  it('renders requests as <service_requests><request> with empty elements for null', () => {
    const xml = render('requests', [requestView(stored)], 'xml').body;
    expect(xml).toContain('<status_notes/>');
    expect(xml).toContain('<description>电梯故障 &amp; 物业</description>');
    const doc = parseXml(xml) as { service_requests: { request: Record<string, string>[] } };
    expect(doc.service_requests.request).toHaveLength(1);
    expect(doc.service_requests.request[0]).toMatchObject({
      service_request_id: stored.id,
      requested_datetime: '2026-12-01T01:05:09+08:00',
      lat: '31.336',
      long: '120.617',
      media_url: '',
    });
    expect(JSON.parse(render('requests', [], 'json').body)).toEqual([]);
    expect(render('requests', [], 'xml').body).toContain('<service_requests/>');
  });

  it('renders a created request and a token lookup per the spec', () => {
    const created = render('request_created', requestCreatedView({ id: null, token }), 'xml').body;
    expect(created).toMatch(
      /<service_requests><request><service_request_id\/><token>tok-0001<\/token><service_notice>[^<]+<\/service_notice><account_id\/><\/request><\/service_requests>/,
    );
    expect(JSON.parse(render('tokens', [tokenView(token, stored.id)], 'json').body)).toEqual([
      { service_request_id: stored.id, token },
    ]);
    expect(render('tokens', tokenView(token, stored.id), 'xml').body).toContain(
      `<service_requests><request><service_request_id>${stored.id}</service_request_id><token>tok-0001</token></request></service_requests>`,
    );
  });

  it('turns Dates anywhere in a rendered value into +08:00 datetimes', () => {
    const body = render('tokens', { at: new Date('2026-12-01T00:00:00Z') }, 'json').body;
    expect(JSON.parse(body)).toEqual([{ at: '2026-12-01T08:00:00+08:00' }]);
  });
});

describe('parseRequestQuery', () => {
  const parse = (query: string) => parseRequestQuery(new URLSearchParams(query), now);
  const errors = (query: string) => {
    const r = parse(query);
    return r.ok ? [] : r.errors.map((e) => e.description);
  };

  it('defaults to the last 90 days, every code and status, 1000 results', () => {
    expect(parse('api_key=k&jurisdiction_id=suzhou.gov.cn')).toEqual({
      ok: true,
      query: {
        ids: null,
        serviceCodes: null,
        start: new Date('2026-09-02T08:00:00Z'),
        end: now,
        statuses: null,
        limit: 1000,
      },
    });
  });

  it('reads codes, statuses and dates', () => {
    const r = parse(
      'service_code=housing,labour&service_code=housing&status=open&start_date=2026-11-01T00:00:00%2B08:00&end_date=2026-11-30',
    );
    expect(r).toEqual({
      ok: true,
      query: {
        ids: null,
        serviceCodes: ['housing', 'labour'],
        start: new Date('2026-10-31T16:00:00Z'),
        end: new Date('2026-11-30T15:59:59.999Z'),
        statuses: ['open'],
        limit: 1000,
      },
    });
  });

  it('lets service_request_id override every other parameter', () => {
    const r = parse('service_request_id=a1, b2,a1&status=bogus&start_date=nonsense');
    expect(r.ok && r.query.ids).toEqual(['a1', 'b2']);
    expect(r.ok && r.query.statuses).toBeNull();
    expect(r.ok && r.query.start.getTime()).toBe(0);
  });

  it('extends a lone date by 90 days, capped at now', () => {
    const fromStart = parse('start_date=2026-11-01T00:00:00Z');
    expect(fromStart.ok && fromStart.query.end).toEqual(now);
    const old = parse('start_date=2026-01-01T00:00:00Z');
    expect(old.ok && old.query.end).toEqual(new Date('2026-04-01T00:00:00Z'));
    const toEnd = parse('end_date=2026-11-01T00:00:00Z');
    expect(toEnd.ok && toEnd.query.start).toEqual(new Date('2026-08-03T00:00:00Z'));
  });

  it('reads an unencoded + in an offset, which arrives as a space', () => {
    const r = parse('start_date=2026-11-01T00:00:00+08:00');
    expect(r.ok && r.query.start).toEqual(new Date('2026-10-31T16:00:00Z'));
  });

  it('names the parameter in each error, all at once', () => {
    const r = parse('service_code=potholes&status=pending&start_date=yesterday');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.every((e) => e.code === 400)).toBe(true);
    expect(errors('service_code=potholes&status=pending&start_date=yesterday')).toEqual([
      expect.stringMatching(/^service_code "potholes" not known; one of labour, /) as string,
      'status must be open, closed or both comma-separated, not "pending"',
      'start_date must be a W3C datetime with offset, e.g. 2026-12-01T00:00:00+08:00',
    ]);
  });

  it('refuses reversed, too wide, future and offset-less ranges', () => {
    expect(errors('start_date=2026-11-02T00:00:00Z&end_date=2026-11-01T00:00:00Z')).toEqual([
      'start_date is after end_date',
    ]);
    expect(errors('start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z')).toEqual([
      'start_date and end_date may not be more than 90 days apart',
    ]);
    expect(errors('start_date=2027-01-01T00:00:00Z')).toEqual(['start_date is in the future']);
    expect(errors('end_date=2026-11-01T00:00:00')).toEqual([
      'end_date must be a W3C datetime with offset, e.g. 2026-12-01T00:00:00+08:00',
    ]);
  });

  it('refuses too many or malformed ids', () => {
    const many = Array.from({ length: 201 }, (_, i) => `id${i}`).join(',');
    expect(errors(`service_request_id=${many}`)).toEqual(['service_request_id lists 201 ids; at most 200 are allowed']);
    expect(errors('service_request_id=a1,%27%3B%20drop')).toEqual([`service_request_id "'; drop" is not a request id`]);
  });
});

describe('parseW3cDatetime', () => {
  it('takes the W3C forms with an offset, and bare dates at +08:00', () => {
    expect(parseW3cDatetime('2026-12-01T09:30Z')).toEqual(new Date('2026-12-01T09:30:00Z'));
    expect(parseW3cDatetime('2026-12-01T09:30:15.5-05:00')).toEqual(new Date('2026-12-01T14:30:15.500Z'));
    expect(parseW3cDatetime('2026-12-01')).toEqual(new Date('2026-11-30T16:00:00Z'));
    expect(parseW3cDatetime('0099-01-01T00:00:00Z')?.getUTCFullYear()).toBe(99);
    for (const bad of ['2026-02-30', '2026-12-01T24:00:00Z', '2026-12-01T09:30:00+15:00', '2026-12-1', 'now']) {
      expect(parseW3cDatetime(bad), bad).toBeNull();
    }
  });
});
