import type { RecordOutcome, Submit } from './channels/adapter.ts';
import { parseJsonBody } from './channels/api.ts';
import {
  type HotlineChannel,
  type HotlineFieldMap,
  verifyWebhook,
  workOrdersOf,
  workOrderToRecord,
} from './channels/hotline.ts';
import { type ItemResult, itemResult, MAX_BATCH_ITEMS, MAX_BODY_BYTES } from './intake.ts';
import type { RegionResolver } from './region-resolver.ts';

export interface HotlineIntakeDeps {
  submit: Submit;
  secrets: ReadonlyMap<HotlineChannel, readonly string[]>;
  fieldMap: HotlineFieldMap;
  resolver: RegionResolver;
  now: () => Date;
}

export interface WebhookRequest {
  channel: string;
  timestamp: string | null;
  signature: string | null;
  readBody(limit: number): Promise<Uint8Array | null>;
  address?: string | null;
}

export interface WebhookResponse {
  status: number;
  body: { error: { code: string; message: string } } | { results: ItemResult[] };
}

function fail(status: number, code: string, message: string): WebhookResponse {
  return { status, body: { error: { code, message } } };
}

/**
 * `POST /api/webhooks/{hotline|enterprise_hotline}`: verifies the signature before reading anything
 * else, then maps each work order (one object, an array, or `{ "workOrders": [...] }`) and answers per
 * order. An unsigned or badly signed request is refused and not kept: it is not known to come from
 * the hotline system.
 */
export function createHotlineIntake(deps: HotlineIntakeDeps) {
  return async function handle(request: WebhookRequest): Promise<WebhookResponse> {
    if (request.channel !== 'hotline' && request.channel !== 'enterprise_hotline') {
      return fail(404, 'unknown_webhook', 'Webhooks exist for hotline and enterprise_hotline');
    }
    const channel: HotlineChannel = request.channel;
    const secrets = deps.secrets.get(channel);
    if (!secrets || secrets.length === 0) {
      return fail(
        503,
        'webhook_not_configured',
        `The ${channel} webhook has no secret: set WEBHOOK_SECRETS=${channel}:<secret>`,
      );
    }
    const bytes = await request.readBody(MAX_BODY_BYTES);
    if (bytes === null) return fail(413, 'payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes (1 MB)`);
    const now = deps.now();
    const check = verifyWebhook({ timestamp: request.timestamp, signature: request.signature }, bytes, secrets, now);
    if (!check.ok) return fail(401, check.code, check.message);

    const source = {
      actor: `webhook:${channel}`,
      role: `channel:${channel}`,
      channel,
      address: request.address ?? null,
    };
    const body = parseJsonBody(bytes);
    if (!body.ok) {
      // Signed, so it is the hotline system's: keep it for the operators even though it cannot be read.
      await deps.submit([body.record], source);
      return fail(400, 'malformed_json', body.reason);
    }
    const orders = workOrdersOf(body.value);
    if (orders.length === 0) return fail(400, 'empty_batch', 'The body holds no work orders');
    if (orders.length > MAX_BATCH_ITEMS) {
      return fail(
        413,
        'batch_too_large',
        `At most ${MAX_BATCH_ITEMS} work orders per request; this one has ${orders.length}`,
      );
    }
    const records = orders.map((order, index) =>
      workOrderToRecord(order, {
        channel,
        fieldMap: deps.fieldMap,
        now,
        resolver: deps.resolver,
        position: `工单 ${index + 1} / order ${index + 1}`,
      }),
    );
    const outcomes: RecordOutcome[] = await deps.submit(records, source);
    const results = outcomes.map((o, i) => itemResult(i, o));
    const ok = results.filter((r) => r.status < 300).length;
    const status =
      ok === results.length
        ? results.every((r) => r.status === 200)
          ? 200
          : 201
        : ok === 0
          ? results[0]!.status
          : 207;
    return { status, body: { results } };
  };
}
