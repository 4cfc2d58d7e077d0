import { AhoCorasick } from '@monyone/aho-corasick';
import type { RegionPack } from '../regions.ts';

export interface Place {
  /** 6-digit division code. */
  code: string;
  /** The district's full name (吴中区), whatever form the text used. */
  name: string;
  /** Offset in the analysed text of the first mention. */
  start: number;
}

/**
 * Finds the deployed region's districts named in a text: full names (吴中区, 昆山市) and, for names
 * of three or more characters, the short form without the suffix (吴中, 昆山), which is how people
 * speak. Returns each district once, in order of first mention.
 */
export function createPlaceFinder(region: RegionPack): (text: string) => Place[] {
  const byName = new Map<string, { code: string; name: string }>();
  for (const d of region.districts) {
    byName.set(d.name, d);
    if ([...d.name].length >= 3) byName.set(d.name.slice(0, -1), d);
  }
  const matcher = new AhoCorasick([...byName.keys()]);
  return (text) => {
    const seen = new Set<string>();
    const places: Place[] = [];
    for (const m of matcher.matchInText(text).sort((a, b) => a.begin - b.begin || b.end - a.end)) {
      const d = byName.get(m.keyword)!;
      if (seen.has(d.code)) continue;
      seen.add(d.code);
      places.push({ code: d.code, name: d.name, start: m.begin });
    }
    return places;
  };
}
