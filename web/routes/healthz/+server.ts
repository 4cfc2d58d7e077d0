import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** Liveness and readiness: the process answers and the database does too. */
export const GET: RequestHandler = async ({ locals }) => {
  const { db, storageMode } = locals.app;
  const started = performance.now();
  try {
    await db.ping();
  } catch {
    return json({ status: 'error', database: 'unreachable' }, { status: 503 });
  }
  return json({
    status: 'ok',
    uptimeSeconds: Math.round(process.uptime()),
    database: { engine: db.engine, storageMode, pingMs: Math.round((performance.now() - started) * 10) / 10 },
  });
};
