import { error } from '@sveltejs/kit';
import { intakeStaff } from '$lib/server/staff.ts';
import type { RequestHandler } from './$types';

/** The rejected rows with their row numbers and reasons, to fix in Excel and import again. */
export const GET: RequestHandler = ({ locals, params }) => {
  const me = intakeStaff(locals.identity);
  const csv = locals.app.imports.rejectedCsv(params.id, me.userId);
  if (csv === null) error(404, '没有这次导入 · No such import');
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('未导入的行')}-${params.id.slice(0, 8)}.csv`,
      'cache-control': 'no-store',
    },
  });
};
