import { CHANNELS } from '$ingest/channels/catalog.ts';
import { GRADES, TOPICS } from '$ingest/taxonomy.ts';
import { readWallSnapshot, snapshotFromRow } from '$realtime/live-stats.ts';
import type { PageServerLoad } from './$types';

/** First paint from one query over the rollup view; the socket then takes over. */
export const load: PageServerLoad = async ({ locals }) => {
  const { db, region, now } = locals.app;
  const t = now();
  const row = await readWallSnapshot(db, region.timezone, t);

  // seq -1: the socket's own snapshot always replaces this one.
  const snapshot = snapshotFromRow(row, t);

  return {
    snapshot,
    region: { name: region.name, timezone: region.timezone },
    names: {
      districts: Object.fromEntries(region.districts.map((d) => [d.code, d.name])),
      topics: Object.fromEntries(Object.entries(TOPICS).map(([k, v]) => [k, v.zh])),
      channels: Object.fromEntries(Object.entries(CHANNELS).map(([k, v]) => [k, v.zh])),
      grades: Object.fromEntries(Object.entries(GRADES).map(([k, v]) => [k, v.zh])),
    },
  };
};
