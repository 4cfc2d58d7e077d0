import { json } from '@sveltejs/kit';
import { readBodyWithLimit } from '$lib/server/read-body.ts';
import type { RequestHandler } from './$types';

/** Intake for every channel: one petition or an array of up to 1,000 (see ingest/intake.ts). */
export const POST: RequestHandler = async ({ request, locals }) => {
  const { status, body, retryAfterSeconds } = await locals.app.intake.handle({
    authorization: request.headers.get('authorization'),
    contentType: request.headers.get('content-type'),
    readBody: (limit) => readBodyWithLimit(request, limit),
  });
  const headers: Record<string, string> = {};
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="wenkong-intake"';
  if (retryAfterSeconds) headers['retry-after'] = String(retryAfterSeconds);
  return json(body, { status, headers });
};

export const fallback: RequestHandler = ({ request }) =>
  json(
    { error: { code: 'method_not_allowed', message: `${request.method} is not supported here; use POST` } },
    { status: 405, headers: { allow: 'POST' } },
  );
