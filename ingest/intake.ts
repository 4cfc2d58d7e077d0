import type { ApiKeyAuthenticator, ChannelIdentity } from './api-keys.ts';
import type { RateLimiter } from './rate-limit.ts';
import { apiItemToRecord, parseJsonBody } from './channels/api.ts';
import type { ChannelRecord, RecordOutcome, Submit } from './channels/adapter.ts';
import type { FieldError } from './validate.ts';

export const MAX_BODY_BYTES = 1_048_576;
export const MAX_BATCH_ITEMS = 1_000;

/** The transport-neutral form of `POST /api/petitions`. */
export interface IntakeRequest {
  authorization: string | null;
  contentType: string | null;
  /** Reads the body; resolves null when it is larger than `limit` bytes. */
  readBody(limit: number): Promise<Uint8Array | null>;
}

export interface ErrorBody {
  /** `deadLetterId`: the rejected record was kept there for audit and retry. */
  error: { code: string; message: string; fields?: FieldError[]; deadLetterId?: string };
}

export interface ItemResult {
  index: number;
  status: number;
  id?: string;
  duplicate?: boolean;
  error?: ErrorBody['error'];
}

export interface IntakeResponse {
  status: number;
  /** Set with 429. */
  retryAfterSeconds?: number;
  body: ErrorBody | { id: string; duplicate: boolean } | { results: ItemResult[] };
}

export interface IntakeMetrics {
  accepted(channel: string, count: number): void;
  rejected(reason: string, count: number): void;
  observeSeconds(seconds: number): void;
}

export interface IntakeDeps {
  authenticator: ApiKeyAuthenticator;
  /** Requests per API key; a flood from one channel cannot starve the others. */
  rateLimiter?: RateLimiter;
  /** The shared pipeline (ingest/pipeline.ts): validate, analyse, commit, dead-letter. */
  submit: Submit;
  metrics: IntakeMetrics;
  now?: () => Date;
}

export interface Intake {
  handle(request: IntakeRequest): Promise<IntakeResponse>;
}

function fail(status: number, code: string, message: string, fields?: FieldError[]): IntakeResponse {
  return { status, body: { error: fields ? { code, message, fields } : { code, message } } };
}

/**
 * The one intake path every channel uses: authenticate the channel key, parse, validate each item,
 * analyse, commit durably in a batch, and answer per item. A 2xx is only sent after commit.
 */
