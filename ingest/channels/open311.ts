/**
 * The pure part of the Open311 GeoReport v2 server (http://wiki.open311.org/GeoReport_v2): format
 * negotiation by file extension, the service list, rendering in JSON or XML, mapping a POSTed service
 * request to a petition record, the public view of a stored request, and the GET requests query. The
 * SvelteKit routes only add HTTP, API keys and the database.
 *
 * Services are the topics of ../taxonomy.ts: a citizen's "service" is the kind of matter they raise.
 */
import { TOPICS, TOPIC_CODES, type TopicCode } from '../taxonomy.ts';
import type { Contact, PetitionInput } from '../petition.ts';
import { validatePetition, type FieldError } from '../validate.ts';
import { rejectRecord, type ChannelRecord, type Original } from './adapter.ts';
import { xmlDocument } from './open311-xml.ts';

/** The two response formats of GeoReport v2, chosen by the path's extension. */
export type Open311Format = 'json' | 'xml';

/**
 * Splits a path segment like `requests.json` into its name and format; `null` when it has no name or
 * its extension is not `json` or `xml` (the route then answers 404, as for an unknown path).
 */
export function splitFormat(file: string): { name: string; format: Open311Format } | null {
  const dot = file.lastIndexOf('.');
  if (dot <= 0) return null;
  const name = file.slice(0, dot);
  const format = file.slice(dot + 1);
  if (name.includes('/') || (format !== 'json' && format !== 'xml')) return null;
  return { name, format };
}

/** One entry of `services.{fmt}`. */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  /** Whether `services/{code}` has attributes to fill in; ours never do. */
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

/** The group every service is listed under. */
export const SERVICE_GROUP = '信访 Petitions';

function isTopicCode(code: string): code is TopicCode {
  return Object.hasOwn(TOPICS, code);
}

/**
 * One service per topic, in taxonomy order. The name is Chinese (what the citizen reads); the
 * description adds the English for foreign clients. `realtime` because a request becomes a petition
 * (or is refused) while the client waits, though the id is issued through the token.
 */
export function listServices(): Open311Service[] {
  return TOPIC_CODES.map((code) => {
    const { zh, en } = TOPICS[code];
    return {
      service_code: code,
      service_name: zh,
      description: `${zh} — ${en}`,
      metadata: false,
      type: 'realtime',
      keywords: `${zh}, ${en}`,
      group: SERVICE_GROUP,
    };
  });
}

/** The definition at `services/{code}`: no attributes (metadata is false); `null` for an unknown code. */
export function serviceDefinition(code: string): { service_code: string; attributes: [] } | null {
  return isTopicCode(code) ? { service_code: code, attributes: [] } : null;
}

/** One entry of an Open311 error response; `code` is the HTTP status it goes with. */
export interface Open311Error {
  code: number;
  description: string;
}

/** What `render` can write; each has its own root and item element names in XML. */
export type Open311Kind = 'services' | 'service_definition' | 'requests' | 'tokens' | 'errors' | 'request_created';

/** XML root element per kind; the item names (service, request, error) follow from the root. */
const XML_ROOTS: Record<Open311Kind, string> = {
  services: 'services',
  service_definition: 'service_definition',
  requests: 'service_requests',
  tokens: 'service_requests',
  errors: 'errors',
  request_created: 'service_requests',
};

/** The offset we write datetimes in: China Standard Time, which has had no daylight saving since 1991. */
const OFFSET = '+08:00';
const OFFSET_MS = 8 * 3_600_000;

/** `t` as a W3C datetime at +08:00, whole seconds: e.g. `2026-12-01T16:30:00+08:00`. */
export function w3cDatetime(t: Date): string {
  return `${new Date(t.getTime() + OFFSET_MS).toISOString().slice(0, 19)}${OFFSET}`;
}

