/**
 * Social media and web monitoring: configured RSS, Atom and JSON Feed sources (a local forum, a
 * Weibo-like keyword search exported as a feed …) polled on a schedule. New items that pass the
 * feed's keyword filter become `social` petitions through the shared pipeline; repeats are expected
 * (feeds show the same items for days) and are stored once by channel + externalId.
 */
import { createHash } from 'node:crypto';
import { describeErrors, validatePetition } from '../validate.ts';
import { type ChannelRecord, type ChannelState, type Original, rejectRecord, type Submit } from './adapter.ts';
import type { FeedConfig, FeedsConfig } from './feed-config.ts';
import { type FeedItem, FeedParseError, parseFeed } from './feed-parse.ts';

export {
  DEFAULT_FEED_SCHEDULE,
  FEED_FORMATS,
  type FeedConfig,
  type FeedFormat,
  type FeedsConfig,
  loadFeedsConfig,
  parseFeedsConfig,
} from './feed-config.ts';
export {
  type FeedItem,
  FeedParseError,
  htmlToPlainText,
  type ParsedFeed,
  parseFeed,
  parseFeedDate,
} from './feed-parse.ts';

/** validatePetition's limit on externalId. */
const MAX_EXTERNAL_ID = 200;
/** A broken body is dead-lettered whole up to this size, so it can be looked at and retried. */
export const MAX_DEAD_LETTER_BYTES = 1024 * 1024;
/** Larger than any real feed; a bigger body is a misconfigured URL (a video, a dump), not read. */
export const MAX_FEED_BYTES = 10 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 20_000;
/** Feeds fetched at once: a slow or hanging server must not hold up the whole schedule. */
const CONCURRENCY = 4;
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';
const USER_AGENT = 'Wenkong-feed-monitor/1.0';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Case-, width- and compatibility-insensitive form for keyword matching: "ＡＢＣ欠薪" ~ "abc欠薪". */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * The item's externalId: `${feed.id}:${guid}`, else its link, else a hash of its title and text (an
 * item with neither still repeats as the same id). Too long or with control characters, the key is
 * hashed, so the id is always valid and always the same for the same item.
 */
export function feedExternalId(feed: Pick<FeedConfig, 'id'>, item: FeedItem): string {
  const key = item.guid || item.link || sha256(`${item.title}\n${item.text}`);
  const id = `${feed.id}:${key}`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is tested for
  return id.length <= MAX_EXTERNAL_ID && !/[\u0000-\u001f\u007f]/.test(id) ? id : `${feed.id}:sha256:${sha256(key)}`;
}

/**
 * Title and text as one petition text. Microblog feeds title an item with the first words of its
 * text; then the text alone says it once.
 */
function petitionText(item: FeedItem): string {
  const title = item.title.trim();
  const body = item.text.trim();
  if (!title) return body;
  if (!body) return title;
  const stem = title.replace(/(\.{3}|…)+$/, '').trim();
  if (stem && body.replace(/\s+/g, ' ').startsWith(stem)) return body;
  return `${title}\n${body}`;
}

function keywordFilter(feed: FeedConfig): (item: FeedItem) => boolean {
  const include = (feed.include ?? []).map(fold).filter((k) => k.length > 0);
  const exclude = (feed.exclude ?? []).map(fold).filter((k) => k.length > 0);
  return (item) => {
    const haystack = fold(`${item.title}\n${item.text}`);
    if (include.length > 0 && !include.some((k) => haystack.includes(k))) return false;
    return !exclude.some((k) => haystack.includes(k));
  };
}

/**
 * Filters a feed's items by its include/exclude keywords and maps them to records for the pipeline:
 * channel `social`, externalId from `feedExternalId`, text = title + '\n' + text, receivedAt = the
 * item's date (now when it has none or one in the future: a feed's clock is no reason to lose an
 * item), the feed's regionCode, and the item as the original. Items repeated within the batch are
 * mapped once. Items that fail validatePetition become rejected records with its field errors.
 */
export function feedItemsToRecords(feed: FeedConfig, items: readonly FeedItem[], now: Date): ChannelRecord[] {
  const keep = keywordFilter(feed);
  const seen = new Set<string>();
  const records: ChannelRecord[] = [];
  for (const item of items) {
    if (!keep(item)) continue;
    const externalId = feedExternalId(feed, item);
    if (seen.has(externalId)) continue;
    seen.add(externalId);

    const original: Original = { format: 'feed-item', content: JSON.stringify(item.raw) ?? 'null' };
    const position = item.link ?? (item.guid || null);
    if (position) original.position = position;

    const published = item.published === null ? NaN : Date.parse(item.published);
    const receivedAt = published <= now.getTime() ? item.published! : now.toISOString();
    const input: Record<string, unknown> = { channel: 'social', text: petitionText(item), receivedAt, externalId };
    if (feed.regionCode) input.regionCode = feed.regionCode;

    const checked = validatePetition(input, now);
    if (checked.ok) records.push({ ok: true, input: checked.value, original });
    else {
      records.push(rejectRecord(original, 'validate', describeErrors(checked.errors), checked.errors));
    }
  }
  return records;
}

