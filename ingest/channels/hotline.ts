import { createHmac, timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseLocalTime } from '../local-time.ts';
import type { Contact, MatterKind, PetitionInput } from '../petition.ts';
import { readJsonFile } from '../read-json.ts';
import type { RegionResolver } from '../region-resolver.ts';
import { describeErrors, validatePetition } from '../validate.ts';
import { type ChannelRecord, rejectRecord } from './adapter.ts';

/**
 * 12345 and enterprise hotline work orders, pushed to `POST /api/webhooks/<channel>` as JSON and signed:
 * `X-Wenkong-Timestamp: <unix seconds>` and `X-Wenkong-Signature: sha256=<hex HMAC-SHA256 of
 * "<timestamp>.<raw body>">` under the channel's shared secret. A timestamp more than five minutes
 * off is refused, so a captured request cannot be replayed later; within the window the work order
 * number makes a replay a duplicate.
 */
export const REPLAY_WINDOW_SECONDS = 300;
export type HotlineChannel = 'hotline' | 'enterprise_hotline';

const names = z.array(z.string().min(1)).min(1);
const FieldMapSchema = z.object({
  externalId: names,
  receivedAt: names,
  name: names,
  phone: names,
  idNumber: names,
  address: names,
  title: names,
  text: names,
  category: names,
  region: names,
  deadline: names,
  accusedUnit: names,
});
export type HotlineFieldMap = z.infer<typeof FieldMapSchema>;

const defaultMap = fileURLToPath(new URL('../../config/channels/hotline.json', import.meta.url));

