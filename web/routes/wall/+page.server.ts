import { alertView, mayReadAlert } from '$alerts/audiences.ts';
import { computeKpis } from '$alerts/kpis.ts';
import { listAlerts } from '$db/queries/alerts.ts';
import { CHANNELS } from '$ingest/channels/catalog.ts';
import { GRADES, TOPICS } from '$ingest/taxonomy.ts';
import { readWallSnapshot, snapshotFromRow } from '$realtime/live-stats.ts';
import type { KpiSnapshot } from '$realtime/contract.ts';
import type { PageServerLoad } from './$types';

/** The open alerts first paint lists; the socket's events then keep the list current. */
const OPEN_ALERTS_LIMIT = 50;

/**
 * First paint: the rollup snapshot, the open alerts and the KPIs, read side by side; the socket then
 * takes over. The page calls this again after a reconnect that was not recovered (events may be lost).
 */
export const load: PageServerLoad = async ({ locals }) => {
  const { db, region, now, log } = locals.app;
  const t = now();
  const [row, open, kpis] = await Promise.all([
    readWallSnapshot(db, region.timezone, t),
    listAlerts(db, { states: ['raised', 'acknowledged', 'acting'], limit: OPEN_ALERTS_LIMIT }),
    // The wall stays up without its KPI strip; the next kpi:tick fills it in.
    computeKpis(db, t, region.timezone).catch((error: unknown): KpiSnapshot | null => {
      log.error('wall: computing the KPIs for first paint failed', error);
      return null;
    }),
  ]);

  // Liaisons and departments hear only their own alerts live (wall:alerts is not theirs): so here too.
  const identity = locals.identity;
  const readable =
    identity.kind === 'user' && (identity.role === 'liaison' || identity.role === 'department')
      ? (a: (typeof open)[number]) => mayReadAlert(identity, a, locals.app.alerts.audiences)
      : () => true;

  // seq -1: the socket's own snapshot always replaces this one.
  const snapshot = snapshotFromRow(row, t);

  return {
    snapshot,
    openAlerts: {
      // Silenced alerts never reach the wall room, so first paint leaves them out too.
      alerts: open.filter((a) => a.silenceId === null && readable(a)).map(alertView),
      complete: open.length < OPEN_ALERTS_LIMIT,
    },
    kpis,
    region: { name: region.name, timezone: region.timezone },
    names: {
      districts: Object.fromEntries(region.districts.map((d) => [d.code, d.name])),
      topics: Object.fromEntries(Object.entries(TOPICS).map(([k, v]) => [k, v.zh])),
      channels: Object.fromEntries(Object.entries(CHANNELS).map(([k, v]) => [k, v.zh])),
      grades: Object.fromEntries(Object.entries(GRADES).map(([k, v]) => [k, v.zh])),
    },
  };
};
