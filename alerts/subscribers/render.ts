import { CHANNELS } from '../../ingest/channels/catalog.ts';
import { TOPICS } from '../../ingest/taxonomy.ts';
import type { Alert, AlertScope, AlertSeverity, AlertState, Bilingual, Factor } from '../types.ts';
import type { DeliveryEvent } from './config.ts';

/**
 * What subscribers are sent. Messages leave the building, so they carry the alert's aggregate picture
 * (title, scope, score, factors, measures) and a link back, never petition ids, petition text or
 * anything about a petitioner: whoever needs those signs in to the duty console.
 */

export const SEVERITY_LABELS: Record<AlertSeverity, Bilingual> = {
  general: { zh: '一般', en: 'General' },
  key: { zh: '重点', en: 'Key' },
  major: { zh: '重大', en: 'Major' },
  extreme: { zh: '极端', en: 'Extreme' },
};

export const EVENT_LABELS: Record<DeliveryEvent, Bilingual> = {
  raised: { zh: '新预警', en: 'New alert' },
  escalated: { zh: '预警升级', en: 'Escalated' },
  renotified: { zh: '仍未签收', en: 'Still unacknowledged' },
  resolved: { zh: '预警解除', en: 'Resolved' },
};

/** One SMS segment in UCS-2: longer texts are split, billed twice and may arrive out of order. */
export const SMS_MAX_CHARS = 70;

type RenderedAlert = Pick<
  Alert,
  | 'id'
  | 'ruleId'
  | 'kind'
  | 'severity'
  | 'state'
  | 'title'
  | 'scope'
  | 'score'
  | 'factors'
  | 'measures'
  | 'raisedAt'
  | 'updatedAt'
  | 'signalCount'
>;

