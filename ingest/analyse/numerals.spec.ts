import { describe, expect, it } from 'vitest';
import { NEAR_FACTOR, NUMERAL_RUN_SOURCE, parseChineseNumber } from './numerals.ts';

describe('parseChineseNumber', () => {
  it.each([
    // plain Chinese numerals
    ['十', 10],
    ['十五', 15],
    ['四十三', 43],
    ['两', 2],
    ['八千', 8000],
    ['一百零五', 105],
    ['二百零六', 206],
    ['一万零五百', 10500],
    ['九万六千', 96000],
    ['三万八千', 38000],
    ['四万二千', 42000],
    ['一千五百万', 15_000_000],
    ['八十万', 800_000],
    ['六亿', 600_000_000],
    ['三亿五千万', 350_000_000],
    ['三亿零五百万', 305_000_000],
    ['千万', 10_000_000],
    ['萬', 10_000],
  ])('%s → %d', (s, v) => {
    expect(parseChineseNumber(s)).toBe(v);
  });

  it.each([
    // vague quantities resolve to their lower bound
    ['三十多', 30],
    ['两百多', 200],
    ['三百多', 300],
    ['八千多', 8000],
    ['四千多', 4000],
    ['二百余', 200],
    ['两千余', 2000],
    ['十来', 10],
    ['十几', 10],
    ['十多', 10],
    ['十余', 10],
    ['八九十', 80],
    ['两三', 2],
    ['三四百', 300],
    ['十七八', 17],
    ['七八十万', 700_000],
    ['上百', 100],
    ['上千', 1000],
    ['上万', 10_000],
    ['成百', 100],
    ['近百', 90],
    ['将近一千', 900],
    ['几', 2],
    ['好几', 2],
    ['几十', 20],
    ['几百', 200],
    ['数十', 20],
    ['数百', 200],
    ['十几万', 100_000],
    ['三百多万', 3_000_000],
    ['两亿多', 200_000_000],
  ])('%s → %d (lower bound)', (s, v) => {
    expect(parseChineseNumber(s)).toBe(v);
  });

  it.each([
    // colloquial elision of the last unit
    ['四万二', 42_000],
    ['三千五', 3500],
    ['一百二', 120],
    ['一亿五', 150_000_000],
    ['1万5', 15_000],
  ])('%s → %d (elided unit)', (s, v) => {
    expect(parseChineseNumber(s)).toBe(v);
  });

  it.each([
    // Arabic numerals, alone and mixed with Chinese units
    ['200', 200],
    ['200多', 200],
    ['10余', 10],
    ['1,200', 1200],
    ['1,200,000', 1_200_000],
    ['86万', 860_000],
    ['1.2万', 12_000],
    ['4.5万', 45_000],
    ['3.5亿', 350_000_000],
    ['1.25亿', 125_000_000],
    ['30多万', 300_000],
    ['3万5千', 35_000],
    ['8千多', 8000],
    ['近200', 180],
    ['3.5', 3.5],
  ])('%s → %d (Arabic)', (s, v) => {
    expect(parseChineseNumber(s)).toBe(v);
  });

  it.each([
    // traditional and financial characters
    ['十幾', 10],
    ['兩三', 2],
    ['兩百多', 200],
    ['二百餘', 200],
    ['三萬', 30_000],
    ['五億', 500_000_000],
    ['幾十', 20],
    ['壹仟贰佰', 1200],
    ['叁拾', 30],
    ['數百', 200],
  ])('%s → %d (traditional / financial)', (s, v) => {
    expect(parseChineseNumber(s)).toBe(v);
  });

  it('reads digit-by-digit forms with a zero or four and more digits positionally', () => {
    expect(parseChineseNumber('二〇二三')).toBe(2023);
    expect(parseChineseNumber('一〇')).toBe(10);
    expect(parseChineseNumber('一九九八')).toBe(1998);
  });

  it('returns null for strings that hold no number or other characters', () => {
    for (const s of ['', '   ', '多', '余', '元', 'abc', '三a', '十五名', '近', '上', '好', '-3']) {
      expect(parseChineseNumber(s), s).toBeNull();
    }
    expect(parseChineseNumber('9'.repeat(400))).toBeNull(); // too long to be a quantity
  });

  it('keeps the documented factor for 近', () => {
    expect(NEAR_FACTOR).toBe(0.9);
    expect(parseChineseNumber('近千')).toBe(900);
    expect(parseChineseNumber('近万')).toBe(9000);
  });
});

describe('NUMERAL_RUN_SOURCE', () => {
  const runs = (text: string): string[] => [...text.matchAll(new RegExp(NUMERAL_RUN_SOURCE, 'g'))].map((m) => m[0]);

  it('finds whole numeral runs, vague prefixes included', () => {
    expect(runs('拖欠我们十五名工人工资九万六千元')).toEqual(['十五', '九万六千']);
    expect(runs('上百名村民和近千户居民')).toEqual(['上百', '近千']);
    expect(runs('三百多万元，1.2万元，3,500元')).toEqual(['三百多万', '1.2万', '3,500']);
    expect(runs('投诉了好几次，数十人')).toEqual(['好几', '数十']);
  });

  it('does not take 上/数/好 as prefixes before anything but a unit', () => {
    expect(runs('楼上三名')).toEqual(['三']);
    expect(runs('人数30')).toEqual(['30']);
    expect(runs('好三')).toEqual(['三']);
  });

  it('every run it finds parses', () => {
    const text = '两百多名女工、十几户、八九十人、两三户、二百余户、近百名、上千人、四万二千元、3.5亿元、1.2万';
    for (const r of runs(text)) expect(parseChineseNumber(r), r).not.toBeNull();
  });
});
