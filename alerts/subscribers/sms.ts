import type { SmsSubscriber } from './config.ts';
import { type Fetch, type OutgoingDelivery, postJson, type SendOutcome } from './webhook.ts';

/**
 * A generic HTTP SMS gateway: `POST <url>` with `{ "to": ["139…"], "text": "…" }` as JSON and, when the
 * subscriber names a token variable, `Authorization: Bearer <token>`. Vendor APIs (Aliyun, Tencent …)
 * sit behind a small relay that speaks this. Answers are classified like webhooks: 2xx sent, 408/429/5xx
 * and network errors retried, other 4xx failed at once.
 */
export function sendSms(
  subscriber: SmsSubscriber,
  delivery: OutgoingDelivery,
  text: string,
  fetchImpl: Fetch = fetch,
): Promise<SendOutcome> {
  const headers: Record<string, string> = { 'x-wenkong-delivery': delivery.id, 'x-wenkong-event': delivery.event };
  const token = subscriber.token?.reveal();
  if (token) headers.authorization = `Bearer ${token}`;
  return postJson(
    {
      url: subscriber.url,
      body: JSON.stringify({ to: subscriber.to, text }),
      headers,
      timeoutMs: subscriber.timeoutMs,
      secrets: token ? [token] : [],
    },
    fetchImpl,
  );
}
