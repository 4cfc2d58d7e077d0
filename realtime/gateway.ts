import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { alertRooms, alertView, type Audiences } from '../alerts/audiences.ts';
import type { Bus } from '../server/bus.ts';
import type { ClientToServerEvents, KpiSnapshot, ServerToClientEvents } from './contract.ts';
import type { LiveStats } from './live-stats.ts';

import { WALL_ROOM } from './rooms.ts';

export { WALL_ROOM };

export interface RealtimeDeps {
  bus: Bus;
  stats: LiveStats;
  /** Which agencies and departments see which alerts (alerts/audiences.ts). */
  audiences: Audiences;
  now?: () => Date;
  /** Milliseconds between `stats:tick` events. */
  tickMs?: number;
  /** The KPIs for `kpi:tick` (computed from the rollups), and the milliseconds between ticks. */
  kpis?: () => Promise<KpiSnapshot>;
  kpiMs?: number;
  onError?: (message: string, error: unknown) => void;
  onClientCount?: (count: number) => void;
  /**
   * The rooms a connecting client may join, decided by the server from its credentials (the
   * handshake's cookies), or null to refuse it. Clients never name rooms themselves.
   */
  roomsFor: (handshake: { cookie: string | undefined; address: string }) => Promise<string[] | null>;
}

interface SocketData {
  rooms: string[];
}

export interface Realtime {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
  close(): Promise<void>;
}

/**
 * Attaches Socket.IO to an HTTP server (the production server or Vite's dev server) and maps internal
 * events to browser events. A client gets a snapshot on connecting, then ticks; after a short outage
 * connection-state recovery replays what it missed instead.
 */
export function attachRealtime(httpServer: HttpServer, deps: RealtimeDeps): Realtime {
  const now = deps.now ?? (() => new Date());
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
  });

  io.use((socket, next) => {
    deps
      .roomsFor({ cookie: socket.handshake.headers.cookie, address: socket.handshake.address })
      .then((rooms) => {
        if (!rooms) return next(new Error('unauthorized'));
        socket.data.rooms = rooms;
        next();
      })
      .catch(() => next(new Error('unauthorized')));
  });

  const report = () => deps.onClientCount?.(io.engine.clientsCount);
  io.on('connection', (socket) => {
    // A recovered socket keeps its rooms; a new one joins what the server decided in the handshake.
    if (!socket.recovered) void socket.join(socket.data.rooms);
    if (!socket.recovered && socket.data.rooms.includes(WALL_ROOM)) {
      socket.emit('stats:snapshot', deps.stats.snapshot(now()));
    }
    socket.on('stats:resync', (ack) => {
      if (typeof ack === 'function' && socket.rooms.has(WALL_ROOM)) ack(deps.stats.snapshot(now()));
    });
    socket.on('disconnect', report);
    report();
  });

  const unsubscribe = deps.bus.subscribe('petitions.committed', ({ petitions }) => {
    for (const summary of deps.stats.apply(petitions)) io.to(WALL_ROOM).emit('petition:new', summary);
  });
  // Each alert goes to exactly the rooms alertRooms allows, as the aggregated view (no petition data).
  const unsubscribeAlerts = deps.bus.subscribe('alerts.changed', ({ alert, change }) => {
    const rooms = alertRooms(alert, deps.audiences);
    if (rooms.length > 0) io.to(rooms).emit(change === 'raised' ? 'alert:raised' : 'alert:updated', alertView(alert));
  });
  const timer = setInterval(() => io.to(WALL_ROOM).emit('stats:tick', deps.stats.tick(now())), deps.tickMs ?? 1000);
  // KPIs read seconds of rollup per computation: once per interval for every client, never per client,
  // and never two at once.
  let computing = false;
  const kpiTimer = deps.kpis
    ? setInterval(() => {
        if (computing || io.engine.clientsCount === 0) return;
        computing = true;
        deps.kpis!()
          .then((k) => io.to(WALL_ROOM).emit('kpi:tick', k))
          .catch((error: unknown) => deps.onError?.('kpi:tick failed', error))
          .finally(() => (computing = false));
      }, deps.kpiMs ?? 30_000)
    : null;

  return {
    io,
    close() {
      clearInterval(timer);
      if (kpiTimer) clearInterval(kpiTimer);
      unsubscribe();
      unsubscribeAlerts();
      // Close the transports, not the sockets: clients see "transport close" and reconnect to the
      // next server, whereas a server-side disconnect() would tell them to stay away. io.close()
      // would also close the HTTP server, which belongs to the caller.
      io.engine.close();
      return Promise.resolve();
    },
  };
}