/** Dates anywhere in a view become W3C datetimes, so JSON and XML agree. */
function withDatetimes(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : w3cDatetime(value);
  if (Array.isArray(value)) return value.map(withDatetimes);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDatetimes(v)]));
  }
  return value;
}

/**
 * Serialises a view for the response body. Every kind but `service_definition` is a list in the spec,
 * so a single object is wrapped in one. XML follows the spec's element names: `<services><service>`,
 * `<service_requests><request>` (requests, tokens, request_created), `<errors><error>`,
 * `<service_definition>`; `null` is an empty element.
 */
export function render(
  kind: Open311Kind,
  value: unknown,
  format: Open311Format,
): { body: string; contentType: string } {
  let v = withDatetimes(value);
  if (kind !== 'service_definition' && !Array.isArray(v)) v = v === null || v === undefined ? [] : [v];
  if (format === 'json') return { body: JSON.stringify(v ?? null), contentType: 'application/json; charset=utf-8' };
  return { body: xmlDocument(XML_ROOTS[kind], v), contentType: 'application/xml; charset=utf-8' };
}

/** The longest description GeoReport v2 allows. */
export const MAX_DESCRIPTION_CHARS = 4000;
const MAX_ADDRESS_ID_CHARS = 200;
const MAX_URL_CHARS = 2048;
/** Never kept with the original: it is a credential, and originals are shown with rejections. */
const SECRET_FIELDS = new Set(['api_key']);
/** Fields we read as one value; a repeat is more likely a client bug than something to pick from. */
const SINGLE_FIELDS = [
  'service_code',
  'lat',
  'long',
  'address_string',
  'address_id',
  'description',
  'first_name',
  'last_name',
  'phone',
  'email',
  'media_url',
] as const;

/** Options of `requestToRecord`. */
export interface RequestToRecordOptions {
  /** When the request arrived; it becomes the petition's `receivedAt`. */
  now: Date;
  /** The client-visible token issued for this request; the petition's external id is `open311:<token>`. */
  token: string;
  /** The 6-digit district code containing a point, if any. */
  resolvePoint?: (lng: number, lat: number) => string | null;
  /** The 6-digit district code an address names, if any; used when there is no point or it resolves to none. */
  resolveAddress?: (address: string) => string | null;
}

/** Form fields as name → values; a JSON body's scalars are stringified, `attribute: {k: v}` → `attribute[k]`. */
type FieldValues = Map<string, string[]>;

function add(map: FieldValues, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function fromJson(body: Record<string, unknown>, errors: FieldError[]): FieldValues {
  const map: FieldValues = new Map();
  const scalar = (key: string, v: unknown): void => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') add(map, key, v);
    else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') add(map, key, String(v));
    else errors.push({ field: key, message: 'must be a string or a number' });
  };
  for (const [key, v] of Object.entries(body)) {
    if (key === 'attribute' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [code, av] of Object.entries(v)) {
        if (Array.isArray(av)) for (const item of av) scalar(`attribute[${code}][]`, item);
        else scalar(`attribute[${code}]`, av);
      }
    } else if (Array.isArray(v)) {
      for (const item of v) scalar(key, item);
    } else {
      scalar(key, v);
    }
  }
  return map;
}

function fromForm(fields: URLSearchParams): FieldValues {
  const map: FieldValues = new Map();
  for (const [key, value] of fields) add(map, key, value);
  return map;
}

/** The original as kept: every field but the API key; a repeated field as an array, so nothing is lost. */
function originalOf(source: URLSearchParams | Record<string, unknown>, token: string): Original {
  let kept: Record<string, unknown>;
  if (source instanceof URLSearchParams) {
    kept = {};
    for (const [key, values] of fromForm(source)) kept[key] = values.length === 1 ? values[0] : values;
  } else {
    kept = { ...source };
  }
  for (const key of SECRET_FIELDS) delete kept[key];
  return { format: 'json', content: JSON.stringify(kept), position: token };
}

const HAN_NAME = /^[\p{Script=Han}·・]+$/u;

