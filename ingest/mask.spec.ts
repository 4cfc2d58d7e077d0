import { describe, expect, it } from 'vitest';
import {
  countPersonalNumbers,
  maskAddress,
  maskEmail,
  maskIdNumber,
  maskName,
  maskPhone,
  maskText,
  summarise,
} from './mask.ts';

describe('maskText', () => {
  it('masks mobile numbers to 3 + 4 digits', () => {
    expect(maskText('联系电话13812345678，请回电')).toBe('联系电话138****5678，请回电');
  });
  it('masks 18-digit ID numbers, including an X check digit', () => {
    expect(maskText('身份证号32050819900307123X')).toBe('身份证号320***********123X');
    expect(maskText('ID 110101199003071234.')).toBe('ID 110***********1234.');
  });
  it('masks landlines and leaves amounts and dates alone', () => {
    expect(maskText('座机0512-65221234')).toBe('座机0512-****1234');
    expect(maskText('拖欠工资96000元，2026年11月30日')).toBe('拖欠工资96000元，2026年11月30日');
  });
  it('does not mask a mobile-like run inside a longer number', () => {
    expect(maskText('单号2026113812345678901')).toBe('单号2026113812345678901');
  });
});

describe('field masks', () => {
  it('masks names, phones and ID numbers as the privacy rules show them', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskPhone('138 1234 1234')).toBe('138****1234');
    expect(maskIdNumber('110101199003071234')).toBe('110***********1234');
  });
});

describe('summarise', () => {
  it('collapses whitespace, masks and shortens to the limit', () => {
    const s = summarise(`我的电话 13912345678\n\n${'很'.repeat(300)}`, 20);
    expect([...s]).toHaveLength(20);
    expect(s.startsWith('我的电话 139****5678 ')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
  });
});

describe('countPersonalNumbers', () => {
  it('detects mobiles, landlines and ID numbers, not amounts or dates', () => {
    expect(
      countPersonalNumbers('电话13812345678或0512-65221234，身份证32050819900307123X，欠款96000元，2026年11月30日'),
    ).toEqual({
      phones: 2,
      idNumbers: 1,
    });
  });
});

describe('addresses and e-mail', () => {
  it('keeps an address down to the township, and only the first letter of an e-mail', () => {
    expect(maskAddress('苏州市吴中区木渎镇金山路18号')).toBe('苏州市吴中区木渎镇****');
    expect(maskAddress('昆山市玉山镇')).toBe('昆山市****');
    expect(maskAddress('金山路18号')).toBe('金山路****');
    expect(maskEmail('zhang.san@example.cn')).toBe('z***@example.cn');
    expect(maskEmail('nobody')).toBe('***');
  });
});
