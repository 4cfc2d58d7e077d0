import type { AlertView } from '$realtime/contract.ts';

export type AlertSeverity = AlertView['severity'];
export type AlertState = AlertView['state'];

/** Most serious first: the order of the wall's tiles and list. */
export const SEVERITIES_DESC: readonly AlertSeverity[] = ['extreme', 'major', 'key', 'general'];

const SEVERITY_RANK: Record<AlertSeverity, number> = { general: 0, key: 1, major: 2, extreme: 3 };
const STATE_RANK: Record<AlertState, number> = { raised: 0, acknowledged: 1, acting: 2, resolved: 3 };

/** Resolved alerts remembered so that a replayed older event cannot bring them back. */
const CLOSED_MEMORY = 500;

/** The version of an alert an event carries: later `updatedAt` wins, then the later lifecycle state. */
export type AlertVersion = Pick<AlertView, 'updatedAt' | 'state'>;

/** Wall order: severity (extreme > major > key > general), then risk score, then newest raised. */
export function compareAlerts(a: AlertView, b: AlertView): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    b.score - a.score ||
    Date.parse(b.raisedAt) - Date.parse(a.raisedAt) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Whether `incoming` replaces `held`. A replayed or reordered event is older (or the same) and loses;
 * at the same instant the later state wins, so a resolution is never undone by a tie.
 */
export function supersedes(incoming: AlertVersion, held: AlertVersion): boolean {
  const dt = Date.parse(incoming.updatedAt) - Date.parse(held.updatedAt);
  return dt > 0 || (dt === 0 && STATE_RANK[incoming.state] > STATE_RANK[held.state]);
}

/** What the wall knows about alerts: the open ones by id, and the last version of those that left. */
export interface AlertBook {
  readonly open: ReadonlyMap<string, AlertView>;
  readonly closed: ReadonlyMap<string, AlertVersion>;
}

export const EMPTY_BOOK: AlertBook = { open: new Map(), closed: new Map() };

export interface Applied {
  book: AlertBook;
  /** Alerts that just appeared, or whose severity rose: the wall flashes them. */
  flash: string[];
  changed: boolean;
}

function remember(closed: Map<string, AlertVersion>, id: string, version: AlertVersion): void {
  closed.delete(id);
  closed.set(id, { updatedAt: version.updatedAt, state: version.state });
  // Maps keep insertion order: the first key is the one remembered longest.
  while (closed.size > CLOSED_MEMORY) closed.delete(closed.keys().next().value!);
}

/**
 * Applies `alert:raised` / `alert:updated` payloads in arrival order. Both events carry the whole
 * alert, so they are handled alike: the newer version wins, and a resolved one leaves the open set.
 */
export function applyAlerts(book: AlertBook, alerts: readonly AlertView[]): Applied {
  let open: Map<string, AlertView> | null = null;
  let closed: Map<string, AlertVersion> | null = null;
  const flash: string[] = [];
  for (const alert of alerts) {
    const current = (open ?? book.open).get(alert.id) ?? (closed ?? book.closed).get(alert.id);
    if (current && !supersedes(alert, current)) continue;
    open ??= new Map(book.open);
    closed ??= new Map(book.closed);
    const held = open.get(alert.id);
    if (alert.state === 'resolved') {
      open.delete(alert.id);
      remember(closed, alert.id, alert);
      continue;
    }
    // An alert may reopen (e.g. a silence ended) with a newer version than its resolution.
    closed.delete(alert.id);
    open.set(alert.id, alert);
    if (!held || SEVERITY_RANK[alert.severity] > SEVERITY_RANK[held.severity]) flash.push(alert.id);
  }
  if (!open || !closed) return { book, flash, changed: false };
  return { book: { open, closed }, flash, changed: true };
}

/** Open alerts as the server listed them at one instant (the page's `load`). */
export interface OpenAlertList {
  alerts: AlertView[];
  /** False when the list hit its limit: an alert missing from it may still be open. */
  complete: boolean;
}

/**
 * Merges a list read again after a (re)connect, when events may have been missed. Listed alerts are
 * applied as events. A held alert missing from a complete list was resolved or silenced meanwhile,
 * unless its event arrived over the socket since it connected (`live`): the list may have been read
 * just before that alert's commit, whereas the socket, already in the room, saw everything after it.
 */
export function resyncAlerts(book: AlertBook, list: OpenAlertList, live: ReadonlySet<string>): Applied {
  const applied = applyAlerts(book, list.alerts);
  if (!list.complete) return applied;
  const listed = new Set(list.alerts.map((a) => a.id));
  const gone = [...applied.book.open.values()].filter((a) => !listed.has(a.id) && !live.has(a.id));
  if (gone.length === 0) return applied;
  const open = new Map(applied.book.open);
  const closed = new Map(applied.book.closed);
  for (const a of gone) {
    open.delete(a.id);
    remember(closed, a.id, a);
  }
  return { book: { open, closed }, flash: applied.flash.filter((id) => open.has(id)), changed: true };
}

/**
 * Whether a socket payload looks like an alert the wall can show. The server is trusted, but a
 * malformed event (an older or newer server during a rolling update) must not break the wall's order.
 */
export function isAlertView(x: unknown): x is AlertView {
  if (typeof x !== 'object' || x === null) return false;
  const a = x as Partial<Record<keyof AlertView, unknown>>;
  const title = a.title as { zh?: unknown } | null | undefined;
  return (
    typeof a.id === 'string' &&
    typeof a.severity === 'string' &&
    Object.hasOwn(SEVERITY_RANK, a.severity) &&
    typeof a.state === 'string' &&
    Object.hasOwn(STATE_RANK, a.state) &&
    typeof a.score === 'number' &&
    Number.isFinite(a.score) &&
    typeof title?.zh === 'string' &&
    typeof a.raisedAt === 'string' &&
    !Number.isNaN(Date.parse(a.raisedAt)) &&
    typeof a.updatedAt === 'string' &&
    !Number.isNaN(Date.parse(a.updatedAt))
  );
}

export type SeverityCounts = Record<AlertSeverity, number> & { total: number };

export function countBySeverity(alerts: Iterable<AlertView>): SeverityCounts {
  const counts: SeverityCounts = { extreme: 0, major: 0, key: 0, general: 0, total: 0 };
  for (const a of alerts) {
    counts[a.severity] += 1;
    counts.total += 1;
  }
  return counts;
}

/** The open alerts in wall order. */
export function sortedAlerts(book: AlertBook): AlertView[] {
  return [...book.open.values()].sort(compareAlerts);
}