/**
 * The petitioner's name from Open311's split fields. Chinese names are written family name first with
 * no space (张 + 三 → 张三); others as "first last".
 */
export function joinName(first: string | undefined, last: string | undefined): string | undefined {
  if (first && last) return HAN_NAME.test(first) && HAN_NAME.test(last) ? `${last}${first}` : `${first} ${last}`;
  return first || last || undefined;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function coordinate(raw: string, field: 'lat' | 'long', errors: FieldError[]): number | undefined {
  const limit = field === 'lat' ? 90 : 180;
  const n = DECIMAL.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n < -limit || n > limit) {
    errors.push({ field, message: `must be a decimal number from -${limit} to ${limit} (WGS84 degrees)` });
    return undefined;
  }
  return n;
}

function isHttpUrl(raw: string): boolean {
  if (raw.length > MAX_URL_CHARS) return false;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** validatePetition's field names are ours; an Open311 client should read its own parameter names. */
function toOpen311Field(field: string, nameFields: string): string {
  switch (field) {
    case 'text':
      return 'description';
    case 'contact.name':
      return nameFields;
    case 'contact.phone':
      return 'phone';
    case 'contact.email':
      return 'email';
    case 'contact.address':
      return 'address_string';
    case 'externalId':
      return 'token';
    default:
      return field;
  }
}

function rejection(original: Original, errors: FieldError[]): ChannelRecord {
  const reason = `Open311 request not accepted: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`;
  return rejectRecord(original, 'validate', reason, errors);
}

/**
 * Maps the body of `POST requests.{fmt}` (form fields, or a JSON object) to a petition record for
 * channel `open311`. Required: a known `service_code`, a location (`lat` + `long`, `address_string` or
 * `address_id`) and a `description` of 1 to 4,000 characters. `first_name`/`last_name`, `phone`,
 * `email` and `address_string` become the contact; the district comes from the point, else the
 * address. `media_url` (http or https), `address_id`, `device_id`, `account_id`, `attribute[…]` and
 * any other fields are checked where the spec says how, and kept only in the original. Empty fields
 * count as absent, as HTML forms send them. Every problem is a rejection at stage `validate` whose
 * fields carry the Open311 parameter names; `recordErrorsToOpen311` turns it into the error response.
 *
 * The chosen `service_code` is not part of PetitionInput: it is in the original, and the analyser
 * assigns the topic from the text.
 */
export function requestToRecord(
  fields: URLSearchParams | Record<string, unknown>,
  options: RequestToRecordOptions,
): ChannelRecord {
  const { now, token } = options;
  // The token is ours, not the client's: a bad one is a server bug, not a 400.
  if (token.length === 0 || token.length > 190) throw new Error('requestToRecord: token must be 1 to 190 characters');
  const original = originalOf(fields, token);
  const errors: FieldError[] = [];
  const values = fields instanceof URLSearchParams ? fromForm(fields) : fromJson(fields, errors);

  const get: Partial<Record<(typeof SINGLE_FIELDS)[number], string>> = {};
  for (const key of SINGLE_FIELDS) {
    const all = (values.get(key) ?? []).map((v) => v.trim()).filter((v) => v !== '');
    if (all.length > 1) errors.push({ field: key, message: 'is given more than once' });
    else if (all.length === 1) get[key] = all[0];
  }

  const code = get.service_code;
  if (code === undefined) {
    if (!errors.some((e) => e.field === 'service_code')) {
      errors.push({ field: 'service_code', message: `is required; one of ${TOPIC_CODES.join(', ')}` });
    }
  } else if (!isTopicCode(code)) {
    errors.push({
      field: 'service_code',
      message: `"${code.slice(0, 40)}" is not a service here; one of ${TOPIC_CODES.join(', ')}`,
    });
  }

  let lat: number | undefined;
  let lng: number | undefined;
  if (get.lat !== undefined) lat = coordinate(get.lat, 'lat', errors);
  if (get.long !== undefined) lng = coordinate(get.long, 'long', errors);
  if (get.lat !== undefined && get.long === undefined) errors.push({ field: 'long', message: 'is required with lat' });
  if (get.long !== undefined && get.lat === undefined) errors.push({ field: 'lat', message: 'is required with long' });
  if (get.address_id !== undefined && get.address_id.length > MAX_ADDRESS_ID_CHARS) {
    errors.push({ field: 'address_id', message: `must be at most ${MAX_ADDRESS_ID_CHARS} characters` });
  }
  const locationFields = ['lat', 'long', 'address_string', 'address_id'];
  const located = [get.lat, get.long, get.address_string, get.address_id].some((v) => v !== undefined);
  if (!located) {
    // A location field that was given but wrong has its own error already.
    if (!errors.some((e) => locationFields.includes(e.field))) {
      errors.push({ field: 'location', message: 'is required: give lat and long, address_string or address_id' });
    }
  }

  const description = get.description;
  if (description === undefined) {
    if (!errors.some((e) => e.field === 'description')) errors.push({ field: 'description', message: 'is required' });
  } else {
    // Code points, not UTF-16 units: a CJK extension character is one character to the citizen.
    const chars = [...description].length;
    if (chars > MAX_DESCRIPTION_CHARS) {
      errors.push({ field: 'description', message: `is ${chars} characters; at most ${MAX_DESCRIPTION_CHARS}` });
    }
  }

  if (get.media_url !== undefined && !isHttpUrl(get.media_url)) {
    errors.push({ field: 'media_url', message: `must be an http or https URL of at most ${MAX_URL_CHARS} characters` });
  }

  if (errors.length > 0) return rejection(original, errors);

  const contact: Contact = {};
  const name = joinName(get.first_name, get.last_name);
  if (name) contact.name = name;
  if (get.phone) contact.phone = get.phone;
  if (get.email) contact.email = get.email;
  if (get.address_string) contact.address = get.address_string;

  let regionCode: string | null = null;
  if (lat !== undefined && lng !== undefined && options.resolvePoint) regionCode = options.resolvePoint(lng, lat);
  if (!regionCode && get.address_string && options.resolveAddress) {
    regionCode = options.resolveAddress(get.address_string);
  }

  const input: PetitionInput = {
    channel: 'open311',
    text: description!,
    receivedAt: now.toISOString(),
    externalId: `open311:${token}`,
  };
  if (regionCode) input.regionCode = regionCode;
  if (Object.keys(contact).length > 0) input.contact = contact;

  const checked = validatePetition(input, now);
  if (!checked.ok) {
    const nameFields = [get.first_name && 'first_name', get.last_name && 'last_name'].filter(Boolean).join('/');
    return rejection(
      original,
      checked.errors.map((e) => ({ field: toOpen311Field(e.field, nameFields), message: e.message })),
    );
  }
  return { ok: true, input: checked.value, original };
}

/**
 * The Open311 errors for a rejected record: one `{ code: 400, description }` per field, worded
 * "<parameter> <problem>", or the reason when no field is named; `[]` for a record that was accepted.
 */
export function recordErrorsToOpen311(record: ChannelRecord): Open311Error[] {
  if (record.ok) return [];
  if (record.fields && record.fields.length > 0) {
    return record.fields.map((f) => ({ code: 400, description: `${f.field} ${f.message}` }));
  }
  return [{ code: 400, description: record.reason }];
}

/** What the routes read from the database to show one request. */
export interface StoredRequestView {
  id: string;
  token?: string;
  topic: string;
  /** What the public may read of the matter (the lead decides: a summary, never the contact). */
  summary: string;
  receivedAt: Date;
  updatedAt: Date;
  status: 'open' | 'closed';
  statusNotes: string | null;
  agency: string | null;
  expectedAt: Date | null;
  address: string | null;
  lat: number | null;
  long: number | null;
  mediaUrl: string | null;
}

/**
 * The spec's service_request object, keys in the spec's order. Datetimes are W3C at +08:00; fields we
 * have no data for (service_notice, address_id, zipcode) are `null`, i.e. empty elements in XML.
 */
export function requestView(r: StoredRequestView): Record<string, unknown> {
  const topic = isTopicCode(r.topic) ? TOPICS[r.topic] : null;
  return {
    service_request_id: r.id,
    status: r.status,
    status_notes: r.statusNotes,
    service_name: topic ? topic.zh : r.topic,
    service_code: r.topic,
    description: r.summary,
    agency_responsible: r.agency,
    service_notice: null,
    requested_datetime: w3cDatetime(r.receivedAt),
    updated_datetime: w3cDatetime(r.updatedAt),
    expected_datetime: r.expectedAt ? w3cDatetime(r.expectedAt) : null,
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.long,
    media_url: r.mediaUrl,
  };
}

/** The notice returned with a new request, in Chinese then English. */
export const DEFAULT_SERVICE_NOTICE =
  '信访事项已收到，请凭 token 查询受理编号。Received; look up the request id with the token.';

/**
 * The body item of a `POST requests` response (render kind `request_created`): the id when there is
 * one already, else `null`, and always the token.
 */
export function requestCreatedView(created: {
  id: string | null;
  token: string;
  notice?: string | null;
}): Record<string, unknown> {
  return {
    service_request_id: created.id,
    token: created.token,
    service_notice: created.notice === undefined ? DEFAULT_SERVICE_NOTICE : created.notice,
    account_id: null,
  };
}

/** The body item of `tokens/{token}` (render kind `tokens`); the id is `null` while still pending. */
export function tokenView(token: string, id: string | null): Record<string, unknown> {
  return { service_request_id: id, token };
}

/** Most results one `GET requests` returns (the spec's default cap). */
export const MAX_RESULTS = 1000;
/** Most ids one `service_request_id` may list. */
export const MAX_IDS = 200;
/** The default window, and the widest a start_date/end_date range may be (the spec's 90 days). */
export const WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;
const WINDOW_MS = WINDOW_DAYS * DAY_MS;
/** Ids are ours (UUIDs); anything else cannot match, and is refused before it reaches a query. */
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const STATUSES = ['open', 'closed'] as const;
/** Searching by id overrides every other filter (spec); these bounds include every request there is. */
const ALL_TIME = { start: new Date(0), end: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)) };

