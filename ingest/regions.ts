import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readJsonFile } from './read-json.ts';

const lngLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const regionCode = z.string().regex(/^\d{6}$/, 'a 6-digit administrative division code');

const RegionPackSchema = z.object({
  code: regionCode,
  name: z.string().min(1),
  nameEn: z.string().min(1),
  timezone: z.string().min(1),
  center: lngLat,
  districts: z
    .array(
      z.object({
        code: regionCode,
        name: z.string().min(1),
        nameEn: z.string().min(1),
        center: lngLat,
        /** Share of petitions the demo feed sends here; also a rough population weight. */
        weight: z.number().positive(),
      }),
    )
    .min(1),
});

/** The deployed region: a city (or province) and its county-level divisions. */
export type RegionPack = z.infer<typeof RegionPackSchema>;
export type District = RegionPack['districts'][number];

const packsDir = fileURLToPath(new URL('../config/regions/', import.meta.url));

/**
 * Loads and validates a region pack from `config/regions/<name>.json`, or from a path ending in `.json`.
 * Throws with the offending field when the file is not a valid pack.
 */
export function loadRegionPack(nameOrPath: string): RegionPack {
  const file = nameOrPath.endsWith('.json') ? nameOrPath : `${packsDir}${nameOrPath}.json`;
  const parsed = RegionPackSchema.safeParse(readJsonFile(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Region pack ${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}