/** A poll result before anything is known: an error until the poll says otherwise. */
function failedPoll(feed: FeedConfig): FeedPollResult {
  return { feed: feed.id, status: 'error', items: 0, kept: 0, stored: 0, duplicates: 0, rejected: 0 };
}

/** What one poll did with one feed; `error` says what went wrong (feed id, URL, status or reason). */
export interface FeedPollResult {
  feed: string;
  status: 'fetched' | 'not-modified' | 'error';
  /** Items in the feed body. */
  items: number;
  /** Records handed to the pipeline: items that passed the keyword filter, once each. */
  kept: number;
  /** Newly stored petitions. */
  stored: number;
  /** Items already stored by an earlier poll (normal: feeds repeat items). */
  duplicates: number;
  /** Records rejected (dead-lettered), including a whole broken body. */
  rejected: number;
  error?: string;
}

/** What a feed poller needs; everything with side effects is passed in. */
export interface FeedPollerDeps {
  config: FeedsConfig;
  submit: Submit;
  state: ChannelState;
  now?: () => Date;
  fetch?: typeof fetch;
  log?: { info(message: string): void; error(message: string, error?: unknown): void };
  /** Per feed, for the whole request including the body. Default 20 s. */
  timeoutMs?: number;
}

/** HTTP cache validators kept per feed in `channel_state` under `feed:<id>`. */
interface Validators {
  etag: string | null;
  lastModified: string | null;
}

/** The state key of a feed's validators. */
export function feedStateKey(feedId: string): string {
  return `feed:${feedId}`;
}

/**
 * A poller over the configured feeds. `poll()` fetches each feed (a few at a time; one failing feed
 * never stops the others) with a conditional GET, maps new items to records and submits them as
 * `feed:<id>` / `channel:social`. The feed's ETag and Last-Modified are saved only when every record
 * reached storage, so when storage is down the next poll fetches the same items again.
 */
