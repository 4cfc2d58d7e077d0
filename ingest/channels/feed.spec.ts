import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChannelRecord } from './adapter.ts';
import {
  decodeFeedBody,
  type FeedConfig,
  feedExternalId,
  type FeedItem,
  feedItemsToRecords,
  FeedParseError,
  loadFeedsConfig,
  parseFeed,
  parseFeedDate,
  parseFeedsConfig,
} from './feed.ts';

const fixtures = fileURLToPath(new URL('../../tests/fixtures/channels/feed/', import.meta.url));
const fixtureBytes = (name: string) => readFileSync(`${fixtures}${name}`);
const fixture = (name: string) => fixtureBytes(name).toString('utf8');
const now = new Date('2026-12-01T08:00:00Z');

const item = (over: Partial<FeedItem> = {}): FeedItem => ({
  guid: 'g-1',
  link: 'https://bbs.example.cn/t/1',
  title: '工地拖欠工资',
  text: '三个月没发工资了。',
  published: '2026-11-30T12:00:00.000Z',
  author: null,
  raw: { id: 'g-1' },
  ...over,
});
const feed: FeedConfig = { id: 'bbs', url: 'https://bbs.example.cn/rss' };
const okInputs = (records: ChannelRecord[]) => records.flatMap((r) => (r.ok ? [r.input] : []));

