import { timingSafeEqual } from 'node:crypto';
import { REPLAY_WINDOW_SECONDS, type SignatureCheck, signWebhook } from '../../ingest/channels/hotline.ts';
import type { DeliveryEvent, WebhookSubscriber } from './config.ts';

/**
 * Webhook deliveries: the alert as JSON, POSTed and signed so the receiver knows it came from us and
 * was not altered. `X-Wenkong-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the
 * same HMAC over "<timestamp>.<raw body>" the inbound hotline webhooks verify, with the timestamp in
 * the header (so one header carries everything and v1 can sit beside a future v2 during a change).
 */

/** Which delivery is being attempted; the id stays the same across retries so receivers de-duplicate. */
export interface OutgoingDelivery {
  id: string;
  event: DeliveryEvent;
}

/** One attempt's result. A failure says whether trying again later could help. */
export type SendOutcome =
  | { ok: true; status: number | null; note?: string }
  | { ok: false; retry: boolean; status: number | null; error: string };

export type Fetch = typeof fetch;

/** HMAC-SHA256 hex of "<t>.<body>" (the hotline helper's MAC, without its `sha256=` prefix). */
function mac(secret: string, t: number, body: string | Uint8Array): string {
  return signWebhook(secret, t, body).slice('sha256='.length);
}

/** The `X-Wenkong-Signature` value for a body sent at `now`. */
export function signAlert(secret: string, body: string | Uint8Array, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${mac(secret, t, body)}`;
}

/**
 * Receiver side (integrators and tests): checks an `X-Wenkong-Signature` header against the raw body.
 * Refuses a timestamp more than `toleranceSeconds` from `now` (a captured request cannot be replayed
 * later) and compares in constant time. Several secrets may be given during a rotation.
 */
export function verifyAlertSignature(
  secret: string | readonly string[],
  header: string | null | undefined,
  body: string | Uint8Array,
  now: Date,
  toleranceSeconds = REPLAY_WINDOW_SECONDS,
): SignatureCheck {
  if (!header) {
    return { ok: false, code: 'signature_missing', message: 'X-Wenkong-Signature is missing' };
  }
  let t: number | null = null;
  const given: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && value) given.push(value);
  }
  if (t === null || given.length === 0) {
    return { ok: false, code: 'bad_signature', message: 'X-Wenkong-Signature must be t=<unix seconds>,v1=<hex>' };
  }
  const skew = Math.abs(now.getTime() / 1000 - t);
  if (skew > toleranceSeconds) {
    return {
      ok: false,
      code: 'stale_timestamp',
      message: `the signature is ${Math.round(skew)} s away from this clock; at most ${toleranceSeconds} s is accepted`,
    };
  }
  for (const s of typeof secret === 'string' ? [secret] : secret) {
    const expected = Buffer.from(mac(s, t, body));
    for (const v of given) {
      const candidate = Buffer.from(v);
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) return { ok: true };
    }
  }
  return {
    ok: false,
    code: 'bad_signature',
    message: 'X-Wenkong-Signature does not match: HMAC-SHA256 over "<t>.<raw body>" with the shared secret',
  };
}

/**
 * 2xx delivered; 408 (timeout) and 429 (slow down) and 5xx are worth another try; any other answer
 * (4xx, or a redirect we do not follow) will not change by itself, so it fails at once.
 */
export function classifyHttpStatus(status: number): 'delivered' | 'retry' | 'permanent' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  if (status >= 300 && status < 500) return 'permanent';
  return 'retry';
}

/** The start of an answer's body, with our secrets cut out first (a receiver may echo the request). */
async function snippet(response: Response, secrets: readonly string[]): Promise<string> {
  try {
    const text = redact(await response.text(), secrets)
      .replace(/\s+/g, ' ')
      .trim();
    return text ? `: ${text.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

function networkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  // undici says "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND, a TLS error) in cause.
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `cannot connect: ${error.message}${cause}`;
  }
  return `cannot connect: ${String(error)}`;
}

export interface PostRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Values to cut out of anything recorded about the answer. */
  secrets?: readonly string[];
}

/** Replaces every occurrence of each secret with [redacted]. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

/**
 * POSTs a JSON body and classifies the answer (webhooks and SMS gateways). Redirects are not followed:
 * a signed alert goes only where it was configured to go. Errors never contain the URL (a gateway may
 * carry a key in its query string) or request headers.
 */
export async function postJson(request: PostRequest, fetchImpl: Fetch = fetch): Promise<SendOutcome> {
  const { url, body, headers, timeoutMs } = request;
  let response: Response;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Wenkong-Alerts/1', ...headers },
      body,
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    return { ok: false, retry: true, status: null, error: networkError(error, timeoutMs) };
  }
  const status = response.status;
  const verdict = classifyHttpStatus(status);
  if (verdict === 'delivered') {
    // The answer's body is of no interest; release the connection rather than wait for it.
    await response.body?.cancel().catch(() => undefined);
    return { ok: true, status };
  }
  const detail = await snippet(response, [url, ...(request.secrets ?? [])]);
  if (status >= 300 && status < 400) {
    return {
      ok: false,
      retry: false,
      status,
      error: `HTTP ${status}: redirected; configure the final URL (redirects are not followed)`,
    };
  }
  return { ok: false, retry: verdict === 'retry', status, error: `HTTP ${status}${detail}` };
}

/** One webhook attempt: the body exactly as rendered, signed at `now`. */
export function sendWebhook(
  subscriber: WebhookSubscriber,
  delivery: OutgoingDelivery,
  body: string,
  now: Date,
  fetchImpl: Fetch = fetch,
): Promise<SendOutcome> {
  const secret = subscriber.secret.reveal();
  return postJson(
    {
      url: subscriber.url,
      body,
      headers: {
        'x-wenkong-event': delivery.event,
        'x-wenkong-delivery': delivery.id,
        'x-wenkong-signature': signAlert(secret, body, now),
      },
      timeoutMs: subscriber.timeoutMs,
      secrets: [secret],
    },
    fetchImpl,
  );
}
