import type { Db } from '../db/client.ts';
import { findOpen311Token, listOpen311Requests } from '../db/queries/open311.ts';
import type { ApiKeyAuthenticator } from '../ingest/api-keys.ts';
import type { Submit } from '../ingest/channels/adapter.ts';
import {
  listServices,
  type Open311Error,
  type Open311Format,
  parseRequestQuery,
  recordErrorsToOpen311,
  render,
  requestCreatedView,
  requestToRecord,
  requestView,
  serviceDefinition,
  splitFormat,
  tokenView,
} from '../ingest/channels/open311.ts';
import type { RegionResolver } from '../ingest/region-resolver.ts';
import type { RegionPack } from '../ingest/regions.ts';
import type { TopicCode } from '../ingest/taxonomy.ts';
import { uuidv7 } from '../ingest/uuid.ts';

/** Art. 34 of 信访工作条例: handled and answered within 60 days. Cases will carry their own clocks. */
const HANDLING_DAYS = 60;

export interface Open311Request {
  method: string;
  /** The path after /open311/v2/, e.g. `requests.json` or `services/labour.xml`. */
  path: string;
  query: URLSearchParams;
  contentType: string | null;
  readBody(): Promise<string>;
  address: string | null;
}

export interface Open311Response {
  status: number;
  body: string;
  contentType: string;
}

export interface Open311Deps {
  db: Db;
  submit: Submit;
  authenticator: ApiKeyAuthenticator;
  resolver: RegionResolver;
  region: RegionPack;
  departments: Record<TopicCode, string>;
  /** Accepted jurisdiction_id values (besides none at all). */
  jurisdictions: readonly string[];
  now: () => Date;
}

/**
 * An Open311 GeoReport v2 server over the petition store, so existing 311 clients can file petitions
 * and follow them: services are the topics, requests are petitions filed through Open311. Status is
 * open until the case workflow closes it; agency_responsible and expected_datetime come from the
 * routing table and the statutory 60-day clock.
 */
