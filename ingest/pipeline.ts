import type { Db } from '../db/client.ts';
import { insertDeadLetters, type NewDeadLetterRow } from '../db/queries/dead-letters.ts';
import type { AnalyserPool, AnalysisResult } from './analyse/pool.ts';
import type { Analyse, Analysis } from './analyse/types.ts';
import type { ChannelRecord, Original, RecordOutcome, RecordSource, RejectStage, Submit } from './channels/adapter.ts';
import { type ChannelCode, isChannelCode } from './channels/catalog.ts';
import type { ContactSealer } from './contact-seal.ts';
import { maskText, summarise } from './mask.ts';
import type { PetitionInput } from './petition.ts';
import type { RegionResolver } from './region-resolver.ts';
import { uuidv7 } from './uuid.ts';
import { plannedAction } from './planned-action.ts';
import { describeErrors, type FieldError, validatePetition } from './validate.ts';
import type { PetitionWriter, PreparedPetition } from './writer.ts';

export interface PipelineDeps {
  db: Db;
  analyse: Analyse;
  /** Analyser threads; without them `analyse` runs on this thread. */
  pool?: AnalyserPool | null;
  writer: PetitionWriter;
  sealer: ContactSealer;
  resolver: RegionResolver;
  now?: () => Date;
  log?: (message: string, error?: unknown) => void;
  /** Counts per outcome, for /metrics. */
  onOutcomes?: (channel: string, outcomes: readonly RecordOutcome[]) => void;
}

export interface Pipeline {
  /** Validates, analyses and commits records; keeps every one that fails in the dead-letter table. */
  submit: Submit;
}

interface Rejection {
  index: number;
  stage: RejectStage;
  reason: string;
  fields: FieldError[];
  original: Original;
  channel: string;
  preview: string;
}

