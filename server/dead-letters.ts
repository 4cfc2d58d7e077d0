import type { Db } from '../db/client.ts';
import { recordAudit } from '../db/audit-chain.ts';
import {
  type DeadLetterRow,
  findDeadLetter,
  recordFailedRetry,
  resolveDeadLetter,
} from '../db/queries/dead-letters.ts';
import type { Original, Submit } from '../ingest/channels/adapter.ts';
import { isChannelCode } from '../ingest/channels/catalog.ts';
import { remapOriginal, type RemapContext } from '../ingest/channels/remap.ts';
import type { ContactSealer } from '../ingest/contact-seal.ts';
import { previewOf } from '../ingest/pipeline.ts';

export interface DeadLetterDeps {
  db: Db;
  sealer: ContactSealer;
  submit: Submit;
  remapContext: (now: Date) => RemapContext;
  now: () => Date;
}

export interface Actor {
  userId: string;
  role: string;
  address: string | null;
}

/** Formats whose payload is text an operator can correct by hand; e-mail is kept byte for byte. */
export const EDITABLE_FORMATS = new Set(['json', 'row', 'feed-item', 'form']);

export type RetryResult =
  | { status: 'resolved'; petitionIds: string[] }
  | { status: 'failed'; reason: string; stored: string[] }
  | { status: 'not_found' | 'not_open' | 'not_editable' | 'unavailable'; reason: string };

/**
 * Retries a dead letter: its original (or the operator's correction of it) goes through the channel's
 * mapping and the pipeline again. Success resolves the row and points at the petition; failure keeps
 * the row open with the new reason (and the corrected payload, so work is not lost). Audited.
 */
export async function retryDeadLetter(
  deps: DeadLetterDeps,
  id: string,
  actor: Actor,
  corrected?: string,
): Promise<RetryResult> {
  const letter = await findDeadLetter(deps.db, id);
  if (!letter) return { status: 'not_found', reason: '没有这条死信 · No such dead letter' };
  if (letter.status !== 'open') {
    return {
      status: 'not_open',
      reason: `已${letter.status === 'resolved' ? '处理' : '放弃'} · Already ${letter.status}`,
    };
  }
  if (corrected !== undefined && !EDITABLE_FORMATS.has(letter.format)) {
    return {
      status: 'not_editable',
      reason: '电子邮件原件不能修改，只能原样重试 · An e-mail is retried as it is, not edited',
    };
  }
  const now = deps.now();
  const content = corrected ?? deps.sealer.unsealBytes(letter.keyId, letter.sealed).toString('utf8');
  const original: Original = { format: letter.format as Original['format'], content };
  if (letter.position) original.position = letter.position;

  const via = letter.sourceActor.startsWith('webhook:') ? 'webhook' : 'other';
  const records = await remapOriginal(letter.channel, original, deps.remapContext(now), via);
  const good = records.filter((r) => r.ok);
  const bad = records.filter((r) => !r.ok);
  const source = {
    actor: actor.userId,
    role: actor.role,
    address: actor.address,
    ...(isChannelCode(letter.channel) ? { channel: letter.channel } : {}),
  };
  const outcomes = good.length > 0 ? await deps.submit(good, source) : [];
  if (outcomes.some((o) => o.status === 'unavailable')) {
    return { status: 'unavailable', reason: '存储不可用，请稍后再试 · Storage is unavailable; try again later' };
  }
  const stored = outcomes.flatMap((o) => (o.status === 'stored' ? [o.id] : []));
  const reasons = [
    ...bad.map((r) => (r.ok ? '' : r.reason)),
    ...outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : [])),
  ];
  const audit = {
    at: now,
    actor: actor.userId,
    actorRole: actor.role,
    action: 'dead_letter.retry',
    subjectType: 'dead_letter',
    subjectId: id,
    address: actor.address,
  };
  if (reasons.length === 0 && stored.length > 0) {
    await resolveDeadLetter(deps.db, id, { petitionId: stored[0]!, by: actor.userId, at: now });
    await recordAudit(deps.db, [
      { ...audit, after: { outcome: 'resolved', petitions: stored, edited: corrected !== undefined } },
    ]);
    return { status: 'resolved', petitionIds: stored };
  }
  const first = bad[0];
  const reason = reasons.join('; ') || '没有可存储的记录 · Nothing to store';
  const payload =
    corrected === undefined
      ? undefined
      : { ...deps.sealer.sealBytes(Buffer.from(corrected, 'utf8')), preview: previewOf(original) };
  await recordFailedRetry(deps.db, id, {
    stage: first && !first.ok ? first.stage : 'analyse',
    reason,
    fields: first && !first.ok ? (first.fields ?? []) : [],
    at: now,
    ...(payload ? { payload } : {}),
  });
  await recordAudit(deps.db, [
    { ...audit, after: { outcome: 'failed', petitions: stored, edited: corrected !== undefined } },
  ]);
  return { status: 'failed', reason, stored };
}

/** The payload of a dead letter in clear, for the roles that handle intake; every read is audited. */
export async function readDeadLetterPayload(
  deps: DeadLetterDeps,
  letter: DeadLetterRow & { keyId: string; sealed: Buffer },
  actor: Actor,
): Promise<string> {
  const content = deps.sealer.unsealBytes(letter.keyId, letter.sealed).toString('utf8');
  await recordAudit(deps.db, [
    {
      at: deps.now(),
      actor: actor.userId,
      actorRole: actor.role,
      action: 'dead_letter.read',
      subjectType: 'dead_letter',
      subjectId: letter.id,
      address: actor.address,
    },
  ]);
  return letter.format === 'email' ? Buffer.from(content, 'base64').toString('utf8') : content;
}
