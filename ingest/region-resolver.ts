import { createPlaceFinder } from './analyse/places.ts';
import type { RegionPack } from './regions.ts';

/** Places a record in one district of the deployed region, from whatever the channel gave. */
export interface RegionResolver {
  /** A 所属区域 cell: a 6-digit code of the pack, or a district's full or short name (吴中区, 吴中). */
  fromCell(cell: string): string | null;
  /** An address or free text that names exactly one district; null when none or several. */
  fromText(text: string): string | null;
  /** The district whose centre is nearest, when the point lies within the region's reach. */
  fromPoint(lng: number, lat: number): string | null;
}

/** Farther than this from every district centre is taken to be outside the region. */
const MAX_DISTANCE_KM = 60;

const SUFFIX = /(区|市|县|district|city|county)$/;
const normal = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s·._-]+/g, '');

export function createRegionResolver(region: RegionPack): RegionResolver {
  const findPlaces = createPlaceFinder(region);
  const byName = new Map<string, string>();
  for (const d of region.districts) {
    for (const n of [d.code, d.name, d.nameEn, d.name.replace(SUFFIX, ''), `${d.nameEn} district`]) {
      const key = normal(n);
      if (key.length >= 2) byName.set(key, d.code);
    }
  }
  return {
    fromCell(cell) {
      const key = normal(cell);
      if (key === '') return null;
      const exact = byName.get(key) ?? byName.get(key.replace(SUFFIX, ''));
      if (exact) return exact;
      // A longer place name (苏州市吴中区木渎镇) that names exactly one district.
      const places = findPlaces(cell);
      return places.length === 1 ? places[0]!.code : null;
    },
    fromText(text) {
      const places = findPlaces(text);
      return places.length === 1 ? places[0]!.code : null;
    },
    fromPoint(lng, lat) {
      let best: { code: string; km: number } | null = null;
      for (const d of region.districts) {
        const km = haversineKm(lng, lat, d.center[0], d.center[1]);
        if (!best || km < best.km) best = { code: d.code, km };
      }
      return best && best.km <= MAX_DISTANCE_KM ? best.code : null;
    },
  };
}

function haversineKm(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.sqrt(a));
}
