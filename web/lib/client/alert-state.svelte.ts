import type { AlertView, KpiSnapshot } from '$realtime/contract.ts';
import {
  type AlertBook,
  type Applied,
  applyAlerts,
  countBySeverity,
  EMPTY_BOOK,
  isAlertView,
  type OpenAlertList,
  resyncAlerts,
  sortedAlerts,
} from './alert-order.ts';
import type { WallSocket } from './wall-state.svelte.ts';

/** How long a new (or escalated) alert is marked for the wall to flash it. */
export const FLASH_MS = 8000;

/** Runs `flush` soon (by default on the next animation frame); returns a way to cancel it. */
export type Schedule = (flush: () => void) => () => void;

const nextFrame: Schedule = (flush) => {
  const frame = requestAnimationFrame(flush);
  return () => cancelAnimationFrame(frame);
};

export interface AlertStateOptions {
  /** The wall's clock in ms (flashes end by it); by default Date.now. */
  now?: () => number;
  /**
   * Called on every connection that is not a recovered one: events may have been missed (between
   * first paint and connecting, or during an outage), so the page reloads its list and calls resync.
   */
  onResync?: () => void;
  schedule?: Schedule;
}

/**
 * The wall's open early-warning alerts and the latest KPIs. Alerts arrive whole over the socket and
 * are applied once per animation frame; a replayed or reordered event never rolls an alert back, and a
 * resolved one leaves (see alert-order.ts).
 */
export class AlertState {
  #book: AlertBook = EMPTY_BOOK;
  #alerts = $state.raw<AlertView[]>([]);
  #flashes = $state.raw<ReadonlyMap<string, number>>(new Map());
  #kpis = $state.raw<KpiSnapshot | null>(null);
  #counts = $derived(countBySeverity(this.#alerts));
  #pending: AlertView[] = [];
  /** Alerts whose events came over the socket since it last connected (see resyncAlerts). */
  #live = new Set<string>();
  #cancel: (() => void) | null = null;
  #now: () => number;
  #onResync: (() => void) | undefined;
  #schedule: Schedule;

  constructor(initial: { alerts: OpenAlertList; kpis: KpiSnapshot | null }, options: AlertStateOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#onResync = options.onResync;
    this.#schedule = options.schedule ?? nextFrame;
    // First paint: nothing flashes.
    this.#commit(applyAlerts(EMPTY_BOOK, initial.alerts.alerts), false);
    this.#kpis = initial.kpis;
  }

  /** Open alerts, most serious first. */
  get alerts(): AlertView[] {
    return this.#alerts;
  }
  get counts() {
    return this.#counts;
  }
  /** Alert id → wall-clock ms until which it flashes. */
  get flashes(): ReadonlyMap<string, number> {
    return this.#flashes;
  }
  get kpis(): KpiSnapshot | null {
    return this.#kpis;
  }

  /** Queues an `alert:raised` / `alert:updated` payload; applied with the others of this frame. */
  receive(alert: unknown): void {
    if (!isAlertView(alert)) return;
    this.#pending.push(alert);
    this.#live.add(alert.id);
    this.#cancel ??= this.#schedule(() => {
      this.#cancel = null;
      const batch = this.#pending;
      this.#pending = [];
      this.#commit(applyAlerts(this.#book, batch), true);
    });
  }

  receiveKpis(kpis: KpiSnapshot): void {
    // Ticks of a restarted or lagging node must not replace newer figures.
    if (this.#kpis && Date.parse(kpis.at) < Date.parse(this.#kpis.at)) return;
    this.#kpis = kpis;
  }

  /** Merges what the page's `load` read again after a reconnect. */
  resync(alerts: OpenAlertList, kpis: KpiSnapshot | null): void {
    this.#commit(resyncAlerts(this.#book, alerts, this.#live), true);
    if (kpis) this.receiveKpis(kpis);
  }

  /** Listens on the wall's socket (WallState.connect passes it); returns the cleanup. */
  listen(socket: WallSocket): () => void {
    const onConnect = () => {
      // A recovered connection had its missed events replayed by the server.
      if (socket.recovered) return;
      this.#live = new Set();
      this.#onResync?.();
    };
    const onAlert = (a: AlertView) => this.receive(a);
    const onKpis = (k: KpiSnapshot) => this.receiveKpis(k);
    socket.on('connect', onConnect);
    socket.on('alert:raised', onAlert);
    socket.on('alert:updated', onAlert);
    socket.on('kpi:tick', onKpis);
    return () => {
      this.#cancel?.();
      this.#cancel = null;
      socket.off('connect', onConnect);
      socket.off('alert:raised', onAlert);
      socket.off('alert:updated', onAlert);
      socket.off('kpi:tick', onKpis);
    };
  }

  #commit(applied: Applied, flash: boolean): void {
    if (!applied.changed) return;
    this.#book = applied.book;
    this.#alerts = sortedAlerts(applied.book);
    const now = this.#now();
    const flashes = new Map([...this.#flashes].filter(([id, until]) => until > now && applied.book.open.has(id)));
    if (flash) for (const id of applied.flash) flashes.set(id, now + FLASH_MS);
    this.#flashes = flashes;
  }
}
