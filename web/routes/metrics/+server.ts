import type { RequestHandler } from './$types';

/** Prometheus text exposition. */
export const GET: RequestHandler = async ({ locals }) => {
  const { registry } = locals.app.metrics;
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } });
};
