import type { ApiKeyAuthenticator, ChannelIdentity } from './api-keys.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { Analyse } from './analyse/types.ts';
import type { PetitionInput } from './petition.ts';
import { summarise } from './mask.ts';
import { uuidv7 } from './uuid.ts';
import { type FieldError, validatePetition } from './validate.ts';
import type { PetitionWriter, PreparedPetition } from './writer.ts';

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
  error: { code: string; message: string; fields?: FieldError[] };
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
  writer: PetitionWriter;
  analyse: Analyse;
  metrics: IntakeMetrics;
  now?: () => Date;
  log?: (message: string, error?: unknown) => void;
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

    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (error) {
      const detail = error instanceof SyntaxError ? error.message : 'the body is not valid UTF-8';
      return fail(400, 'malformed_json', `The body is not valid JSON: ${detail}`);
    }

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
    const ok = results.filter((r) => !r.error).length;
    const status = ok === results.length ? 201 : ok === 0 ? commonStatus(results) : 207;
    return { status, body: { results } };
  }

  async function accept(identity: ChannelIdentity, items: unknown[]): Promise<ItemResult[]> {
    const started = performance.now();
    const at = now();
    const results: ItemResult[] = new Array(items.length);
    const prepared: PreparedPetition[] = [];
    const preparedIndex: number[] = [];
    items.forEach((raw, index) => {
      const checked = validatePetition(raw, at);
      if (!checked.ok) {
        results[index] = {
          index,
          status: 422,
          error: { code: 'invalid_petition', message: describeErrors(checked.errors), fields: checked.errors },
        };
        return;
      }
      if (checked.value.channel !== identity.channel) {
        results[index] = {
          index,
          status: 403,
          error: {
            code: 'wrong_channel',
            message: `This API key is for channel "${identity.channel}", not "${checked.value.channel}"`,
            fields: [{ field: 'channel', message: `must be "${identity.channel}" for this key` }],
          },
        };
        return;
      }
      try {
        prepared.push(prepare(checked.value, at, identity));
        preparedIndex.push(index);
      } catch (error) {
        // The analyser must never throw; if it does, say so instead of storing a half-analysed row.
        deps.log?.('intake: analysis failed', error);
        results[index] = {
          index,
          status: 500,
          error: {
            code: 'analysis_failed',
            message: 'Not stored: the analyser failed on this text. Reported to operators.',
          },
        };
      }
    });

    const rejected = items.length - prepared.length;
    if (rejected > 0) deps.metrics.rejected('invalid', rejected);
    if (prepared.length > 0) {
      try {
        const outcomes = await deps.writer.write(prepared);
        outcomes.forEach((o, i) => {
          const index = preparedIndex[i]!;
          results[index] = { index, status: o.duplicate ? 200 : 201, id: o.id, duplicate: o.duplicate };
        });
        deps.metrics.accepted(identity.channel, outcomes.filter((o) => !o.duplicate).length);
      } catch (error) {
        deps.log?.('intake: commit failed', error);
        deps.metrics.rejected('storage', prepared.length);
        for (const index of preparedIndex) {
          results[index] = {
            index,
            status: 503,
            error: {
              code: 'storage_unavailable',
              message: 'Not stored: storage is unavailable. Retry later; nothing was kept.',
            },
          };
        }
      }
    }
    deps.metrics.observeSeconds((performance.now() - started) / 1000);
    return results;
  }

  function prepare(input: PetitionInput, at: Date, identity: ChannelIdentity): PreparedPetition {
    const analysis = deps.analyse(input.text);
    const receivedAt = input.receivedAt ? new Date(input.receivedAt) : at;
    return {
      row: {
        id: uuidv7(at.getTime()),
        receivedAt,
        channel: input.channel,
        externalId: input.externalId ?? null,
        // A text that names exactly one district of the region is placed there.
        regionCode: input.regionCode ?? (analysis.places.length === 1 ? analysis.places[0]!.code : null),
        topic: analysis.topic,
        grade: analysis.grade,
        sentimentLabel: analysis.sentiment.label,
        sentimentScore: analysis.sentiment.score,
        people: analysis.people,
        amountYuan: analysis.amountYuan,
        extreme: analysis.extreme,
        riskTerms: analysis.riskTerms,
        reasons: analysis.reasons,
        analyserVersion: analysis.version,
        analysis,
        text: input.text,
        summary: summarise(input.text),
        signature: analysis.signature.minhash,
        lshBands: analysis.signature.bands,
        matterKind: input.matterKind ?? 'grievance',
        accusedUnit: input.accusedUnit ?? null,
      },
      contact: input.contact,
      extreme: analysis.extreme,
      source: { actor: `api-key:${identity.keyId}`, role: `channel:${identity.channel}` },
    };
  }

  return { handle };
}

function describeErrors(errors: FieldError[]): string {
  return errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
}

/** The status shared by every failed item, or 422 when they differ. */
function commonStatus(results: ItemResult[]): number {
  const first = results[0]?.status ?? 422;
  return results.every((r) => r.status === first) ? first : 422;
}
