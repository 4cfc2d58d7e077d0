import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Bus } from '../server/bus.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './contract.ts';
import type { LiveStats } from './live-stats.ts';

/** The room every wall display and console joins; later issues add per-role and per-agency rooms. */
export const WALL_ROOM = 'wall';

export interface RealtimeDeps {
  bus: Bus;
  stats: LiveStats;
  now?: () => Date;
  /** Milliseconds between `stats:tick` events. */
  tickMs?: number;
  onClientCount?: (count: number) => void;
}

export interface Realtime {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  close(): Promise<void>;
}

/**
 * Attaches Socket.IO to an HTTP server (the production server or Vite's dev server) and maps internal
 * events to browser events. A client gets a snapshot on connecting, then ticks; after a short outage
 * connection-state recovery replays what it missed instead.
 */
export function attachRealtime(httpServer: HttpServer, deps: RealtimeDeps): Realtime {
  const now = deps.now ?? (() => new Date());
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
  });

  const report = () => deps.onClientCount?.(io.engine.clientsCount);
  io.on('connection', (socket) => {
    // Rooms are chosen by the server; identity-based rooms come with the identity issue.
    void socket.join(WALL_ROOM);
    if (!socket.recovered) socket.emit('stats:snapshot', deps.stats.snapshot(now()));
    socket.on('stats:resync', (ack) => {
      if (typeof ack === 'function') ack(deps.stats.snapshot(now()));
    });
    socket.on('disconnect', report);
    report();
  });

  const unsubscribe = deps.bus.subscribe('petitions.committed', ({ petitions }) => {
    for (const summary of deps.stats.apply(petitions)) io.to(WALL_ROOM).emit('petition:new', summary);
  });
  const timer = setInterval(() => io.to(WALL_ROOM).emit('stats:tick', deps.stats.tick(now())), deps.tickMs ?? 1000);

  return {
    io,
    close() {
      clearInterval(timer);
      unsubscribe();
      // Close the transports, not the sockets: clients see "transport close" and reconnect to the
      // next server, whereas a server-side disconnect() would tell them to stay away. io.close()
      // would also close the HTTP server, which belongs to the caller.
      io.engine.close();
      return Promise.resolve();
    },
  };
}
