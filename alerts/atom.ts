/**
 * An Atom 1.0 feed (RFC 4287) of CAP alerts, the way CAP aggregators read them: one entry per alert,
 * its CAP message inline as the entry's XML content and linked as `application/cap+xml`.
 */
import {
  CAP_MEDIA_TYPE,
  capAlertElement,
  type CapContext,
  capDateTime,
  capDescription,
  capHeadline,
  xmlEscape,
} from './cap.ts';
import type { Alert } from './types.ts';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';

export interface AtomContext extends CapContext {
  /** The feed's own address (link rel="self"). */
  selfUrl: string;
  /** When the feed last changed: normally the newest entry's update. */
  updated: Date;
}

function leaf(indent: string, name: string, text: string): string {
  return `${indent}<${name}>${xmlEscape(text)}</${name}>`;
}

function entry(alert: Alert, ctx: AtomContext, timeZone: string, base: string): string {
  const i = '    ';
  const capUrl = `${base}/api/alerts/${encodeURIComponent(alert.id)}.cap.xml`;
  return [
    '  <entry>',
    leaf(i, 'id', `urn:wenkong:alert:${alert.id}`),
    leaf(i, 'title', capHeadline(alert, ctx.region, 'zh')),
    leaf(i, 'updated', capDateTime(alert.updatedAt, timeZone)),
    leaf(i, 'published', capDateTime(alert.raisedAt, timeZone)),
    `${i}<category term="${xmlEscape(alert.severity)}" label="${xmlEscape(alert.kind)}"/>`,
    `${i}<link rel="alternate" type="${CAP_MEDIA_TYPE}" href="${xmlEscape(capUrl)}"/>`,
    `${i}<link rel="related" type="text/html" href="${xmlEscape(`${base}/console/alerts/${encodeURIComponent(alert.id)}`)}"/>`,
    leaf(i, 'summary', capDescription(alert, ctx, 'zh')),
    // RFC 4287 §4.1.3.3: an XML media type means the content is one child element, inline.
    `${i}<content type="${CAP_MEDIA_TYPE}">`,
    // Not re-indented: a line break inside a text would change that text.
    capAlertElement(alert, ctx),
    `${i}</content>`,
    '  </entry>',
  ].join('\n');
}

/** The feed document; `alerts` are written in the order given (newest first, by convention). */
export function atomFeed(alerts: Alert[], ctx: AtomContext): string {
  const timeZone = ctx.timezone ?? ctx.region.timezone;
  const base = ctx.baseUrl.replace(/\/+$/, '');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="${ATOM_NAMESPACE}" xml:lang="zh-CN">`,
    leaf('  ', 'id', `urn:wenkong:alerts:${ctx.region.code}`),
    leaf('  ', 'title', `稳控预警 Wenkong alerts · ${ctx.region.name} ${ctx.region.nameEn}`),
    leaf('  ', 'updated', capDateTime(ctx.updated, timeZone)),
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(ctx.selfUrl)}"/>`,
    '  <author>',
    leaf('    ', 'name', `${ctx.region.name}稳控预警中心 · Wenkong early warning centre`),
    leaf('    ', 'uri', base),
    '  </author>',
    leaf('  ', 'generator', 'Wenkong'),
    leaf('  ', 'rights', '仅限授权人员 · Restricted to authorised staff and liaisons'),
    ...alerts.map((a) => entry(a, ctx, timeZone, base)),
    '</feed>',
    '',
  ];
  return lines.join('\n');
}