/**
 * The one path from any channel's records to stored petitions. Each record is validated (again: an
 * adapter's mapping is checked by the same rules as the JSON API), analysed and committed through
 * the group-commit writer; a record that fails at any step goes to the dead-letter table with its
 * original and the reason, so nothing accepted is lost and an operator can retry it after a fix.
 * Outcomes come back in the order of the records.
 */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const now = deps.now ?? (() => new Date());

  async function submit(records: readonly ChannelRecord[], source: RecordSource): Promise<RecordOutcome[]> {
    const at = now();
    const outcomes: RecordOutcome[] = new Array(records.length);
    const prepared: PreparedPetition[] = [];
    const preparedIndex: number[] = [];
    const rejections: Rejection[] = [];
    const valid: { index: number; input: PetitionInput; record: ChannelRecord & { ok: true } }[] = [];
    const fallbackChannel = source.channel ?? channelOfRole(source.role);

    records.forEach((record, index) => {
      if (!record.ok) {
        rejections.push({
          index,
          stage: record.stage,
          reason: record.reason,
          fields: record.fields ?? [],
          original: record.original,
          channel: fallbackChannel,
          preview: previewOf(record.original),
        });
        return;
      }
      const checked = validatePetition(record.input, at);
      if (!checked.ok) {
        rejections.push({
          index,
          stage: 'validate',
          reason: describeErrors(checked.errors),
          fields: checked.errors,
          original: record.original,
          channel: record.input.channel,
          preview: previewOf(record.original),
        });
        return;
      }
      valid.push({ index, input: checked.value, record });
    });

    const analyses = await analyseAll(valid.map((v) => v.input.text));
    valid.forEach(({ index, input, record }, i) => {
      const analysis = analyses[i]!;
      if ('error' in analysis) {
        // The analyser must never throw; when it does, the record waits for a fixed analyser.
        deps.log?.('pipeline: analysis failed', new Error(analysis.error));
        rejections.push({
          index,
          stage: 'analyse',
          reason: '分析失败，已留存待重试 / The analyser failed on this text; kept for retry after a fix',
          fields: [],
          original: record.original,
          channel: input.channel,
          preview: summarise(input.text),
        });
        return;
      }
      prepared.push(prepare(input, analysis, at, source, record));
      preparedIndex.push(index);
    });

    await Promise.all([storePrepared(), keepRejections()]);
    deps.onOutcomes?.(fallbackChannel, outcomes);
    return outcomes;

    async function storePrepared(): Promise<void> {
      if (prepared.length === 0) return;
      try {
        const written = await deps.writer.write(prepared);
        written.forEach((o, i) => {
          outcomes[preparedIndex[i]!] = { status: 'stored', id: o.id, duplicate: o.duplicate };
        });
      } catch (error) {
        deps.log?.('pipeline: commit failed', error);
        for (const index of preparedIndex) {
          outcomes[index] = { status: 'unavailable', reason: 'storage is unavailable; nothing was kept' };
        }
      }
    }

    async function keepRejections(): Promise<void> {
      if (rejections.length === 0) return;
      const rows: NewDeadLetterRow[] = rejections.map((r) => {
        const { keyId, sealed } = deps.sealer.sealBytes(Buffer.from(r.original.content, 'utf8'));
        return {
          id: uuidv7(at.getTime()),
          channel: r.channel,
          stage: r.stage,
          reason: r.reason,
          fields: r.fields,
          format: r.original.format,
          position: r.original.position ?? null,
          sourceActor: source.actor,
          sourceRole: source.role,
          preview: r.preview,
          keyId,
          sealed,
        };
      });
      try {
        await insertDeadLetters(deps.db, rows);
        rejections.forEach((r, i) => {
          const outcome: RecordOutcome = {
            status: 'rejected',
            stage: r.stage,
            reason: r.reason,
            deadLetterId: rows[i]!.id,
          };
          if (r.fields.length > 0) outcome.fields = r.fields;
          outcomes[r.index] = outcome;
        });
      } catch (error) {
        deps.log?.('pipeline: dead-letter write failed', error);
        for (const r of rejections) {
          outcomes[r.index] = { status: 'unavailable', reason: 'storage is unavailable; the record was not kept' };
        }
      }
    }
  }

  /** On the analyser threads when there are any, else here; a failure is per text, never per batch. */
  async function analyseAll(texts: string[]): Promise<AnalysisResult[]> {
    if (texts.length === 0) return [];
    if (deps.pool) {
      try {
        return await deps.pool.analyseMany(texts);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return texts.map(() => ({ error: message }));
      }
    }
    return texts.map((text) => {
      try {
        return deps.analyse(text);
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
      }
    });
  }

  function prepare(
    input: PetitionInput,
    analysis: Analysis,
    at: Date,
    source: RecordSource,
    record: ChannelRecord & { ok: true },
  ) {
    const receivedAt = input.receivedAt ? new Date(input.receivedAt) : at;
    const regionCode =
      input.regionCode ??
      (input.contact?.address ? deps.resolver.fromText(input.contact.address) : null) ??
      // A text that names exactly one district of the region is placed there.
      (analysis.places.length === 1 ? analysis.places[0]!.code : null);
    const item: PreparedPetition = {
      row: {
        id: uuidv7(at.getTime()),
        receivedAt,
        channel: input.channel,
        externalId: input.externalId ?? null,
        regionCode,
        topic: analysis.topic,
        grade: analysis.grade,
        sentimentLabel: analysis.sentiment.label,
        sentimentScore: analysis.sentiment.score,
        people: analysis.people,
        amountYuan: analysis.amountYuan,
        extreme: analysis.extreme,
        riskTerms: analysis.riskTerms,
        reasons: analysis.reasons,
        analyserVersion: analysis.version,
        // The signature and its bands are columns already; kept twice they pushed each row past the
        // TOAST threshold and cut PostgreSQL's insert rate by a third (bench:ingest's COPY variants).
        analysis: { ...analysis, signature: { version: analysis.signature.version } },
        text: input.text,
        summary: summarise(input.text),
        signature: analysis.signature.minhash,
        lshBands: analysis.signature.bands,
        matterKind: input.matterKind ?? 'grievance',
        accusedUnit: input.accusedUnit ?? null,
      },
      contact: input.contact,
      extreme: analysis.extreme,
      plannedAction: plannedAction(input.text, analysis),
      source,
      original: record.original,
      attachments: record.attachments,
    };
    return item;
  }

  return { submit };
}

/** `channel:email` → `email`; anything else → `unknown`. */
function channelOfRole(role: string): ChannelCode | 'unknown' {
  const name = role.startsWith('channel:') ? role.slice('channel:'.length) : '';
  return isChannelCode(name) ? name : 'unknown';
}

/** A short, masked look at an original for the operators' list: never a full phone or ID number. */
export function previewOf(original: Original): string {
  if (original.format === 'email') {
    const bytes = Math.round((original.content.length * 3) / 4);
    return `电子邮件 e-mail message, ${bytes} bytes`;
  }
  const flat = original.content.replace(/\s+/g, ' ').trim();
  return maskText(flat.length > 160 ? `${flat.slice(0, 160)}…` : flat);
}
