import type { RegionResolver } from '../region-resolver.ts';
import type { ChannelRecord, Original } from './adapter.ts';
import { rejectRecord } from './adapter.ts';
import { apiItemToRecord } from './api.ts';
import { emailToRecord } from './email.ts';
import {
  type FeedConfig,
  type FeedItem,
  feedItemsToRecords,
  type FeedsConfig,
  FeedParseError,
  parseFeed,
  parseFeedDate,
} from './feed.ts';
import { type HotlineFieldMap, workOrdersOf, workOrderToRecord } from './hotline.ts';
import { requestToRecord } from './open311.ts';
import { mapRegisterRow } from './register.ts';

export interface RemapContext {
  now: Date;
  resolver: RegionResolver;
  hotlineFieldMap: HotlineFieldMap;
  feeds: FeedsConfig | null;
}

/**
 * Runs a kept original through its channel's mapping again — after the operator corrected it, or after
 * a fix to the mapping, the field map or the analyser. One original can give several records (a whole
 * webhook body or feed that could not be parsed the first time).
 */
export async function remapOriginal(
  channel: string,
  original: Original,
  ctx: RemapContext,
  /** How it came: a hotline's JSON is a work order only when it came by the signed webhook. */
  via: 'webhook' | 'other' = 'other',
): Promise<ChannelRecord[]> {
  const position = original.position ?? 'retry';
  switch (original.format) {
    case 'email':
      return [await emailToRecord(Buffer.from(original.content, 'base64'), position, ctx.now)];
    case 'row': {
      const row = parseJson(original);
      if (!row.ok) return [row.record];
      if (typeof row.value !== 'object' || row.value === null || Array.isArray(row.value)) {
        return [rejectRecord(original, 'parse', 'A register row must be a JSON object of { header: cell }')];
      }
      const cells = Object.fromEntries(Object.entries(row.value).map(([k, v]) => [k, String(v ?? '')]));
      return [mapRegisterRow(cells, position, { now: ctx.now, resolveRegion: (cell) => ctx.resolver.fromCell(cell) })];
    }
    case 'feed-item':
      return remapFeed(original, ctx);
    case 'form':
    case 'json': {
      const parsed = parseJson(original);
      if (!parsed.ok) return [parsed.record];
      const items = workOrdersOf(parsed.value);
      return items.map((item, i) => {
        const at = items.length > 1 ? `${position} #${i + 1}` : position;
        if (via === 'webhook' && (channel === 'hotline' || channel === 'enterprise_hotline')) {
          return workOrderToRecord(item, {
            channel,
            fieldMap: ctx.hotlineFieldMap,
            now: ctx.now,
            resolver: ctx.resolver,
            position: at,
          });
        }
        if (channel === 'open311' && typeof item === 'object' && item !== null) {
          return requestToRecord(item as Record<string, unknown>, {
            now: ctx.now,
            token: position,
            resolvePoint: (lng, lat) => ctx.resolver.fromPoint(lng, lat),
            resolveAddress: (address) => ctx.resolver.fromText(address),
          });
        }
        return apiItemToRecord(item, i, ctx.now);
      });
    }
  }
}

function parseJson(original: Original): { ok: true; value: unknown } | { ok: false; record: ChannelRecord } {
  try {
    return { ok: true, value: JSON.parse(original.content) };
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : String(error);
    return {
      ok: false,
      record: rejectRecord(original, 'parse', `仍不是有效的 JSON / still not valid JSON: ${detail}`),
    };
  }
}

function remapFeed(original: Original, ctx: RemapContext): ChannelRecord[] {
  const feed: FeedConfig = ctx.feeds?.feeds.find((f) => f.url === original.position) ?? {
    id: 'feed',
    url: original.position ?? 'about:blank',
  };
  // A whole body that could not be parsed the first time: parse it again.
  if (!original.content.trimStart().startsWith('{') || original.content.includes('jsonfeed.org/version')) {
    try {
      return feedItemsToRecords(feed, parseFeed(original.content, null).items, ctx.now);
    } catch (error) {
      if (error instanceof FeedParseError) return [rejectRecord(original, 'parse', error.message)];
      throw error;
    }
  }
  const parsed = parseJson(original);
  if (!parsed.ok) return [parsed.record];
  return feedItemsToRecords({ ...feed, include: [], exclude: [] }, [feedItemFromRaw(parsed.value)], ctx.now);
}

/** The fields of one kept feed entry (RSS item, Atom entry or JSON Feed item), read generically. */
export function feedItemFromRaw(raw: unknown): FeedItem {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const text = (...keys: string[]): string => {
    for (const key of keys) {
      const v = r[key];
      if (typeof v === 'string' && v.trim() !== '') return v.trim();
      if (typeof v === 'object' && v !== null) {
        const inner = (v as Record<string, unknown>)['#text'] ?? (v as Record<string, unknown>)['@_href'];
        if (typeof inner === 'string' && inner.trim() !== '') return inner.trim();
      }
    }
    return '';
  };
  return {
    guid: text('guid', 'id'),
    link: text('link', 'url') || null,
    title: text('title'),
    text: text('content_text', 'description', 'summary', 'content', 'content_html'),
    published: parseFeedDate(text('pubDate', 'published', 'updated', 'date_published', 'dc:date')),
    author: text('author', 'dc:creator') || null,
    raw,
  };
}
