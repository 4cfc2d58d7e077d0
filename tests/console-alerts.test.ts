import { randomUUID } from 'node:crypto';
import { parse } from 'devalue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Alert, type AlertScope } from '../alerts/types.ts';
import { activeSilences, insertAlert, insertAlertEvent, ruleSetHistory } from '../db/queries/alerts.ts';
import { enqueueDeliveries } from '../db/queries/alert-deliveries.ts';
import { searchAudit } from '../db/queries/audit.ts';
import type { UserRole } from '../db/queries/users.ts';
import { createUser } from '../server/auth/login.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { postAction } from './helpers/sign-in.ts';
import { storedAlert } from './helpers/alerts.ts';

const PASSWORD = 'Wenkong-Test-Passw0rd!';
const PETITION_ID = randomUUID();
type Who = 'admin' | 'duty_leader' | 'operator' | 'police' | 'labour' | 'wall';

let minute = 0;
/** An open alert as the engine would store it, raised a minute after the previous one. */
function alertOf(ruleId: string, kind: string, scope: Partial<AlertScope>, overrides: Partial<Alert> = {}): Alert {
  minute += 1;
  return storedAlert({
    ruleId,
    kind,
    scope,
    at: new Date(Date.now() - (60 - minute) * 60_000),
    title: { zh: `${ruleId}预警`, en: `${ruleId} alert` },
    measures: { observed: 9, expected: 1.25, pValue: 0.0001, windowMinutes: 60 },
    score: 62.5,
    factors: [
      { name: 'severity', label: { zh: '规则等级', en: 'Rule severity' }, value: 1, weight: 1.1, contribution: 1.1 },
      { name: 'volume', label: { zh: '涉及件数', en: 'Petitions involved' }, value: 1, weight: 0.8, contribution: 0.8 },
    ],
    petitionIds: [PETITION_ID],
    signalCount: 2,
    ...overrides,
  });
}

/**
 * The duty console's early-warning pages against the production server: who sees which alert (the
 * audiences of config/routing/alert-audiences.json), the lifecycle actions per role, silences, and the
 * admin page that replaces the rule set.
 */
