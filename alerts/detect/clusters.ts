import { decodeSignature, estimateSimilarity } from '../../ingest/analyse/minhash.ts';
import type { WindowPetition } from '../source.ts';

/** Near-duplicate petitions of one window: the same matter, told again and again. */
export interface Cluster {
  /** A band key all (or most) members share: stable while the cluster grows, so alerts group on it. */
  key: string;
  members: WindowPetition[];
  /** Band keys shared by two or more members. */
  bands: string[];
}

/** The MinHash similarity at which two petitions count as the same matter (as the linker uses). */
export const SAME_MATTER = 0.6;

/**
 * Groups petitions that share an LSH band and whose signatures agree (≥ {@link SAME_MATTER}) into
 * clusters. Each band bucket is compared against its first member, so a wave of n copies costs n
 * comparisons per band, not n².
 */
export function nearDuplicateClusters(petitions: readonly WindowPetition[], minSize = 2): Cluster[] {
  const parent = petitions.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const signatures = petitions.map((p) => (p.signature ? decodeSignature(p.signature) : null));
  const buckets = new Map<string, number[]>();
  petitions.forEach((p, i) => {
    if (!signatures[i]) return;
    for (const band of p.bands) {
      let b = buckets.get(band);
      if (!b) buckets.set(band, (b = []));
      b.push(i);
    }
  });
  const sharedBands = new Map<number, Set<string>>();
  for (const [band, members] of buckets) {
    if (members.length < 2) continue;
    const seed = members[0]!;
    for (const m of members.slice(1)) {
      if (estimateSimilarity(signatures[seed]!, signatures[m]!) < SAME_MATTER) continue;
      parent[find(m)] = find(seed);
      for (const x of [seed, m]) {
        let s = sharedBands.get(x);
        if (!s) sharedBands.set(x, (s = new Set()));
        s.add(band);
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (const i of sharedBands.keys()) {
    const root = find(i);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = []));
    g.push(i);
  }
  const clusters: Cluster[] = [];
  for (const indices of groups.values()) {
    if (indices.length < minSize) continue;
    const counts = new Map<string, number>();
    for (const i of indices) for (const band of sharedBands.get(i)!) counts.set(band, (counts.get(band) ?? 0) + 1);
    // The most shared band, ties broken by the key itself, names the cluster.
    const bands = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([b]) => b);
    clusters.push({
      key: bands[0]!,
      members: indices.sort((a, b) => a - b).map((i) => petitions[i]!),
      bands,
    });
  }
  return clusters.sort((a, b) => b.members.length - a.members.length);
}

/** Different petitioners among petitions: those sharing any blind key are one; unknown senders count each. */
export function distinctPetitioners(petitions: readonly WindowPetition[]): number {
  const owner = new Map<string, number>();
  const parent = petitions.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  petitions.forEach((p, i) => {
    for (const k of p.personKeys) {
      const o = owner.get(k);
      if (o === undefined) owner.set(k, i);
      else parent[find(i)] = find(o);
    }
  });
  return new Set(petitions.map((_, i) => find(i))).size;
}

/** The most frequent value (ties: first seen), for a cluster's region and topic. */
export function mostCommon<T>(values: readonly T[]): T | null {
  const counts = new Map<T, number>();
  let best: T | null = null;
  let bestN = 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > bestN) [best, bestN] = [v, n];
  }
  return best;
}

/**
 * The topic a group of petitions is filed under: the most common one, except that any accusation makes
 * it one (干部作风), so that no part of it reaches an audience an accusation may not.
 */
export function topicOf(petitions: readonly WindowPetition[]): string | null {
  return petitions.some((p) => p.topic === 'conduct') ? 'conduct' : mostCommon(petitions.map((p) => p.topic));
}
