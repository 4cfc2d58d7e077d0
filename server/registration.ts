import { similarOnFile } from '../db/queries/links.ts';
import { decodeSignature, estimateSimilarity } from '../ingest/analyse/minhash.ts';
import type { Attachment, ChannelRecord } from '../ingest/channels/adapter.ts';
import { parseLocalTime } from '../ingest/local-time.ts';
import { MATTER_KINDS, type Contact, type MatterKind, type PetitionInput } from '../ingest/petition.ts';
import { validatePetition } from '../ingest/validate.ts';
import type { AppContext } from './app.ts';

/** Scans of letters and visit notes: what an office scanner or phone produces. */
export const SCAN_TYPES = new Set(['application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'image/webp']);
export const MAX_SCAN_BYTES = 10 * 1024 * 1024;
export const MAX_SCANS = 10;
/** Estimated Jaccard similarity from which the form warns "the same matter may be on file". */
const HINT_THRESHOLD = 0.5;
const HINT_WINDOW_DAYS = 365;

/** The registration form's fields as the operator typed them (strings), kept to refill the form. */
export type RegistrationValues = Record<(typeof FIELDS)[number], string>;
const FIELDS = [
  'channel',
  'receivedAt',
  'externalId',
  'name',
  'phone',
  'idNumber',
  'address',
  'regionCode',
  'matterKind',
  'accusedUnit',
  'text',
] as const;

export interface RegistrationForm {
  values: RegistrationValues;
  scans: File[];
}

export function readRegistrationForm(form: FormData): RegistrationForm {
  const values = Object.fromEntries(
    FIELDS.map((f) => [
      f,
      String(form.get(f) ?? '')
        .trim()
        .slice(0, f === 'text' ? 20_000 : 300),
    ]),
  ) as RegistrationValues;
  const scans = form.getAll('scans').filter((v): v is File => typeof v === 'object' && v !== null && v.size > 0);
  return { values, scans };
}

export interface FormProblem {
  field: string;
  message: string;
}

/**
 * The registration as a petition record for the pipeline: letters (来信) and visits (来访) registered by
 * an operator, scans attached. Required: the channel, the time received and the matter; a visit also
 * needs the visitor's name. Problems come back per form field, for the form to show.
 */
export async function registrationToRecord(
  form: RegistrationForm,
  now: Date,
): Promise<{ ok: true; record: ChannelRecord } | { ok: false; problems: FormProblem[] }> {
  const v = form.values;
  const problems: FormProblem[] = [];
  if (v.channel !== 'letter' && v.channel !== 'visit') {
    problems.push({ field: 'channel', message: '请选择来信或来访 · choose letter or visit' });
  }
  if (v.channel === 'visit' && !v.name) {
    problems.push({ field: 'name', message: '来访须登记来访人姓名 · a visit needs the visitor’s name' });
  }
  const receivedAt = v.receivedAt ? parseLocalTime(v.receivedAt.replace('T', ' ')) : null;
  if (!receivedAt) problems.push({ field: 'receivedAt', message: '请填写收信或来访时间 · enter when it was received' });
  if (v.matterKind && !(MATTER_KINDS as readonly string[]).includes(v.matterKind)) {
    problems.push({ field: 'matterKind', message: '未知事项类别 · unknown kind' });
  }
  if (form.scans.length > MAX_SCANS) {
    problems.push({ field: 'scans', message: `最多 ${MAX_SCANS} 个附件 · at most ${MAX_SCANS} files` });
  }
  const attachments: Attachment[] = [];
  for (const scan of form.scans.slice(0, MAX_SCANS)) {
    if (!SCAN_TYPES.has(scan.type)) {
      problems.push({ field: 'scans', message: `${scan.name}：只收 PDF、JPEG、PNG、TIFF、WebP · only PDF or images` });
    } else if (scan.size > MAX_SCAN_BYTES) {
      problems.push({ field: 'scans', message: `${scan.name}：超过 10 MB · larger than 10 MB` });
    } else {
      attachments.push({
        filename: scan.name,
        contentType: scan.type,
        content: new Uint8Array(await scan.arrayBuffer()),
      });
    }
  }

  const input: PetitionInput = { channel: v.channel === 'visit' ? 'visit' : 'letter', text: v.text };
  if (receivedAt) input.receivedAt = receivedAt;
  if (v.externalId) input.externalId = v.externalId;
  if (v.regionCode) input.regionCode = v.regionCode;
  if (v.matterKind) input.matterKind = v.matterKind as MatterKind;
  if (v.accusedUnit) input.accusedUnit = v.accusedUnit;
  const contact: Contact = {};
  if (v.name) contact.name = v.name;
  if (v.phone) contact.phone = v.phone;
  if (v.idNumber) contact.idNumber = v.idNumber;
  if (v.address) contact.address = v.address;
  if (Object.keys(contact).length > 0) input.contact = contact;
  const checked = validatePetition(input, now);
  if (!checked.ok) {
    for (const e of checked.errors) problems.push({ field: e.field.replace(/^contact\./, ''), message: e.message });
  }
  if (problems.length > 0 || !checked.ok) return { ok: false, problems };
  const original = { format: 'form' as const, content: JSON.stringify(v), position: `登记 ${v.externalId || 'form'}` };
  return { ok: true, record: { ok: true, input: checked.value, original, attachments } };
}

export interface DuplicateHint {
  id: string;
  channel: string;
  receivedAt: Date;
  topic: string;
  grade: string;
  summary: string;
  similarity: number;
  samePerson: boolean;
}

/** What is on file that looks like the same matter or the same person: the form's duplicate hint. */
export async function duplicateHints(app: AppContext, input: PetitionInput, now: Date): Promise<DuplicateHint[]> {
  const analysis = app.analyse(input.text);
  const mine = decodeSignature(analysis.signature.minhash);
  const found = await similarOnFile(app.db, {
    bands: analysis.signature.bands,
    personKeys: app.personIndex(input.contact),
    since: new Date(now.getTime() - HINT_WINDOW_DAYS * 86_400_000),
  });
  return found
    .map((f) => {
      const theirs = f.signature ? decodeSignature(f.signature) : null;
      const similarity = theirs && theirs.length === mine.length ? estimateSimilarity(mine, theirs) : 0;
      return { ...f, similarity };
    })
    .filter((f) => f.samePerson || f.similarity >= HINT_THRESHOLD)
    .sort((a, b) => Number(b.samePerson) - Number(a.samePerson) || b.similarity - a.similarity)
    .slice(0, 10)
    .map(({ signature: _signature, ...hint }) => hint);
}
