import { searchAudit } from '$db/queries/audit.ts';
import { textParam, timeParam } from '$lib/server/query-params.ts';
import type { PageServerLoad } from './$types';

/** Admins only (hooks.server.ts): search the audit trail; every filter is a query parameter. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const q = url.searchParams;
  const filter = {
    actor: textParam(q.get('actor')),
    action: textParam(q.get('action')),
    subjectType: textParam(q.get('subjectType')),
    subjectId: textParam(q.get('subjectId')),
    from: timeParam(q.get('from')),
    to: timeParam(q.get('to')),
  };
  const rows = await searchAudit(locals.app.db, filter, 200);
  return {
    filter: Object.fromEntries(
      Object.entries(filter).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : (v ?? '')]),
    ),
    rows: rows.map((r) => ({
      seq: r.seq,
      at: r.at.toISOString(),
      actor: r.actor,
      actorRole: r.actorRole,
      action: r.action,
      subject: `${r.subjectType}${r.subjectId ? `:${r.subjectId}` : ''}`,
      address: r.address,
      hash: r.hash.slice(0, 12),
    })),
  };
};
