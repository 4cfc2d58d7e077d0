import { describeErrors, validatePetition } from '../validate.ts';
import { type ChannelRecord, rejectRecord } from './adapter.ts';

/**
 * The JSON API's adapter (`POST /api/petitions`): its items already are petition records, so mapping
 * is validation. The item is kept as its original.
 */
export function apiItemToRecord(raw: unknown, index: number, now: Date): ChannelRecord {
  const original = { format: 'json' as const, content: JSON.stringify(raw) ?? 'null', position: `item ${index}` };
  const checked = validatePetition(raw, now);
  if (!checked.ok) {
    return rejectRecord(original, 'validate', describeErrors(checked.errors), checked.errors);
  }
  return { ok: true, input: checked.value, original };
}

/**
 * A JSON request body (strict UTF-8), or the record to keep when it is not one: a body that cannot be
 * read is still the sender's, and is dead-lettered as it came.
 */
export function parseJsonBody(
  bytes: Uint8Array,
): { ok: true; value: unknown } | { ok: false; reason: string; record: ChannelRecord } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'the body is not valid UTF-8';
    const reason = `The body is not valid JSON: ${detail}`;
    const original = { format: 'json' as const, content: new TextDecoder().decode(bytes) };
    return { ok: false, reason, record: rejectRecord(original, 'parse', reason) };
  }
}
