import { describe, expect, it } from 'vitest';
import { CHANNEL_CODES } from '../channels/catalog.ts';
import { loadRegionPack } from '../regions.ts';
import { TOPIC_CODES } from '../taxonomy.ts';
import { createDemoGenerator, toChineseNumeral, type Burst, type DemoGenerator, type DemoItem } from './generator.ts';
import { BURST_TEMPLATES, ENTERPRISE_TEMPLATES, EXTREME_TEMPLATES, TEMPLATES } from './templates.ts';

const region = loadRegionPack('suzhou');
const districtCodes = new Set(region.districts.map((d) => d.code));
const MINUTE = 60_000;
/** 2026-12-01 09:00 in Asia/Shanghai: an ordinary weekday morning, outside wage season. */
const MORNING = Date.parse('2026-12-01T09:00:00+08:00');

/** `count` items, one every `stepMs` from `start`. */
function drawMany(gen: DemoGenerator, count: number, start = MORNING, stepMs = 30_000): DemoItem[] {
  const items: DemoItem[] = [];
  for (let i = 0; i < count; i++) items.push(gen.draw(new Date(start + i * stepMs)));
  return items;
}

/** Independent GB 11643 check. */
function validIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

describe('createDemoGenerator', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = drawMany(createDemoGenerator({ region, seed: 42 }), 300);
    const b = drawMany(createDemoGenerator({ region, seed: 42 }), 300);
    const c = drawMany(createDemoGenerator({ region, seed: 43 }), 300);
    expect(b).toEqual(a);
    expect(c.map((x) => x.petition.text)).not.toEqual(a.map((x) => x.petition.text));
  });

  it('produces well-formed petitions over 5,000 items', () => {
    const items = drawMany(createDemoGenerator({ region, seed: 1 }), 5000);
    const ids = new Set<string>();
    for (const { petition } of items) {
      expect(CHANNEL_CODES).toContain(petition.channel);
      expect(['open311', 'register']).not.toContain(petition.channel);
      expect(districtCodes.has(petition.regionCode ?? '')).toBe(true);
      expect(petition.text.length).toBeGreaterThanOrEqual(10);
      expect(petition.text.length).toBeLessThanOrEqual(500);
      expect(petition.text).not.toMatch(/[{}[\]]/);
      expect(petition.text.includes('\u0000')).toBe(false);
      expect(petition.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
      ids.add(`${petition.channel}:${petition.externalId}`);
    }
    expect(ids.size).toBe(items.length);
    // externalIds are unique across channels too, not only per channel
    expect(new Set(items.map((x) => x.petition.externalId)).size).toBe(items.length);
    expect(items[0]?.petition.receivedAt).toBe('2026-12-01T09:00:00.000+08:00');
  });

  it('spreads items over channels with the hotline most common and districts by weight', () => {
    const items = drawMany(createDemoGenerator({ region, seed: 2 }), 5000);
    const byChannel = new Map<string, number>();
    for (const { petition } of items) byChannel.set(petition.channel, (byChannel.get(petition.channel) ?? 0) + 1);
    for (const ch of ['hotline', 'letter', 'web', 'visit', 'email', 'social', 'enterprise_hotline']) {
      expect(byChannel.get(ch) ?? 0).toBeGreaterThan(50);
    }
    const hotline = byChannel.get('hotline') ?? 0;
    for (const [ch, n] of byChannel) if (ch !== 'hotline') expect(n).toBeLessThan(hotline);

    const wuzhong = items.filter((x) => x.petition.regionCode === '320506').length; // weight 0.15
    const taicang = items.filter((x) => x.petition.regionCode === '320585').length; // weight 0.07
    expect(wuzhong).toBeGreaterThan(taicang);
  });

  it('has at least 6 templates for every topic, and reaches all of them', () => {
    expect(Object.keys(TEMPLATES).sort()).toEqual([...TOPIC_CODES].sort());
    for (const topic of TOPIC_CODES) expect(TEMPLATES[topic].length).toBeGreaterThanOrEqual(6);

    const seen = new Set<string>();
    const topics = new Set<string>();
    for (const item of drawMany(createDemoGenerator({ region, seed: 3 }), 40_000, MORNING, 7_000)) {
      seen.add(item.templateId);
      topics.add(item.topic);
      expect(TOPIC_CODES).toContain(item.topic);
    }
    const expected = [
      ...TOPIC_CODES.flatMap((t) => TEMPLATES[t].map((_, i) => `${t}/${i}`)),
      ...ENTERPRISE_TEMPLATES.map((_, i) => `enterprise/${i}`),
      ...EXTREME_TEMPLATES.map((_, i) => `extreme/${i}`),
    ];
    const missing = expected.filter((id) => !seen.has(id));
    expect(missing).toEqual([]);
    expect(topics.size).toBe(TOPIC_CODES.length);
  });

  it('mixes consultations, praise, negations, key markers and rare extreme threats', () => {
    const texts = drawMany(createDemoGenerator({ region, seed: 4 }), 20_000, MORNING, 10_000).map(
      (x) => x.petition.text,
    );
    const share = (re: RegExp) => texts.filter((t) => re.test(t)).length / texts.length;
    expect(share(/请问|咨询|想问一下|想了解/)).toBeGreaterThan(0.05);
    expect(share(/感谢|表扬|点赞/)).toBeGreaterThan(0.01);
    expect(share(/不会采取过激行为|不会去堵路|不会越级上访|不会去北京上访|不会闹事/)).toBeGreaterThan(0.02);
    expect(share(/第三次|四次|拉横幅|进京|省信访局|曝光|集体去|聚集在/)).toBeGreaterThan(0.08);
    expect(share(/第三次|四次|拉横幅|进京|省信访局|曝光|集体去|聚集在/)).toBeLessThan(0.5);
    const extreme = share(/跳下去|自焚|遗书|服毒|同归于尽|不想活了/);
    expect(extreme).toBeGreaterThan(0.001);
    expect(extreme).toBeLessThan(0.015);
    // quantities in both scripts, vague and exact
    expect(texts.some((t) => /[十百千][多余几]?[名户人个位]/.test(t))).toBe(true);
    expect(texts.some((t) => /\d+[名户人个位]/.test(t))).toBe(true);
    expect(texts.some((t) => /[一二两三四五六七八九十百千]+多?万元/.test(t))).toBe(true);
    expect(texts.some((t) => /\d+(\.\d+)?万元/.test(t))).toBe(true);
    expect(texts.some((t) => /亿/.test(t))).toBe(true);
  });

  it('attaches plausible contacts to about 60% of items, with valid ID numbers', () => {
    const items = drawMany(createDemoGenerator({ region, seed: 5 }), 5000);
    const contacts = items.flatMap((x) => (x.petition.contact ? [x.petition.contact] : []));
    expect(contacts.length / items.length).toBeGreaterThan(0.5);
    expect(contacts.length / items.length).toBeLessThan(0.7);

    const idNumbers = contacts.flatMap((c) => (c.idNumber ? [c.idNumber] : []));
    expect(idNumbers.length).toBeGreaterThan(100);
    for (const c of contacts) {
      expect(c.name).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
      if (c.phone !== undefined) expect(c.phone).toMatch(/^1[3-9]\d{9}$/);
    }
    for (const id of idNumbers) {
      expect(validIdNumber(id)).toBe(true);
      expect(districtCodes.has(id.slice(0, 6))).toBe(true);
      const birth = new Date(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}T00:00:00Z`);
      expect(Number.isNaN(birth.getTime())).toBe(false);
      expect(birth.getUTCFullYear()).toBeGreaterThan(1940);
      expect(birth.getUTCFullYear()).toBeLessThanOrEqual(2008);
    }
    const inline = items.filter((x) => /(?<!\d)1[3-9]\d{9}(?!\d)/.test(x.petition.text));
    expect(inline.length / items.length).toBeGreaterThan(0.05);
    // a number written into the text is the contact's own when there is one
    for (const { petition } of inline) {
      if (petition.contact?.phone) expect(petition.text).toContain(petition.contact.phone);
    }
  });

  it('follows a daily rhythm: low at night, peaks in office hours, mean near 1', () => {
    const gen = createDemoGenerator({ region, seed: 6 });
    const at = (iso: string) => gen.rhythm(new Date(iso));
    expect(at('2026-06-10T03:00:00+08:00')).toBeLessThan(0.25);
    expect(at('2026-06-10T03:00:00+08:00')).toBeGreaterThan(0.05);
    expect(at('2026-06-10T10:00:00+08:00')).toBeGreaterThan(1.4);
    expect(at('2026-06-10T15:00:00+08:00')).toBeGreaterThan(1.4);
    expect(at('2026-06-10T10:00:00+08:00')).toBeLessThan(1.9);

    const night = gen.ratePerMinute(new Date('2026-06-10T03:00:00+08:00'), 2);
    const day = gen.ratePerMinute(new Date('2026-06-10T10:00:00+08:00'), 2);
    expect(night).toBeLessThan(day);

    const dayStart = Date.parse('2026-06-10T00:00:00+08:00');
    let sum = 0;
    for (let m = 0; m < 1440; m++) sum += gen.rhythm(new Date(dayStart + m * MINUTE));
    expect(sum / 1440).toBeGreaterThan(0.97);
    expect(sum / 1440).toBeLessThan(1.03);

    // wage season: the fortnight before Spring Festival 2027 (6 February) runs higher
    expect(at('2027-01-28T10:00:00+08:00')).toBeGreaterThan(at('2026-06-10T10:00:00+08:00') * 1.3);
    expect(() => gen.ratePerMinute(new Date(dayStart), -1)).toThrow(RangeError);
  });

  it('starts a burst within six hours whose items share district and topic', () => {
    const gen = createDemoGenerator({ region, seed: 7 });
    let burst: Burst | null = null;
    let t = MORNING;
    for (; t < MORNING + 6 * 60 * MINUTE && !burst; t += MINUTE) burst = gen.burstAt(new Date(t));
    expect(burst).not.toBeNull();
    if (!burst) return;

    expect(['wage_arrears', 'pollution']).toContain(burst.kind);
    expect(burst.topic).toBe(burst.kind === 'wage_arrears' ? 'labour' : 'environment');
    expect(districtCodes.has(burst.regionCode)).toBe(true);
    expect(burst.label).toContain(burst.districtName);
    const minutes = (burst.endsAt.getTime() - burst.startsAt.getTime()) / MINUTE;
    expect(minutes).toBeGreaterThanOrEqual(8);
    expect(minutes).toBeLessThanOrEqual(14);

    const during = new Date(burst.startsAt.getTime() + 2 * MINUTE);
    expect(gen.burstAt(during)?.id).toBe(burst.id);
    expect(gen.ratePerMinute(during, 2)).toBeCloseTo(2 * gen.rhythm(during) * (1 + burst.intensity), 10);
    expect(gen.burstAt(new Date(burst.endsAt.getTime()))).toBeNull();

    const items = drawMany(gen, 200, burst.startsAt.getTime(), 2_000).filter(
      (x) => new Date(x.petition.receivedAt ?? 0) < burst.endsAt,
    );
    const fromBurst = items.filter((x) => x.burstId === burst.id);
    expect(fromBurst.length / items.length).toBeGreaterThan(0.25);
    for (const item of fromBurst) {
      expect(item.petition.regionCode).toBe(burst.regionCode);
      expect(item.topic).toBe(burst.topic);
      expect(item.templateId.startsWith(`burst:${burst.kind}/`)).toBe(true);
    }
    const subjectCount = fromBurst.filter((x) => x.petition.text.includes(burst.subject)).length;
    expect(subjectCount / fromBurst.length).toBeGreaterThan(0.5);
    expect(BURST_TEMPLATES[burst.kind].length).toBeGreaterThanOrEqual(6);
  });

  it('schedules bursts from the seed alone, 40–90 minutes apart', () => {
    const a = createDemoGenerator({ region, seed: 8 });
    const b = createDemoGenerator({ region, seed: 8 });
    drawMany(b, 50); // drawing items must not move the schedule
    const starts: number[] = [];
    let last: string | null = null;
    const from = Date.parse('2026-12-02T08:00:00+08:00');
    for (let t = from; t < from + 12 * 60 * MINUTE; t += MINUTE) {
      const burst = a.burstAt(new Date(t));
      expect(b.burstAt(new Date(t))?.id ?? null).toBe(burst?.id ?? null);
      if (burst && burst.id !== last) starts.push(burst.startsAt.getTime());
      last = burst?.id ?? null;
    }
    expect(starts.length).toBeGreaterThanOrEqual(8);
    for (let i = 1; i < starts.length; i++) {
      const gap = ((starts[i] as number) - (starts[i - 1] as number)) / MINUTE;
      expect(gap).toBeGreaterThanOrEqual(40);
      expect(gap).toBeLessThanOrEqual(90);
    }
    const other = createDemoGenerator({ region, seed: 9 });
    expect(other.burstAt(new Date(starts[0] as number))?.id).not.toBe(a.burstAt(new Date(starts[0] as number))?.id);
  });
});

describe('toChineseNumeral', () => {
  it('writes integers the way petitions do', () => {
    expect(toChineseNumeral(15)).toBe('十五');
    expect(toChineseNumeral(206)).toBe('二百零六');
    expect(toChineseNumeral(115)).toBe('一百一十五');
    expect(toChineseNumeral(42_000)).toBe('四万二千');
    expect(toChineseNumeral(1_050_000)).toBe('一百零五万');
    expect(toChineseNumeral(350_000_000)).toBe('三亿五千万');
    expect(toChineseNumeral(200, true)).toBe('两百');
    expect(toChineseNumeral(2, true)).toBe('两');
    expect(toChineseNumeral(20, true)).toBe('二十');
    expect(() => toChineseNumeral(-1)).toThrow(RangeError);
  });
});
