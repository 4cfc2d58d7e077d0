import { searchAudit } from '$db/queries/audit.ts';
import type { PageServerLoad } from './$types';

const text = (v: string | null) => (v && v.trim() ? v.trim().slice(0, 200) : undefined);
const time = (v: string | null) => {
  const t = v ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? undefined : new Date(t);
};

/** Admins only (hooks.server.ts): search the audit trail; every filter is a query parameter. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const q = url.searchParams;
  const filter = {
    actor: text(q.get('actor')),
    action: text(q.get('action')),
    subjectType: text(q.get('subjectType')),
    subjectId: text(q.get('subjectId')),
    from: time(q.get('from')),
    to: time(q.get('to')),
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
