import type { PetitionInput } from '../petition.ts';
import type { ChannelCode } from './catalog.ts';
import type { FieldError } from '../validate.ts';

/**
 * The one interface every channel adapter speaks. An adapter turns its channel's native records
 * (a webhook body, a register row, an e-mail, a feed item …) into `ChannelRecord`s; the pipeline
 * (ingest/pipeline.ts) validates, analyses and commits them through the same writer, and dead-letters
 * whatever fails, with the original kept so it can be retried after a fix.
 */

/** How the original was delivered; the pipeline keeps it (sealed) with the petition or dead letter. */
export type OriginalFormat =
  | 'json' // an API or webhook body item, JSON text
  | 'row' // a register row: JSON of { header: cell text }
  | 'email' // the full RFC 822 message, base64
  | 'feed-item' // the feed entry as JSON
  | 'form'; // an operator's registration form, JSON

/** The native record exactly as received. */
export interface Original {
  format: OriginalFormat;
  /** Text (JSON, or base64 for binary formats). At most a few MB. */
  content: string;
  /** Where in its source it was: "row 17", "uid 42", an item link. Shown with rejections. */
  position?: string;
}

/** A file that came with a record: a scanned letter, an e-mail attachment. */
export interface Attachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** Why a record could not become a petition, at which step. */
export type RejectStage = 'parse' | 'validate' | 'analyse';

/** One record as an adapter hands it to the pipeline: mapped to a petition, or not mappable. */
export type ChannelRecord =
  | { ok: true; input: PetitionInput; original: Original; attachments?: Attachment[] }
  | { ok: false; original: Original; stage: RejectStage; reason: string; fields?: FieldError[] };

/** What became of one record. `deadLetterId` is set when the record was kept for retry. */
export type RecordOutcome =
  | { status: 'stored'; id: string; duplicate: boolean }
  | { status: 'rejected'; stage: RejectStage; reason: string; fields?: FieldError[]; deadLetterId: string | null }
  | { status: 'unavailable'; reason: string };

/** Who handed the records in, for the audit trail: e.g. `imap:petitions@example.cn` as `channel:email`. */
export interface RecordSource {
  actor: string;
  role: string;
  address?: string | null;
  /** The channel the records came through, for records that could not be mapped far enough to say. */
  channel?: ChannelCode;
}

/** The pipeline's entry point, passed to pollers and routes (never a global). */
export type Submit = (records: readonly ChannelRecord[], source: RecordSource) => Promise<RecordOutcome[]>;

/**
 * Small durable state a polling adapter keeps between runs (an IMAP UIDVALIDITY and last UID, a feed's
 * ETag). Backed by the `channel_state` table.
 */
export interface ChannelState {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

/** A rejected record, built the same way by every adapter. */
export function rejectRecord(
  original: Original,
  stage: RejectStage,
  reason: string,
  fields?: FieldError[],
): ChannelRecord {
  return fields && fields.length > 0
    ? { ok: false, original, stage, reason, fields }
    : { ok: false, original, stage, reason };
}
