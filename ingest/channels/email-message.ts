import { createHash } from 'node:crypto';
import { convert, type HtmlToTextOptions } from 'html-to-text';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Contact, PetitionInput } from '../petition.ts';
import { MAX_TEXT_CHARS, validatePetition } from '../validate.ts';
import { type Attachment, type ChannelRecord, type Original, rejectRecord } from './adapter.ts';

/** One e-mail message to one petition record; the poller (./email-imap.ts) feeds it the mailbox. */

/** validatePetition's limit on `externalId`; a longer Message-ID is hashed rather than rejected. */
const MAX_EXTERNAL_ID = 200;
/** validatePetition's limit on `contact.name`. */
const MAX_NAME = 100;
/** Detached signatures (S/MIME, PGP) say nothing about the petition; an operator cannot read them. */
const SIGNATURE_TYPES = new Set([
  'application/pkcs7-signature',
  'application/x-pkcs7-signature',
  'application/pgp-signature',
]);

/**
 * HTML mail (webmail, Outlook) reduced to what an operator reads: no image placeholders or link
 * targets, no forced line wrapping (the text is re-flowed on screen), headings left as written.
 */
const HTML_TO_TEXT: HtmlToTextOptions = {
  wordwrap: false,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { ignoreHref: true } },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    // Every table as a data table: the default runs cell texts together with no space between them.
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
};

/**
 * Parses one RFC 822 message into a petition record for channel `email`.
 *
 * The petition text is the decoded subject, a line break and the body (text/plain, or the HTML part
 * reduced to text), cut with a note at the intake limit rather than rejected. `receivedAt` is the Date
 * header unless it is missing, implausible or in the future; `externalId` is the Message-ID, else
 * `position` (the poller passes `uid:<uidvalidity>:<uid>`), so a message re-read is stored once.
 *
 * Never throws: a message that cannot be read is rejected at stage `parse`, one that does not make a
 * valid petition at stage `validate` with the failing fields.
 *
 * @param source the whole message as fetched (kept, base64, as the original)
 * @param position where it is in its mailbox; shown with rejections
 * @param now the intake clock, for a missing or future Date
 */
export async function emailToRecord(source: Buffer, position: string, now: Date): Promise<ChannelRecord> {
  const original: Original = { format: 'email', content: source.toString('base64'), position };
  if (source.toString('latin1').trim().length === 0) return rejectRecord(original, 'parse', 'the message is empty');

  let mail: ParsedMail;
  try {
    // The HTML part is converted here with our own options, so mailparser need not do it too.
    mail = await simpleParser(source, { skipHtmlToText: true });
  } catch (error) {
    return rejectRecord(original, 'parse', `not a readable e-mail message: ${errorMessage(error)}`);
  }
  // mailparser accepts anything; text without a single "Name: value" header line is not a message.
  if (mail.headers.size === 0) {
    return rejectRecord(original, 'parse', 'not an e-mail message: it has no header lines');
  }

  const input: PetitionInput = { channel: 'email', text: petitionText(mail), receivedAt: receivedAt(mail, now) };
  const externalId = messageId(mail) ?? (position.length > 0 ? position : undefined);
  if (externalId) input.externalId = externalId;
  const contact = sender(mail);
  if (contact) input.contact = contact;

  const checked = validatePetition(input, now);
  if (!checked.ok) {
    const summary = checked.errors.map((e) => `${e.field} ${e.message}`).join('; ');
    return rejectRecord(original, 'validate', summary, checked.errors);
  }
  const attachments = keptAttachments(mail);
  return attachments.length > 0
    ? { ok: true, input: checked.value, original, attachments }
    : { ok: true, input: checked.value, original };
}

function petitionText(mail: ParsedMail): string {
  const subject = (mail.subject ?? '').trim();
  const body = bodyText(mail);
  const text = [subject, body].filter((part) => part.length > 0).join('\n');
  return capText(text);
}

function bodyText(mail: ParsedMail): string {
  const plain = normaliseLines(mail.text ?? '');
  if (plain.length > 0) return plain;
  if (typeof mail.html === 'string' && mail.html.trim().length > 0) {
    return normaliseLines(convert(mail.html, HTML_TO_TEXT));
  }
  return '';
}

/** CRLF to LF, trailing spaces off, at most one blank line in a row (HTML layouts leave many). */
function normaliseLines(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Long mail (a forwarded thread, a pasted document) is still a petition: keep the first part with a
 * note saying so, since the full message stays with it as the original.
 */
function capText(text: string): string {
  if (text.length <= MAX_TEXT_CHARS) return text;
  const note = `\n\n【邮件正文共 ${text.length} 字，超过 ${MAX_TEXT_CHARS} 字上限，其后内容已截去；全文见邮件原件。】`;
  let cut = MAX_TEXT_CHARS - note.length;
  // Never split a surrogate pair: validation would turn the lone half into U+FFFD.
  if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut -= 1;
  return text.slice(0, cut).trimEnd() + note;
}

/**
 * The Date header, unless it is missing or unusable: a sender's clock set in the future or before
 * 2000 would otherwise get a genuine petition rejected, and the time we received it is close enough.
 */
function receivedAt(mail: ParsedMail, now: Date): string {
  const t = mail.date?.getTime();
  if (t === undefined || Number.isNaN(t) || t > now.getTime() || t < Date.UTC(2000, 0, 1)) return now.toISOString();
  return new Date(t).toISOString();
}

function messageId(mail: ParsedMail): string | undefined {
  const id = (mail.messageId ?? '')
    .trim()
    .replace(/^<+|>+$/g, '')
    .trim();
  if (id.length === 0) return undefined;
  if (id.length <= MAX_EXTERNAL_ID) return id;
  // Still stable for the same message, so a repeat is still recognised.
  return `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

function sender(mail: ParsedMail): Contact | undefined {
  const from = mail.from?.value.find((a) => a.address) ?? mail.from?.value[0];
  if (!from) return undefined;
  const contact: Contact = {};
  const address = from.address?.trim();
  if (address) contact.email = address;
  const name = from.name.trim();
  // Clients often repeat the address as the display name; that is not a name.
  if (name.length > 0 && name !== address) contact.name = name.slice(0, MAX_NAME).trim();
  return Object.keys(contact).length > 0 ? contact : undefined;
}

function keptAttachments(mail: ParsedMail): Attachment[] {
  return mail.attachments
    .filter((a) => !SIGNATURE_TYPES.has(a.contentType.toLowerCase()))
    .map((a, i) => ({
      filename: a.filename?.trim() || `attachment-${i + 1}${extensionFor(a.contentType)}`,
      contentType: a.contentType,
      // A copy, not a view: mailparser's Buffer may sit in a shared pool, and `.buffer` would expose it.
      content: new Uint8Array(a.content),
    }));
}

function extensionFor(contentType: string): string {
  const known: Record<string, string> = {
    'application/pdf': '.pdf',
    'image/jpeg': '.jpg',
    'image/png': '.png',
    'text/plain': '.txt',
    'message/rfc822': '.eml',
  };
  return known[contentType.toLowerCase()] ?? '';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
