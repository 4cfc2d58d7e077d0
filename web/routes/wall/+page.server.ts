import { wallSnapshot } from '$db/queries/wall.ts';
import { CHANNELS } from '$ingest/channels/catalog.ts';
import { GRADES, TOPICS } from '$ingest/taxonomy.ts';
import { MINUTE_MS, minuteFloor, startOfZonedDay } from '$ingest/time.ts';
import { WINDOW_MINUTES } from '$realtime/live-stats.ts';
import type { MinuteCount, PetitionSummary, StatsSnapshot } from '$realtime/contract.ts';
import type { PageServerLoad } from './$types';

/** First paint from one query over the rollup view; the socket then takes over. */
export const load: PageServerLoad = async ({ locals }) => {
  const { db, region, now } = locals.app;
  const t = now();
  const current = minuteFloor(t).getTime();
  const from = current - (WINDOW_MINUTES - 1) * MINUTE_MS;
  const row = await wallSnapshot(db, {
    from: new Date(from),
    dayStart: startOfZonedDay(t, region.timezone),
    latest: 30,
  });

  const byMinute = new Map(row.minutes.map((m) => [Date.parse(m.bucket), m]));
  const minutes: MinuteCount[] = [];
  for (let ms = from; ms <= current; ms += MINUTE_MS) {
    const m = byMinute.get(ms);
    minutes.push({
      t: new Date(ms).toISOString(),
      total: m?.total ?? 0,
      key: m?.key ?? 0,
      major: m?.major ?? 0,
      negative: m?.negative ?? 0,
    });
  }
  const latest: PetitionSummary[] = row.latest.map((p) => ({
    id: p.id,
    receivedAt: p.receivedAt,
    channel: p.channel,
    regionCode: p.regionCode,
    topic: p.topic,
    grade: p.grade,
    sentiment: { label: p.sentimentLabel, score: p.sentimentScore },
    summary: p.summary,
  }));
  // seq -1: the socket's own snapshot always replaces this one.
  const snapshot: StatsSnapshot = { seq: -1, at: t.toISOString(), minutes, today: row.today, latest };

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
