import { json } from '@sveltejs/kit';
import { computeKpis } from '$alerts/kpis.ts';
import { canViewWall } from '$server/auth/identity.ts';
import type { RequestHandler } from './$types';

/**
 * The KPIs with their definitions, as JSON. Aggregates only, so they follow the wall's access rule:
 * any signed-in user or wall kiosk, and anyone when the deployment's wall is open.
 */
export const GET: RequestHandler = async ({ locals }) => {
  const { db, region, now, config } = locals.app;
  if (!canViewWall(locals.identity, config.wallAccess)) {
    return json(
      { error: { code: 'unauthorized', message: '请先登录 · Sign in to see the KPIs' } },
      { status: 401, headers: { 'cache-control': 'no-store' } },
    );
  }
  const snapshot = await computeKpis(db, now(), region.timezone);
  return json(snapshot, { headers: { 'cache-control': 'private, no-store' } });
};

export const fallback: RequestHandler = ({ request }) =>
  json(
    { error: { code: 'method_not_allowed', message: `${request.method} is not supported here; use GET` } },
    { status: 405, headers: { allow: 'GET' } },
  );
