import { validatePetition } from '../validate.ts';
import { type ChannelRecord, rejectRecord } from './adapter.ts';

/**
 * The JSON API's adapter (`POST /api/petitions`): its items already are petition records, so mapping
 * is validation. The item is kept as its original.
 */
export function apiItemToRecord(raw: unknown, index: number, now: Date): ChannelRecord {
  const original = { format: 'json' as const, content: JSON.stringify(raw) ?? 'null', position: `item ${index}` };
  const checked = validatePetition(raw, now);
  if (!checked.ok) {
    const reason = checked.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
    return rejectRecord(original, 'validate', reason, checked.errors);
  }
  return { ok: true, input: checked.value, original };
}