describe('parseFeed', () => {
  it('reads RSS 2.0: CDATA and escaped HTML descriptions, content:encoded, RFC 822 dates, guids', () => {
    const parsed = parseFeed(fixture('rss.xml'), 'application/rss+xml; charset=utf-8');
    expect(parsed.format).toBe('rss');
    expect(parsed.title).toBe('姑苏论坛 · 民生直通车');
    expect(parsed.items.map((i) => i.guid)).toEqual([
      'gusu-thread-102311',
      'https://bbs.gusu.example.cn/thread-102298-1-1.html',
      'gusu-thread-102287',
      'gusu-thread-102270',
      'gusu-thread-102266',
    ]);
    const [wages, demolition, pollution, numericRefs] = parsed.items;
    expect(wages).toMatchObject({
      title: '吴中区某工地拖欠农民工工资三个月，讨薪无门',
      link: 'https://bbs.gusu.example.cn/thread-102311-1-1.html',
      published: '2026-11-30T12:41:07.000Z', // +0800
      author: 'luqiao2026@bbs.gusu.example.cn (路桥老王)',
    });
    // CDATA HTML: tags gone, entities decoded once, <br> a line break, the image dropped.
    expect(wages!.text).toBe(
      '我们一共37个农民工在吴中区木渎镇某安置房工地干活，从今年8月起工资一直没结，包工头说开发商没拨款。\n\n' +
        '去劳动监察大队反映过两次，至今没有回音。\n快过年了，家里老人孩子都等着钱用 & 回家的车票都买不起。',
    );
    // Entity-escaped HTML with an HTML entity inside (&amp;ldquo;), dc:creator, a GMT date.
    expect(demolition!.text).toContain('街道说“还在走流程”。');
    expect(demolition!.text).not.toContain('<p>');
    expect(demolition).toMatchObject({ author: '平江路居民', published: '2026-11-30T10:15:00.000Z' });
    // content:encoded is preferred to the shorter description; a heading is not upper-cased.
    expect(pollution!.text.startsWith('情况说明\n\n浒墅关化工园区')).toBe(true);
    expect(pollution!.text).toContain(' * 11月23日 23:40');
    expect(pollution!.title).toBe('化工园区夜间偷排废气，附近小区“ＰＭ２.５”爆表');
    expect(numericRefs!.title).toBe('欠薪求助：物业公司保安半年没发工资');
    expect(wages!.raw).toMatchObject({ guid: { '#text': 'gusu-thread-102311', '@_isPermaLink': 'false' } });
  });

  it('reads Atom 1.0: html, text and xhtml constructs, published before updated, alternate links', () => {
    const parsed = parseFeed(fixture('atom.xml'), 'application/atom+xml');
    expect(parsed.format).toBe('atom');
    expect(parsed.title).toBe('微言 · 关键词搜索「苏州 拆迁 OR 污染」');
    const [first, second, third] = parsed.items;
    expect(first).toMatchObject({
      guid: 'tag:weiyan.example.cn,2026:status:4981200331',
      link: 'https://weiyan.example.cn/u/5520193/Nb8kQ2',
      title: '#苏州拆迁# 相城区强拆，半夜挖掘机进村',
      published: '2026-11-29T18:13:45.000Z',
      author: '相城小陈',
    });
    expect(first!.text).toBe(
      '凌晨两点挖掘机进了黄桥街道的村子，协议还没签就开始拆。\n\n村民报警，派出所说是“合法征收”。求媒体关注 #苏州拆迁#',
    );
    // No <published>: <updated>; no content: the summary; a link without rel is the alternate.
    expect(second).toMatchObject({
      link: 'https://weiyan.example.cn/u/8830021/Nb7zX1',
      published: '2026-11-29T16:45:00.000Z',
      text: '光福镇附近的养殖场把污水直接排进太湖，水面发黑发臭，死鱼漂了一片。',
    });
    // XHTML keeps its text order and decodes its entities once.
    expect(third).toMatchObject({
      title: '工业园区 噪音 扰民',
      text: '星湖街附近工厂通宵开工，噪音 & 震动让人睡不着。\n\n已经投诉三次。',
    });
  });

  it('reads JSON Feed 1.1: content_text over content_html, untitled items, authors', () => {
    const parsed = parseFeed(fixture('feed.json'), 'application/feed+json');
    expect(parsed.format).toBe('json');
    expect(parsed.title).toBe('昆山民生圈 · 热帖');
    expect(parsed.items.map((i) => i.guid)).toEqual(['ks-post-88213', 'ks-post-88190', 'ks-post-88177']);
    const [html, untitled, both] = parsed.items;
    expect(html).toMatchObject({
      title: '电子厂拖欠离职员工工资',
      text: '花桥镇一家电子厂，离职快两个月了，最后一个月工资和加班费一直拖着不发。\n\n人事说要等老板签字，老板一直不在。',
      published: '2026-11-30T10:22:10.000Z',
      author: '打工人阿强',
      link: 'https://minsheng.ks.example.cn/p/88213',
    });
    expect(untitled).toMatchObject({ title: '', author: '千灯老街坊', published: '2026-11-28T23:45:00.000Z' });
    expect(both!.text).toBe('我们楼六层，想加装电梯，一楼二楼住户坚决反对，社区协调了几次都没结果。');
    expect(both!.author).toBeNull();
  });

  it('reads a GB2312 feed once decoded by its XML declaration', () => {
    const body = decodeFeedBody(fixtureBytes('rss-gb2312.xml'), 'application/rss+xml');
    const parsed = parseFeed(body, 'application/rss+xml');
    expect(parsed.title).toBe('常熟社区论坛');
    expect(parsed.items.map((i) => i.title)).toEqual([
      '虞山街道小区垃圾站臭气熏天',
      '装修公司卷款跑路，二十多户业主维权',
    ]);
    // A charset in the Content-Type wins over the declaration.
    expect(
      decodeFeedBody(new TextEncoder().encode('<?xml version="1.0" encoding="gbk"?>欠薪'), 'text/xml; charset=UTF-8'),
    ).toBe('<?xml version="1.0" encoding="gbk"?>欠薪');
  });

  it('says where XML is broken: line and column', () => {
    let error: unknown;
    try {
      parseFeed(fixture('broken.xml'), 'application/rss+xml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FeedParseError);
    const e = error as FeedParseError;
    expect(e.message).toMatch(/^not well-formed XML at line 9, column 5: .*description/);
    expect({ line: e.line, column: e.column }).toEqual({ line: 9, column: 5 });
  });

  it('rejects bodies that are not feeds, with the reason', () => {
    expect(() => parseFeed('', 'text/xml')).toThrow(new FeedParseError('the feed body is empty (served as text/xml)'));
    expect(() => parseFeed('<!DOCTYPE html><html><body>登录</body></html>', 'text/html; charset=utf-8')).toThrow(
      /root element is <html> \(an HTML page, not a feed\) \(served as text\/html\)/,
    );
    expect(() => parseFeed('Service Unavailable', null)).toThrow(
      /neither XML nor JSON; it starts "Service Unavailable"/,
    );
    expect(() => parseFeed('{"version": "https://jsonfeed.org/version/1.1",\n "items": [}', null)).toThrow(
      // Line and column when the JSON engine gives a position (Node 20 does not for every error).
      /^not valid JSON( at line 2, column \d+)?: /,
    );
    expect(() => parseFeed('{"items": []}', null)).toThrow(/not a JSON Feed: "version"/);
    expect(() => parseFeed(fixture('atom.xml'), null, 'rss')).toThrow(
      new FeedParseError('the feed is configured as rss but the body is atom'),
    );
  });

  it('reads the date forms feeds use and refuses ambiguous ones', () => {
    expect(parseFeedDate('Mon, 30 Nov 2026 20:41:07 +0800')).toBe('2026-11-30T12:41:07.000Z');
    expect(parseFeedDate('30 Nov 26 20:41 GMT')).toBe('2026-11-30T20:41:00.000Z');
    expect(parseFeedDate('Mon, 30 Nov 2026 20:41:07 EST')).toBe('2026-12-01T01:41:07.000Z');
    expect(parseFeedDate('2026-11-30T20:41:07.5+08:00')).toBe('2026-11-30T12:41:07.500Z');
    expect(parseFeedDate('2026-11-30 20:41:07 +0800')).toBe('2026-11-30T12:41:07.000Z');
    expect(parseFeedDate('2026-11-30 20:41:07')).toBeNull(); // no zone: could be hours off
    expect(parseFeedDate('Mon, 31 Feb 2026 10:00:00 +0800')).toBeNull();
    expect(parseFeedDate('昨天 20:41')).toBeNull();
    expect(parseFeedDate('')).toBeNull();
  });
});

describe('feedItemsToRecords', () => {
  it('maps items to social petitions with the feed region, original and position', () => {
    const records = feedItemsToRecords({ ...feed, regionCode: '320506' }, [item()], now);
    expect(records).toEqual([
      {
        ok: true,
        input: {
          channel: 'social',
          text: '工地拖欠工资\n三个月没发工资了。',
          receivedAt: '2026-11-30T12:00:00.000Z',
          regionCode: '320506',
          externalId: 'bbs:g-1',
        },
        original: { format: 'feed-item', content: '{"id":"g-1"}', position: 'https://bbs.example.cn/t/1' },
      },
    ]);
  });

  it('dates an item now when its date is missing or in the future', () => {
    const records = feedItemsToRecords(
      feed,
      [item({ guid: 'a', published: null }), item({ guid: 'b', published: '2027-01-01T00:00:00.000Z' })],
      now,
    );
    expect(okInputs(records).map((i) => i.receivedAt)).toEqual([now.toISOString(), now.toISOString()]);
  });

  it('says the text once when the title is the start of the text (microblog feeds)', () => {
    const records = feedItemsToRecords(
      feed,
      [
        item({ title: '千灯镇河道漂满白色泡沫…', text: '千灯镇河道漂满白色泡沫，闻着有股化学品的味道。' }),
        item({ guid: 'x', title: '' }),
      ],
      now,
    );
    expect(okInputs(records).map((i) => i.text)).toEqual([
      '千灯镇河道漂满白色泡沫，闻着有股化学品的味道。',
      '三个月没发工资了。',
    ]);
  });

  it('keeps only items matching an include keyword and none of the excludes, ignoring case and width', () => {
    const items = [
      item({ guid: '1', title: '拖欠工资', text: '' }),
      item({ guid: '2', title: '附近ＰＭ２.５爆表', text: '' }),
      item({ guid: '3', title: '', text: 'Pm2.5 又超标' }),
      item({ guid: '4', title: '招聘保安', text: '不拖欠工资' }),
      item({ guid: '5', title: '周末亲子活动', text: '' }),
    ];
    const kept = (config: Partial<FeedConfig>) =>
      feedItemsToRecords({ ...feed, ...config }, items, now).map((r) => (r.ok ? r.input.externalId : null));
    expect(kept({ include: ['拖欠', 'pm2.5'] })).toEqual(['bbs:1', 'bbs:2', 'bbs:3', 'bbs:4']);
    expect(kept({ include: ['拖欠', 'ＰＭ２．５'], exclude: ['招聘'] })).toEqual(['bbs:1', 'bbs:2', 'bbs:3']);
    expect(kept({ exclude: ['PM2.5', '亲子'] })).toEqual(['bbs:1', 'bbs:4']);
    expect(kept({})).toHaveLength(5);
  });

  it('maps an item repeated within the batch once', () => {
    const records = feedItemsToRecords(feed, [item(), item({ title: '改了标题' }), item({ guid: 'g-2' })], now);
    expect(okInputs(records).map((i) => [i.externalId, i.text.split('\n')[0]])).toEqual([
      ['bbs:g-1', '工地拖欠工资'],
      ['bbs:g-2', '工地拖欠工资'],
    ]);
  });

  it('gives stable externalIds: guid, else link, else a hash; never over 200 characters', () => {
    expect(feedExternalId(feed, item())).toBe('bbs:g-1');
    expect(feedExternalId(feed, item({ guid: '' }))).toBe('bbs:https://bbs.example.cn/t/1');
    const anonymous = feedExternalId(feed, item({ guid: '', link: null }));
    expect(anonymous).toMatch(/^bbs:[0-9a-f]{64}$/);
    expect(feedExternalId(feed, item({ guid: '', link: null, raw: 'other raw' }))).toBe(anonymous);
    expect(feedExternalId(feed, item({ guid: '', link: null, text: '别的内容' }))).not.toBe(anonymous);

    const longLink = `https://s.example.cn/search?q=${'拆迁'.repeat(120)}`;
    const long = feedExternalId(feed, item({ guid: longLink }));
    expect(long).toMatch(/^bbs:sha256:[0-9a-f]{64}$/);
    expect(long.length).toBeLessThanOrEqual(200);
    expect(feedExternalId(feed, item({ guid: longLink, title: '别的' }))).toBe(long);
    expect(feedExternalId(feed, item({ guid: `${longLink}x` }))).not.toBe(long);
    expect(feedExternalId(feed, item({ guid: 'a\u0000b' }))).toMatch(/^bbs:sha256:/);

    const fromFixture = parseFeed(fixture('rss.xml'), null).items;
    const ids = (items: FeedItem[]) => feedItemsToRecords(feed, items, now).map((r) => r.ok && r.input.externalId);
    expect(ids(fromFixture)).toEqual(ids(parseFeed(fixture('rss.xml'), null).items));
  });

  it('turns invalid items into validate rejections, keeping the original', () => {
    const records = feedItemsToRecords(
      feed,
      [
        item({ guid: 'empty', title: '', text: '  ', raw: { title: '' } }),
        item({ guid: 'old', published: '1999-12-31T00:00:00Z' }),
      ],
      now,
    );
    expect(records).toEqual([
      {
        ok: false,
        stage: 'validate',
        reason: 'text: is empty',
        fields: [{ field: 'text', message: 'is empty' }],
        original: { format: 'feed-item', content: '{"title":""}', position: 'https://bbs.example.cn/t/1' },
      },
      expect.objectContaining({ ok: false, stage: 'validate', reason: 'receivedAt: is before 2000-01-01' }),
    ]);
  });
});

describe('parseFeedsConfig', () => {
  const good = { id: 'gusu-bbs', url: 'https://bbs.gusu.example.cn/rss.php?fid=12' };
  const problem = (raw: unknown) => {
    try {
      parseFeedsConfig(raw, 'feeds.json');
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('accepts a config and defaults the schedule', () => {
    expect(parseFeedsConfig({ feeds: [good] }, 'feeds.json')).toEqual({ schedule: '*/5 * * * *', feeds: [good] });
    const full = {
      schedule: '0 */2 * * *',
      feeds: [{ ...good, format: 'atom', include: ['欠薪'], exclude: ['招聘'], regionCode: '320508' }],
    };
    expect(parseFeedsConfig(full, 'feeds.json')).toEqual(full);
  });

  it('loads the example config', () => {
    const example = loadFeedsConfig(fileURLToPath(new URL('../../config/feeds.example.json', import.meta.url)));
    expect(example.feeds.length).toBeGreaterThan(0);
  });

  it('names the exact field and the reason', () => {
    expect(problem({ feeds: [good, { id: 'b', url: 'ftp://x.example.cn/feed' }] })).toBe(
      'Feeds config feeds.json: feeds.1.url: must be an http(s) URL',
    );
    expect(problem({ feeds: [{ ...good, id: 'Gusu BBS' }] })).toBe(
      'Feeds config feeds.json: feeds.0.id: must be lowercase letters, digits and - only',
    );
    expect(problem({ feeds: [{ url: good.url }] })).toBe('Feeds config feeds.json: feeds.0.id: is required');
    expect(problem({ feeds: [{ ...good, format: 'xml' }] })).toBe(
      'Feeds config feeds.json: feeds.0.format: must be one of auto, rss, atom, json',
    );
    expect(problem({ feeds: [{ ...good, include: ['欠薪', ' '] }] })).toBe(
      'Feeds config feeds.json: feeds.0.include.1: must not be empty',
    );
    expect(problem({ feeds: [{ ...good, regionCode: '3205' }] })).toMatch(/feeds\.0\.regionCode: must be a 6-digit/);
    expect(problem({ feeds: [{ ...good, inclde: ['欠薪'] }] })).toBe(
      'Feeds config feeds.json: feeds.0.inclde: unknown field',
    );
    expect(problem({ feeds: [good, { ...good, url: 'https://other.example.cn/rss' }] })).toBe(
      'Feeds config feeds.json: feeds.1.id: repeats feeds.0.id',
    );
    expect(problem({ schedule: '61 * * * *', feeds: [good] })).toMatch(
      /^Feeds config feeds\.json: schedule: is not a valid cron/,
    );
    expect(problem({ schedule: 'every 5 minutes', feeds: [good] })).toMatch(
      /schedule: must be a cron expression of 5 fields/,
    );
    expect(problem({ schedule: '*/5 * * * *' })).toBe('Feeds config feeds.json: feeds: is required');
    expect(problem([])).toBe('Feeds config feeds.json: (root): must be an object with schedule and feeds');
  });
});