export function createOpen311(deps: Open311Deps) {
  const centres = new Map(deps.region.districts.map((d) => [d.code, d.center]));

  function errors(status: number, list: Open311Error[], format: Open311Format): Open311Response {
    return { status, ...render('errors', list, format) };
  }

  return async function handle(request: Open311Request): Promise<Open311Response> {
    const [first, second, ...rest] = request.path.split('/');
    const file = rest.length > 0 ? null : second === undefined ? splitFormat(first ?? '') : splitFormat(second);
    const format: Open311Format = file?.format ?? 'json';
    const resource = second === undefined ? file?.name : first;
    if (!file || !resource) {
      return errors(404, [{ code: 404, description: `No such Open311 resource: ${request.path}` }], format);
    }
    const jurisdiction = request.query.get('jurisdiction_id');
    if (jurisdiction !== null && !deps.jurisdictions.includes(jurisdiction)) {
      return errors(
        404,
        [
          {
            code: 404,
            description: `jurisdiction_id ${jurisdiction} is not served here; use ${deps.jurisdictions[0]}`,
          },
        ],
        format,
      );
    }
    const method = request.method.toUpperCase();

    if (resource === 'services' && second === undefined && method === 'GET') {
      return { status: 200, ...render('services', listServices(), format) };
    }
    if (resource === 'services' && second !== undefined && method === 'GET') {
      const definition = serviceDefinition(file.name);
      if (!definition) {
        return errors(404, [{ code: 404, description: `service_code ${file.name} does not exist` }], format);
      }
      return { status: 200, ...render('service_definition', definition, format) };
    }
    if (resource === 'requests' && second === undefined && method === 'POST') return create(request, format);
    if (resource === 'requests' && second === undefined && method === 'GET') {
      const parsed = parseRequestQuery(request.query, deps.now());
      if (!parsed.ok) return errors(400, parsed.errors, format);
      const q = parsed.query;
      // There are no closed requests until the case workflow closes them.
      if (q.statuses && !q.statuses.includes('open')) return { status: 200, ...render('requests', [], format) };
      const rows = await listOpen311Requests(deps.db, {
        ids: q.ids,
        topics: q.serviceCodes,
        start: q.start,
        end: q.end,
        limit: q.limit,
      });
      return { status: 200, ...render('requests', rows.map(view), format) };
    }
    if (resource === 'requests' && second !== undefined && method === 'GET') {
      const rows = await listOpen311Requests(deps.db, {
        ids: [file.name],
        topics: null,
        start: new Date(0),
        end: new Date(Date.UTC(9999, 11, 31)),
        limit: 1,
      });
      if (rows.length === 0) {
        return errors(404, [{ code: 404, description: `service_request_id ${file.name} does not exist` }], format);
      }
      return { status: 200, ...render('requests', rows.map(view), format) };
    }
    if (resource === 'tokens' && second !== undefined && method === 'GET') {
      const id = await findOpen311Token(deps.db, file.name);
      if (!id) return errors(404, [{ code: 404, description: `token ${file.name} is not known` }], format);
      return { status: 200, ...render('tokens', [tokenView(file.name, id)], format) };
    }
    return errors(405, [{ code: 405, description: `${method} is not supported on ${request.path}` }], format);
  };

  async function create(request: Open311Request, format: Open311Format): Promise<Open311Response> {
    const raw = await request.readBody();
    let fields: URLSearchParams | Record<string, unknown>;
    const media = request.contentType?.split(';')[0]?.trim().toLowerCase();
    if (media === 'application/json') {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          throw new SyntaxError('not an object');
        }
        fields = parsed as Record<string, unknown>;
      } catch {
        return errors(400, [{ code: 400, description: 'The body is not a JSON object of Open311 fields' }], format);
      }
    } else if (media === 'application/x-www-form-urlencoded' || media === 'multipart/form-data' || !media) {
      fields = new URLSearchParams(raw);
    } else {
      return errors(415, [{ code: 415, description: `Send application/x-www-form-urlencoded (got ${media})` }], format);
    }
    const apiKey =
      fields instanceof URLSearchParams
        ? fields.get('api_key')
        : typeof fields.api_key === 'string'
          ? fields.api_key
          : null;
    const identity = apiKey ? await deps.authenticator.authenticate(`Bearer ${apiKey}`) : null;
    if (!identity || identity.channel !== 'open311') {
      return errors(
        403,
        [{ code: 403, description: 'api_key is missing or is not an Open311 key (npm run key:create -- open311)' }],
        format,
      );
    }
    const token = uuidv7(deps.now().getTime());
    const record = requestToRecord(fields, {
      now: deps.now(),
      token,
      resolvePoint: (lng, lat) => deps.resolver.fromPoint(lng, lat),
      resolveAddress: (address) => deps.resolver.fromText(address),
    });
    const [outcome] = await deps.submit([record], {
      actor: `api-key:${identity.keyId}`,
      role: 'channel:open311',
      channel: 'open311',
      address: request.address,
    });
    if (outcome?.status === 'stored') {
      return { status: 201, ...render('request_created', [requestCreatedView({ id: outcome.id, token })], format) };
    }
    if (outcome?.status === 'rejected') {
      const list = record.ok ? [{ code: 400, description: outcome.reason }] : recordErrorsToOpen311(record);
      return errors(400, list, format);
    }
    return errors(503, [{ code: 503, description: 'Storage is unavailable; nothing was kept. Retry later.' }], format);
  }

  function view(r: Awaited<ReturnType<typeof listOpen311Requests>>[number]) {
    const centre = r.regionCode ? centres.get(r.regionCode) : undefined;
    return requestView({
      id: r.id,
      ...(r.token ? { token: r.token } : {}),
      topic: r.topic,
      summary: r.summary,
      receivedAt: r.receivedAt,
      updatedAt: r.acceptedAt,
      status: 'open',
      statusNotes: '已受理，正在办理 / Accepted and being handled',
      agency: deps.departments[r.topic as TopicCode] ?? null,
      expectedAt: new Date(r.receivedAt.getTime() + HANDLING_DAYS * 86_400_000),
      // The public sees the district, never the petitioner's address.
      address: null,
      lat: centre ? centre[1] : null,
      long: centre ? centre[0] : null,
      mediaUrl: null,
    });
  }
}