describe('console: alerts, silences and alert rules', () => {
  let server: TestServer;
  const cookies = new Map<Who, string>();

  const extreme = alertOf(
    'extreme-behaviour',
    'instant.extreme',
    { regionCode: '320508', topic: 'labour' },
    { severity: 'extreme', title: { zh: '极端行为苗头', en: 'Extreme behaviour threatened' }, score: 91 },
  );
  const labour = alertOf(
    'volume-region-topic',
    'volume',
    { regionCode: '320583', topic: 'labour' },
    { title: { zh: '昆山劳动社保信访量异常', en: 'Unusual labour volume in Kunshan' } },
  );
  const conduct = alertOf(
    'extreme-behaviour',
    'instant.extreme',
    { regionCode: '320505', topic: 'conduct' },
    { severity: 'extreme', title: { zh: '干部作风极端言行', en: 'Extreme wording about an official' } },
  );
  const major = alertOf(
    'major-petition',
    'instant.major',
    { regionCode: '320506', topic: 'land' },
    {
      severity: 'major',
      title: { zh: '吴中区征地重大信访', en: 'Major land petition in Wuzhong' },
      sensitivePeriod: '全国两会 NPC session',
    },
  );

  async function signIn(who: Who, role: UserRole, unit: { agency?: string; department?: string } = {}) {
    const username = `a-${who.replace('_', '-')}`;
    await createUser(server.app.db, { username, password: PASSWORD, role, ...unit }, new Date());
    const r = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
      body: new URLSearchParams({ username, password: PASSWORD }),
    });
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('wk_session='));
    expect(cookie, `signing in as ${username}`).toBeDefined();
    cookies.set(who, cookie!.split(';')[0]!);
  }

  const get = (path: string, who: Who) =>
    fetch(`${server.url}${path}`, { redirect: 'manual', headers: { cookie: cookies.get(who)! } });

  async function page(path: string, who: Who): Promise<string> {
    const r = await get(path, who);
    expect(r.status, `GET ${path} as ${who}`).toBe(200);
    return r.text();
  }

  /** Posts a form action and reads SvelteKit's answer: the action's status and its (devalue) data. */
  async function act(path: string, who: Who, fields: Record<string, string> | FormData) {
    const body = fields instanceof FormData ? fields : new URLSearchParams(fields);
    const r = await postAction(server, path, cookies.get(who)!, body);
    expect(r.status).toBe(200);
    return {
      type: r.type,
      status: r.actionStatus ?? 200,
      data: (r.data ? parse(r.data) : {}) as Record<string, unknown> & { message?: string },
    };
  }

  /** An `href` to an absolute path, as SvelteKit renders it (relative to the page: `../../console/…`). */
  const link = (path: string) => new RegExp(`href="(?:\\.\\.?/)*${path.slice(1).replace(/[.?]/g, '\\$&')}"`);
  /** The rows of one of the list's tables (open or resolved), by alert id. */
  const rowIds = (html: string, table: 'open' | 'resolved') => {
    const section = html.split(`data-testid="alerts-${table}"`)[1]?.split('</table>')[0] ?? '';
    return [...section.matchAll(/data-alert-id="([0-9a-f-]{36})"/g)].map((m) => m[1]);
  };
  const historyEntries = (html: string) =>
    (html.split('data-testid="alert-history"')[1]?.split('</ol>')[0] ?? '').match(/<li class="event-/g) ?? [];

  beforeAll(async () => {
    server = await startTestServer('pglite');
    for (const a of [extreme, labour, conduct, major]) expect(await insertAlert(server.app.db, a)).toBe(true);
    // The engine writes a 'raised' event with each new alert; so does this test.
    await insertAlertEvent(server.app.db, {
      alertId: major.id,
      at: major.raisedAt,
      actor: 'system',
      kind: 'raised',
      fromState: null,
      toState: 'raised',
      note: null,
      detail: null,
    });
    await signIn('admin', 'admin');
    await signIn('duty_leader', 'duty_leader');
    await signIn('operator', 'operator');
    await signIn('police', 'liaison', { agency: '市公安局' });
    await signIn('labour', 'department', { department: '区人社局' });
    await signIn('wall', 'wall');
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('the list', () => {
    it('shows a duty leader every open alert, with its severity, score and raised time', async () => {
      const console = await page('/console', 'duty_leader');
      expect(console).toMatch(link('/console/alerts'));
      const html = await page('/console/alerts', 'duty_leader');
      expect(rowIds(html, 'open').sort()).toEqual([extreme.id, labour.id, conduct.id, major.id].sort());
      // Newest first.
      expect(rowIds(html, 'open')[0]).toBe(major.id);
      expect(html).toContain('极端行为苗头');
      expect(html).toContain('Extreme behaviour threatened');
      expect(html).toMatch(/class="sev sev-extreme[ "]/);
      expect(html).toContain('>极端</span>');
      expect(html).toContain('姑苏区');
      expect(html).toContain('劳动社保');
      expect(html).toContain('风险分 risk score 91');
      // Raised times are the region's wall clock (Asia/Shanghai).
      const shanghai = new Intl.DateTimeFormat('zh-CN', {
        timeZone: 'Asia/Shanghai',
        dateStyle: 'short',
        timeStyle: 'medium',
        hourCycle: 'h23',
      });
      expect(html).toContain(shanghai.format(extreme.raisedAt));
      expect(html).toMatch(link('/console/alerts/silences'));
      expect(html).not.toContain(PETITION_ID);
    });

    it('filters by severity and state from the query string', async () => {
      const extremes = await page('/console/alerts?severity=extreme', 'operator');
      expect(rowIds(extremes, 'open').sort()).toEqual([extreme.id, conduct.id].sort());
      const acting = await page('/console/alerts?state=acting', 'operator');
      expect(rowIds(acting, 'open')).toEqual([]);
      expect(acting).not.toContain('data-testid="alerts-resolved"');
      // Unknown values are ignored, not an error.
      const odd = await page(`/console/alerts?state=${encodeURIComponent("x' OR 1=1")}&severity=nope`, 'operator');
      expect(rowIds(odd, 'open')).toHaveLength(4);
    });

    it('shows a 市公安局 liaison the extreme-behaviour alert only: not labour volume, never conduct', async () => {
      const html = await page('/console/alerts', 'police');
      expect(rowIds(html, 'open')).toEqual([extreme.id]);
      expect(html).not.toContain('昆山劳动社保信访量异常');
      expect(html).not.toContain('干部作风极端言行');
      expect(html).toContain('只读');
    });

    it('shows the 区人社局 department its labour alerts, and no accusation', async () => {
      const html = await page('/console/alerts', 'labour');
      expect(rowIds(html, 'open').sort()).toEqual([extreme.id, labour.id].sort());
    });

    it('refuses other roles with a bilingual 403', async () => {
      const r = await get('/console/alerts', 'wall');
      expect(r.status).toBe(403);
      expect(await r.text()).toMatch(/无权.*·/);
    });
  });

  describe('the detail page', () => {
    it('shows the alert, its factors, measures, sensitive period, CAP link and petitions to the duty room', async () => {
      const html = await page(`/console/alerts/${major.id}`, 'duty_leader');
      expect(html).toContain('吴中区征地重大信访');
      expect(html).toContain('重大信访事项');
      expect(html).toContain('data-testid="alert-factors"');
      expect(html).toContain('涉及件数');
      expect(html).toContain('Petitions involved');
      expect(html).toContain('1 × 1.10');
      expect(html).toContain('观测件数 observed');
      expect(html).toContain('全国两会 NPC session');
      expect(html).toMatch(link(`/api/alerts/${major.id}.cap.xml`));
      expect(html).toMatch(link(`/console/petitions/${PETITION_ID}`));
      expect(historyEntries(html)).toHaveLength(1);
      for (const a of ['acknowledge', 'act', 'resolve', 'note']) expect(html).toContain(`action="?/${a}"`);
      expect(html).not.toMatch(/style="/);
    });

    it('gives a liaison the alert without petition ids and without forms', async () => {
      const html = await page(`/console/alerts/${extreme.id}`, 'police');
      expect(html).toContain('极端行为苗头');
      expect(html).not.toContain(PETITION_ID);
      expect(html).not.toContain('console/petitions/');
      expect(html).not.toContain('action="?/');
      expect(html).toMatch(link(`/api/alerts/${extreme.id}.cap.xml`));
    });

    it('shows the duty room the delivery log (who was told, attempts, answers), and a liaison none of it', async () => {
      const now = new Date();
      await enqueueDeliveries(server.app.db, [
        {
          id: randomUUID(),
          alertId: extreme.id,
          subscriberId: 'command-webhook',
          event: 'raised',
          createdAt: now,
          nextAttemptAt: now,
        },
      ]);
      const leader = await page(`/console/alerts/${extreme.id}`, 'duty_leader');
      const log = leader.split('data-testid="alert-deliveries"')[1]?.split('</table>')[0] ?? '';
      expect(log).toContain('command-webhook');
      expect(log).toMatch(/待送达 pending|已送达 delivered|失败 failed/);
      expect(await page(`/console/alerts/${extreme.id}`, 'police')).not.toContain('command-webhook');
    });

    it('answers an alert the reader may not see, or an unknown one, with 404', async () => {
      for (const [who, id] of [
        ['police', labour.id],
        ['police', conduct.id],
        ['labour', conduct.id],
        ['operator', randomUUID()],
        ['operator', 'not-an-alert'],
      ] as const) {
        const r = await get(`/console/alerts/${id}`, who);
        expect(r.status, `${who} reading ${id}`).toBe(404);
        expect(await r.text()).toContain('没有这条预警');
      }
    });

    it('refuses the actions to a liaison and a department with 403', async () => {
      for (const who of ['police', 'labour'] as const) {
        const r = await act(`/console/alerts/${extreme.id}?/acknowledge`, who, {});
        expect(r.type).toBe('failure');
        expect(r.status).toBe(403);
      }
    });
  });

  describe('the lifecycle', () => {
    it('acknowledges, refuses acting without a note, acts, refuses resolving without an outcome, resolves', async () => {
      const path = `/console/alerts/${major.id}`;
      const ack = await act(`${path}?/acknowledge`, 'duty_leader', {});
      expect(ack).toMatchObject({ type: 'success', data: { message: '已签收 · Acknowledged' } });

      const bare = await act(`${path}?/act`, 'duty_leader', { note: '  ' });
      expect(bare.type).toBe('failure');
      expect(bare.status).toBe(400);
      expect(bare.data.message).toBe(
        '请写明启动的预案或采取的措施 · Say which plan was triggered or what is being done',
      );

      const acting = await act(`${path}?/act`, 'duty_leader', { note: '启动征地矛盾化解预案，街道工作组已到场' });
      expect(acting.type).toBe('success');

      const noOutcome = await act(`${path}?/resolve`, 'duty_leader', { note: '已化解' });
      expect(noOutcome.type).toBe('failure');
      expect(noOutcome.status).toBe(400);
      expect(noOutcome.data.message).toMatch(/^请选择处置结果.* · Choose an outcome/);

      const resolved = await act(`${path}?/resolve`, 'duty_leader', { outcome: 'contained', note: '群众诉求已答复' });
      expect(resolved).toMatchObject({ type: 'success', data: { message: '已解除 · Resolved' } });

      const html = await page(path, 'duty_leader');
      expect(historyEntries(html)).toHaveLength(4);
      expect(html).toContain('启动征地矛盾化解预案，街道工作组已到场');
      expect(html).toContain('已化解');
      expect(html).toMatch(/data-testid="alert-state">\s*已解除/);
      expect(html).not.toContain('action="?/resolve"');

      // Resolved: listed among the recently resolved, not the open ones.
      const list = await page('/console/alerts', 'duty_leader');
      expect(rowIds(list, 'resolved')).toEqual([major.id]);
      expect(rowIds(list, 'open')).not.toContain(major.id);
      expect(rowIds(await page('/console/alerts?state=resolved', 'duty_leader'), 'resolved')).toEqual([major.id]);

      const audit = await searchAudit(server.app.db, { subjectId: major.id });
      expect(audit.map((r) => r.action).sort()).toEqual(['alert.acknowledge', 'alert.act', 'alert.resolve']);
      expect(audit.every((r) => r.actor === 'a-duty-leader' && r.address)).toBe(true);
    });

    it('refuses a step the state does not allow with 409', async () => {
      const again = await act(`/console/alerts/${major.id}?/acknowledge`, 'duty_leader', {});
      expect(again.type).toBe('failure');
      expect(again.status).toBe(409);
      expect(again.data.message).toContain('已解除');
    });

    it('lets an operator acknowledge and note, but not act or resolve (403)', async () => {
      const path = `/console/alerts/${labour.id}`;
      const html = await page(path, 'operator');
      expect(html).toContain('action="?/acknowledge"');
      expect(html).toContain('action="?/note"');
      expect(html).not.toContain('action="?/resolve"');
      expect(html).not.toContain('action="?/act"');

      const resolve = await act(`${path}?/resolve`, 'operator', { outcome: 'false_alarm', note: 'x' });
      expect(resolve.type).toBe('failure');
      expect(resolve.status).toBe(403);
      expect(resolve.data.message).toMatch(/无权解除.* · Only duty leaders/);
      const acting = await act(`${path}?/act`, 'operator', { note: '自行处置' });
      expect(acting.status).toBe(403);

      expect((await act(`${path}?/acknowledge`, 'operator', {})).type).toBe('success');
      expect((await act(`${path}?/note`, 'operator', { note: '已联系属地人社所' })).type).toBe('success');
      const after = await page(path, 'operator');
      expect(historyEntries(after)).toHaveLength(2);
      expect(after).toContain('已联系属地人社所');
    });
  });

  describe('silences', () => {
    it('is for duty leaders and admins only', async () => {
      expect((await get('/console/alerts/silences', 'operator')).status).toBe(403);
      const refused = await act('/console/alerts/silences?/create', 'operator', {
        topic: 'labour',
        reason: 'x',
        amount: '1',
        unit: 'hours',
      });
      expect(refused.status).toBe(403);
      expect(await activeSilences(server.app.db, new Date())).toEqual([]);
    });

    it('refuses an incomplete silence with its reason and keeps what was typed', async () => {
      const noReason = await act('/console/alerts/silences?/create', 'duty_leader', {
        ruleId: 'volume-region-topic',
        reason: ' ',
        amount: '30',
        unit: 'minutes',
      });
      expect(noReason).toMatchObject({
        type: 'failure',
        status: 400,
        data: {
          message: '请写明静默原因 · Give the reason for the silence',
          values: { ruleId: 'volume-region-topic' },
        },
      });
      const tooLong = await act('/console/alerts/silences?/create', 'duty_leader', {
        topic: 'labour',
        reason: '演练',
        amount: '169',
        unit: 'hours',
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.data.message).toContain('10080');
      const nothing = await act('/console/alerts/silences?/create', 'duty_leader', {
        reason: '演练',
        amount: '10',
        unit: 'minutes',
      });
      expect(nothing.data.message).toContain('至少指定规则、区域或话题之一');
      expect(await activeSilences(server.app.db, new Date())).toEqual([]);
    });

    it('creates a silence, lists it, and ends it now', async () => {
      const created = await act('/console/alerts/silences?/create', 'duty_leader', {
        ruleId: 'volume-region-topic',
        regionCode: '320583',
        topic: '',
        reason: '昆山劳动监察专项行动，集中受理',
        amount: '2',
        unit: 'hours',
      });
      expect(created.type).toBe('success');
      const [silence, ...more] = await activeSilences(server.app.db, new Date());
      expect(more).toEqual([]);
      expect(silence).toMatchObject({ ruleId: 'volume-region-topic', regionCode: '320583', topic: null });
      expect(silence!.endsAt.getTime() - silence!.startsAt.getTime()).toBe(2 * 3600_000);

      const html = await page('/console/alerts/silences', 'admin');
      expect(html).toContain('昆山劳动监察专项行动，集中受理');
      expect(html).toContain('昆山市');
      expect(html).toContain(`data-silence-id="${silence!.id}"`);
      expect(html).toContain('a-duty-leader');

      const ended = await act('/console/alerts/silences?/end', 'admin', { id: silence!.id });
      expect(ended).toMatchObject({ type: 'success', data: { message: '静默已结束 · Silence ended' } });
      expect(await activeSilences(server.app.db, new Date())).toEqual([]);
      const twice = await act('/console/alerts/silences?/end', 'admin', { id: silence!.id });
      expect(twice.status).toBe(404);

      const audit = await searchAudit(server.app.db, { subjectId: silence!.id });
      expect(audit.map((r) => r.action).sort()).toEqual(['alert.silence', 'alert.unsilence']);
    });
  });

  describe('the admin rules page', () => {
    const current = () => structuredClone(server.app.alerts.rules.current());

    it('is for admins only and shows the version in force, its rules and the history', async () => {
      expect((await get('/admin/alert-rules', 'duty_leader')).status).toBe(403);
      const { version } = current();
      const html = await page('/admin/alert-rules', 'admin');
      expect(html).toContain(`version ${version} in force`);
      expect(html).toContain('volume-region-topic');
      expect(html).toContain('区域话题信访量异常');
      expect(html).toContain('窗口 window 60 min');
      // The textarea is prefilled with the set in force, pretty-printed.
      expect(html).toContain('  "renotifyMinutes": 15,\n');
      expect(html).toContain('data-testid="rules-history"');
    });

    it('shows a JSON syntax error and keeps the text', async () => {
      const { version } = current();
      const r = await act('/admin/alert-rules?/replace', 'admin', { text: '{"rules": [' });
      expect(r.type).toBe('failure');
      expect(r.data.message).toMatch(/^JSON 格式错误 · Invalid JSON: /);
      expect(r.data.text).toBe('{"rules": [');
      expect(current().version).toBe(version);
    });

    it('refuses an invalid rule set naming each field, and keeps the version in force', async () => {
      const { version, set } = current();
      const index = set.rules.findIndex((rule) => rule.kind === 'volume');
      const broken = structuredClone(set) as { rules: Record<string, unknown>[] };
      broken.rules[index]!.windowMinutes = 5;
      broken.rules[0]!.severity = 'apocalyptic';
      const text = JSON.stringify(broken, null, 2);
      const r = await act('/admin/alert-rules?/replace', 'admin', { text });
      expect(r.type).toBe('failure');
      expect(r.status).toBe(400);
      expect(r.data.message).toContain(`仍为第 ${version} 版`);
      const paths = (r.data.errors as { path: string; message: string }[]).map((e) => e.path);
      expect(paths).toContain(`rules[${index}].windowMinutes`);
      expect(paths).toContain('rules[0].severity');
      expect(r.data.text).toBe(text);
      expect(current().version).toBe(version);
      expect((await ruleSetHistory(server.app.db))[0]!.version).toBe(version);
    });

    it('puts a valid change in force as a new version, audited; an unchanged set keeps it', async () => {
      const { version, set } = current();
      const changed = structuredClone(set);
      const rule = changed.rules.find((x) => x.kind === 'volume')!;
      if (rule.kind === 'volume') rule.minCount += 1;
      // This time as an uploaded file.
      const form = new FormData();
      form.set('text', '');
      form.set('file', new Blob([JSON.stringify(changed)], { type: 'application/json' }), 'alerts.json');
      const r = await act('/admin/alert-rules?/replace', 'admin', form);
      expect(r).toMatchObject({
        type: 'success',
        data: { message: `规则已更新为第 ${version + 1} 版 · Rules updated to version ${version + 1}` },
      });
      expect(current().version).toBe(version + 1);
      expect((await ruleSetHistory(server.app.db))[0]).toMatchObject({ version: version + 1, source: 'user:a-admin' });
      const [audit, ...more] = await searchAudit(server.app.db, { action: 'alert.rules.replace' });
      expect(more).toEqual([]);
      expect(audit).toMatchObject({ before: { version }, after: { version: version + 1 }, actorRole: 'admin' });

      const same = await act('/admin/alert-rules?/replace', 'admin', { text: JSON.stringify(changed, null, 4) });
      expect(same.data.message).toContain(`仍为第 ${version + 1} 版`);
      expect(current().version).toBe(version + 1);
      expect(await page('/admin/alert-rules', 'admin')).toContain(`version ${version + 1} in force`);
    });
  });
});
