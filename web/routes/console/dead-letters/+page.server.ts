import { fail } from '@sveltejs/kit';
import { recordAudit } from '$db/audit-chain.ts';
import {
  countOpenDeadLetters,
  discardDeadLetter,
  type DeadLetterRow,
  type DeadLetterStatus,
  findDeadLetter,
  listDeadLetters,
} from '$db/queries/dead-letters.ts';
import { CHANNEL_CODES, CHANNELS } from '$ingest/channels/catalog.ts';
import { isUuid, seesInClear } from '$lib/server/confidential.ts';
import { textParam } from '$lib/server/query-params.ts';
import { type DeadLetterDeps, retryDeadLetter } from '$server/dead-letters.ts';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;
const STATUSES = ['open', 'resolved', 'discarded', 'all'] as const;
type StatusFilter = (typeof STATUSES)[number];

const STAGE_NAMES: Record<string, string> = {
  parse: '解析 parse',
  validate: '校验 validate',
  analyse: '分析 analyse',
};
const STATUS_NAMES: Record<string, string> = {
  open: '待处理 open',
  resolved: '已处理 resolved',
  discarded: '已放弃 discarded',
};

export function _channelName(code: string): string {
  return CHANNELS[code as keyof typeof CHANNELS]?.zh ?? code;
}

export function _timeFormat(timezone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: timezone,
    dateStyle: 'short',
    timeStyle: 'medium',
    hourCycle: 'h23',
  });
}

/** What a page shows of a dead letter: never the payload (the detail page unseals it for some roles). */
export function _deadLetterView(r: DeadLetterRow, time: Intl.DateTimeFormat) {
  return {
    id: r.id,
    createdAt: time.format(r.createdAt),
    channel: _channelName(r.channel),
    stage: STAGE_NAMES[r.stage] ?? r.stage,
    reason: r.reason,
    fields: r.fields.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)),
    format: r.format,
    position: r.position ?? '',
    sourceActor: r.sourceActor,
    sourceRole: r.sourceRole,
    preview: r.preview,
    attempts: r.attempts,
    lastAttemptAt: r.lastAttemptAt ? time.format(r.lastAttemptAt) : '',
    status: r.status,
    statusName: STATUS_NAMES[r.status] ?? r.status,
    resolvedAt: r.resolvedAt ? time.format(r.resolvedAt) : '',
    resolvedBy: r.resolvedBy ?? '',
    petitionId: r.petitionId,
  };
}

/** Staff only (hooks.server.ts): records that could not become petitions, for retry or discarding. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const q = url.searchParams;
  const statusParam = textParam(q.get('status'), 20);
  const status: StatusFilter = STATUSES.find((s) => s === statusParam) ?? 'open';
  const channel = textParam(q.get('channel'), 100);
  const offsetParam = Number.parseInt(q.get('offset') ?? '', 10);
  const offset = Number.isSafeInteger(offsetParam) && offsetParam > 0 ? offsetParam - (offsetParam % PAGE_SIZE) : 0;
  const { db, region } = locals.app;
  const [{ rows, total }, open] = await Promise.all([
    listDeadLetters(db, {
      status: status === 'all' ? null : (status as DeadLetterStatus),
      channel: channel ?? null,
      limit: PAGE_SIZE,
      offset,
    }),
    countOpenDeadLetters(db),
  ]);
  const time = _timeFormat(region.timezone);
  const known = new Set<string>([...CHANNEL_CODES, ...Object.keys(open)]);
  return {
    filter: { status, channel: channel ?? '' },
    statuses: STATUSES.map((s) => ({ code: s, name: s === 'all' ? '全部 all' : STATUS_NAMES[s]! })),
    channels: [...known].map((code) => ({ code, name: _channelName(code) })),
    open: Object.entries(open)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, n]) => ({ code, name: _channelName(code), n })),
    page: { offset, size: PAGE_SIZE, total },
    canAct: seesInClear(locals.identity),
    rows: rows.map((r) => _deadLetterView(r, time)),
  };
};

const field = (form: FormData, name: string, max = 200) =>
  String(form.get(name) ?? '')
    .trim()
    .slice(0, max);

/** The roles that handle intake may retry and discard; a duty leader reads only. */
function handler(locals: App.Locals) {
  const me = locals.identity;
  return seesInClear(me) ? me : null;
}

function deps(app: App.Locals['app']): DeadLetterDeps {
  return { db: app.db, sealer: app.sealer, submit: app.pipeline.submit, remapContext: app.remapContext, now: app.now };
}

const FORBIDDEN = '无权操作：仅管理员和接访员可以重试或放弃 · Only admins and operators may retry or discard';

/** Shared with the detail page (./[id]/+page.server.ts), which posts the same actions. */
export const actions: Actions = {
  retry: async ({ request, locals, getClientAddress }) => {
    const me = handler(locals);
    if (!me) return fail(403, { id: null, message: FORBIDDEN });
    const form = await request.formData();
    const id = field(form, 'id', 64);
    if (!isUuid(id)) return fail(404, { id: null, message: '没有这条死信 · No such dead letter' });
    const content = form.get('content');
    const corrected = typeof content === 'string' ? content.replace(/\r\n/g, '\n') : undefined;
    const result = await retryDeadLetter(
      deps(locals.app),
      id,
      { userId: me.userId, role: me.role, address: getClientAddress() },
      corrected,
    );
    switch (result.status) {
      case 'resolved':
        return {
          id,
          outcome: 'resolved' as const,
          message: '重试成功，已成为信访 · Retried: stored as a petition',
          petitionIds: result.petitionIds,
        };
      case 'failed':
        return {
          id,
          outcome: 'failed' as const,
          message: `重试仍未成功 · The retry failed again: ${result.reason}`,
          petitionIds: result.stored,
        };
      case 'not_found':
        return fail(404, { id, message: result.reason });
      case 'not_open':
        return fail(409, { id, message: result.reason });
      case 'not_editable':
        return fail(400, { id, message: result.reason });
      case 'unavailable':
        return fail(503, { id, message: result.reason });
    }
  },
  discard: async ({ request, locals, getClientAddress }) => {
    const me = handler(locals);
    if (!me) return fail(403, { id: null, message: FORBIDDEN });
    const id = field(await request.formData(), 'id', 64);
    const { db, now } = locals.app;
    const letter = isUuid(id) ? await findDeadLetter(db, id) : null;
    if (!letter) return fail(404, { id: null, message: '没有这条死信 · No such dead letter' });
    const at = now();
    if (!(await discardDeadLetter(db, id, me.userId, at))) {
      return fail(409, {
        id,
        message: `只能放弃待处理的死信 · Only open dead letters can be discarded (${letter.status})`,
      });
    }
    await recordAudit(db, [
      {
        at,
        actor: me.userId,
        actorRole: me.role,
        action: 'dead_letter.discard',
        subjectType: 'dead_letter',
        subjectId: id,
        address: getClientAddress(),
        before: { status: letter.status },
        after: { status: 'discarded' },
      },
    ]);
    return { id, outcome: 'discarded' as const, message: '已放弃 · Discarded', petitionIds: [] as string[] };
  },
};
