import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertView } from '../realtime/contract.ts';
import { createUser } from '../server/auth/login.ts';
import { postPetitions, startTestServer, type TestServer } from './helpers/server.ts';

const PASSWORD = 'Wenkong-Test-Passw0rd!';

/**
 * From intake to the rooms: a petition posted over HTTP is analysed, committed, judged by the instant
 * rules, and its alert reaches exactly the live rooms config/routing/alert-audiences.json allows.
 */
describe('alerts reach the rooms that may see them, and no others', () => {
  let server: TestServer;
  const clients = new Map<string, { socket: Socket; alerts: AlertView[] }>();

  async function signIn(username: string): Promise<string> {
    const r = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
      body: new URLSearchParams({ username, password: PASSWORD }),
    });
    return r.headers
      .getSetCookie()
      .find((c) => c.startsWith('wk_session='))!
      .split(';')[0]!;
  }

  function connect(name: string, cookie: string | null): Promise<void> {
    return new Promise((resolve) => {
      const socket = io(server.url, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: cookie ? { cookie } : {},
      });
      const entry = { socket, alerts: [] as AlertView[] };
      socket.on('alert:raised', (a) => entry.alerts.push(a as AlertView));
      socket.on('alert:updated', (a) => entry.alerts.push(a as AlertView));
      socket.once('stats:snapshot', () => resolve());
      clients.set(name, entry);
    });
  }

  beforeAll(async () => {
    server = await startTestServer('pglite');
    const now = new Date();
    const users = [
      { username: 'leader', role: 'duty_leader' as const },
      { username: 'police', role: 'liaison' as const, agency: '市公安局' },
      { username: 'court', role: 'liaison' as const, agency: '区法院' },
      { username: 'labour-dept', role: 'department' as const, department: '区人社局' },
      { username: 'housing-dept', role: 'department' as const, department: '区住建局' },
    ];
    for (const u of users) await createUser(server.app.db, { ...u, password: PASSWORD }, now);
    await Promise.all([
      ...users.map(async (u) => connect(u.username, await signIn(u.username))),
      connect('wall', null),
    ]);
  });

  afterAll(async () => {
    for (const c of clients.values()) c.socket.close();
    await server?.stop();
  });

  async function waitFor(name: string, predicate: (a: AlertView) => boolean): Promise<AlertView> {
    for (let i = 0; i < 100; i++) {
      const found = clients.get(name)!.alerts.find(predicate);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${name} received no matching alert`);
  }

  it('sends an extreme threat about wages to the duty room, the wall, the police and the labour department', async () => {
    const posted = await postPetitions(server, server.keys.hotline, {
      channel: 'hotline',
      text: '苏州工业园区某工地老板拖欠我八个月工资，再讨不回工钱，我就从工地楼上跳下去，反正也活不下去了。',
      contact: { name: '王五', phone: '13800001234' },
    });
    expect(posted.status).toBe(201);
    const isExtreme = (a: AlertView) => a.kind === 'instant.extreme';
    const seen = await waitFor('leader', isExtreme);
    expect(seen).toMatchObject({ severity: 'extreme', topic: 'labour', state: 'raised' });
    expect(seen.factors.length).toBeGreaterThan(0);
    await waitFor('wall', isExtreme);
    await waitFor('police', isExtreme);
    await waitFor('labour-dept', isExtreme);
    // The same moment, the others have heard nothing of it.
    expect(clients.get('court')!.alerts.filter(isExtreme)).toEqual([]);
    expect(clients.get('housing-dept')!.alerts.filter(isExtreme)).toEqual([]);
    // Live views never carry the petitioner or the text.
    const wire = JSON.stringify(seen);
    expect(wire).not.toContain('13800001234');
    expect(wire).not.toContain('王五');
    expect(wire).not.toContain('跳下去');
  });

  it('never sends an accusation alert to an agency or department, not even the one accused', async () => {
    const posted = await postPetitions(server, server.keys.hotline, {
      channel: 'hotline',
      text: '实名举报区住建局某科长收受开发商贿赂一千二百万元，帮其违规办理预售许可。',
      matterKind: 'accusation',
      accusedUnit: '区住建局',
    });
    expect(posted.status).toBe(201);
    const isConduct = (a: AlertView) => a.topic === 'conduct';
    const seen = await waitFor('leader', isConduct);
    expect(seen.kind).toBe('instant.major');
    await waitFor('wall', isConduct);
    for (const name of ['police', 'court', 'labour-dept', 'housing-dept']) {
      expect(clients.get(name)!.alerts.filter(isConduct), name).toEqual([]);
    }
  });
});
