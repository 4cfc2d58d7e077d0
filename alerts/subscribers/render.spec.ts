import { describe, expect, it } from 'vitest';
import type { Alert } from '../types.ts';
import { DELIVERY_EVENTS } from './config.ts';
import { alertUrl, emailMessage, SMS_MAX_CHARS, smsText, webhookBody, webhookPayload } from './render.ts';

const PETITION_ID = '0190a5c8-7e1f-7c3a-9b2d-5f0e1a2b3c4d';

const alert: Alert = {
  id: '0190a5c8-0000-7000-8000-000000000001',
  ruleId: 'volume-region-topic',
  ruleVersion: 3,
  kind: 'volume',
  scopeKey: 'region=320508|topic=labour',
  scope: { regionCode: '320508', topic: 'labour', channel: null, term: null },
  severity: 'major',
  state: 'raised',
  title: { zh: '姑苏区劳动社保信访量异常', en: 'Unusual labour petition volume in Gusu' },
  measures: { count: 14, expected: 2.31, pValue: 0.00002, lastPetition: PETITION_ID, window: '60m' },
  score: 81.6,
  factors: [
    { name: 'volume', label: { zh: '信访量', en: 'Volume' }, value: 14, weight: 2, contribution: 28 },
    { name: 'trend', label: { zh: '趋势', en: 'Trend' }, value: 0.5, weight: 10, contribution: 5 },
  ],
  petitionIds: [PETITION_ID, '0190a5c8-7e1f-7c3a-9b2d-000000000002'],
  signalCount: 3,
  sensitivePeriod: null,
  silenceId: null,
  raisedAt: new Date('2026-11-30T01:30:00Z'),
  lastSeenAt: new Date('2026-11-30T02:00:00Z'),
  updatedAt: new Date('2026-11-30T02:00:00Z'),
  acknowledgedAt: null,
  acknowledgedBy: null,
  actingAt: null,
  resolvedAt: null,
  resolvedBy: null,
  outcome: null,
  notifiedAt: null,
  notifyCount: 0,
};

const BASE = 'https://wenkong.example.gov.cn/';
const SENT = new Date('2026-11-30T02:00:05Z');

describe('webhook payload', () => {
  it('carries the alert summary and a link, never petition ids', () => {
    const body = webhookBody(alert, 'raised', SENT, BASE);
    expect(body).not.toContain(PETITION_ID);
    expect(body).not.toContain('000000000002');
    const parsed = JSON.parse(body) as ReturnType<typeof webhookPayload>;
    expect(parsed).toEqual({
      event: 'raised',
      sentAt: '2026-11-30T02:00:05.000Z',
      alert: {
        id: alert.id,
        ruleId: 'volume-region-topic',
        kind: 'volume',
        severity: 'major',
        state: 'raised',
        title: alert.title,
        scope: alert.scope,
        score: 82,
        factors: alert.factors,
        measures: { count: 14, expected: 2.31, pValue: 0.00002, window: '60m' },
        raisedAt: '2026-11-30T01:30:00.000Z',
        updatedAt: '2026-11-30T02:00:00.000Z',
        signalCount: 3,
        url: `https://wenkong.example.gov.cn/console/alerts/${alert.id}`,
      },
    });
    expect(Object.keys(parsed.alert)).not.toContain('petitionIds');
  });
});

describe('e-mail', () => {
  it('puts the severity in Chinese in the subject and Chinese before English in both bodies', () => {
    const mail = emailMessage(alert, 'raised', BASE);
    expect(mail.subject).toBe('[重大预警] 姑苏区劳动社保信访量异常');
    expect(emailMessage(alert, 'escalated', BASE).subject).toBe('[重大预警·升级] 姑苏区劳动社保信访量异常');
    expect(emailMessage({ ...alert, severity: 'extreme' }, 'resolved', BASE).subject).toBe(
      '[极端预警·已解除] 姑苏区劳动社保信访量异常',
    );
    for (const body of [mail.text, mail.html]) {
      expect(body.indexOf('姑苏区劳动社保信访量异常')).toBeLessThan(body.indexOf('Unusual labour petition volume'));
      expect(body).toContain(alertUrl(BASE, alert.id));
      expect(body).toContain('劳动社保');
      expect(body).not.toContain(PETITION_ID);
    }
    expect(mail.text).toContain('风险评分：82 / 100');
    expect(mail.text).toContain('首次发现：2026-11-30 09:30 (UTC+8)');
  });

  it('escapes HTML in titles', () => {
    const mail = emailMessage({ ...alert, title: { zh: '<script>x</script>', en: 'a & b' } }, 'raised', BASE);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&#60;script&#62;');
    expect(mail.html).toContain('a &#38; b');
  });
});

describe('SMS', () => {
  it('reads 【稳控预警】重大：<title> 风险82 详见<url> when the link fits', () => {
    expect(smsText(alert, 'raised', 'https://wk.cn/a/x1')).toBe(
      '【稳控预警】重大：姑苏区劳动社保信访量异常 风险82 详见https://wk.cn/a/x1',
    );
    expect(smsText(alert, 'escalated', '')).toBe('【稳控预警】升级·重大：姑苏区劳动社保信访量异常 风险82');
  });

  it('stays within one segment: the title is shortened, and a link too long to leave room is left out', () => {
    const long = { ...alert, title: { zh: '苏州工业园区某大型企业拖欠'.repeat(8), en: 'x' } };
    for (const event of DELIVERY_EVENTS) {
      for (const a of [alert, long, { ...alert, severity: 'extreme' as const, score: 100 }]) {
        for (const link of ['', 'https://wk.cn/a/1', alertUrl(BASE, alert.id), `https://x.cn/${'a'.repeat(80)}`]) {
          const text = smsText(a, event, link);
          expect(text.length).toBeLessThanOrEqual(SMS_MAX_CHARS);
          expect(text).toMatch(/^【稳控预警】/);
          expect(text).toMatch(/ 风险\d+( 详见\S+)?$/);
          expect(text).not.toContain(PETITION_ID);
        }
      }
    }
    const cut = smsText(long, 'raised', 'https://wk.cn/a/1');
    expect(cut).toContain('…');
    expect(cut).toContain('详见https://wk.cn/a/1');
    // The console link (a UUID) never fits beside a useful title: the text goes without it.
    expect(smsText(alert, 'raised', alertUrl(BASE, alert.id))).toBe(
      '【稳控预警】重大：姑苏区劳动社保信访量异常 风险82',
    );
  });

  it('does not split a character outside the BMP', () => {
    const text = smsText({ ...alert, title: { zh: '𠀀'.repeat(60), en: '' } }, 'raised', '');
    expect(text.length).toBeLessThanOrEqual(SMS_MAX_CHARS);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
