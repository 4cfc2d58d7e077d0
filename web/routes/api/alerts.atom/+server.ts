import { json } from '@sveltejs/kit';
import { mayReadAlert } from '$alerts/audiences.ts';
import { atomFeed } from '$alerts/atom.ts';
import { capContextFor } from '$alerts/cap.ts';
import { listAlerts } from '$db/queries/alerts.ts';
import type { RequestHandler } from './$types';

const FEED_SIZE = 100;
// How far back to look for the reader's newest 100: a liaison may see only a few of the newest alerts.
const SCAN = 1000;

/** The newest alerts the signed-in reader may see, silenced ones left out, as Atom entries carrying CAP. */
export const GET: RequestHandler = async ({ locals, url }) => {
  const identity = locals.identity;
  if (identity.kind !== 'user') {
    return json(
      { error: { code: 'unauthenticated', message: '请先以个人账号登录 · Sign in with a personal account first' } },
      { status: 401, headers: { 'cache-control': 'no-store' } },
    );
  }
  const { db, region, now } = locals.app;
  const readable = locals.app.alerts.audiences;
  const alerts = (await listAlerts(db, { limit: SCAN }))
    .filter((a) => a.silenceId === null && mayReadAlert(identity, a, readable))
    .slice(0, FEED_SIZE);
  const newest = alerts.reduce<Date | null>((max, a) => (max && max >= a.updatedAt ? max : a.updatedAt), null);
  const body = atomFeed(alerts, {
    ...capContextFor(region, url.origin),
    selfUrl: `${url.origin}${url.pathname}`,
    updated: newest ?? now(),
  });
  return new Response(body, {
    headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'private, no-store' },
  });
};

export const fallback: RequestHandler = ({ request }) =>
  json(
    { error: { code: 'method_not_allowed', message: `${request.method} is not supported here; use GET` } },
    { status: 405, headers: { allow: 'GET' } },
  );
