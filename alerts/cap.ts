/**
 * OASIS CAP 1.2 (Common Alerting Protocol) for alerts: one message per alert version, a Chinese and an
 * English `info`, aggregated measures only. Element order follows the schema's xs:sequence
 * (tests/fixtures/standards/cap12.xsd); the unit tests validate the output against it.
 */
import type { District, RegionPack } from '../ingest/regions.ts';
import { TOPICS } from '../ingest/taxonomy.ts';
import type { Alert, AlertSeverity, AlertState } from './types.ts';
import { zonedParts } from '../ingest/time.ts';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_MEDIA_TYPE = 'application/cap+xml';

export interface CapContext {
  /** CAP sender: no spaces, commas or `<&`, e.g. `wenkong@320500`. */
  sender: string;
  region: RegionPack;
  /** Where the console lives (no trailing slash needed), e.g. the request's origin. */
  baseUrl: string;
  /** IANA zone the times are written in; the region's by default. */
  timezone?: string;
}

/** The context every route builds the same way: sender from the region code. */
export function capContextFor(region: RegionPack, baseUrl: string): CapContext {
  return { sender: `wenkong@${region.code}`, region, baseUrl };
}

// ---- XML ------------------------------------------------------------------------------------------------

/** XML 1.0's Char production: tab, newline, return, and the planes without surrogates, U+FFFE or U+FFFF. */
function isXmlChar(c: number): boolean {
  return (
    c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000
  );
}

// Characters XML cannot carry at all (most C0 controls, lone surrogates) are dropped rather than
// letting one odd measure or title make the whole message unreadable.
function xmlChars(text: string): string {
  let out = '';
  for (const ch of text) if (isXmlChar(ch.codePointAt(0)!)) out += ch;
  return out;
}