/** The parsed `GET requests` query; the range is inclusive at both ends. */
export interface RequestQuery {
  ids: string[] | null;
  serviceCodes: string[] | null;
  start: Date;
  end: Date;
  statuses: ('open' | 'closed')[] | null;
  limit: number;
}

const W3C = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A W3C datetime (https://www.w3.org/TR/NOTE-datetime) with seconds optional and an offset required;
 * or a bare date, meaning that day at +08:00 (its start, or its last millisecond when `endOfDay`).
 * An unencoded `+` in a query string arrives as a space, so `…T00:00:00 08:00` is read as `+08:00`.
 */
export function parseW3cDatetime(raw: string, endOfDay = false): Date | null {
  const value = raw.trim().replace(/(\d) (\d{2}:\d{2})$/, '$1+$2');
  const m = W3C.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const probe = new Date(0);
  probe.setUTCFullYear(year, month - 1, day); // Date.UTC would read years 0–99 as 1900–1999
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  if (h === undefined) {
    const start = probe.getTime() - OFFSET_MS;
    return new Date(endOfDay ? start + DAY_MS - 1 : start);
  }
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMs = 0;
  if (tz !== 'Z') {
    const oh = Number(tz!.slice(1, 3));
    const om = Number(tz!.slice(4, 6));
    if (oh > 14 || om > 59) return null;
    offsetMs = (tz!.startsWith('-') ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  return new Date(probe.getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + ms - offsetMs);
}

/** The comma-separated items of a parameter, over repeats of it too; blanks dropped. */
function listParam(params: URLSearchParams, name: string): string[] | null {
  const items = params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return items.length > 0 ? [...new Set(items)] : null;
}

/**
 * Parses the `GET requests.{fmt}` query. `service_request_id` (up to 200, comma-separated) overrides
 * every other parameter, as the spec says: the rest are then not read, and the range spans all time.
 * Otherwise `service_code` (known codes), `status` (open, closed) and `start_date`/`end_date` (W3C,
 * inclusive, at most 90 days apart; by default the 90 days up to `now`; one alone extends 90 days
 * from it, capped at `now`). At most 1000 results. Unknown parameters (api_key, jurisdiction_id,
 * extensions) are left to the route. Each problem is a 400 error naming its parameter.
 */
export function parseRequestQuery(
  params: URLSearchParams,
  now: Date,
): { ok: true; query: RequestQuery } | { ok: false; errors: Open311Error[] } {
  const errors: Open311Error[] = [];
  const fail = (description: string) => errors.push({ code: 400, description });

  const ids = listParam(params, 'service_request_id');
  if (ids) {
    if (ids.length > MAX_IDS) fail(`service_request_id lists ${ids.length} ids; at most ${MAX_IDS} are allowed`);
    const bad = ids.find((id) => !REQUEST_ID.test(id));
    if (bad !== undefined) fail(`service_request_id "${bad.slice(0, 40)}" is not a request id`);
    if (errors.length > 0) return { ok: false, errors };
    return {
      ok: true,
      query: { ids, serviceCodes: null, start: ALL_TIME.start, end: ALL_TIME.end, statuses: null, limit: MAX_RESULTS },
    };
  }

  const serviceCodes = listParam(params, 'service_code');
  const unknown = serviceCodes?.filter((c) => !isTopicCode(c)) ?? [];
  if (unknown.length > 0) {
    fail(
      `service_code ${unknown.map((c) => `"${c.slice(0, 40)}"`).join(', ')} not known; one of ${TOPIC_CODES.join(', ')}`,
    );
  }

  const statusItems = listParam(params, 'status')?.map((s) => s.toLowerCase()) ?? null;
  let statuses: ('open' | 'closed')[] | null = null;
  if (statusItems) {
    const badStatus = statusItems.filter((s) => !(STATUSES as readonly string[]).includes(s));
    if (badStatus.length > 0) {
      fail(`status must be open, closed or both comma-separated, not "${badStatus[0]!.slice(0, 40)}"`);
    } else {
      statuses = [...new Set(statusItems)] as ('open' | 'closed')[];
    }
  }

  const dateParam = (name: 'start_date' | 'end_date'): Date | null | undefined => {
    const raw = params.get(name)?.trim();
    if (!raw) return undefined;
    const d = parseW3cDatetime(raw, name === 'end_date');
    if (!d) fail(`${name} must be a W3C datetime with offset, e.g. 2026-12-01T00:00:00+08:00`);
    return d;
  };
  const startIn = dateParam('start_date');
  const endIn = dateParam('end_date');
  let start = new Date(now.getTime() - WINDOW_MS);
  let end = now;
  if (startIn && endIn) {
    start = startIn;
    end = endIn;
    if (start > end) fail('start_date is after end_date');
    else if (end.getTime() - start.getTime() > WINDOW_MS) {
      fail(`start_date and end_date may not be more than ${WINDOW_DAYS} days apart`);
    }
  } else if (startIn) {
    start = startIn;
    end = new Date(Math.min(start.getTime() + WINDOW_MS, now.getTime()));
    if (start > now) fail('start_date is in the future');
  } else if (endIn) {
    end = endIn;
    start = new Date(end.getTime() - WINDOW_MS);
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, query: { ids: null, serviceCodes, start, end, statuses, limit: MAX_RESULTS } };
}
