import { ImapFlow } from 'imapflow';
import type { ChannelState, RecordSource, Submit } from './adapter.ts';
import { emailToRecord } from './email-message.ts';

/**
 * Polls one IMAP mailbox for petitions. Each poll is one connection: log in, lock the mailbox, hand
 * every message not yet processed to the pipeline, mark what the pipeline took, log out. Messages are
 * never moved or deleted; the mailbox stays the sender-facing record.
 *
 * Two marks keep a message from being processed twice: the keyword `$WenkongProcessed` on the message
 * itself, and a cursor (UIDVALIDITY, last UID handled) in `ChannelState`. The cursor keeps the search
 * small on a large mailbox; the keyword covers what the cursor cannot: messages handled after one
 * the pipeline deferred, and a mailbox whose UIDs were renumbered (UIDVALIDITY changed).
 */

/** Where the mailbox is and how to log in. */
export interface ImapConfig {
  host: string;
  port: number;
  /** Implicit TLS (imaps, usually port 993). Without it imapflow still upgrades with STARTTLS if offered. */
  secure: boolean;
  user: string;
  password: string;
  /** Defaults to INBOX. */
  mailbox?: string;
}

const DEFAULT_PORTS: Record<string, { port: number; secure: boolean }> = {
  'imaps:': { port: 993, secure: true },
  'imap:': { port: 143, secure: false },
};

/**
 * Reads the mailbox address from `IMAP_URL`: `imaps://user:pass@host:993/INBOX` (TLS) or
 * `imap://user:pass@host:143/INBOX`. The port defaults to 993 or 143 and the mailbox to INBOX; the
 * user name and password are percent-decoded (write `@` in a user name as `%40`).
 *
 * @throws Error naming what is wrong, never repeating the password
 */
export function parseImapUrl(url: string): ImapConfig {
  const example = 'expected imaps://user:password@host:993/INBOX or imap://user:password@host:143/INBOX';
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new Error(`IMAP_URL is not a URL; ${example}`);
  }
  const shown = `${u.protocol}//${u.host}${u.pathname}`;
  const defaults = DEFAULT_PORTS[u.protocol];
  if (!defaults) throw new Error(`IMAP_URL must start with imaps:// or imap://, not ${u.protocol}//; ${example}`);
  if (!u.hostname) throw new Error(`IMAP_URL has no host name; ${example}`);
  if (!u.username) throw new Error(`IMAP_URL ${shown} has no user name; ${example}`);
  if (!u.password) throw new Error(`IMAP_URL ${shown} has no password; ${example}`);
  if (u.search || u.hash) throw new Error(`IMAP_URL ${shown} must not have a query or fragment; ${example}`);
  let user: string;
  let password: string;
  let mailbox: string;
  try {
    user = decodeURIComponent(u.username);
    password = decodeURIComponent(u.password);
    mailbox = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
  } catch {
    throw new Error(`IMAP_URL ${shown} has a malformed %-escape in the user name, password or mailbox`);
  }
  // URL has already checked that an explicit port is a number from 0 to 65535.
  const port = u.port ? Number(u.port) : defaults.port;
  if (port === 0) throw new Error(`IMAP_URL ${shown} has port 0`);
  // An IPv6 literal comes back bracketed from URL; sockets want it bare.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, secure: defaults.secure, user, password, mailbox: mailbox || 'INBOX' };
}

/** The IMAP keyword set on every message the pipeline stored or dead-lettered. */
export const PROCESSED_KEYWORD = '$WenkongProcessed';

/** What a poller needs; the pipeline's `submit` and the `channel_state` table come from the caller. */
export interface ImapPollerDeps {
  config: ImapConfig;
  submit: Submit;
  state: ChannelState;
  /** The intake clock (tests fix it). */
  now?: () => Date;
  log?: { info(msg: string): void; error(msg: string, error?: unknown): void };
  /** Messages fetched and submitted together (default 100); bounds memory with large attachments. */
  batchSize?: number;
}

/** What one poll did. */
export interface ImapPollResult {
  /** Messages downloaded and handed to the pipeline. */
  fetched: number;
  /** New petitions. */
  stored: number;
  /** Messages the pipeline already had (same Message-ID); marked processed like stored ones. */
  duplicates: number;
  /** Messages that did not make a petition; dead-lettered by the pipeline, marked processed. */
  rejected: number;
  /** Messages the pipeline could not take now (database down); left unmarked for the next poll. */
  deferred: number;
}

/** Persisted under `imap:<user>@<host>/<mailbox>`. */
interface Cursor {
  uidValidity: number;
  lastUid: number;
}

