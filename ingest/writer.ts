import type { Db } from '../db/client.ts';
import {
  claimPetitionKeys,
  insertContacts,
  insertPetitions,
  type NewPetitionRow,
  petitionKeyOf,
  type SealedContactRow,
} from '../db/queries/petitions.ts';
import { addToMinuteRollup, type MinuteCell } from '../db/queries/rollups.ts';
import { appendAudit, type AuditEntry } from '../db/audit-chain.ts';
import type { CommittedPetition, InternalEvents } from '../server/bus.ts';
import { createHash } from 'node:crypto';
import { insertAttachments, insertOriginals, type SealedAttachmentRow } from '../db/queries/originals.ts';
import type { Attachment, Original } from './channels/adapter.ts';
import type { ContactSealer } from './contact-seal.ts';
import type { RiskTerm } from './analyse/types.ts';
import type { Contact } from './petition.ts';
import type { PlannedAction } from './planned-action.ts';
import { minuteFloor } from './time.ts';

/** A petition analysed and ready to commit. */
export interface PreparedPetition {
  row: NewPetitionRow;
  contact?: Contact | undefined;
  extreme: boolean;
  /** A mass action the text plans (time and place), for the instant early-warning rule. */
  plannedAction?: PlannedAction | null;
  /** Who submitted it, for the audit trail: e.g. `api-key:<id>` acting as `channel:hotline`. */
  source?: { actor: string; role: string; address?: string | null };
  /** The record as its channel delivered it; sealed and kept for audit. */
  original?: Original | undefined;
  /** Files that came with it (scanned letters, e-mail attachments); sealed. */
  attachments?: readonly Attachment[] | undefined;
}

export interface WriteOutcome {
  id: string;
  /** True when channel + externalId was stored before: `id` is the first petition's. */
  duplicate: boolean;
}

export interface PetitionWriter {
  /** Resolves once every petition is durably committed (or found to be a duplicate). */
  write(items: readonly PreparedPetition[]): Promise<WriteOutcome[]>;
  /** Resolves when everything queued so far is committed. */
  flush(): Promise<void>;
  /** Refuses new writes, then flushes. */
  close(): Promise<void>;
}

export interface WriterOptions {
  db: Db;
  storageMode: 'plain' | 'timescale';
  sealer: ContactSealer;
  /** Publishes the commit; the writer publishes nothing else. */
  publish: (name: 'petitions.committed', payload: InternalEvents['petitions.committed']) => void;
  /** Blind person keys of a contact, for "same person" links (ingest/contact-seal.ts). */
  personIndex?: (contact: Contact | undefined) => string[];
  /** Most petitions in one transaction. */
  maxBatch?: number;
}