export function createIntake(deps: IntakeDeps): Intake {
  const now = deps.now ?? (() => new Date());

  async function handle(request: IntakeRequest): Promise<IntakeResponse> {
    const identity = await deps.authenticator.authenticate(request.authorization);
    if (!identity) {
      return fail(401, 'unauthorized', 'A valid channel API key is required: Authorization: Bearer <key>');
    }
    const wait = deps.rateLimiter?.take(identity.keyId) ?? 0;
    if (wait > 0) {
      return {
        ...fail(429, 'rate_limited', `Too many requests for this API key; retry in ${wait} s`),
        retryAfterSeconds: wait,
      };
    }
    const mediaType = request.contentType?.split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      return fail(
        415,
        'unsupported_media_type',
        `Send JSON with Content-Type: application/json (got ${mediaType ?? 'none'})`,
      );
    }
    const bytes = await request.readBody(MAX_BODY_BYTES);
    if (bytes === null) return fail(413, 'payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes (1 MB)`);

    const body = parseJsonBody(bytes);
    if (!body.ok) {
      const [kept] = await deps.submit([body.record], sourceOf(identity));
      const response = fail(400, 'malformed_json', body.reason);
      if (kept?.status === 'rejected' && kept.deadLetterId && 'error' in response.body) {
        response.body.error.deadLetterId = kept.deadLetterId;
      }
      return response;
    }
    const parsed = body.value;

    if (Array.isArray(parsed)) {
      if (parsed.length === 0) return fail(400, 'empty_batch', 'The array holds no petitions');
      if (parsed.length > MAX_BATCH_ITEMS) {
        return fail(
          413,
          'batch_too_large',
          `A batch holds at most ${MAX_BATCH_ITEMS} petitions; this one has ${parsed.length}`,
        );
      }
      return handleBatch(identity, parsed);
    }
    if (typeof parsed !== 'object' || parsed === null) {
      return fail(400, 'not_a_petition', 'The body must be one petition object or an array of them');
    }
    const single = await accept(identity, [parsed]);
    const item = single[0]!;
    if (item.error) return { status: item.status, body: { error: item.error } };
    return { status: item.status, body: { id: item.id!, duplicate: item.duplicate ?? false } };
  }

  async function handleBatch(identity: ChannelIdentity, items: unknown[]): Promise<IntakeResponse> {
    const results = await accept(identity, items);
    const ok = results.filter((r) => !r.error || r.status === 202).length;
    const status = ok === results.length ? 201 : ok === 0 ? commonStatus(results) : 207;
    return { status, body: { results } };
  }

  async function accept(identity: ChannelIdentity, items: unknown[]): Promise<ItemResult[]> {
    const started = performance.now();
    const at = now();
    const results: ItemResult[] = new Array(items.length);
    const records: ChannelRecord[] = [];
    const recordIndex: number[] = [];
    items.forEach((raw, index) => {
      const record = apiItemToRecord(raw, index, at);
      if (record.ok && record.input.channel !== identity.channel) {
        // A key used for the wrong channel is a set-up mistake of the sender, not a record to keep.
        results[index] = {
          index,
          status: 403,
          error: {
            code: 'wrong_channel',
            message: `This API key is for channel "${identity.channel}", not "${record.input.channel}"`,
            fields: [{ field: 'channel', message: `must be "${identity.channel}" for this key` }],
          },
        };
        return;
      }
      records.push(record);
      recordIndex.push(index);
    });

    const outcomes = await deps.submit(records, sourceOf(identity));
    outcomes.forEach((o, i) => {
      const index = recordIndex[i]!;
      results[index] = itemResult(index, o);
    });
    const stored = outcomes.filter((o) => o.status === 'stored');
    deps.metrics.accepted(identity.channel, stored.filter((o) => !o.duplicate).length);
    const rejected = outcomes.filter((o) => o.status === 'rejected').length + (items.length - records.length);
    if (rejected > 0) deps.metrics.rejected('invalid', rejected);
    const unavailable = outcomes.filter((o) => o.status === 'unavailable').length;
    if (unavailable > 0) deps.metrics.rejected('storage', unavailable);
    deps.metrics.observeSeconds((performance.now() - started) / 1000);
    return results;
  }

  return { handle };
}

function sourceOf(identity: ChannelIdentity) {
  return { actor: `api-key:${identity.keyId}`, role: `channel:${identity.channel}`, channel: identity.channel };
}

/** The answer for one item, from what the pipeline did with it. */
export function itemResult(index: number, o: RecordOutcome): ItemResult {
  switch (o.status) {
    case 'stored':
      return { index, status: o.duplicate ? 200 : 201, id: o.id, duplicate: o.duplicate };
    case 'unavailable':
      return {
        index,
        status: 503,
        error: {
          code: 'storage_unavailable',
          message: 'Not stored: storage is unavailable. Retry later; nothing was kept.',
        },
      };
    case 'rejected': {
      const kept = o.deadLetterId ? { deadLetterId: o.deadLetterId } : {};
      if (o.stage === 'analyse') {
        // Valid and kept: an operator retries it once the analyser is fixed. The sender must not resend.
        return { index, status: 202, error: { code: 'analysis_deferred', message: o.reason, ...kept } };
      }
      const code = o.stage === 'parse' ? 'unparseable' : 'invalid_petition';
      const error: ErrorBody['error'] = { code, message: o.reason, ...kept };
      if (o.fields) error.fields = o.fields;
      return { index, status: o.stage === 'parse' ? 400 : 422, error };
    }
  }
}

/** The status shared by every failed item, or 422 when they differ. */
function commonStatus(results: ItemResult[]): number {
  const first = results[0]?.status ?? 422;
  return results.every((r) => r.status === first) ? first : 422;
}
