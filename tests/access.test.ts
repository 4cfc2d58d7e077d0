import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_ROLES, type UserRole } from '../db/queries/users.ts';
import { createKioskToken } from '../server/auth/kiosk.ts';
import { createUser } from '../server/auth/login.ts';
import { postPetitions, startTestServer, type TestServer } from './helpers/server.ts';

const PASSWORD = 'Wenkong-Test-Passw0rd!';

/**
 * Who may do what, enforced on the server: every identity against every protected route, the intake
 * and the socket handshake. A cell that is open and should be closed fails here.
 */
describe('access matrix (WALL_ACCESS=signed-in)', () => {
  let server: TestServer;
  const cookies = new Map<string, string>();

  async function signIn(
    username: string,
    password = PASSWORD,
  ): Promise<{ status: number; cookie: string | null; location: string | null }> {
    const r = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
      body: new URLSearchParams({ username, password }),
    });
    const setCookie = r.headers.getSetCookie().find((c) => c.startsWith('wk_session=')) ?? null;
    return {
      status: r.status,
      cookie: setCookie ? setCookie.split(';')[0]! : null,
      location: r.headers.get('location'),
    };
  }

  const get = (path: string, cookie?: string) =>
    fetch(`${server.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });

  function socketAs(cookie?: string): Promise<'snapshot' | string> {
    return new Promise((resolve) => {
      const s = io(server.url, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: cookie ? { cookie } : {},
      });
      s.once('stats:snapshot', () => {
        s.close();
        resolve('snapshot');
      });
      s.once('connect_error', (e) => {
        s.close();
        resolve(e.message);
      });
    });
  }

  beforeAll(async () => {
    server = await startTestServer('pglite', { WALL_ACCESS: 'signed-in' });
    for (const role of USER_ROLES) {
      await createUser(
        server.app.db,
        { username: `t-${role.replace('_', '-')}`, password: PASSWORD, role },
        new Date(),
      );
      const { cookie } = await signIn(`t-${role.replace('_', '-')}`);
      cookies.set(role, cookie!);
    }
    // A kiosk screen: open the link once, keep the cookies it sets.
    const token = await createKioskToken(server.app.db, '测试大屏', 'test');
    const opened = await get(`/wall?kiosk=${token}`);
    expect(opened.status).toBe(303);
    cookies.set(
      'kiosk',
      opened.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; '),
    );
  });
  afterAll(async () => {
    await server.stop();
  });

  const identities = ['anonymous', ...USER_ROLES, 'kiosk'] as const;
  const cookieOf = (who: (typeof identities)[number]) => (who === 'anonymous' ? undefined : cookies.get(who));

  it.each(identities)('GET /wall as %s', async (who) => {
    const r = await get('/wall', cookieOf(who));
    if (who === 'anonymous') {
      expect(r.status).toBe(303);
      expect(r.headers.get('location')).toBe('/login?next=%2Fwall');
    } else expect(r.status).toBe(200);
  });

  it.each(identities)('GET /admin/audit as %s', async (who) => {
    const r = await get('/admin/audit', cookieOf(who));
    const expected = who === 'admin' ? 200 : who === 'anonymous' ? 303 : 403;
    expect(r.status).toBe(expected);
  });

  it.each(identities)('GET /console as %s', async (who) => {
    const r = await get('/console', cookieOf(who));
    const staff = who === 'admin' || who === 'duty_leader' || who === 'operator';
    expect(r.status).toBe(staff ? 200 : who === 'anonymous' ? 303 : 403);
  });

  it('treats injection strings in console filters as plain values', async () => {
    for (const evil of ["major' OR '1'='1", "x'); DELETE FROM petitions; --"]) {
      const r = await get(
        `/console?grade=${encodeURIComponent(evil)}&topic=${encodeURIComponent(evil)}&region=${encodeURIComponent(evil)}`,
        cookies.get('operator'),
      );
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('暂无信访');
    }
  });

  it.each(identities)('the live socket as %s', async (who) => {
    expect(await socketAs(cookieOf(who))).toBe(who === 'anonymous' ? 'unauthorized' : 'snapshot');
  });

  it.each(identities)('POST /api/petitions with only the %s cookie is refused', async (who) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const c = cookieOf(who);
    if (c) headers.cookie = c;
    const r = await fetch(`${server.url}/api/petitions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ channel: 'hotline', text: '没有密钥' }),
    });
    expect(r.status).toBe(401);
  });

  it('gives a fresh session on each sign-in and refuses a token after logout', async () => {
    const a = await signIn('t-operator');
    const b = await signIn('t-operator');
    expect(a.cookie).not.toBe(b.cookie);
    const out = await fetch(`${server.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: b.cookie!,
        origin: server.url,
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '',
    });
    expect(out.status).toBe(303);
    expect((await get('/wall', b.cookie!)).status).toBe(303);
    expect((await get('/wall', a.cookie!)).status).toBe(200);
    expect(await socketAs(b.cookie!)).toBe('unauthorized');
  });

  it('changing the password ends every session of the account', async () => {
    await createUser(server.app.db, { username: 't-changer', password: PASSWORD, role: 'operator' }, new Date());
    const a = (await signIn('t-changer')).cookie!;
    const b = (await signIn('t-changer')).cookie!;
    const changed = await fetch(`${server.url}/account?/password`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: a,
        origin: server.url,
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ current: PASSWORD, next: 'Another-Strong-Passw0rd!' }),
    });
    expect(changed.status).toBe(303);
    expect((await get('/wall', a)).status).toBe(303);
    expect((await get('/wall', b)).status).toBe(303);
    expect((await signIn('t-changer')).cookie).toBeNull();
    expect((await signIn('t-changer', 'Another-Strong-Passw0rd!')).cookie).not.toBeNull();
  });

  it('answers a wrong password and an unknown user alike, and never sets a cookie', async () => {
    const wrong = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ username: 't-admin', password: 'nope' }),
    });
    const unknown = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ username: 'nobody-here', password: 'nope' }),
    });
    expect(wrong.status).toBe(unknown.status);
    const [w, u] = [await wrong.text(), await unknown.text()];
    expect(w).toContain('用户名或密码错误');
    expect(u).toContain('用户名或密码错误');
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith('wk_session=') && !c.includes('Max-Age=0'))).toBe(
      false,
    );
  });

  it('refuses forged and oversized session cookies like no cookie at all', async () => {
    for (const forged of ['wk_session=abc', `wk_session=${'a'.repeat(32)}`, `wk_session=${'z'.repeat(5000)}`]) {
      expect((await get('/wall', forged)).status).toBe(303);
    }
  });

  it.each(identities)("reading a petitioner's identity as %s", async (who) => {
    const posted = await postPetitions(server, server.keys.hotline, {
      channel: 'hotline',
      text: '隐私测试',
      contact: { name: '张三丰', phone: '13812341234', idNumber: '320508199003071234' },
    });
    const r = await get(`/api/petitions/${posted.body.id as string}/contact`, cookieOf(who));
    const body = (await r.json()) as { contact?: Record<string, string>; masked?: boolean };
    if (who === 'anonymous') expect(r.status).toBe(401);
    else if (who === 'wall' || who === 'kiosk' || who === 'department' || who === 'liaison') expect(r.status).toBe(403);
    else if (who === 'admin' || who === 'operator') {
      expect(body).toEqual({
        contact: { name: '张三丰', phone: '13812341234', idNumber: '320508199003071234' },
        masked: false,
      });
    } else {
      expect(body).toEqual({
        contact: { name: '张**', phone: '138****1234', idNumber: '320***********1234' },
        masked: true,
      });
    }
  });

  it('never shows an accuser to the accused unit, not even masked', async () => {
    await createUser(
      server.app.db,
      { username: 't-accused', password: PASSWORD, role: 'department', department: '区住建局' },
      new Date(),
    );
    await createUser(
      server.app.db,
      { username: 't-other-dept', password: PASSWORD, role: 'department', department: '区人社局' },
      new Date(),
    );
    const posted = await postPetitions(server, server.keys.hotline, {
      channel: 'hotline',
      text: '举报区住建局某科长收受开发商好处',
      matterKind: 'accusation',
      accusedUnit: '区住建局',
      contact: { name: '李四', phone: '13900001111' },
    });
    expect(posted.status).toBe(201);
    const url = `/api/petitions/${posted.body.id as string}/contact`;
    const accused = await get(url, (await signIn('t-accused')).cookie!);
    expect(accused.status).toBe(403);
    expect(await accused.json()).toMatchObject({ error: { code: 'confidential' } });
    const leader = (await (await get(url, cookies.get('duty_leader'))).json()) as { masked: boolean };
    expect(leader.masked).toBe(true);
    expect((await get(url, cookies.get('operator'))).status).toBe(200);
  });

  it('audits every clear read of identity data, and only those', async () => {
    const { searchAudit } = await import('../db/queries/audit.ts');
    const reads = await searchAudit(server.app.db, { action: 'contact.read' });
    expect(reads.map((r) => r.actorRole).sort()).toEqual(['admin', 'operator', 'operator']);
    expect(reads.every((r) => r.subjectType === 'petition' && r.address)).toBe(true);
  });

  it('puts a liaison in its own agency room only, whatever the client asks for', async () => {
    await createUser(
      server.app.db,
      { username: 't-police', password: PASSWORD, role: 'liaison', agency: '市公安局' },
      new Date(),
    );
    await createUser(
      server.app.db,
      { username: 't-court', password: PASSWORD, role: 'liaison', agency: '区法院' },
      new Date(),
    );
    const police = (await signIn('t-police')).cookie!;
    const court = (await signIn('t-court')).cookie!;
    const open = (cookie: string) =>
      new Promise<ReturnType<typeof io>>((resolve) => {
        const s = io(server.url, {
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          extraHeaders: { cookie },
        });
        s.once('stats:snapshot', () => resolve(s));
      });
    const [p, c] = await Promise.all([open(police), open(court)]);
    // A client naming a room gets nothing: there is no join handler, rooms come from the server.
    (p as unknown as { emit: (e: string, r: string) => void }).emit('join', 'agency:区法院');
    await new Promise((r) => setTimeout(r, 100));
    const inCourt = await server.realtime.io.in('agency:区法院').fetchSockets();
    const inPolice = await server.realtime.io.in('agency:市公安局').fetchSockets();
    expect(inCourt.map((s) => s.id)).toEqual([c.id]);
    expect(inPolice.map((s) => s.id)).toEqual([p.id]);
    p.close();
    c.close();
  });

  it('treats injection strings in audit filters as plain values', async () => {
    for (const evil of ["' OR '1'='1", '1; DROP TABLE users; --', '%27%20OR%201=1']) {
      const r = await get(
        `/admin/audit?actor=${encodeURIComponent(evil)}&action=${encodeURIComponent(evil)}&from=${encodeURIComponent(evil)}`,
        cookies.get('admin'),
      );
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('无记录');
    }
    expect((await get('/wall', cookies.get('admin'))).status).toBe(200); // users table still there
  });

  it('lets admins, and only admins, manage users, kiosk links and API keys, each audited', async () => {
    const act = (action: string, body: Record<string, string>, cookie?: string) =>
      fetch(`${server.url}/admin/users?/${action}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: server.url,
          accept: 'text/html',
          ...(cookie ? { cookie } : {}),
        },
        body: new URLSearchParams(body),
      });
    const newUser = {
      username: 't-new-dept',
      displayName: '新部门',
      role: 'department',
      unit: '区住建局',
      password: PASSWORD,
    };
    expect((await act('createUser', newUser, cookies.get('duty_leader'))).status).toBe(403);
    expect((await act('createUser', newUser)).status).toBe(303);
    const created = await act('createUser', newUser, cookies.get('admin'));
    expect(created.status).toBe(200);
    expect(await created.text()).toContain('已创建');
    expect((await signIn('t-new-dept')).cookie).not.toBeNull();

    const weak = await act('createUser', { ...newUser, username: 't-weak', password: '123' }, cookies.get('admin'));
    expect(weak.status).toBe(400);

    const kiosk = await (await act('createKiosk', { label: '二号屏' }, cookies.get('admin'))).text();
    expect(kiosk).toMatch(/\/wall\?kiosk=wk_kiosk_/);
    const key = await (await act('createKey', { channel: 'letter', label: '来信扫描' }, cookies.get('admin'))).text();
    expect(key).toMatch(/wk_[A-Za-z0-9_-]{43}/);

    const { searchAudit } = await import('../db/queries/audit.ts');
    const actions = (await searchAudit(server.app.db, { actor: undefined }, 500)).map((r) => r.action);
    for (const a of ['user.create', 'kiosk.create', 'apikey.create']) expect(actions).toContain(a);
    const page = await (await get('/admin/users', cookies.get('admin'))).text();
    expect(page).toContain('t-new-dept');
    expect(page).not.toContain('argon2');
  });

  it('records sign-ins and sign-outs in the audit trail, readable by admins only', async () => {
    const page = await (await get('/admin/audit?action=session.login', cookies.get('admin'))).text();
    expect(page).toContain('session.login');
    const binds = await (await get('/admin/audit?action=kiosk.bind', cookies.get('admin'))).text();
    expect(binds).toContain('kiosk.bind');
    const role: UserRole = 'operator';
    expect((await get('/admin/audit', cookies.get(role))).status).toBe(403);
  });
});