/** Escapes text for XML element content and attribute values (both quote kinds). */
export function xmlEscape(text: string): string {
  return xmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** One line `<name>text</name>`, escaped. */
function leaf(indent: string, name: string, text: string): string {
  return `${indent}<${name}>${xmlEscape(text)}</${name}>`;
}

function valuePair(indent: string, name: string, valueName: string, value: string): string {
  return [
    `${indent}<${name}>`,
    leaf(`${indent}  `, 'valueName', valueName),
    leaf(`${indent}  `, 'value', value),
    `${indent}</${name}>`,
  ].join('\n');
}

// ---- time -----------------------------------------------------------------------------------------------

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/**
 * A CAP date-time: `YYYY-MM-DDThh:mm:ss±hh:mm` in `timeZone`, whole seconds, never `Z` (UTC is
 * written `-00:00`, as CAP 1.2 §3.3.2 asks). Also a valid RFC 3339 date for Atom.
 */
export function capDateTime(at: Date, timeZone: string): string {
  const ms = Math.floor(at.getTime() / 1000) * 1000;
  const { year: y, month: mo, day: d, hour: h, minute: mi, second: s } = zonedParts(new Date(ms), timeZone);
  const offsetMinutes = Math.round((Date.UTC(y, mo - 1, d, h, mi, s) - ms) / 60_000);
  const sign = offsetMinutes > 0 ? '+' : '-';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${offset}`;
}

// ---- vocabulary -----------------------------------------------------------------------------------------

type Lang = 'zh' | 'en';
const LANGUAGES: { lang: Lang; tag: string }[] = [
  { lang: 'zh', tag: 'zh-CN' },
  { lang: 'en', tag: 'en-US' },
];

/** 一般 → Minor, 重点 → Moderate, 重大 → Severe, extreme behaviour → Extreme. */
export const CAP_SEVERITY: Record<AlertSeverity, 'Minor' | 'Moderate' | 'Severe' | 'Extreme'> = {
  general: 'Minor',
  key: 'Moderate',
  major: 'Severe',
  extreme: 'Extreme',
};

const SEVERITY_NAME: Record<AlertSeverity, Record<Lang, string>> = {
  general: { zh: '一般', en: 'General' },
  key: { zh: '重点', en: 'Key' },
  major: { zh: '重大', en: 'Major' },
  extreme: { zh: '极端', en: 'Extreme' },
};

const STATE_NAME: Record<AlertState, Record<Lang, string>> = {
  raised: { zh: '待确认', en: 'raised' },
  acknowledged: { zh: '已确认', en: 'acknowledged' },
  acting: { zh: '处置中', en: 'being acted on' },
  resolved: { zh: '已解除', en: 'resolved' },
};

/** What the duty room should do, by severity (the resolved and acting states add their own words). */
const INSTRUCTION: Record<AlertSeverity, Record<Lang, string>> = {
  general: {
    zh: '纳入日常监测，值班员在本班次内复核并记录。',
    en: 'Keep under routine monitoring; the duty operator reviews and records it within this shift.',
  },
  key: {
    zh: '值班员2小时内核实情况并跟进，必要时通知相关责任单位。',
    en: 'The duty operator verifies and follows up within 2 hours, informing the responsible units where needed.',
  },
  major: {
    zh: '30分钟内报告值班领导，核实情况，通知属地和责任单位做好稳控准备。',
    en: 'Report to the duty leader within 30 minutes, verify, and have the district and responsible units prepare.',
  },
  extreme: {
    zh: '立即报告值班领导，启动应急预案，会同属地和公安联动处置，15分钟内反馈。',
    en: 'Report to the duty leader at once, activate the emergency plan, respond jointly with the district and police, and report back within 15 minutes.',
  },
};

const RESTRICTION =
  '仅限稳控工作人员及经授权的联络单位使用，不得公开或转发。 · ' +
  'For Wenkong staff and authorised liaison agencies only; do not publish or forward.';

/** Labels of the measures the detectors record (alerts/detect/*); others are shown by their key. */
const MEASURE_LABEL: Record<string, Record<Lang, string>> = {
  count: { zh: '信访量', en: 'petitions' },
  observed: { zh: '实际信访量', en: 'observed' },
  current: { zh: '本期信访量', en: 'this period' },
  petitions: { zh: '信访件数', en: 'petitions' },
  petitioners: { zh: '信访人数', en: 'petitioners' },
  negative: { zh: '负面件数', en: 'negative petitions' },
  expected: { zh: '期望值', en: 'expected' },
  usual: { zh: '常态值', en: 'usual' },
  previous: { zh: '上期', en: 'previous period' },
  growth: { zh: '增幅', en: 'growth' },
  ratio: { zh: '倍数', en: 'ratio' },
  pValue: { zh: '尾部概率', en: 'tail probability' },
  index: { zh: '负面指数', en: 'negative index' },
  windowMinutes: { zh: '窗口（分钟）', en: 'window (minutes)' },
  windowDays: { zh: '窗口（天）', en: 'window (days)' },
  period: { zh: '周期', en: 'period' },
  grade: { zh: '等级', en: 'grade' },
  people: { zh: '涉及人数', en: 'people involved' },
  amountYuan: { zh: '涉及金额（元）', en: 'amount (yuan)' },
  when: { zh: '时间', en: 'when' },
  where: { zh: '地点', en: 'where' },
  overHeads: { zh: '越级', en: 'going over heads' },
  term: { zh: '热词', en: 'term' },
};

/** Coded string values shown in words. */
const VALUE_NAME: Record<string, Record<Lang, string>> = {
  general: { zh: '一般', en: 'general' },
  key: { zh: '重点', en: 'key' },
  major: { zh: '重大', en: 'major' },
  day: { zh: '日', en: 'day' },
  week: { zh: '周', en: 'week' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
};

// Measures are aggregates, but a key or value that could carry a petition's identity or words is
// left out: CAP messages leave the duty room.
const PRIVATE_KEY = /petition|person|text|content|contact|phone|mobile|name|address|idcard|email/i;
const UUID_OR_HASH = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}/i;

// Grouping keys such as `person:…`, `petition:<id>` or `cluster:<band>` name people or petitions.
const KEYED = /^[a-z_]+:/i;

function safeString(value: string, alert: Alert): boolean {
  return (
    value.length <= 40 &&
    !KEYED.test(value) &&
    !UUID_OR_HASH.test(value) &&
    !alert.petitionIds.some((id) => value.includes(id))
  );
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(4)));
}

/** WGS 84 degrees to 6 decimals (about 0.1 m), trailing zeros dropped. */
function coordinate(deg: number): string {
  return String(Number(deg.toFixed(6)));
}

function isInstant(kind: string): boolean {
  return kind === 'instant' || kind.startsWith('instant.');
}

// ---- the parts of a message -----------------------------------------------------------------------------

/** Where an alert applies: its district, or the whole region when the scope is all (or unknown). */
function areaOf(alert: Alert, region: RegionPack): { name: Record<Lang, string>; code: string; circle: string } {
  const district: District | undefined = region.districts.find((d) => d.code === alert.scope.regionCode);
  const [lng, lat] = district ? district.center : region.center;
  // A county-level district fits in 5 km of its centre for a map pin; the whole city needs more.
  const radiusKm = district ? 5 : 50;
  return {
    name: district ? { zh: district.name, en: district.nameEn } : { zh: region.name, en: region.nameEn },
    code: district ? district.code : region.code,
    circle: `${coordinate(lat)},${coordinate(lng)} ${radiusKm}`,
  };
}

function topicName(topic: string | null, lang: Lang): string | null {
  if (topic === null) return null;
  return (TOPICS as Record<string, Record<Lang, string>>)[topic]?.[lang] ?? topic;
}

function category(alert: Alert): 'Security' | 'Safety' | 'Env' {
  if (alert.scope.topic === 'safety') return 'Safety';
  if (alert.scope.topic === 'environment') return 'Env';
  return 'Security';
}

function responseType(state: AlertState): 'Monitor' | 'Execute' | 'AllClear' {
  if (state === 'resolved') return 'AllClear';
  if (state === 'acting') return 'Execute';
  return 'Monitor';
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function headline(alert: Alert, lang: Lang, area: string): string {
  const sev = SEVERITY_NAME[alert.severity][lang];
  const title = alert.title[lang];
  // Titles from the engine already say where ("…：姑苏区 · 劳动社保，…"); add only what they lack.
  const where = [area, topicName(alert.scope.topic, lang)].filter((p): p is string => p !== null && !title.includes(p));
  const tail = where.length ? ` · ${where.join(' · ')}` : '';
  const text =
    lang === 'zh'
      ? `${alert.state === 'resolved' ? '已解除：' : ''}【${sev}】${title}${tail}`
      : `${alert.state === 'resolved' ? 'All clear: ' : ''}[${sev}] ${title}${tail}`;
  // CAP 1.2 §3.2.2: a headline SHOULD stay under 160 characters (SMS and pagers).
  return truncate(text, 160);
}

function measuresText(alert: Alert, lang: Lang, term: string | null): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(alert.measures)) {
    if (value === null || PRIVATE_KEY.test(key)) continue;
    if (typeof value === 'string' && (!safeString(value, alert) || (key === 'term' && value === term))) continue;
    const label = MEASURE_LABEL[key]?.[lang] ?? key;
    const shown = typeof value === 'number' ? formatNumber(value) : (VALUE_NAME[value]?.[lang] ?? value);
    out.push(`${label} ${shown}`);
  }
  return out;
}

function description(alert: Alert, lang: Lang, area: string, timeZone: string): string {
  const topic = topicName(alert.scope.topic, lang);
  const scope = [area, topic, alert.scope.channel].filter((s) => s !== null).join(' · ');
  // A term names what is bursting (hot topics); for other kinds it is a cluster or person key.
  const term =
    alert.kind === 'hot_topic' && alert.scope.term !== null && safeString(alert.scope.term, alert)
      ? alert.scope.term
      : null;
  const measured = measuresText(alert, lang, term);
  const factors = [...alert.factors]
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, 3)
    .map((f) => `${f.label[lang]} ${formatNumber(f.contribution)}`);
  const raised = capDateTime(alert.raisedAt, timeZone);
  const state = STATE_NAME[alert.state][lang];
  if (lang === 'zh') {
    return [
      `${alert.title.zh}。范围：${scope}${term ? `；热词「${term}」` : ''}。`,
      measured.length ? `测量值：${measured.join('；')}。` : '',
      `风险分 ${formatNumber(alert.score)}${factors.length ? `，主要因素：${factors.join('、')}` : ''}。`,
      `首次触发 ${raised}，累计信号 ${alert.signalCount} 次，当前状态：${state}。`,
      alert.sensitivePeriod ? `敏感期：${alert.sensitivePeriod}。` : '',
    ].join('');
  }
  return [
    `${alert.title.en}. Scope: ${scope}${term ? `; bursting term "${term}"` : ''}.`,
    measured.length ? ` Measured: ${measured.join('; ')}.` : '',
    ` Risk score ${formatNumber(alert.score)}${factors.length ? `; main factors: ${factors.join(', ')}` : ''}.`,
    ` First raised ${raised}; ${alert.signalCount} signal(s); now ${state}.`,
    alert.sensitivePeriod ? ` Sensitive period: ${alert.sensitivePeriod}.` : '',
  ].join('');
}

function instruction(alert: Alert, lang: Lang): string {
  if (alert.state === 'resolved') {
    return lang === 'zh'
      ? '预警已解除，无需进一步行动；处置结果见系统记录。'
      : 'The alert is resolved; no further action is needed. The outcome is on record in the console.';
  }
  const acting =
    alert.state === 'acting'
      ? lang === 'zh'
        ? '处置进行中：按预案执行并及时反馈进展。'
        : 'Response under way: follow the plan and report progress. '
      : '';
  return `${acting}${INSTRUCTION[alert.severity][lang]}`;
}

/** The identifier of one version of an alert: unique per sender, stable for that version. */
export function capIdentifier(alert: Pick<Alert, 'id' | 'signalCount' | 'state'>): string {
  const base = `urn:wenkong:alert:${alert.id}:${alert.signalCount}`;
  // A state change keeps the signal count, so it is a version of its own.
  return alert.state === 'raised' ? base : `${base}:${alert.state}`;
}

function isFirstVersion(alert: Alert): boolean {
  return alert.signalCount <= 1 && alert.state === 'raised';
}

function infoBlock(alert: Alert, ctx: CapContext, lang: Lang, tag: string, timeZone: string): string {
  const i = '    ';
  const area = areaOf(alert, ctx.region);
  const senderName =
    lang === 'zh' ? `${ctx.region.name}稳控预警中心` : `Wenkong early warning centre, ${ctx.region.nameEn}`;
  const base = ctx.baseUrl.replace(/\/+$/, '');
  const lines = [
    '  <info>',
    leaf(i, 'language', tag),
    leaf(i, 'category', category(alert)),
    leaf(i, 'event', alert.title[lang]),
    leaf(i, 'responseType', responseType(alert.state)),
    leaf(i, 'urgency', isInstant(alert.kind) ? 'Immediate' : 'Expected'),
    leaf(i, 'severity', CAP_SEVERITY[alert.severity]),
    leaf(i, 'certainty', isInstant(alert.kind) ? 'Observed' : 'Likely'),
    valuePair(i, 'eventCode', 'wenkong:kind', alert.kind),
    valuePair(i, 'eventCode', 'wenkong:rule', alert.ruleId),
    leaf(i, 'onset', capDateTime(alert.raisedAt, timeZone)),
    leaf(i, 'senderName', senderName),
    leaf(i, 'headline', headline(alert, lang, area.name[lang])),
    leaf(i, 'description', description(alert, lang, area.name[lang], timeZone)),
    leaf(i, 'instruction', instruction(alert, lang)),
    leaf(i, 'web', `${base}/console/alerts/${encodeURIComponent(alert.id)}`),
    valuePair(i, 'parameter', 'wenkong:riskScore', formatNumber(alert.score)),
    valuePair(i, 'parameter', 'wenkong:state', alert.state),
    valuePair(i, 'parameter', 'wenkong:signalCount', String(alert.signalCount)),
    ...(alert.sensitivePeriod ? [valuePair(i, 'parameter', 'wenkong:sensitivePeriod', alert.sensitivePeriod)] : []),
    ...alert.factors.map((f) =>
      valuePair(
        i,
        'parameter',
        `wenkong:factor:${f.name}`,
        `${formatNumber(f.contribution)} (${f.label[lang]}: ${formatNumber(f.value)} × ${formatNumber(f.weight)})`,
      ),
    ),
    `${i}<area>`,
    leaf(`${i}  `, 'areaDesc', area.name[lang]),
    leaf(`${i}  `, 'circle', area.circle),
    valuePair(`${i}  `, 'geocode', 'GB/T 2260', area.code),
    `${i}</area>`,
    '  </info>',
  ];
  return lines.join('\n');
}

/** The CAP `<alert>` element alone (no XML declaration), e.g. to embed in an Atom entry. */
export function capAlertElement(alert: Alert, ctx: CapContext): string {
  const timeZone = ctx.timezone ?? ctx.region.timezone;
  const first = isFirstVersion(alert);
  const lines = [
    `<alert xmlns="${CAP_NAMESPACE}">`,
    leaf('  ', 'identifier', capIdentifier(alert)),
    leaf('  ', 'sender', ctx.sender),
    leaf('  ', 'sent', capDateTime(alert.updatedAt, timeZone)),
    leaf('  ', 'status', 'Actual'),
    leaf('  ', 'msgType', first ? 'Alert' : 'Update'),
    leaf('  ', 'scope', 'Restricted'),
    leaf('  ', 'restriction', RESTRICTION),
    // Every later version refers to the first one (CAP references: sender,identifier,sent).
    ...(first
      ? []
      : [
          leaf(
            '  ',
            'references',
            `${ctx.sender},${capIdentifier({ id: alert.id, signalCount: 1, state: 'raised' })},${capDateTime(alert.raisedAt, timeZone)}`,
          ),
        ]),
    ...LANGUAGES.map(({ lang, tag }) => infoBlock(alert, ctx, lang, tag, timeZone)),
    '</alert>',
  ];
  return lines.join('\n');
}

/** The headline of an alert in one language, as the CAP message has it (Atom titles use it). */
export function capHeadline(alert: Alert, region: RegionPack, lang: Lang): string {
  return headline(alert, lang, areaOf(alert, region).name[lang]);
}

/** The description of an alert in one language, as the CAP message has it. */
export function capDescription(alert: Alert, ctx: CapContext, lang: Lang): string {
  return description(alert, lang, areaOf(alert, ctx.region).name[lang], ctx.timezone ?? ctx.region.timezone);
}

/** A complete CAP 1.2 document for the current version of an alert. */
export function capXml(alert: Alert, ctx: CapContext): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${capAlertElement(alert, ctx)}\n`;
}
