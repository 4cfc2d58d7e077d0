import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  PetitionSummary,
  ServerToClientEvents,
  StatsSnapshot,
  StatsTick,
} from '../realtime/contract.ts';
import { postPetitions, startTestServer, type TestServer } from './helpers/server.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

function connect(url: string): Promise<{ socket: Client; snapshot: StatsSnapshot }> {
  const socket: Client = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('stats:snapshot', (snapshot) => resolve({ socket, snapshot }));
    socket.once('connect_error', reject);
  });
}

function next<E extends keyof ServerToClientEvents>(
  socket: Client,
  event: E,
  match: (p: Parameters<ServerToClientEvents[E]>[0]) => boolean,
) {
  return new Promise<Parameters<ServerToClientEvents[E]>[0]>((resolve) => {
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!match(payload)) return;
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}

describe('live events over Socket.IO', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('sends a snapshot, then petition:new after commit with contact and numbers masked', async () => {
    const { socket, snapshot } = await connect(server.url);
    expect(snapshot.minutes).toHaveLength(60);
    const arrival = next(socket, 'petition:new', () => true);
    const posted = await postPetitions(server, server.keys.hotline, {
      channel: 'hotline',
      text: '我叫李四，身份证320508199003071234，电话13912345678，公司拖欠我工资八千元',
      regionCode: '320506',
      contact: { name: '李四', phone: '13912345678', idNumber: '320508199003071234' },
    });
    expect(posted.status).toBe(201);
    const p: PetitionSummary = await arrival;
    expect(p.id).toBe(posted.body.id);
    expect(p).toMatchObject({ channel: 'hotline', regionCode: '320506' });
    expect(typeof p.topic).toBe('string');
    expect(['general', 'key', 'major']).toContain(p.grade);
    expect(p.sentiment.score).toBeGreaterThanOrEqual(-1);
    const wire = JSON.stringify(p);
    expect(wire).not.toContain('13912345678');
    expect(wire).not.toContain('320508199003071234');
    expect(wire).not.toContain('contact');
    expect(p.summary).toContain('139****5678');
    socket.close();
  });

  it('ticks every second with consecutive sequence numbers and the new counts', async () => {
    const { socket, snapshot } = await connect(server.url);
    const first = await next(socket, 'stats:tick', () => true);
    expect(first.seq).toBe(snapshot.seq + 1);
    expect(first.today).toBe(snapshot.today);
    const counted = next(socket, 'stats:tick', (t: StatsTick) => t.today === snapshot.today + 2);
    const posted = await postPetitions(server, server.keys.letter, [
      { channel: 'letter', text: '来信一' },
      { channel: 'letter', text: '来信二' },
    ]);
    expect(posted.status).toBe(201);
    const tick = await counted;
    const current = tick.minutes.at(-1)!;
    const before = snapshot.minutes.find((m) => m.t === current.t)?.total ?? 0;
    expect(current.total).toBeGreaterThanOrEqual(before + 2);
    socket.close();
  });

  it('gives a reconnecting client a fresh snapshot that already counts what it missed', async () => {
    const a = await connect(server.url);
    a.socket.close();
    await postPetitions(server, server.keys.letter, { channel: 'letter', text: '断线期间的来信' });
    const b = await connect(server.url);
    expect(b.snapshot.today).toBe(a.snapshot.today + 1);
    expect(b.snapshot.latest[0]!.summary).toBe('断线期间的来信');
    // And a resync on request answers with the same state.
    const resynced = await new Promise<StatsSnapshot>((resolve) => b.socket.emit('stats:resync', resolve));
    expect(resynced.today).toBe(b.snapshot.today);
    b.socket.close();
  });

  it('replays what a briefly disconnected client missed (connection-state recovery), in order', async () => {
    const socket: Client = io(server.url, { transports: ['websocket'], forceNew: true, reconnectionDelay: 50 });
    await new Promise<void>((resolve) => socket.once('stats:snapshot', () => resolve()));
    await next(socket, 'stats:tick', () => true); // recovery needs an offset: one received broadcast
    const seqs: number[] = [];
    socket.on('stats:tick', (t) => seqs.push(t.seq));
    const replayed = next(socket, 'petition:new', (p) => p.summary === '掉线时提交');
    const reconnected = new Promise<void>((resolve) => socket.io.once('reconnect', () => resolve()));
    socket.io.engine.close(); // the transport drops, as on a network blip
    await postPetitions(server, server.keys.letter, { channel: 'letter', text: '掉线时提交' });
    await reconnected;
    expect((await replayed).summary).toBe('掉线时提交');
    expect(socket.recovered).toBe(true);
    await next(socket, 'stats:tick', () => true);
    // No gap and no repeat in the tick sequence across the outage.
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
    socket.close();
  });
});
