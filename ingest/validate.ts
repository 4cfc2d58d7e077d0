import { CHANNEL_CODES, isChannelCode } from './channels/catalog.ts';
import { type Contact, MATTER_KINDS, type MatterKind, type PetitionInput } from './petition.ts';

export const MAX_TEXT_CHARS = 20_000;
/** Clock skew we tolerate on `receivedAt` before calling it a mistake. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const EARLIEST = Date.UTC(2000, 0, 1);

export interface FieldError {
  /** Dotted path of the field, e.g. `text` or `contact.phone`. */
  field: string;
  message: string;
}

/** Field errors as one line: `text: is required; contact.phone: must be …`. */
export function describeErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
}

export type Validated = { ok: true; value: PetitionInput } | { ok: false; errors: FieldError[] };

const KNOWN_FIELDS = new Set([
  'channel',
  'text',
  'receivedAt',
  'regionCode',
  'externalId',
  'contact',
  'matterKind',
  'accusedUnit',
]);
const CONTACT_FIELDS = new Set(['name', 'phone', 'idNumber', 'address', 'email']);
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Checks one petition as a channel sent it. Every problem is reported with its field, in words the
 * sender can act on; nothing is coerced silently except lone UTF-16 surrogates (replaced by U+FFFD).
 */
export function validatePetition(raw: unknown, now: Date): Validated {
  const errors: FieldError[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [{ field: '', message: `a petition must be a JSON object, not ${describe(raw)}` }] };
  }
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KNOWN_FIELDS.has(key)) {
      errors.push({ field: key, message: `unknown field; allowed: ${[...KNOWN_FIELDS].join(', ')}` });
    }
  }

  const channel = obj.channel;
  if (channel === undefined) errors.push({ field: 'channel', message: 'is required' });
  else if (typeof channel !== 'string') {
    errors.push({ field: 'channel', message: `must be a string, not ${describe(channel)}` });
  } else if (!isChannelCode(channel)) {
    errors.push({
      field: 'channel',
      message: `unknown channel "${channel.slice(0, 40)}"; known: ${CHANNEL_CODES.join(', ')}`,
    });
  }

  let text: string | undefined;
  if (obj.text === undefined) errors.push({ field: 'text', message: 'is required' });
  else if (typeof obj.text !== 'string') {
    errors.push({ field: 'text', message: `must be a string, not ${describe(obj.text)}` });
  } else {
    text = obj.text.toWellFormed().trim();
    if (text.length === 0) errors.push({ field: 'text', message: 'is empty' });
    else if (text.length > MAX_TEXT_CHARS) {
      errors.push({ field: 'text', message: `is ${text.length} characters; at most ${MAX_TEXT_CHARS} are accepted` });
    } else if (text.includes('\u0000')) errors.push({ field: 'text', message: 'contains a NUL character' });
  }

  let receivedAt: string | undefined;
  if (obj.receivedAt !== undefined) {
    const v = obj.receivedAt;
    if (typeof v !== 'string' || !ISO_WITH_OFFSET.test(v) || Number.isNaN(Date.parse(v))) {
      errors.push({
        field: 'receivedAt',
        message: 'must be an ISO 8601 time with offset, e.g. 2026-12-01T09:30:00+08:00',
      });
    } else {
      const t = Date.parse(v);
      if (t > now.getTime() + FUTURE_TOLERANCE_MS) errors.push({ field: 'receivedAt', message: 'is in the future' });
      else if (t < EARLIEST) errors.push({ field: 'receivedAt', message: 'is before 2000-01-01' });
      else receivedAt = new Date(t).toISOString();
    }
  }

  const regionCode = optionalString(obj, 'regionCode', errors, (v) =>
    /^\d{6}$/.test(v) ? null : 'must be a 6-digit administrative division code, e.g. 320508',
  );
  const externalId = optionalString(obj, 'externalId', errors, (v) =>
    v.length === 0 || v.length > 200
      ? 'must be 1 to 200 characters'
      : v.includes('\u0000')
        ? 'contains a NUL character'
        : null,
  );
  const contact = validateContact(obj.contact, errors);
  const matterKind = optionalString(obj, 'matterKind', errors, (v) =>
    (MATTER_KINDS as readonly string[]).includes(v) ? null : `must be one of ${MATTER_KINDS.join(', ')}`,
  ) as MatterKind | undefined;
  const accusedUnit = optionalString(obj, 'accusedUnit', errors, (v) =>
    v.trim().length === 0 || v.length > 200 ? 'must be 1 to 200 characters' : null,
  );
  if (accusedUnit && matterKind !== 'accusation') {
    errors.push({ field: 'accusedUnit', message: 'is only for matterKind "accusation"' });
  }

  if (errors.length > 0) return { ok: false, errors };
  const value: PetitionInput = { channel: channel as PetitionInput['channel'], text: text! };
  if (receivedAt) value.receivedAt = receivedAt;
  if (regionCode) value.regionCode = regionCode;
  if (externalId) value.externalId = externalId;
  if (contact) value.contact = contact;
  if (matterKind) value.matterKind = matterKind;
  if (accusedUnit) value.accusedUnit = accusedUnit.trim();
  return { ok: true, value };
}

function optionalString(
  obj: Record<string, unknown>,
  field: string,
  errors: FieldError[],
  check: (v: string) => string | null,
): string | undefined {
  const v = obj[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    errors.push({ field, message: `must be a string, not ${describe(v)}` });
    return undefined;
  }
  const problem = check(v);
  if (problem) {
    errors.push({ field, message: problem });
    return undefined;
  }
  return v;
}

function validateContact(raw: unknown, errors: FieldError[]): Contact | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    errors.push({
      field: 'contact',
      message: `must be an object with name, phone, idNumber, address, email; not ${describe(raw)}`,
    });
    return undefined;
  }
  const obj = raw as Record<string, unknown>;
  const before = errors.length;
  for (const key of Object.keys(obj)) {
    if (!CONTACT_FIELDS.has(key)) {
      errors.push({
        field: `contact.${key}`,
        message: 'unknown field; allowed: name, phone, idNumber, address, email',
      });
    }
  }
  const sub: FieldError[] = [];
  const name = optionalString(obj, 'name', sub, (v) =>
    v.trim().length === 0 || v.length > 100 ? 'must be 1 to 100 characters' : null,
  );
  const phone = optionalString(obj, 'phone', sub, (v) =>
    /^\+?[0-9][0-9 ()-]{4,24}$/.test(v) ? null : 'must be a phone number of digits, spaces, ( ) or -',
  );
  const idNumber = optionalString(obj, 'idNumber', sub, (v) =>
    /^(\d{15}|\d{17}[\dXx])$/.test(v) ? null : 'must be a 15- or 18-character resident ID number',
  );
  const address = optionalString(obj, 'address', sub, (v) =>
    v.trim().length === 0 || v.length > 300 ? 'must be 1 to 300 characters' : null,
  );
  const email = optionalString(obj, 'email', sub, (v) =>
    /^[^\s@]{1,64}@[^\s@]{1,255}$/.test(v) ? null : 'must be an e-mail address like name@example.cn',
  );
  for (const e of sub) errors.push({ field: `contact.${e.field}`, message: e.message });
  if (errors.length > before) return undefined;
  const contact: Contact = {};
  if (name) contact.name = name.trim();
  if (phone) contact.phone = phone;
  if (idNumber) contact.idNumber = idNumber.toUpperCase();
  if (address) contact.address = address.trim();
  if (email) contact.email = email;
  return Object.keys(contact).length > 0 ? contact : undefined;
}