export function createFeedPoller(deps: FeedPollerDeps): { poll(): Promise<FeedPollResult[]> } {
  const now = deps.now ?? (() => new Date());
  const doFetch = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log = deps.log ?? { info: () => {}, error: () => {} };

  async function readValidators(key: string): Promise<Validators> {
    const none = { etag: null, lastModified: null };
    try {
      const text = await deps.state.get(key);
      if (!text) return none;
      const v = JSON.parse(text) as Partial<Record<keyof Validators, unknown>>;
      return {
        etag: typeof v.etag === 'string' ? v.etag : null,
        lastModified: typeof v.lastModified === 'string' ? v.lastModified : null,
      };
    } catch (error) {
      // Unreadable state only costs a full fetch; the items themselves are deduplicated on storage.
      log.error(`feed state ${key} unreadable; fetching without validators`, error);
      return none;
    }
  }

  async function saveValidators(key: string, before: Validators, headers: Headers): Promise<void> {
    const after: Validators = { etag: headers.get('etag'), lastModified: headers.get('last-modified') };
    if (after.etag === before.etag && after.lastModified === before.lastModified) return;
    try {
      await deps.state.set(key, JSON.stringify(after));
    } catch (error) {
      log.error(`feed state ${key} not saved; the next poll fetches the feed in full`, error);
    }
  }

  async function pollOne(feed: FeedConfig): Promise<FeedPollResult> {
    const result = failedPoll(feed);
    const where = `feed ${feed.id} (${feed.url})`;
    const fail = (message: string): FeedPollResult => ({ ...result, status: 'error', error: `${where}: ${message}` });
    const key = feedStateKey(feed.id);
    const source = { actor: `feed:${feed.id}`, role: 'channel:social' };
    const before = await readValidators(key);

    let response: Response;
    let body: string;
    try {
      const headers = new Headers({ accept: ACCEPT, 'user-agent': USER_AGENT });
      if (before.etag) headers.set('if-none-match', before.etag);
      if (before.lastModified) headers.set('if-modified-since', before.lastModified);
      response = await doFetch(feed.url, { headers, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
      if (response.status === 304) {
        await response.body?.cancel();
        return { ...result, status: 'not-modified' };
      }
      if (!response.ok) {
        await response.body?.cancel();
        return fail(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
      }
      body = decodeFeedBody(await readCapped(response, MAX_FEED_BYTES), response.headers.get('content-type'));
    } catch (error) {
      return fail(describeFetchError(error, timeoutMs));
    }

    let items: FeedItem[];
    try {
      items = parseFeed(body, response.headers.get('content-type'), feed.format ?? 'auto').items;
    } catch (error) {
      if (!(error instanceof FeedParseError)) throw error;
      // Keep the body as a dead letter: it holds the items, to be retried once the feed (or this
      // parser) is fixed. Its validators are then saved, so an unchanged broken body is not
      // dead-lettered again every few minutes.
      const capped = capUtf8(body, MAX_DEAD_LETTER_BYTES);
      const reason = `${where}: ${error.message}${capped.length < body.length ? ' (body cut to 1 MiB)' : ''}`;
      const outcomes = await deps.submit(
        [rejectRecord({ format: 'feed-item', content: capped, position: feed.url }, 'parse', reason)],
        source,
      );
      result.rejected = outcomes.filter((o) => o.status === 'rejected').length;
      if (outcomes.length === 1 && outcomes[0]?.status !== 'unavailable') {
        await saveValidators(key, before, response.headers);
      }
      return fail(error.message);
    }

    const records = feedItemsToRecords(feed, items, now());
    result.items = items.length;
    result.kept = records.length;
    const outcomes = records.length > 0 ? await deps.submit(records, source) : [];
    let unavailable = records.length - outcomes.length;
    let reason = '';
    for (const outcome of outcomes) {
      if (outcome.status === 'stored') {
        if (outcome.duplicate) result.duplicates += 1;
        else result.stored += 1;
      } else if (outcome.status === 'rejected') result.rejected += 1;
      else {
        unavailable += 1;
        reason ||= outcome.reason;
      }
    }
    if (unavailable > 0) {
      return fail(
        `storage unavailable for ${unavailable} of ${records.length} records${reason ? ` (${reason})` : ''}; the feed is fetched again next time`,
      );
    }
    await saveValidators(key, before, response.headers);
    return { ...result, status: 'fetched' };
  }

  async function pollSafely(feed: FeedConfig): Promise<FeedPollResult> {
    let result: FeedPollResult;
    try {
      result = await pollOne(feed);
    } catch (error) {
      // A throwing submit or state, or a bug: this feed failed, the others go on.
      const message = error instanceof Error ? error.message : String(error);
      result = { ...failedPoll(feed), error: `feed ${feed.id} (${feed.url}): ${message}` };
      log.error(`feed ${feed.id} poll failed`, error);
      return result;
    }
    if (result.status === 'error') log.error(result.error ?? `feed ${feed.id} failed`);
    else log.info(describeFeedPoll(result));
    return result;
  }

  return {
    async poll() {
      const feeds = deps.config.feeds;
      const results: FeedPollResult[] = new Array<FeedPollResult>(feeds.length);
      let next = 0;
      const worker = async () => {
        while (next < feeds.length) {
          const i = next++;
          results[i] = await pollSafely(feeds[i]!);
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, feeds.length) }, worker));
      return results;
    },
  };
}

/** One line for logs and the job runner: `feed x: fetched, 12 items, 3 kept, 1 stored, 2 duplicates, 0 rejected`. */
export function describeFeedPoll(r: FeedPollResult): string {
  if (r.status === 'not-modified') return `feed ${r.feed}: not modified`;
  const counts = `${r.items} items, ${r.kept} kept, ${r.stored} stored, ${r.duplicates} duplicates, ${r.rejected} rejected`;
  return `feed ${r.feed}: ${r.status}, ${counts}${r.error ? ` — ${r.error}` : ''}`;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no complete answer within ${timeoutMs} ms`;
  }
  if (error instanceof Error) {
    // undici says "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND, a TLS error) in cause.
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `cannot fetch: ${error.message}${cause}`;
  }
  return `cannot fetch: ${String(error)}`;
}

/** Reads a response body, refusing more than `max` bytes instead of buffering whatever comes. */
async function readCapped(response: Response, max: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > max) {
    await response.body?.cancel();
    throw new Error(`the body is ${declared} bytes; at most ${max} are read`);
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw new Error(`the body is over ${max} bytes; at most ${max} are read`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/**
 * Decodes a feed body: the charset of the Content-Type, else a byte-order mark, else the XML
 * declaration's encoding (GB2312/GBK forums rarely label their responses), else UTF-8.
 */
export function decodeFeedBody(bytes: Uint8Array, contentType: string | null): string {
  let label = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  if (!label) {
    if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
    else if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
    else {
      const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
      label = /^(?:\uFEFF|ï»¿)?\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
    }
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label ?? 'utf-8');
  } catch {
    // An unknown charset name: UTF-8 is the likeliest truth, and a wrong guess shows as U+FFFD.
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(bytes);
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never splitting a character. */
function capUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const buffer = new Uint8Array(maxBytes);
  const { read } = new TextEncoder().encodeInto(text, buffer);
  return text.slice(0, read);
}
