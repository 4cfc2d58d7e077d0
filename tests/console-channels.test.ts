import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAudit } from '../db/queries/audit.ts';
import { findDeadLetter } from '../db/queries/dead-letters.ts';
import { insertAttachments } from '../db/queries/originals.ts';
import { findPetition } from '../db/queries/petitions.ts';
import { linkNewPetitions } from '../ingest/linker.ts';
import { uuidv7 } from '../ingest/uuid.ts';
import { createUser } from '../server/auth/login.ts';
import { postPetitions, startTestServer, type TestServer } from './helpers/server.ts';

const PASSWORD = 'Wenkong-Test-Passw0rd!';
type Who = 'admin' | 'operator' | 'duty_leader' | 'accused_operator';

/** A SvelteKit action answer (accept: application/json): `data` is devalue's flat form. */
interface ActionAnswer {
  type: 'success' | 'failure' | 'redirect' | 'error';
  status: number;
  data?: Record<string, unknown>;
}

/** Reads devalue's flat array form (plain objects, arrays, strings, numbers, null) back into a value. */
function unflatten(text: string): Record<string, unknown> {
  const values = JSON.parse(text) as unknown[];
  const hydrate = (i: number): unknown => {
    if (i < 0) return undefined;
    const v = values[i];
    if (Array.isArray(v)) return v.map((j) => hydrate(j as number));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, j]) => [k, hydrate(j as number)]));
    }
    return v;
  };
  return hydrate(0) as Record<string, unknown>;
}

/**
 * The console's channel pages against the production server: dead letters (list, detail, retry,
 * discard, per role), one petition with its links across channels, and the audited downloads.
 */
