import type { Db } from '../db/client.ts';
import { readChannelState, writeChannelState } from '../db/queries/channel-state.ts';
import {
  bandCandidates,
  flushBandIndex,
  insertLinks,
  type NewLink,
  petitionsAcceptedAfter,
  samePersonPairs,
} from '../db/queries/links.ts';
import { decodeSignature, estimateSimilarity } from './analyse/minhash.ts';

/** Estimated Jaccard similarity from which two petitions are taken to be one matter. */
export const LINK_THRESHOLD = 0.6;
/** How far back a new petition looks for its matter. */
const WINDOW_DAYS = 180;
/** Rows of one transaction share accepted_at = now(); a transaction still open then commits older
 * rows later. Waiting this long past acceptance lets such stragglers land before the cursor passes. */
const SETTLE_MS = 15_000;
const CURSOR_KEY = 'linker:cursor';
const ORIGIN = { acceptedAt: '1970-01-01 00:00:00+00', id: '00000000-0000-0000-0000-000000000000' };

export interface LinkRun {
  petitions: number;
  links: number;
}

/**
 * Links petitions of one matter (near-duplicate MinHash signatures) or one person (blind person keys)
 * across channels, after they are committed: a scheduled job walks petitions in acceptance order from
 * a durable cursor, so intake never waits for it and a crash only delays links, never loses them.
 */
export async function linkNewPetitions(db: Db, now: Date, batch = 2_000): Promise<LinkRun> {
  const stored = await readChannelState(db, CURSOR_KEY);
  const cursor = stored ? parseCursor(stored) : ORIGIN;
  const petitions = await petitionsAcceptedAfter(db, cursor, new Date(now.getTime() - SETTLE_MS), batch);
  if (petitions.length === 0) return { petitions: 0, links: 0 };

  await flushBandIndex(db);
  const since = new Date(now.getTime() - WINDOW_DAYS * 86_400_000);
  const withBands = petitions.filter((p) => p.signature && p.lshBands.length > 0);
  const signatures = new Map(withBands.map((p) => [p.id, decodeSignature(p.signature!)]));
  const links: NewLink[] = [];
  for (const c of await bandCandidates(db, withBands, since, 20)) {
    if (!c.candidateSignature) continue;
    const a = signatures.get(c.petitionId)!;
    const b = decodeSignature(c.candidateSignature);
    if (a.length !== b.length) continue;
    const similarity = estimateSimilarity(a, b);
    if (similarity >= LINK_THRESHOLD) {
      links.push({ petitionId: c.petitionId, linkedId: c.candidateId, kind: 'near_duplicate', similarity });
    }
  }
  for (const pair of await samePersonPairs(
    db,
    petitions.map((p) => p.id),
    20,
  )) {
    links.push({ petitionId: pair.petitionId, linkedId: pair.otherId, kind: 'same_person', similarity: 1 });
  }
  const last = petitions[petitions.length - 1]!;
  const written = await db.withTransaction(async (tx) => {
    const n = await insertLinks(tx, links);
    await writeChannelState(tx, CURSOR_KEY, JSON.stringify({ acceptedAt: last.acceptedAt, id: last.id }));
    return n;
  });
  return { petitions: petitions.length, links: written / 2 };
}

function parseCursor(text: string): { acceptedAt: string; id: string } {
  return JSON.parse(text) as { acceptedAt: string; id: string };
}