/** Where the duty console shows an alert. */
export function alertUrl(baseUrl: string, alertId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/console/alerts/${encodeURIComponent(alertId)}`;
}

/** The JSON body of a webhook delivery (also what integrators parse; keep additions backwards-compatible). */
export interface WebhookPayload {
  event: DeliveryEvent;
  sentAt: string;
  alert: {
    id: string;
    ruleId: string;
    kind: string;
    severity: AlertSeverity;
    state: AlertState;
    title: Bilingual;
    scope: AlertScope;
    score: number;
    factors: Factor[];
    measures: Record<string, number | string | null>;
    raisedAt: string;
    updatedAt: string;
    signalCount: number;
    url: string;
  };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Measures are counts and ratios; a string that carries a record id is dropped rather than sent out. */
function publicMeasures(measures: Alert['measures']): Alert['measures'] {
  const out: Alert['measures'] = {};
  for (const [key, value] of Object.entries(measures)) {
    if (typeof value === 'string' && UUID.test(value)) continue;
    out[key] = value;
  }
  return out;
}

function publicFactors(factors: readonly Factor[]): Factor[] {
  return factors.map((f) => ({
    name: f.name,
    label: { zh: f.label.zh, en: f.label.en },
    value: f.value,
    weight: f.weight,
    contribution: f.contribution,
  }));
}

export function webhookPayload(
  alert: RenderedAlert,
  event: DeliveryEvent,
  sentAt: Date,
  baseUrl: string,
): WebhookPayload {
  return {
    event,
    sentAt: sentAt.toISOString(),
    alert: {
      id: alert.id,
      ruleId: alert.ruleId,
      kind: alert.kind,
      severity: alert.severity,
      state: alert.state,
      title: { zh: alert.title.zh, en: alert.title.en },
      scope: {
        regionCode: alert.scope.regionCode,
        topic: alert.scope.topic,
        channel: alert.scope.channel,
        term: alert.scope.term,
      },
      score: Math.round(alert.score),
      factors: publicFactors(alert.factors),
      measures: publicMeasures(alert.measures),
      raisedAt: alert.raisedAt.toISOString(),
      updatedAt: alert.updatedAt.toISOString(),
      signalCount: alert.signalCount,
      url: alertUrl(baseUrl, alert.id),
    },
  };
}

/** The exact bytes that are signed and sent. */
export function webhookBody(alert: RenderedAlert, event: DeliveryEvent, sentAt: Date, baseUrl: string): string {
  return JSON.stringify(webhookPayload(alert, event, sentAt, baseUrl));
}

// ---- e-mail -------------------------------------------------------------------------------------------

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const EVENT_TAGS: Record<DeliveryEvent, string> = {
  raised: '',
  escalated: '升级',
  renotified: '提醒',
  resolved: '已解除',
};

/** China keeps one offset all year, so the duty room's wall clock is UTC+8. */
function beijingTime(t: Date): string {
  return `${new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} (UTC+8)`;
}

function scopeParts(scope: AlertScope, lang: 'zh' | 'en'): string[] {
  const zh = lang === 'zh';
  const parts: string[] = [];
  if (scope.regionCode !== null) parts.push(`${zh ? '地区' : 'region'} ${scope.regionCode}`);
  if (scope.topic !== null) {
    const name = (TOPICS as Record<string, Bilingual>)[scope.topic]?.[lang] ?? scope.topic;
    parts.push(`${zh ? '话题' : 'topic'} ${name}`);
  }
  if (scope.channel !== null) {
    const name = (CHANNELS as Record<string, Bilingual>)[scope.channel]?.[lang] ?? scope.channel;
    parts.push(`${zh ? '渠道' : 'channel'} ${name}`);
  }
  if (scope.term !== null) parts.push(`${zh ? '关键词' : 'term'} ${scope.term}`);
  if (parts.length === 0) parts.push(zh ? '全市' : 'all regions and topics');
  return parts;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(3);
}

interface Section {
  heading: string;
  lines: [string, string][];
  factors: string[];
  measures: string[];
  link: [string, string];
}

function section(alert: RenderedAlert, event: DeliveryEvent, url: string, lang: 'zh' | 'en'): Section {
  const zh = lang === 'zh';
  const severity = SEVERITY_LABELS[alert.severity][lang];
  const top = [...alert.factors].sort((a, b) => b.contribution - a.contribution).slice(0, 5);
  return {
    heading: zh ? `${severity}预警：${alert.title.zh}` : `${severity} alert: ${alert.title.en}`,
    lines: [
      [zh ? '事件' : 'Event', EVENT_LABELS[event][lang]],
      [zh ? '风险评分' : 'Risk score', `${Math.round(alert.score)} / 100`],
      [zh ? '范围' : 'Scope', scopeParts(alert.scope, lang).join(zh ? '，' : ', ')],
      [zh ? '类型' : 'Kind', `${alert.kind} (${zh ? '规则' : 'rule'} ${alert.ruleId})`],
      [zh ? '首次发现' : 'First raised', beijingTime(alert.raisedAt)],
      [zh ? '最近更新' : 'Last updated', beijingTime(alert.updatedAt)],
      [zh ? '信号次数' : 'Signals', String(alert.signalCount)],
    ],
    factors: top.map((f) => `${f.label[lang]}: ${formatNumber(f.value)} (${formatNumber(f.contribution)})`),
    measures: Object.entries(publicMeasures(alert.measures)).map(
      ([k, v]) => `${k}: ${typeof v === 'number' ? formatNumber(v) : (v ?? '—')}`,
    ),
    link: [zh ? '详情（需登录值班平台）' : 'Details (sign in to the duty console)', url],
  };
}

function sectionText(s: Section, lang: 'zh' | 'en'): string {
  const zh = lang === 'zh';
  const out = [s.heading, '', ...s.lines.map(([k, v]) => `${k}${zh ? '：' : ': '}${v}`)];
  if (s.factors.length > 0) out.push('', zh ? '主要因素：' : 'Main factors:', ...s.factors.map((f) => `  - ${f}`));
  if (s.measures.length > 0) out.push('', zh ? '测量值：' : 'Measures:', ...s.measures.map((m) => `  - ${m}`));
  out.push('', `${s.link[0]}${zh ? '：' : ': '}${s.link[1]}`);
  return out.join('\n');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sectionHtml(s: Section, lang: 'zh' | 'en'): string {
  const zh = lang === 'zh';
  const rows = s.lines.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`);
  const list = (title: string, items: string[]) =>
    items.length === 0
      ? ''
      : `<p><b>${escapeHtml(title)}</b></p><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
  return [
    `<section lang="${zh ? 'zh-CN' : 'en'}">`,
    `<h2>${escapeHtml(s.heading)}</h2>`,
    `<table cellpadding="4">${rows.join('')}</table>`,
    list(zh ? '主要因素' : 'Main factors', s.factors),
    list(zh ? '测量值' : 'Measures', s.measures),
    `<p><a href="${escapeHtml(s.link[1])}">${escapeHtml(s.link[0])}</a></p>`,
    '</section>',
  ].join('\n');
}

const FOOTER: Bilingual = {
  zh: '此邮件由稳控预警系统自动发送，请勿直接回复。',
  en: 'Sent automatically by the Wenkong early-warning system; please do not reply.',
};

/** Subject `[重大预警] <title>` (with 升级 / 提醒 / 已解除 for later events); bodies Chinese first, English second. */
export function emailMessage(alert: RenderedAlert, event: DeliveryEvent, baseUrl: string): EmailContent {
  const url = alertUrl(baseUrl, alert.id);
  const tag = EVENT_TAGS[event];
  const subject = `[${SEVERITY_LABELS[alert.severity].zh}预警${tag ? `·${tag}` : ''}] ${alert.title.zh}`;
  const zh = section(alert, event, url, 'zh');
  const en = section(alert, event, url, 'en');
  const text = [sectionText(zh, 'zh'), '', '----', '', sectionText(en, 'en'), '', '--', FOOTER.zh, FOOTER.en].join(
    '\n',
  );
  const html = [
    '<!doctype html>',
    `<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    sectionHtml(zh, 'zh'),
    '<hr>',
    sectionHtml(en, 'en'),
    `<hr><p><small>${escapeHtml(FOOTER.zh)}<br>${escapeHtml(FOOTER.en)}</small></p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

// ---- SMS ----------------------------------------------------------------------------------------------

/** Cuts to at most `max` UTF-16 units (what a UCS-2 segment counts) without splitting a character. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = '';
  for (const ch of s) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** Below this many characters of title a message says too little; the link is left out instead. */
const MIN_TITLE_CHARS = 12;

/**
 * One SMS segment: `【稳控预警】重大：<title> 风险82 详见<url>`. The title is shortened to fit; when the link
 * would leave too little of it, the link is left out (the duty console has the alert either way).
 */
export function smsText(
  alert: Pick<Alert, 'severity' | 'title' | 'score'>,
  event: DeliveryEvent,
  link: string,
): string {
  const tag = EVENT_TAGS[event];
  const head = `【稳控预警】${tag ? `${tag}·` : ''}${SEVERITY_LABELS[alert.severity].zh}：`;
  const score = ` 风险${Math.round(alert.score)}`;
  const title = alert.title.zh.replace(/\s+/g, ' ').trim();
  const withLink = ` 详见${link}`;
  const room = SMS_MAX_CHARS - head.length - score.length;
  if (link && room - withLink.length >= Math.min(MIN_TITLE_CHARS, title.length)) {
    return `${head}${cut(title, room - withLink.length)}${score}${withLink}`;
  }
  return `${head}${cut(title, room)}${score}`;
}
