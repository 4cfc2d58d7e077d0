import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { compile } from 'html-to-text';
import type { FeedFormat } from './feed-config.ts';

/** One entry of a feed, in the same shape whatever the format. */
export interface FeedItem {
  /** RSS `guid`, Atom `id`, JSON Feed `id`; '' when the feed gives none. */
  guid: string;
  link: string | null;
  /** Plain text (HTML titles converted). */
  title: string;
  /** Plain text of the body: RSS `content:encoded` or `description`, Atom `content` or `summary`, JSON Feed `content_text`, `content_html` or `summary`. */
  text: string;
  /** ISO 8601 in UTC, or null when the feed gives no date or one that cannot be read unambiguously. */
  published: string | null;
  author: string | null;
  /** The entry as parsed (XML as objects, `@_` attributes), kept as the record's original. */
  raw: unknown;
}

/** A feed as `parseFeed` reads it. */
export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json';
  title: string;
  items: FeedItem[];
}

/** The body is not a feed we can read. `line` and `column` (1-based) say where, when known. */
export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(message: string, where?: { line: number; column: number }) {
    super(message);
    this.line = where?.line;
    this.column = where?.column;
  }
}

// Rich-text fields are kept as raw inner XML (stop nodes) so that their markup keeps its order and
// is decoded exactly once: parsed as objects, XHTML or stray HTML elements would lose text order.
const RICH_TEXT = [
  'rss.channel.item.description',
  'rss.channel.item.content:encoded',
  'rdf:RDF.item.description',
  'rdf:RDF.item.content:encoded',
  'feed.title',
  'feed.entry.title',
  'feed.entry.content',
  'feed.entry.summary',
];
const ALWAYS_ARRAY = new Set([
  'rss.channel.item',
  'rdf:RDF.item',
  'feed.entry',
  'feed.entry.link',
  'feed.entry.author',
]);

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: true,
  // Decodes numeric character references (&#27424;) as XML requires, plus a few HTML names feeds use
  // without declaring them (&nbsp;). Without it fast-xml-parser 5 leaves &#…; undecoded.
  htmlEntities: true,
  // CDATA is merged into the text: a CDATA description and an escaped one read the same.
  cdataPropName: false,
  // guids like "00123" or "1e5" must stay strings.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  stopNodes: RICH_TEXT,
  isArray: (_name, jPath) => typeof jPath === 'string' && ALWAYS_ARRAY.has(jPath),
});

const toText = compile({
  wordwrap: false,
  selectors: [
    // Links and images are noise in a petition's text; headings must not be upper-cased.
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
  ],
});

/** HTML (a fragment or a page) as plain text, blank-line runs collapsed. */
export function htmlToPlainText(html: string): string {
  if (!/[<&]/.test(html)) return tidy(html);
  return tidy(toText(html));
}

function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Parses an RSS 2.0 (and 0.9x/1.0), Atom 1.0 or JSON Feed 1.x body. `expected` (from the feed's
 * config) insists on one format; `auto` tells them apart from the body itself, since servers often
 * label feeds `text/html` or `application/octet-stream`. Throws FeedParseError with a clear message,
 * with line and column for XML that is not well-formed.
 */
export function parseFeed(body: string, contentType: string | null, expected: FeedFormat = 'auto'): ParsedFeed {
  const text = body.replace(/^\uFEFF/, '');
  const start = text.trimStart();
  const served = contentType ? ` (served as ${contentType.split(';')[0]?.trim()})` : '';
  if (start.length === 0) throw new FeedParseError(`the feed body is empty${served}`);
  const looksJson = start.startsWith('{') || start.startsWith('[');
  if (expected === 'json' || (expected === 'auto' && looksJson)) return parseJsonFeed(text);
  if (!start.startsWith('<')) {
    throw new FeedParseError(`the body is neither XML nor JSON${served}; it starts "${oneLine(start.slice(0, 40))}"`);
  }
  const feed = parseXmlFeed(text, served);
  if (expected !== 'auto' && feed.format !== expected) {
    throw new FeedParseError(`the feed is configured as ${expected} but the body is ${feed.format}`);
  }
  return feed;
}