const DEFAULT_BATCH = 100;
/** How long close() lets a running poll finish its batch before dropping the connection. */
const CLOSE_GRACE_MS = 15_000;
const silent = { info() {}, error() {} };

/**
 * Creates the poller for one mailbox. `poll()` runs one pass (a call while one runs joins it) and
 * throws, with a message naming the server and the step, when the server cannot be reached or fails;
 * the scheduler logs that and tries again at the next tick. `close()` waits for a running pass to
 * finish its batch (dropping the connection after 15 s), after which `poll()` rejects.
 */
export function createImapPoller(deps: ImapPollerDeps): { poll(): Promise<ImapPollResult>; close(): Promise<void> } {
  const { config, submit, state } = deps;
  const mailbox = config.mailbox ?? 'INBOX';
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? silent;
  const batchSize = deps.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be a positive integer, not ${batchSize}`);
  }
  const key = `imap:${config.user}@${config.host}/${mailbox}`;
  const source: RecordSource = { actor: `imap:${config.user}@${config.host}`, role: 'channel:email' };
  const where = `${config.user}@${config.host}:${config.port}/${mailbox}`;

  let running: Promise<ImapPollResult> | null = null;
  let client: ImapFlow | null = null;
  let closed = false;
  let warnedFlags = false;

  async function readCursor(uidValidity: number): Promise<Cursor> {
    const raw = await state.get(key);
    let saved: Partial<Cursor> | null = null;
    try {
      saved = raw ? (JSON.parse(raw) as Partial<Cursor>) : null;
    } catch {
      log.error(
        `IMAP ${where}: ignoring unreadable cursor ${JSON.stringify(raw)}; the keyword skips processed messages`,
      );
    }
    const lastUid = saved?.lastUid;
    if (
      saved?.uidValidity === uidValidity &&
      typeof lastUid === 'number' &&
      Number.isInteger(lastUid) &&
      lastUid >= 0
    ) {
      return { uidValidity, lastUid };
    }
    if (saved?.uidValidity !== undefined) {
      // The server renumbered the mailbox: old UIDs mean nothing now. Start over; processed messages
      // carry the keyword and are skipped by the search.
      log.info(
        `IMAP ${where}: UIDVALIDITY changed from ${saved.uidValidity} to ${uidValidity}; re-reading the mailbox`,
      );
    }
    const fresh = { uidValidity, lastUid: 0 };
    await state.set(key, JSON.stringify(fresh));
    return fresh;
  }

  async function pass(): Promise<ImapPollResult> {
    const result: ImapPollResult = { fetched: 0, stored: 0, duplicates: 0, rejected: 0, deferred: 0 };
    const imap = new ImapFlow({
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: { user: config.user, pass: config.password },
      logger: false,
      // One pass, then logout: no IDLE between commands.
      disableAutoIdle: true,
      connectionTimeout: 30_000,
    });
    // Without a listener an 'error' event (socket reset after connect) would crash the process; the
    // command in flight rejects too, and that is what poll() reports.
    imap.on('error', (error: unknown) => log.error(`IMAP ${where}: connection error`, error));
    client = imap;
    let step = 'connecting';
    try {
      await imap.connect();
      step = 'opening the mailbox';
      const lock = await imap.getMailboxLock(mailbox);
      try {
        if (!imap.mailbox) throw new Error('no mailbox selected after SELECT');
        const { uidValidity: validity, uidNext, permanentFlags } = imap.mailbox;
        if (!warnedFlags && permanentFlags && !permanentFlags.has('\\*') && !permanentFlags.has(PROCESSED_KEYWORD)) {
          warnedFlags = true;
          log.error(`IMAP ${where}: the server does not keep the keyword ${PROCESSED_KEYWORD}; relying on the cursor`);
        }
        const uidValidity = Number(validity);
        step = 'reading the cursor';
        const cursor = await readCursor(uidValidity);

        step = 'searching';
        // `n:*` always includes the highest UID even when it is below n, so filter again here.
        const found = await imap.search(
          { uid: `${cursor.lastUid + 1}:*`, unKeyword: PROCESSED_KEYWORD },
          { uid: true },
        );
        if (!found) throw new Error('the server refused the SEARCH');
        const pending = found.filter((uid) => uid > cursor.lastUid).sort((a, b) => a - b);

        let complete = true;
        for (let i = 0; i < pending.length; i += batchSize) {
          if (closed) {
            complete = false;
            break;
          }
          const batch = pending.slice(i, i + batchSize);
          step = `fetching UIDs ${batch[0]}–${batch.at(-1)}`;
          const sources = new Map<number, Buffer>();
          for (const message of await imap.fetchAll(batch, { uid: true, source: true }, { uid: true })) {
            if (message.source) sources.set(message.uid, message.source);
          }
          // A UID missing from the answer was expunged since the search: nothing to hand in.
          const present = batch.filter((uid) => sources.has(uid));
          const records = await Promise.all(
            present.map((uid) => emailToRecord(sources.get(uid)!, `uid:${uidValidity}:${uid}`, now())),
          );
          result.fetched += records.length;

          step = 'submitting';
          const outcomes = records.length > 0 ? await submit(records, source) : [];
          if (outcomes.length !== records.length) {
            throw new Error(`submit answered ${outcomes.length} outcomes for ${records.length} records`);
          }
          const handled: number[] = [];
          const deferred = new Set<number>();
          outcomes.forEach((outcome, j) => {
            const uid = present[j]!;
            if (outcome.status === 'unavailable') {
              deferred.add(uid);
              result.deferred += 1;
              return;
            }
            handled.push(uid);
            if (outcome.status === 'stored') {
              if (outcome.duplicate) result.duplicates += 1;
              else result.stored += 1;
            } else {
              result.rejected += 1;
              const kept = outcome.deadLetterId ? `dead letter ${outcome.deadLetterId}` : 'not kept';
              log.info(`IMAP ${where}: UID ${uid} rejected at ${outcome.stage} (${kept}): ${outcome.reason}`);
            }
          });

          step = 'flagging';
          if (handled.length > 0) {
            const ok = await imap.messageFlagsAdd(handled, [PROCESSED_KEYWORD, '\\Seen'], { uid: true });
            // Not fatal: the cursor below still skips them; only a later UIDVALIDITY change would
            // re-read them, and the pipeline stores a repeated Message-ID once.
            if (!ok) log.error(`IMAP ${where}: could not flag UIDs ${handled.join(',')} as ${PROCESSED_KEYWORD}`);
          }

          // The cursor moves over the handled (and vanished) UIDs up to the first deferred one; the
          // handled ones after it are skipped next time by their keyword.
          const firstDeferred = batch.findIndex((uid) => deferred.has(uid));
          const upTo = firstDeferred === -1 ? batch.length : firstDeferred;
          if (upTo > 0) {
            step = 'saving the cursor';
            cursor.lastUid = batch[upTo - 1]!;
            await state.set(key, JSON.stringify(cursor));
          }
          // The pipeline is down; the rest waits for the next poll rather than being deferred too.
          if (deferred.size > 0) {
            complete = false;
            break;
          }
        }
        // Every UID below UIDNEXT at SELECT existed before the SEARCH, so a full pass has handled or
        // found flagged all of them: move the cursor past those flagged after an earlier deferral.
        const seen = uidNext - 1;
        if (complete && Number.isInteger(seen) && seen > cursor.lastUid) {
          step = 'saving the cursor';
          cursor.lastUid = seen;
          await state.set(key, JSON.stringify(cursor));
        }
      } finally {
        lock.release();
      }
    } catch (error) {
      throw new Error(`IMAP poll of ${where} failed while ${step}: ${describe(error)}`, { cause: error });
    } finally {
      client = null;
      await logout(imap);
    }
    if (result.fetched > 0) {
      log.info(
        `IMAP ${where}: fetched ${result.fetched}, stored ${result.stored}, duplicates ${result.duplicates}, ` +
          `rejected ${result.rejected}, deferred ${result.deferred}`,
      );
    }
    return result;
  }

  return {
    poll() {
      if (closed) return Promise.reject(new Error(`IMAP poller for ${where} is closed`));
      running ??= pass().finally(() => {
        running = null;
      });
      return running;
    },
    async close() {
      closed = true;
      const inFlight = running;
      if (!inFlight) return;
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        inFlight.then(
          () => true,
          () => true,
        ),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS);
        }),
      ]);
      clearTimeout(timer);
      if (!finished) {
        client?.close();
        await inFlight.catch(() => undefined);
      }
    },
  };
}

/** LOGOUT politely when the session is usable, otherwise just drop the socket. Never throws. */
async function logout(imap: ImapFlow): Promise<void> {
  if (imap.usable) {
    try {
      await imap.logout();
      return;
    } catch {
      // fall through: the socket is closed below either way
    }
  }
  imap.close();
}

/** An error's message with what imapflow adds: the socket code and the server's own words. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const extra = error as Error & { code?: unknown; responseText?: unknown };
  const parts = [error.message];
  if (typeof extra.code === 'string' && !error.message.includes(extra.code)) parts.push(`(${extra.code})`);
  if (typeof extra.responseText === 'string' && !error.message.includes(extra.responseText)) {
    parts.push(`— server said: ${extra.responseText}`);
  }
  return parts.join(' ');
}