/** Loads the field map; throws naming the field at fault. */
export function loadHotlineFieldMap(path = defaultMap): HotlineFieldMap {
  const parsed = FieldMapSchema.safeParse(readJsonFile(path));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Hotline field map ${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

/** `hotline:secret,enterprise_hotline:secret2,…`; several per channel during a rotation. */
export function parseWebhookSecrets(spec: string | undefined): Map<HotlineChannel, string[]> {
  const out = new Map<HotlineChannel, string[]>();
  for (const entry of (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const sep = entry.indexOf(':');
    const channel = entry.slice(0, sep);
    const secret = entry.slice(sep + 1);
    if (sep <= 0 || (channel !== 'hotline' && channel !== 'enterprise_hotline')) {
      throw new Error('WEBHOOK_SECRETS: each entry must be hotline:<secret> or enterprise_hotline:<secret>');
    }
    if (secret.length < 16) throw new Error(`WEBHOOK_SECRETS: the ${channel} secret must be at least 16 characters`);
    out.set(channel, [...(out.get(channel) ?? []), secret]);
  }
  return out;
}

/** The signature header value for a body (senders and tests use this). */
export function signWebhook(secret: string, timestamp: number, body: Uint8Array | string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `sha256=${mac}`;
}

export type SignatureCheck = { ok: true } | { ok: false; code: string; message: string };

/** Checks timestamp freshness and the HMAC against every current secret, in constant time. */
export function verifyWebhook(
  headers: { timestamp: string | null; signature: string | null },
  body: Uint8Array,
  secrets: readonly string[],
  now: Date,
): SignatureCheck {
  if (!headers.timestamp || !headers.signature) {
    return {
      ok: false,
      code: 'signature_missing',
      message: 'Sign the request: X-Wenkong-Timestamp (unix seconds) and X-Wenkong-Signature: sha256=<hex>',
    };
  }
  if (!/^\d{1,12}$/.test(headers.timestamp)) {
    return { ok: false, code: 'bad_timestamp', message: 'X-Wenkong-Timestamp must be unix seconds' };
  }
  const timestamp = Number(headers.timestamp);
  const skew = Math.abs(now.getTime() / 1000 - timestamp);
  if (skew > REPLAY_WINDOW_SECONDS) {
    return {
      ok: false,
      code: 'stale_timestamp',
      message: `X-Wenkong-Timestamp is ${Math.round(skew)} s away from the server clock; at most ${REPLAY_WINDOW_SECONDS} s is accepted (check the sender's clock)`,
    };
  }
  const given = Buffer.from(headers.signature.trim());
  for (const secret of secrets) {
    const expected = Buffer.from(signWebhook(secret, timestamp, body));
    if (expected.length === given.length && timingSafeEqual(expected, given)) return { ok: true };
  }
  return {
    ok: false,
    code: 'bad_signature',
    message: 'X-Wenkong-Signature does not match: HMAC-SHA256 over "<timestamp>.<raw body>" with the shared secret',
  };
}

export interface WorkOrderOptions {
  channel: HotlineChannel;
  fieldMap: HotlineFieldMap;
  now: Date;
  resolver: RegionResolver;
  position: string;
}

/** 诉求类型 → the kind of matter; anything else (投诉, 求助, 咨询 …) is a grievance. */
function matterKindOf(category: string | null): MatterKind | undefined {
  if (!category) return undefined;
  if (/建议|意见/.test(category)) return 'suggestion';
  if (/举报|检举|控告/.test(category)) return 'accusation';
  if (/涉法|涉诉/.test(category)) return 'litigation';
  return 'grievance';
}

function pick(raw: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const key of keys) {
    let value: unknown = raw;
    for (const part of key.split('.')) {
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    }
    if (typeof value === 'number') return String(value);
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return null;
}

/** Maps one work order through the field map to a petition record; the work order is its original. */
export function workOrderToRecord(raw: unknown, options: WorkOrderOptions): ChannelRecord {
  const original = { format: 'json' as const, content: JSON.stringify(raw) ?? 'null', position: options.position };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return rejectRecord(
      original,
      'parse',
      `${options.position}: 工单必须是 JSON 对象 / a work order must be a JSON object`,
    );
  }
  const order = raw as Record<string, unknown>;
  const map = options.fieldMap;
  const body = pick(order, map.text);
  const title = pick(order, map.title);
  if (!body) {
    return rejectRecord(
      original,
      'validate',
      `${options.position}: 缺少诉求内容 / no complaint text (${map.text.join(', ')})`,
      [{ field: map.text[0]!, message: 'is required' }],
    );
  }
  const input: PetitionInput = {
    channel: options.channel,
    text: title && !body.startsWith(title) ? `${title}\n${body}` : body,
  };
  const externalId = pick(order, map.externalId);
  if (externalId) input.externalId = externalId;
  const when = pick(order, map.receivedAt);
  if (when) {
    const iso = parseLocalTime(when);
    if (!iso) {
      return rejectRecord(
        original,
        'validate',
        `${options.position}: 来电时间“${when.slice(0, 40)}”无法识别 / unreadable call time`,
        [{ field: map.receivedAt[0]!, message: 'must be a time like 2026-11-30 09:30:00' }],
      );
    }
    input.receivedAt = iso;
  }
  const contact: Contact = {};
  const name = pick(order, map.name);
  const phone = pick(order, map.phone);
  const idNumber = pick(order, map.idNumber);
  const address = pick(order, map.address);
  if (name) contact.name = name;
  if (phone) contact.phone = phone;
  if (idNumber) contact.idNumber = idNumber;
  if (address) contact.address = address;
  if (Object.keys(contact).length > 0) input.contact = contact;
  const region = pick(order, map.region);
  const regionCode = region ? options.resolver.fromCell(region) : null;
  if (regionCode) input.regionCode = regionCode;
  const kind = matterKindOf(pick(order, map.category));
  if (kind) input.matterKind = kind;
  const accused = pick(order, map.accusedUnit);
  if (accused && kind === 'accusation') input.accusedUnit = accused;

  const checked = validatePetition(input, options.now);
  if (!checked.ok) {
    return rejectRecord(original, 'validate', `${options.position}: ${describeErrors(checked.errors)}`, checked.errors);
  }
  return { ok: true, input: checked.value, original };
}

/** The work orders of a body: one object, an array, or `{ "workOrders": [...] }` / `{ "工单列表": [...] }`. */
export function workOrdersOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (typeof body === 'object' && body !== null) {
    const wrapped = (body as Record<string, unknown>).workOrders ?? (body as Record<string, unknown>)['工单列表'];
    if (Array.isArray(wrapped)) return wrapped;
  }
  return [body];
}