function parseXmlFeed(text: string, served: string): ParsedFeed {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    throw new FeedParseError(`not well-formed XML at line ${line}, column ${col}: ${msg}`, { line, column: col });
  }
  let doc: Record<string, unknown>;
  try {
    doc = xml.parse(text) as Record<string, unknown>;
  } catch (cause) {
    // The validator passed, so this is a limit (nesting depth, entity expansion) or a parser bug.
    throw new FeedParseError(`XML could not be parsed: ${(cause as Error).message}`);
  }
  const root = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  const top = asObject(root === undefined ? undefined : doc[root]);
  if (root === 'rss') {
    const channel = asObject(top.channel);
    if (!('channel' in top)) throw new FeedParseError('RSS without a <channel> element');
    return { format: 'rss', title: oneLine(textOf(channel.title)), items: asArray(channel.item).map(rssItem) };
  }
  if (root === 'rdf:RDF') {
    // RSS 1.0: items are siblings of the channel.
    return {
      format: 'rss',
      title: oneLine(textOf(asObject(top.channel).title)),
      items: asArray(top.item).map(rssItem),
    };
  }
  if (root === 'feed') {
    return { format: 'atom', title: oneLine(atomText(top.title)), items: asArray(top.entry).map(atomEntry) };
  }
  const hint = root === 'html' || root === 'HTML' ? ' (an HTML page, not a feed)' : '';
  throw new FeedParseError(`not an RSS or Atom feed: the root element is <${root ?? '?'}>${hint}${served}`);
}

function rssItem(node: unknown): FeedItem {
  const item = asObject(node);
  const guid = oneLine(textOf(item.guid));
  const guidIsLink = asObject(item.guid)['@_isPermaLink'] !== 'false' && /^https?:\/\//i.test(guid);
  const link = oneLine(textOf(item.link)) || (guidIsLink ? guid : '') || null;
  const body = rawRichText(item['content:encoded']) || rawRichText(item.description);
  return {
    guid: guid || oneLine(textOf(item['@_rdf:about'])),
    link,
    title: oneLine(htmlToPlainText(textOf(item.title))),
    text: htmlToPlainText(body),
    published: parseFeedDate(textOf(item.pubDate) || textOf(item['dc:date'])),
    author: oneLine(textOf(item.author) || textOf(item['dc:creator'])) || null,
    raw: node,
  };
}

function atomEntry(node: unknown): FeedItem {
  const entry = asObject(node);
  const links = asArray(entry.link).map(asObject);
  const alternate = links.find((l) => l['@_rel'] === undefined || l['@_rel'] === 'alternate') ?? links[0];
  const href = alternate ? oneLine(textOf(alternate['@_href'])) : '';
  const author = asObject(asArray(entry.author)[0]);
  return {
    guid: oneLine(textOf(entry.id)),
    link: href || null,
    title: oneLine(atomText(entry.title)),
    text: atomText(entry.content) || atomText(entry.summary),
    published: parseFeedDate(textOf(entry.published) || textOf(entry.updated)),
    author: oneLine(textOf(author.name)) || null,
    raw: node,
  };
}

/** An Atom text construct (RFC 4287 §3.1): type text (default), html or xhtml, kept raw as a stop node. */
function atomText(node: unknown): string {
  const type = asObject(node)['@_type'];
  const raw = textOf(node);
  if (type === 'xhtml') return htmlToPlainText(raw);
  const decoded = decodeXmlText(raw);
  if (type === 'html' || type === 'text/html') return htmlToPlainText(decoded);
  return tidy(decoded);
}

/**
 * The HTML carried by an RSS rich-text element kept raw: CDATA sections literally, escaped text
 * decoded once. Some feeds embed HTML elements unescaped; such a segment is already HTML.
 */
function rawRichText(node: unknown): string {
  const raw = textOf(node);
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) =>
      part.startsWith('<![CDATA[') ? part.slice(9, -3) : /<[a-zA-Z/!]/.test(part) ? part : decodeXmlText(part),
    )
    .join('')
    .trim();
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the XML predefined entities and character references; anything else is left for HTML. */
function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';
    }
    // Unknown names (&nbsp;) stay encoded so the HTML converter can read them.
    return XML_ENTITIES[ref] ?? whole;
  });
}

