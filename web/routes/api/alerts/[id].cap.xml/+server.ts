import { json } from '@sveltejs/kit';
import { mayReadAlert } from '$alerts/audiences.ts';
import { CAP_MEDIA_TYPE, capContextFor, capXml } from '$alerts/cap.ts';
import { getAlert } from '$db/queries/alerts.ts';
import type { RequestHandler } from './$types';

/**
 * One alert as an OASIS CAP 1.2 message, for a signed-in reader the alert concerns (the same rule as
 * the live rooms). An alert the reader may not see answers exactly as one that does not exist.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  const identity = locals.identity;
  if (identity.kind !== 'user') {
    return json(
      { error: { code: 'unauthenticated', message: '请先以个人账号登录 · Sign in with a personal account first' } },
      { status: 401, headers: { 'cache-control': 'no-store' } },
    );
  }
  const { db, region } = locals.app;
  const audiences = locals.app.alerts.audiences;
  const alert = await getAlert(db, params.id);
  if (!alert || !mayReadAlert(identity, alert, audiences)) {
    const id = params.id.slice(0, 64);
    return json(
      { error: { code: 'not_found', message: `没有编号为 ${id} 的预警 · No alert with id ${id}` } },
      { status: 404, headers: { 'cache-control': 'no-store' } },
    );
  }
  return new Response(capXml(alert, capContextFor(region, url.origin)), {
    headers: { 'content-type': `${CAP_MEDIA_TYPE}; charset=utf-8`, 'cache-control': 'private, no-store' },
  });
};

export const fallback: RequestHandler = ({ request }) =>
  json(
    { error: { code: 'method_not_allowed', message: `${request.method} is not supported here; use GET` } },
    { status: 405, headers: { allow: 'GET' } },
  );
