import { json } from '@sveltejs/kit';
import { readBodyWithLimit } from '$lib/server/read-body.ts';
import type { RequestHandler } from './$types';

/** Signed work-order webhooks of the 12345 and enterprise hotlines (ingest/hotline-intake.ts). */
export const POST: RequestHandler = async ({ request, params, locals, getClientAddress }) => {
  const { status, body } = await locals.app.hotlineIntake({
    channel: params.channel,
    timestamp: request.headers.get('x-wenkong-timestamp'),
    signature: request.headers.get('x-wenkong-signature'),
    readBody: (limit) => readBodyWithLimit(request, limit),
    address: getClientAddress(),
  });
  return json(body, { status });
};

export const fallback: RequestHandler = ({ request }) =>
  json(
    { error: { code: 'method_not_allowed', message: `${request.method} is not supported here; use POST` } },
    { status: 405, headers: { allow: 'POST' } },
  );
