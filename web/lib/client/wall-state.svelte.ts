import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  MinuteCount,
  PetitionSummary,
  ServerToClientEvents,
  StatsSnapshot,
  StatsTick,
} from '$realtime/contract.ts';

const MINUTE_MS = 60_000;
const WINDOW_MINUTES = 60;
const LATEST = 30;

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Other live state on the wall's one socket (alerts, KPIs): registers its listeners, returns its
 * cleanup. The wall never opens a second socket.
 */
export type WallListener = (socket: WallSocket) => () => void;

/**
 * The wall's live state. Counts come only from snapshots and ticks (absolute per-minute values with
 * sequence numbers), so a replayed or duplicated event never counts twice and a gap triggers a resync.
 * Arrivals for the list are applied once per animation frame.
 */
export class WallState {
  #minutes = $state<MinuteCount[]>([]);
  #today = $state(0);
  #latest = $state<PetitionSummary[]>([]);
  #connection = $state<ConnectionState>('connecting');
  #now = $state(Date.now());
  #seq = -1;
  #socket: WallSocket | null = null;
  #pending: PetitionSummary[] = [];
  #frame = 0;
  #clock: ReturnType<typeof setInterval> | null = null;

  constructor(initial: StatsSnapshot) {
    this.#applySnapshot(initial);
  }

  get minutes() {
    return this.#minutes;
  }
  get today() {
    return this.#today;
  }
  get latest() {
    return this.#latest;
  }
  get connection() {
    return this.#connection;
  }
  /** Wall-clock time, advanced every second so the chart moves even when nothing arrives. */
  get now() {
    return this.#now;
  }
  get lastHour() {
    return this.#minutes.reduce((sum, m) => sum + m.total, 0);
  }

  connect(...listeners: WallListener[]): () => void {
    const socket: WallSocket = io({ transports: ['websocket', 'polling'] });
    this.#socket = socket;
    socket.on('connect', () => (this.#connection = 'live'));
    socket.on('disconnect', () => (this.#connection = 'reconnecting'));
    socket.io.on('reconnect_attempt', () => (this.#connection = 'reconnecting'));
    socket.on('stats:snapshot', (s) => this.#applySnapshot(s));
    socket.on('stats:tick', (t) => this.#applyTick(t));
    socket.on('petition:new', (p) => this.#enqueue(p));
    const detach = listeners.map((listen) => listen(socket));
    this.#clock = setInterval(() => (this.#now = Date.now()), 1000);
    return () => {
      if (this.#clock) clearInterval(this.#clock);
      cancelAnimationFrame(this.#frame);
      for (const d of detach) d();
      socket.close();
      this.#socket = null;
    };
  }

  #applySnapshot(s: StatsSnapshot): void {
    this.#seq = s.seq;
    this.#minutes = s.minutes;
    this.#today = s.today;
    this.#latest = s.latest.slice(0, LATEST);
    this.#now = Date.parse(s.at);
  }

  #applyTick(t: StatsTick): void {
    if (this.#seq >= 0 && t.seq <= this.#seq) return; // already reflected
    if (this.#seq >= 0 && t.seq > this.#seq + 1) {
      this.#socket?.emit('stats:resync', (s) => this.#applySnapshot(s));
      return;
    }
    this.#seq = t.seq;
    const current = Math.floor(Date.parse(t.at) / MINUTE_MS) * MINUTE_MS;
    const from = current - (WINDOW_MINUTES - 1) * MINUTE_MS;
    const byTime = new Map(this.#minutes.map((m) => [Date.parse(m.t), m]));
    for (const m of t.minutes) byTime.set(Date.parse(m.t), m);
    const next: MinuteCount[] = [];
    for (let ms = from; ms <= current; ms += MINUTE_MS) {
      next.push(byTime.get(ms) ?? { t: new Date(ms).toISOString(), total: 0, key: 0, major: 0, negative: 0 });
    }
    this.#minutes = next;
    this.#today = t.today;
    this.#now = Date.parse(t.at);
  }

  #enqueue(p: PetitionSummary): void {
    this.#pending.push(p);
    if (this.#frame === 0) {
      this.#frame = requestAnimationFrame(() => {
        this.#frame = 0;
        const seen = new Set(this.#latest.map((x) => x.id));
        const fresh = this.#pending.filter((x) => !seen.has(x.id)).reverse();
        this.#pending = [];
        this.#latest = [...fresh, ...this.#latest].slice(0, LATEST);
      });
    }
  }
}