describe('console: dead letters, petition detail, downloads', () => {
  let server: TestServer;
  const cookies = new Map<Who, string>();

  async function signIn(username: string): Promise<string> {
    const r = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
      body: new URLSearchParams({ username, password: PASSWORD }),
    });
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('wk_session='));
    expect(cookie).toBeDefined();
    return cookie!.split(';')[0]!;
  }

  const get = (path: string, who: Who) =>
    fetch(`${server.url}${path}`, { redirect: 'manual', headers: { cookie: cookies.get(who)! } });

  const page = async (path: string, who: Who) => {
    const r = await get(path, who);
    expect(r.status).toBe(200);
    return r.text();
  };

  const post = (path: string, who: Who, body: Record<string, string>, accept = 'application/json') =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: cookies.get(who)!,
        origin: server.url,
        accept,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(body),
    });

  async function act(path: string, who: Who, body: Record<string, string>): Promise<ActionAnswer> {
    const r = await post(path, who, body);
    expect(r.status).toBe(200);
    const answer = (await r.json()) as Omit<ActionAnswer, 'data'> & { data?: string };
    return { ...answer, data: answer.data ? unflatten(answer.data) : undefined };
  }

  /** A petition the hotline key sends without its text: refused and kept as a dead letter. */
  async function deadLetter(externalId: string): Promise<{ id: string; item: Record<string, unknown> }> {
    const item = { channel: 'hotline', externalId, contact: { name: '张三丰', phone: '13812341234' } };
    const posted = await postPetitions(server, server.keys.hotline, item);
    expect(posted.status).toBe(422);
    const id = (posted.body.error as { deadLetterId?: string }).deadLetterId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    return { id: id!, item };
  }

  beforeAll(async () => {
    server = await startTestServer('pglite');
    const accounts: [Who, string | null][] = [
      ['admin', null],
      ['operator', null],
      ['duty_leader', null],
      ['accused_operator', '区住建局'],
    ];
    for (const [who, department] of accounts) {
      const username = `c-${who.replace('_', '-')}`;
      const role = who === 'accused_operator' ? 'operator' : who;
      await createUser(server.app.db, { username, password: PASSWORD, role, department }, new Date());
      cookies.set(who, await signIn(username));
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('dead letters', () => {
    let letter: { id: string; item: Record<string, unknown> };
    beforeAll(async () => {
      letter = await deadLetter('DL-0001');
    });

    it('lists a refused petition for operators and duty leaders, with the open count per channel', async () => {
      for (const who of ['operator', 'duty_leader'] as const) {
        const html = await page('/console/dead-letters', who);
        expect(html).toContain(`/console/dead-letters/${letter.id}`);
        expect(html).toContain('校验 validate');
        expect(html).toContain('text: is required');
        expect(html).toMatch(/12345热线 <b[^>]*>1<\/b>/);
        expect(html).toContain('138****1234');
        expect(html).not.toContain('13812341234');
      }
      // Only the handlers get the buttons; the duty leader's list is read only.
      expect(await page('/console/dead-letters', 'operator')).toContain('?/retry');
      expect(await page('/console/dead-letters', 'duty_leader')).not.toContain('?/retry');
      // The console links to the list with the open count.
      expect(await page('/console', 'duty_leader')).toMatch(/死信 · Dead letters <span class="count[^"]*">1<\/span>/);
    });

    it('filters by status and channel, and pages by 50', async () => {
      expect(await page('/console/dead-letters?status=resolved', 'operator')).toContain('暂无死信');
      expect(await page('/console/dead-letters?channel=letter', 'operator')).toContain('暂无死信');
      expect(await page('/console/dead-letters?status=all&channel=hotline', 'operator')).toContain(letter.id);
      const beyond = await page('/console/dead-letters?offset=50', 'operator');
      expect(beyond).toContain('共 1 条');
      expect(beyond).not.toContain(letter.id);
      expect(await page(`/console/dead-letters?status=${encodeURIComponent("open' OR '1'='1")}`, 'operator')).toContain(
        letter.id,
      );
    });

    it('shows the payload to an operator (audited) and only the masked preview to a duty leader', async () => {
      const leader = await page(`/console/dead-letters/${letter.id}`, 'duty_leader');
      expect(leader).toContain('138****1234');
      expect(leader).not.toContain('13812341234');
      expect(leader).not.toContain('<textarea');
      expect(await searchAudit(server.app.db, { action: 'dead_letter.read', subjectId: letter.id })).toEqual([]);

      const operator = await page(`/console/dead-letters/${letter.id}`, 'operator');
      expect(operator).toContain('13812341234');
      expect(operator).toContain('name="content"');
      expect(operator).toContain('查看已记录审计 · this view is audited');
      const reads = await searchAudit(server.app.db, { action: 'dead_letter.read', subjectId: letter.id });
      expect(reads.map((r) => r.actorRole)).toEqual(['operator']);
      expect(reads[0]!.address).toBeTruthy();
    });

    it('answers 404 for an unknown or malformed id', async () => {
      expect((await get(`/console/dead-letters/${uuidv7()}`, 'operator')).status).toBe(404);
      expect((await get('/console/dead-letters/not-a-uuid', 'operator')).status).toBe(404);
      expect((await get("/console/dead-letters/1' OR '1'='1", 'operator')).status).toBe(404);
    });

    it("refuses a duty leader's retry with 403 and leaves the letter as it was", async () => {
      const page = await post('/console/dead-letters?/retry', 'duty_leader', { id: letter.id }, 'text/html');
      expect(page.status).toBe(403);
      expect(await page.text()).toContain('仅管理员和接访员');
      const answer = await act(`/console/dead-letters/${letter.id}?/retry`, 'duty_leader', {
        id: letter.id,
        content: '{}',
      });
      expect(answer).toMatchObject({ type: 'failure', status: 403 });
      expect(await findDeadLetter(server.app.db, letter.id)).toMatchObject({ status: 'open', attempts: 0 });
    });

    it('retries as is: the letter stays open and the page shows the new reason', async () => {
      const r = await post(`/console/dead-letters/${letter.id}?/retry`, 'operator', { id: letter.id }, 'text/html');
      expect(r.status).toBe(200);
      const html = await r.text();
      expect(html).toContain('重试仍未成功');
      expect(html).toContain('text: is required');
      expect(await findDeadLetter(server.app.db, letter.id)).toMatchObject({ status: 'open', attempts: 1 });
    });

    it("takes an operator's correction of the payload and stores the petition", async () => {
      // Sent with the hotline key to the JSON API: retried through the API's mapping, not as a work order.
      const item = { channel: 'hotline', externalId: 'DL-API', contact: { phone: '13812341234' } };
      const posted = await postPetitions(server, server.keys.hotline, item);
      expect(posted.status).toBe(422);
      const id = (posted.body.error as { deadLetterId: string }).deadLetterId;
      expect(await page(`/console/dead-letters/${id}`, 'operator')).toContain('修改后重试 · Correct and retry');

      const text = '小区电梯停运三个月无人维修，老人上下楼困难，请尽快处理';
      const corrected = JSON.stringify({ ...item, text }, null, 2);
      const answer = await act(`/console/dead-letters/${id}?/retry`, 'operator', { id, content: corrected });
      expect(answer).toMatchObject({ type: 'success', data: { id, outcome: 'resolved' } });
      const [petitionId] = answer.data!.petitionIds as string[];
      expect(await findPetition(server.app.db, petitionId!)).toMatchObject({ channel: 'hotline', text });
      expect(await findDeadLetter(server.app.db, id)).toMatchObject({ status: 'resolved', petitionId, attempts: 1 });
      const retries = await searchAudit(server.app.db, { action: 'dead_letter.retry', subjectId: id });
      expect(retries[0]).toMatchObject({ actorRole: 'operator', after: { outcome: 'resolved', edited: true } });

      // The detail page now points at the petition; the letter left the open list and the count.
      expect(await page(`/console/dead-letters/${id}`, 'duty_leader')).toContain(`/console/petitions/${petitionId}`);
      expect(await page('/console/dead-letters?status=resolved', 'duty_leader')).toContain(id);
      expect(await page('/console/dead-letters', 'duty_leader')).not.toContain(id);
      expect(await page('/console', 'operator')).toMatch(/死信 · Dead letters <span class="count[^"]*">1<\/span>/);
      // A resolved letter is not retried twice.
      expect(await act('/console/dead-letters?/retry', 'operator', { id })).toMatchObject({
        type: 'failure',
        status: 409,
      });
    });

    it('discards an open letter (audited), for handlers only', async () => {
      const spam = await deadLetter('DL-SPAM');
      expect(await act('/console/dead-letters?/discard', 'duty_leader', { id: spam.id })).toMatchObject({
        type: 'failure',
        status: 403,
      });
      expect(await act('/console/dead-letters?/discard', 'operator', { id: spam.id })).toMatchObject({
        type: 'success',
        data: { outcome: 'discarded' },
      });
      expect(await findDeadLetter(server.app.db, spam.id)).toMatchObject({ status: 'discarded' });
      const audit = await searchAudit(server.app.db, { action: 'dead_letter.discard', subjectId: spam.id });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorRole: 'operator', subjectType: 'dead_letter' });
      expect(await act('/console/dead-letters?/discard', 'operator', { id: spam.id })).toMatchObject({
        type: 'failure',
        status: 409,
      });
      expect(await page('/console/dead-letters?status=discarded', 'operator')).toContain(spam.id);
    });
  });

  describe('one petition', () => {
    const text = '东山路18号工地夜间施工噪音扰民已经持续两周，联系电话13900001111，请环保部门尽快查处';
    let hotline: string;
    let letter: string;

    beforeAll(async () => {
      const a = await postPetitions(server, server.keys.hotline, { channel: 'hotline', text });
      const b = await postPetitions(server, server.keys.letter, { channel: 'letter', text });
      expect([a.status, b.status]).toEqual([201, 201]);
      hotline = a.body.id as string;
      letter = b.body.id as string;
      const run = await linkNewPetitions(server.app.db, new Date(Date.now() + 60_000));
      expect(run.links).toBeGreaterThan(0);
    });

    it('is linked from the console list', async () => {
      expect(await page('/console', 'duty_leader')).toContain(`/console/petitions/${hotline}`);
    });

    it("lists the same matter from another channel, linking to the other's page", async () => {
      const html = await page(`/console/petitions/${hotline}`, 'duty_leader');
      expect(html).toContain('关联信访');
      expect(html).toContain(`/console/petitions/${letter}`);
      expect(html).toContain('同一事项 same matter');
      expect(html).toContain('来信');
      const back = await page(`/console/petitions/${letter}`, 'operator');
      expect(back).toContain(`/console/petitions/${hotline}`);
      expect(back).toContain('12345热线');
    });

    it('shows the text masked to a duty leader and in clear (audited) to an operator', async () => {
      const leader = await page(`/console/petitions/${hotline}`, 'duty_leader');
      expect(leader).toContain('139****1111');
      expect(leader).not.toContain('13900001111');
      expect(leader).not.toContain(`/console/petitions/${hotline}/original`);
      expect(await searchAudit(server.app.db, { action: 'petition.read', subjectId: hotline })).toEqual([]);

      const operator = await page(`/console/petitions/${hotline}`, 'operator');
      expect(operator).toContain('13900001111');
      expect(operator).toContain(`/console/petitions/${hotline}/original`);
      expect(operator).toContain(`/api/petitions/${hotline}/contact`);
      const reads = await searchAudit(server.app.db, { action: 'petition.read', subjectId: hotline });
      expect(reads.map((r) => r.actorRole)).toEqual(['operator']);
    });

    it('answers 404 for an unknown or malformed id', async () => {
      expect((await get(`/console/petitions/${uuidv7()}`, 'operator')).status).toBe(404);
      expect((await get('/console/petitions/nope', 'operator')).status).toBe(404);
    });

    it('hands the original to an operator (audited), never to a duty leader', async () => {
      expect((await get(`/console/petitions/${hotline}/original`, 'duty_leader')).status).toBe(403);
      const r = await get(`/console/petitions/${hotline}/original`, 'operator');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('application/json');
      expect(r.headers.get('content-disposition')).toContain(`filename*=UTF-8''petition-${hotline}.json`);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(JSON.parse(await r.text())).toMatchObject({ channel: 'hotline', text });
      const reads = await searchAudit(server.app.db, { action: 'original.read', subjectId: hotline });
      expect(reads.map((x) => x.actorRole)).toEqual(['operator']);
    });

    it('hands an attachment to an operator with its type (audited), never to a duty leader', async () => {
      const content = Buffer.from('%PDF-1.4 扫描件');
      const id = uuidv7();
      await insertAttachments(server.app.db, [
        {
          id,
          petitionId: letter,
          receivedAt: new Date(),
          filename: '来信扫描 (1).pdf',
          contentType: 'application/pdf',
          sizeBytes: content.length,
          sha256: 'test',
          ...server.app.sealer.sealBytes(content),
        },
      ]);
      const listed = await page(`/console/petitions/${letter}`, 'duty_leader');
      expect(listed).toContain('来信扫描 (1).pdf');
      expect(listed).not.toContain(`/attachments/${id}`);
      expect(await page(`/console/petitions/${letter}`, 'admin')).toContain(`/attachments/${id}`);

      const path = `/console/petitions/${letter}/attachments/${id}`;
      expect((await get(path, 'duty_leader')).status).toBe(403);
      const r = await get(path, 'operator');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/pdf');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('content-disposition')).toBe(
        `attachment; filename="____ (1).pdf"; filename*=UTF-8''${encodeURIComponent('来信扫描')}%20%281%29.pdf`,
      );
      expect(Buffer.from(await r.arrayBuffer()).equals(content)).toBe(true);
      const reads = await searchAudit(server.app.db, { action: 'attachment.read', subjectId: id });
      expect(reads.map((x) => x.actorRole)).toEqual(['operator']);
      expect((await get(`/console/petitions/${letter}/attachments/${uuidv7()}`, 'operator')).status).toBe(404);
    });

    it('withholds an accusation from a viewer of the accused unit: no text, no petitioner, no original', async () => {
      const posted = await postPetitions(server, server.keys.hotline, {
        channel: 'hotline',
        text: '举报区住建局某科长收受开发商好处，电话13700002222',
        matterKind: 'accusation',
        accusedUnit: '区住建局',
        contact: { name: '李四', phone: '13900001111' },
      });
      expect(posted.status).toBe(201);
      const id = posted.body.id as string;
      const accused = await page(`/console/petitions/${id}`, 'accused_operator');
      expect(accused).toContain('被检举单位不得查看');
      expect(accused).not.toContain('收受开发商');
      expect(accused).not.toContain(`/api/petitions/${id}/contact`);
      expect((await get(`/console/petitions/${id}/original`, 'accused_operator')).status).toBe(403);
      const other = await page(`/console/petitions/${id}`, 'operator');
      expect(other).toContain('收受开发商');
      expect(other).toContain(`/api/petitions/${id}/contact`);
    });
  });
});