function parseJsonFeed(text: string): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    const message = (cause as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at ? lineColumn(text, Number(at[1])) : undefined;
    throw new FeedParseError(
      `not valid JSON${where ? ` at line ${where.line}, column ${where.column}` : ''}: ${message}`,
      where,
    );
  }
  const feed = asObject(doc);
  const version = feed.version;
  if (typeof version !== 'string' || !version.startsWith('https://jsonfeed.org/version/1')) {
    throw new FeedParseError('not a JSON Feed: "version" must be "https://jsonfeed.org/version/1.1"');
  }
  if (!Array.isArray(feed.items)) throw new FeedParseError('not a JSON Feed: "items" must be an array');
  return { format: 'json', title: oneLine(str(feed.title)), items: feed.items.map(jsonItem) };
}

function jsonItem(node: unknown): FeedItem {
  const item = asObject(node);
  const id = typeof item.id === 'number' ? String(item.id) : str(item.id); // JSON Feed 1.0 allowed numbers
  const html = str(item.content_html);
  const authors = Array.isArray(item.authors) ? item.authors : [item.author]; // 1.1 authors, 1.0 author
  return {
    guid: oneLine(id),
    link: oneLine(str(item.url) || str(item.external_url)) || null,
    title: oneLine(str(item.title)),
    text: tidy(str(item.content_text)) || (html ? htmlToPlainText(html) : '') || tidy(str(item.summary)),
    published: parseFeedDate(str(item.date_published) || str(item.date_modified)),
    author: oneLine(str(asObject(authors[0]).name)) || null,
    raw: node,
  };
}

function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** RFC 822 §5.1 zone names. "CST" is US Central there, whatever a Chinese feed may mean by it. */
const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -5,
  EDT: -4,
  CST: -6,
  CDT: -5,
  MST: -7,
  MDT: -6,
  PST: -8,
  PDT: -7,
};
const RFC822 =
  /^(?:[a-z]{3,9},?\s+)?(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([+-])(\d{2}):?(\d{2})|([a-z]{1,5}))$/i;
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(?:([+-])(\d{2}):?(\d{2})|(Z))$/i;

/**
 * Reads a feed date: RFC 822 (RSS `pubDate`) or RFC 3339 (Atom, JSON Feed, `dc:date`), also the
 * space-separated and `+0800` variants Chinese feeds write. Returns ISO 8601 UTC, or null for a date
 * without a zone (it could be off by hours) or one that is not a real time.
 */
export function parseFeedDate(value: string): string | null {
  const s = value.trim();
  let m = ISO.exec(s);
  if (m) {
    const offset = m[11] ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
    const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
    return build(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, Number(m[6] ?? 0), ms, offset);
  }
  m = RFC822.exec(s);
  if (m) {
    const month = MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
    if (month === 0) return null;
    const y = Number(m[3]);
    const year = m[3]!.length === 2 ? (y < 50 ? 2000 + y : 1900 + y) : y;
    let offset: number;
    if (m[7]) offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
    else {
      const zone = ZONES[m[10]!.toUpperCase()];
      if (zone === undefined) return null;
      offset = zone * 60;
    }
    return build(year, month, +m[1]!, +m[4]!, +m[5]!, Number(m[6] ?? 0), 0, offset);
  }
  return null;
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMin: number) {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60 || Math.abs(offsetMin) > 14 * 60) return null;
  const local = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms);
  // Date.UTC rolls 31 February into March; a feed saying so is wrong, not early March.
  if (new Date(local).getUTCDate() !== d) return null;
  return new Date(local - offsetMin * 60_000).toISOString();
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The text of a parsed XML node: a string, or an element with attributes and `#text`. */
function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return textOf(node[0]);
  if (typeof node === 'object' && node !== null) return textOf((node as Record<string, unknown>)['#text']);
  return '';
}