interface Pending {
  items: readonly PreparedPetition[];
  resolve: (outcomes: WriteOutcome[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: requests that arrive while a transaction is running are queued and committed together
 * in the next one, so throughput grows with load while each request still waits for its own commit.
 * One transaction at a time per process keeps rollup updates free of self-deadlock.
 */
export function createPetitionWriter(options: WriterOptions): PetitionWriter {
  const maxBatch = options.maxBatch ?? 5_000;
  const queue: Pending[] = [];
  let running: Promise<void> | null = null;
  let closed = false;

  function kick(): void {
    running ??= drain().finally(() => {
      running = null;
      if (queue.length > 0) kick();
    });
  }

  async function commitAndSettle(group: Pending[]): Promise<void> {
    const { outcomes, committed } = await commitGroup(
      options,
      group.flatMap((p) => p.items),
    );
    let offset = 0;
    for (const p of group) {
      p.resolve(outcomes.slice(offset, offset + p.items.length));
      offset += p.items.length;
    }
    if (committed.length > 0) options.publish('petitions.committed', { petitions: committed });
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const group: Pending[] = [];
      let size = 0;
      while (queue.length > 0 && (group.length === 0 || size + queue[0]!.items.length <= maxBatch)) {
        const next = queue.shift()!;
        group.push(next);
        size += next.items.length;
      }
      try {
        await commitAndSettle(group);
      } catch (error) {
        // One request's bad row must not fail its neighbours: retry each request on its own.
        if (group.length === 1) group[0]!.reject(error);
        else {
          for (const p of group) {
            try {
              await commitAndSettle([p]);
            } catch (own) {
              p.reject(own);
            }
          }
        }
      }
    }
  }

  return {
    write(items) {
      if (closed) return Promise.reject(new Error('The petition writer is closed (shutting down)'));
      if (items.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        queue.push({ items, resolve, reject });
        kick();
      });
    },
    async flush() {
      while (running) await running;
    },
    async close() {
      closed = true;
      while (running) await running;
    },
  };
}

async function commitGroup(
  options: WriterOptions,
  items: readonly PreparedPetition[],
): Promise<{ outcomes: WriteOutcome[]; committed: CommittedPetition[] }> {
  // Within the group, the first item with a given key wins; later ones point at it.
  const firstByKey = new Map<string, PreparedPetition>();
  for (const item of items) {
    const { channel, externalId } = item.row;
    if (externalId === null) continue;
    const key = petitionKeyOf(channel, externalId);
    if (!firstByKey.has(key)) firstByKey.set(key, item);
  }

  return options.db.withTransaction(async (tx) => {
    const existing = await claimPetitionKeys(
      tx,
      [...firstByKey.values()].map((item) => ({
        channel: item.row.channel,
        externalId: item.row.externalId!,
        petitionId: item.row.id,
        receivedAt: item.row.receivedAt,
      })),
    );

    const fresh: PreparedPetition[] = [];
    const outcomes = items.map((item): WriteOutcome => {
      const { channel, externalId } = item.row;
      if (externalId === null) {
        fresh.push(item);
        return { id: item.row.id, duplicate: false };
      }
      const key = petitionKeyOf(channel, externalId);
      const earlier = existing.get(key);
      if (earlier) return { id: earlier, duplicate: true };
      const first = firstByKey.get(key)!;
      if (first !== item) return { id: first.row.id, duplicate: true };
      fresh.push(item);
      return { id: item.row.id, duplicate: false };
    });

    await insertPetitions(
      tx,
      fresh.map((f) => f.row),
    );
    const contacts: SealedContactRow[] = [];
    for (const f of fresh) {
      if (!f.contact) continue;
      const { keyId, sealed } = options.sealer.seal(f.contact);
      const personKeys = options.personIndex?.(f.contact) ?? [];
      contacts.push({ petitionId: f.row.id, receivedAt: f.row.receivedAt, keyId, sealed, personKeys });
    }
    await insertContacts(tx, contacts);
    await insertOriginals(
      tx,
      fresh.flatMap((f) => {
        if (!f.original) return [];
        const { keyId, sealed } = options.sealer.sealBytes(Buffer.from(f.original.content, 'utf8'));
        const position = f.original.position ?? null;
        return [
          { petitionId: f.row.id, receivedAt: f.row.receivedAt, format: f.original.format, position, keyId, sealed },
        ];
      }),
    );
    await insertAttachments(
      tx,
      fresh.flatMap((f) => sealAttachments(options.sealer, f)),
    );
    // One audit row per submitter and commit: the state change and its record commit together.
    await appendAudit(tx, auditEntries(fresh));
    // With TimescaleDB the continuous aggregate does this; on plain tables the writer does.
    if (options.storageMode === 'plain') await addToMinuteRollup(tx, rollupCells(fresh.map((f) => f.row)));

    const committed = fresh.map((f): CommittedPetition => ({
      id: f.row.id,
      receivedAt: f.row.receivedAt,
      channel: f.row.channel,
      regionCode: f.row.regionCode,
      topic: f.row.topic as CommittedPetition['topic'],
      grade: f.row.grade,
      sentiment: { label: f.row.sentimentLabel, score: f.row.sentimentScore },
      extreme: f.extreme,
      people: f.row.people,
      amountYuan: f.row.amountYuan,
      riskTerms: (f.row.riskTerms as RiskTerm[]).map((t) => ({ term: t.term, category: t.category })),
      plannedAction: f.plannedAction ?? null,
      summary: f.row.summary,
    }));
    return { outcomes, committed };
  });
}

function sealAttachments(sealer: ContactSealer, f: PreparedPetition): SealedAttachmentRow[] {
  return (f.attachments ?? []).map((a, i) => {
    const { keyId, sealed } = sealer.sealBytes(a.content);
    return {
      // Deterministic per petition and position, so a retried commit cannot store a file twice.
      id: `${f.row.id.slice(0, 24)}${(i + 1).toString(16).padStart(12, '0')}`,
      petitionId: f.row.id,
      receivedAt: f.row.receivedAt,
      filename: a.filename,
      contentType: a.contentType,
      sizeBytes: a.content.byteLength,
      sha256: createHash('sha256').update(a.content).digest('hex'),
      keyId,
      sealed,
    };
  });
}

function auditEntries(fresh: readonly PreparedPetition[]): AuditEntry[] {
  const bySource = new Map<string, { source: NonNullable<PreparedPetition['source']>; ids: string[] }>();
  for (const f of fresh) {
    const source = f.source ?? { actor: 'system', role: 'system' };
    const key = `${source.actor}\u0000${source.role}\u0000${source.address ?? ''}`;
    let group = bySource.get(key);
    if (!group) bySource.set(key, (group = { source, ids: [] }));
    group.ids.push(f.row.id);
  }
  const at = new Date();
  return [...bySource.values()].map(({ source, ids }) => ({
    at,
    actor: source.actor,
    actorRole: source.role,
    action: 'petitions.create',
    subjectType: 'petition',
    subjectId: ids.length === 1 ? ids[0]! : null,
    address: source.address ?? null,
    after: { count: ids.length, ids },
  }));
}

/** Sums rows into minute × region × topic × channel cells. */
export function rollupCells(rows: readonly NewPetitionRow[]): MinuteCell[] {
  const cells = new Map<string, MinuteCell>();
  for (const r of rows) {
    const bucket = minuteFloor(r.receivedAt);
    const regionCode = r.regionCode ?? '';
    const id = `${bucket.getTime()}|${regionCode}|${r.topic}|${r.channel}`;
    let cell = cells.get(id);
    if (!cell) {
      cell = {
        bucket,
        regionCode,
        topic: r.topic,
        channel: r.channel,
        total: 0,
        general: 0,
        key: 0,
        major: 0,
        negative: 0,
        sentimentSum: 0,
      };
      cells.set(id, cell);
    }
    cell.total += 1;
    cell[r.grade] += 1;
    if (r.sentimentLabel === 'negative') cell.negative += 1;
    cell.sentimentSum += r.sentimentScore;
  }
  return [...cells.values()];
}
