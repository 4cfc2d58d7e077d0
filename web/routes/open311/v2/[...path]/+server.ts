import type { RequestHandler } from './$types';

/** Open311 GeoReport v2 (server/open311.ts): services, requests, tokens, as .json or .xml. */
const handler: RequestHandler = async ({ request, params, url, locals, getClientAddress }) => {
  const { status, body, contentType } = await locals.app.open311({
    method: request.method,
    path: params.path,
    query: url.searchParams,
    contentType: request.headers.get('content-type'),
    readBody: () => request.text(),
    address: getClientAddress(),
  });
  return new Response(body, { status, headers: { 'content-type': contentType } });
};

export const GET = handler;
export const POST = handler;
export const fallback = handler;
