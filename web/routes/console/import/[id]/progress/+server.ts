import { error, json } from '@sveltejs/kit';
import { intakeStaff } from '$lib/server/staff.ts';
import type { RequestHandler } from './$types';

/** The upload page polls this while an import runs. */
export const GET: RequestHandler = ({ locals, params }) => {
  const me = intakeStaff(locals.identity);
  const progress = locals.app.imports.progress(params.id, me.userId);
  if (!progress) error(404, '没有这次导入 · No such import');
  return json(progress, { headers: { 'cache-control': 'no-store' } });
};
