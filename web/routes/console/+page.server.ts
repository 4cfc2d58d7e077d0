import { listPetitions } from '$db/queries/console.ts';
import { countOpenDeadLetters } from '$db/queries/dead-letters.ts';
import { textParam } from '$lib/server/query-params.ts';
import { CHANNELS } from '$ingest/channels/catalog.ts';
import { GRADES, TOPICS } from '$ingest/taxonomy.ts';
import type { PageServerLoad } from './$types';

/** Staff only (hooks.server.ts): the latest petitions, masked, with grades and reasons. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const q = url.searchParams;
  const filter = {
    grade: textParam(q.get('grade'), 100),
    topic: textParam(q.get('topic'), 100),
    channel: textParam(q.get('channel'), 100),
    regionCode: textParam(q.get('region'), 100),
  };
  const [rows, open] = await Promise.all([
    listPetitions(locals.app.db, filter, 100),
    countOpenDeadLetters(locals.app.db),
  ]);
  const time = new Intl.DateTimeFormat('zh-CN', {
    timeZone: locals.app.region.timezone,
    dateStyle: 'short',
    timeStyle: 'medium',
    hourCycle: 'h23',
  });
  const districts = Object.fromEntries(locals.app.region.districts.map((d) => [d.code, d.name]));
  return {
    filter: Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, v ?? ''])),
    openDeadLetters: Object.values(open).reduce((a, b) => a + b, 0),
    grades: Object.entries(GRADES).map(([code, n]) => ({ code, name: n.zh })),
    topics: Object.entries(TOPICS).map(([code, n]) => ({ code, name: n.zh })),
    canRevealContact:
      locals.identity.kind === 'user' && ['admin', 'operator', 'duty_leader'].includes(locals.identity.role),
    rows: rows.map((r) => ({
      id: r.id,
      receivedAt: time.format(r.receivedAt),
      channel: CHANNELS[r.channel as keyof typeof CHANNELS]?.zh ?? r.channel,
      district: (r.regionCode && districts[r.regionCode]) || '未知区域',
      topic: TOPICS[r.topic as keyof typeof TOPICS]?.zh ?? r.topic,
      grade: r.grade,
      gradeName: GRADES[r.grade as keyof typeof GRADES]?.zh ?? r.grade,
      summary: r.summary,
      reasons: r.reasons,
    })),
  };
};
