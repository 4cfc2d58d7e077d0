import { json } from '@sveltejs/kit';
import { readContact } from '$server/auth/privacy.ts';
import type { RequestHandler } from './$types';

/** The petitioner's identity: clear (and audited) for handlers, masked for other roles. */
export const GET: RequestHandler = async ({ locals, params, getClientAddress }) => {
  const { db, sealer, now } = locals.app;
  const { status, body } = await readContact(db, sealer, locals.identity, params.id, getClientAddress(), now());
  return json(body, { status, headers: { 'cache-control': 'no-store' } });
};
