import { MATTER_KINDS, type Contact, type MatterKind, type PetitionInput } from '../petition.ts';
import { parseLocalTime } from '../local-time.ts';
import { createRegionResolver } from '../region-resolver.ts';
import type { RegionPack } from '../regions.ts';
import { MAX_TEXT_CHARS, validatePetition, type FieldError } from '../validate.ts';
import { rejectRecord, type ChannelRecord, type Original } from './adapter.ts';
import { CHANNELS, isChannelCode, type ChannelCode } from './catalog.ts';

/**
 * How a register's columns become petition fields, and how one row becomes a `ChannelRecord`.
 * Shared by the file reader (register.ts) and the retry of a single dead-lettered row.
 */

export type RegisterField =
  | 'externalId'
  | 'receivedAt'
  | 'name'
  | 'phone'
  | 'idNumber'
  | 'address'
  | 'email'
  | 'region'
  | 'text'
  | 'channel'
  | 'matterKind'
  | 'accusedUnit'
  | 'title';

/** One header cell, its 1-based column number (A = 1) and the field it was recognised as, if any. */
export interface HeaderMapping {
  header: string;
  column: number;
  field: RegisterField | null;
}

const FIELD_NAMES: Record<RegisterField, readonly string[]> = {
  externalId: [
    '编号',
    '登记编号',
    '信访编号',
    '件号',
    '信访件号',
    '案件编号',
    '受理编号',
    '工单号',
    '工单编号',
    'id',
    'external id',
    'case id',
    'case no',
  ],
  receivedAt: [
    '登记时间',
    '来信来访时间',
    '信访日期',
    '信访时间',
    '受理时间',
    '受理日期',
    '登记日期',
    '来信时间',
    '来访时间',
    '接收时间',
    '日期',
    '时间',
    'received at',
    'received',
    'date',
    'time',
  ],
  name: ['姓名', '信访人', '来信人', '来访人', '信访人姓名', '反映人', '投诉人', '联系人', 'name', 'petitioner'],
  phone: [
    '联系电话',
    '电话',
    '手机',
    '手机号',
    '手机号码',
    '电话号码',
    '联系方式',
    'phone',
    'telephone',
    'tel',
    'mobile',
  ],
  idNumber: ['身份证号', '身份证号码', '身份证', '证件号码', '证件号', 'id number', 'id no', 'id card'],
  address: ['地址', '住址', '家庭住址', '通讯地址', '联系地址', '现住址', '详细地址', 'address'],
  email: ['邮箱', '电子邮箱', '电子邮件', '邮箱地址', 'email', 'e-mail', 'mail'],
  region: [
    '所属区域',
    '区域',
    '区县',
    '所属区县',
    '所在区县',
    '所属地区',
    '发生地',
    '问题发生地',
    '属地',
    '行政区划',
    'region',
    'district',
    'county',
  ],
  text: [
    '诉求内容',
    '反映内容',
    '主要诉求',
    '信访内容',
    '来信内容',
    '来访内容',
    '主要内容',
    '简要内容',
    '内容摘要',
    '反映问题',
    '问题描述',
    '诉求',
    '内容',
    '事由',
    'content',
    'text',
    'description',
    'details',
  ],
  title: ['标题', '事项', '主题', '事项名称', 'subject', 'title'],
  channel: ['信访形式', '信访方式', '信访渠道', '来源渠道', '来源', '渠道', 'channel', 'source'],
  matterKind: ['事项类别', '事项类型', '信访类别', '信访类型', '信访性质', '类别', 'matter kind', 'kind', 'category'],
  accusedUnit: ['被反映单位', '被举报单位', '被投诉单位', '被控告单位', '被反映对象', 'accused unit', 'accused'],
};

const BRACKETED = /[([【《<][^)\]】》>]*[)\]】》>]/g;
const IGNORED_IN_LABELS = /[\s*_\-.:：/\\·•、'"#]+/g;
const HAS_CJK = /\p{Script=Han}/u;

/** A header cell reduced to what identifies it: no spaces, `*` markers, hints in brackets, or case. */
function normalizeLabel(label: string): string {
  return label.normalize('NFKC').toLowerCase().replace(BRACKETED, '').replace(IGNORED_IN_LABELS, '');
}

const EXACT = new Map<string, RegisterField>();
const CONTAINED: { name: string; field: RegisterField }[] = [];
for (const [field, names] of Object.entries(FIELD_NAMES) as [RegisterField, readonly string[]][]) {
  for (const name of names) {
    const key = normalizeLabel(name);
    EXACT.set(key, field);
    // Only Chinese names are looked for inside longer headers: "信访人姓名" is a name, but English
    // words inside other words ("id" in "paid") would be wrong far more often than right.
    if (HAS_CJK.test(key)) CONTAINED.push({ name: key, field });
  }
}
CONTAINED.sort((a, b) => b.name.length - a.name.length);
/**
 * Words that make a longer header mean something else: "办结日期" is not when it was received,
 * "答复内容" is not the petition, "被反映人" is not the petitioner.
 */
const CHANGES_MEANING = ['出生', '办结', '答复', '回复', '处理', '办理', '转办', '交办', '反馈', '结果', '期限', '被'];

function recognise(header: string): { field: RegisterField; exact: boolean } | null {
  const key = normalizeLabel(header);
  if (key.length === 0) return null;
  const exact = EXACT.get(key);
  if (exact) return { field: exact, exact: true };
  for (const { name, field } of CONTAINED) {
    if (!key.includes(name)) continue;
    if (CHANGES_MEANING.some((w) => key.includes(w) && !name.includes(w))) return null;
    return { field, exact: false };
  }
  return null;
}

/**
 * Recognises each header. A field goes to one column only: exact names first, then names found
 * inside longer headers, each time leftmost first. With no text column, a title column is the text.
 */
export function mapHeaders(headers: readonly string[]): HeaderMapping[] {
  const found = headers.map(recognise);
  const out: HeaderMapping[] = headers.map((header, i) => ({ header, column: i + 1, field: null }));
  const taken = new Set<RegisterField>();
  for (const exactPass of [true, false]) {
    found.forEach((f, i) => {
      if (f && f.exact === exactPass && !taken.has(f.field)) {
        out[i]!.field = f.field;
        taken.add(f.field);
      }
    });
  }
  if (!taken.has('text')) {
    const title = out.find((m) => m.field === 'title');
    if (title) title.field = 'text';
  }
  return out;
}

/** Column index (0-based) of each field, or -1; what the row mapper reads instead of searching. */
export type FieldColumns = Record<RegisterField, number>;

/** Where each field's cell is in a row, from the header mapping. */
export function fieldColumns(mapping: readonly HeaderMapping[]): FieldColumns {
  const cols = Object.fromEntries(Object.keys(FIELD_NAMES).map((f) => [f, -1])) as FieldColumns;
  for (const m of mapping) if (m.field) cols[m.field] = m.column - 1;
  return cols;
}

// ---------------------------------------------------------------------------------------------
// Cell values

const CHANNEL_NAMES = new Map<string, ChannelCode>();
for (const [code, names] of Object.entries(CHANNELS) as [ChannelCode, { zh: string; en: string }][]) {
  CHANNEL_NAMES.set(normalizeLabel(names.zh), code);
  CHANNEL_NAMES.set(normalizeLabel(names.en), code);
}
/** Checked in order: "网上来信" is online, "电子邮件" is e-mail before anything else matches. */
const CHANNEL_WORDS: [readonly string[], ChannelCode][] = [
  [['网上', '网信', '网络', '网站'], 'web'],
  [['邮件', 'email', 'mail'], 'email'],
  [['电话', '热线', '12345'], 'hotline'],
  [['来信', '信件', 'letter'], 'letter'],
  [['来访', '走访', '上访', 'visit'], 'visit'],
];

function channelOf(cell: string): ChannelCode {
  if (cell === '') return 'register';
  const key = normalizeLabel(cell);
  if (isChannelCode(key)) return key;
  const named = CHANNEL_NAMES.get(key);
  if (named) return named;
  for (const [words, code] of CHANNEL_WORDS) if (words.some((w) => key.includes(w))) return code;
  return 'register';
}

const MATTER_WORDS: [readonly string[], MatterKind][] = [
  [['涉法', '涉诉'], 'litigation'],
  [['检举', '控告', '举报'], 'accusation'],
  [['建议', '意见'], 'suggestion'],
  [['申诉', '求决', '投诉'], 'grievance'],
];

/**
 * A cell that names none of the four kinds gives no kind (the default, grievance), not a rejection:
 * many registers put a topic ("城乡建设") in their 类别 column.
 */
function matterKindOf(cell: string): MatterKind | undefined {
  if (cell === '') return undefined;
  const key = normalizeLabel(cell);
  if ((MATTER_KINDS as readonly string[]).includes(key)) return key as MatterKind;
  for (const [words, kind] of MATTER_WORDS) if (words.some((w) => key.includes(w))) return kind;
  return undefined;
}

const TIME_OFFSET = /^(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)$/;

/** Checks `timezoneOffset` once per call rather than producing invalid times per row. */
export function checkedOffset(offset: string | undefined): string {
  const o = offset ?? '+08:00';
  if (!TIME_OFFSET.test(o)) throw new RangeError(`timezoneOffset must look like +08:00, not "${o}"`);
  return o;
}

const NON_ASCII = /[\u0080-\uffff]/;
/** Full-width digits and colons made plain; most cells are ASCII and skip the ICU call. */
const nfkc = (s: string) => (NON_ASCII.test(s) ? s.normalize('NFKC') : s);

const SCIENTIFIC = /^\d(?:\.\d+)?e\+\d+$/i;
const TRAILING_POINT_ZERO = /^(\d+)\.0+$/;

/** Phone and ID cells: full-width digits made plain, a spreadsheet's "13812345678.0" made whole. */
function digitsCell(cell: string): string {
  const t = nfkc(cell).trim();
  const m = TRAILING_POINT_ZERO.exec(t);
  return m ? m[1]! : t;
}

// ---------------------------------------------------------------------------------------------
// Rejection wording

const LABELS: Record<string, { zh: string; en: string }> = {
  text: { zh: '诉求内容', en: 'petition text' },
  receivedAt: { zh: '登记时间', en: 'received time' },
  externalId: { zh: '编号', en: 'register number' },
  regionCode: { zh: '所属区域', en: 'district' },
  channel: { zh: '信访形式', en: 'channel' },
  matterKind: { zh: '事项类别', en: 'matter kind' },
  accusedUnit: { zh: '被反映单位', en: 'accused unit' },
  'contact.name': { zh: '姓名', en: 'name' },
  'contact.phone': { zh: '联系电话', en: 'phone' },
  'contact.idNumber': { zh: '身份证号', en: 'ID number' },
  'contact.address': { zh: '地址', en: 'address' },
  'contact.email': { zh: '电子邮箱', en: 'e-mail' },
};

const LOST_DIGITS = '被 Excel 显示成了科学计数法，数字已丢失，请把这一列设为“文本”后重新导出';

function zhProblem(e: FieldError, cells: { phone: string; idNumber: string; receivedAt: string }): string {
  const label = LABELS[e.field]?.zh ?? e.field;
  switch (e.field) {
    case 'text':
      if (e.message.includes('characters')) return `诉求内容过长（最多 ${MAX_TEXT_CHARS} 字）`;
      if (e.message.includes('NUL')) return '诉求内容含有无效字符';
      return '缺少诉求内容';
    case 'receivedAt':
      if (e.message.includes('future')) return '登记时间晚于现在';
      if (e.message.includes('2000')) return '登记时间早于 2000 年';
      return `登记时间“${cells.receivedAt}”无法识别，请写成 2026-11-30 09:30 这样的格式`;
    case 'contact.phone':
      return SCIENTIFIC.test(cells.phone)
        ? `联系电话${LOST_DIGITS}`
        : '联系电话格式不对（只能有数字、空格、括号和短横线）';
    case 'contact.idNumber':
      return SCIENTIFIC.test(cells.idNumber) ? `身份证号${LOST_DIGITS}` : '身份证号格式不对（应为 15 位或 18 位）';
    case 'contact.email':
      return '电子邮箱格式不对';
    case 'contact.name':
      return '姓名过长（最多 100 字）';
    case 'contact.address':
      return '地址过长（最多 300 字）';
    case 'externalId':
    case 'accusedUnit':
      return `${label}过长（最多 200 字）`;
    default:
      return `${label}不符合要求`;
  }
}

const ROW_NUMBER = /\d+/;

/** "第 7 行" and "row 7" from a position such as `第 7 行 / row 7`; the position itself otherwise. */
export function rowWords(position: string): { zh: string; en: string } {
  const n = ROW_NUMBER.exec(position)?.[0];
  return n ? { zh: `第 ${n} 行`, en: `row ${n}` } : { zh: position, en: position };
}

/** The position every register record carries: spreadsheet row number, header row = 1. */
export function rowPosition(row: number): string {
  return `第 ${row} 行 / row ${row}`;
}

// ---------------------------------------------------------------------------------------------
// Row mapping

export interface MapContext {
  now: Date;
  offset: string;
  /** District code for a 所属区域 cell, remembered per cell text (a register repeats a few names). */
  region: (cell: string) => string | null;
  channel: (cell: string) => ChannelCode;
  matterKind: (cell: string) => MatterKind | undefined;
}

/** Remembers up to `limit` answers: cells such as 所属区域 or 信访形式 repeat in nearly every row. */
function remembered<T>(f: (cell: string) => T, limit = 1000): (cell: string) => T {
  const seen = new Map<string, T>();
  return (cell) => {
    if (seen.has(cell)) return seen.get(cell) as T;
    const value = f(cell);
    if (seen.size < limit) seen.set(cell, value);
    return value;
  };
}

/** Checks the options once and sets up what one import (or one retried row) maps rows with. */
export function mapContext(options: {
  now: Date;
  timezoneOffset?: string | undefined;
  resolveRegion?: ((cell: string) => string | null) | undefined;
}): MapContext {
  const { resolveRegion } = options;
  return {
    now: options.now,
    offset: checkedOffset(options.timezoneOffset),
    region: remembered((cell) => (resolveRegion ? resolveRegion(cell) : REGION_CODE.test(cell) ? cell : null)),
    channel: remembered(channelOf),
    matterKind: remembered(matterKindOf),
  };
}

const REGION_CODE = /^\d{6}$/;
const CRLF = /\r\n?/g;
const oneLineBreak = (s: string) => (s.includes('\r') ? s.replace(CRLF, '\n') : s);

function cellOf(cells: readonly string[], cols: FieldColumns, f: RegisterField): string {
  const i = cols[f];
  return i < 0 ? '' : (cells[i] ?? '').trim();
}

/**
 * Maps one row's cells to a petition and checks it. The record keeps `input` as mapped (times with
 * the register's offset); the pipeline validates again before it stores anything.
 */
export function mapCells(
  cells: readonly string[],
  cols: FieldColumns,
  original: Original,
  ctx: MapContext,
): ChannelRecord {
  const problems: FieldError[] = [];
  // Text from Windows files keeps its CRLF inside quoted cells; one kind of line break is enough.
  const title = oneLineBreak(cellOf(cells, cols, 'title'));
  const body = oneLineBreak(cellOf(cells, cols, 'text'));
  const input: PetitionInput = {
    channel: ctx.channel(cellOf(cells, cols, 'channel')),
    text: title && body ? `${title}\n${body}` : title || body,
  };

  const receivedAtCell = cellOf(cells, cols, 'receivedAt');
  if (receivedAtCell) {
    const iso = parseLocalTime(receivedAtCell, ctx.offset);
    if (iso) input.receivedAt = iso;
    else {
      problems.push({
        field: 'receivedAt',
        message: `"${receivedAtCell.slice(0, 60)}" is not a time; write it like 2026-11-30 09:30`,
      });
    }
  }
  const externalId = cellOf(cells, cols, 'externalId');
  if (externalId) input.externalId = externalId;

  const regionCell = cellOf(cells, cols, 'region');
  if (regionCell) {
    const code = ctx.region(regionCell);
    // An unknown district is not fatal: the analyser can still place the petition by its address.
    if (code) input.regionCode = code;
  }

  const contact: Contact = {};
  const name = cellOf(cells, cols, 'name');
  if (name) contact.name = name;
  const phone = digitsCell(cellOf(cells, cols, 'phone'));
  if (phone) contact.phone = phone;
  const idNumber = digitsCell(cellOf(cells, cols, 'idNumber'));
  if (idNumber) contact.idNumber = idNumber;
  const address = cellOf(cells, cols, 'address');
  if (address) contact.address = address;
  const email = nfkc(cellOf(cells, cols, 'email'));
  if (email) contact.email = email;
  if (Object.keys(contact).length > 0) input.contact = contact;

  const matterKind = ctx.matterKind(cellOf(cells, cols, 'matterKind'));
  if (matterKind) input.matterKind = matterKind;
  // Registers fill 被反映单位 for every kind of matter; the field's protection is for accusations only.
  const accusedUnit = cellOf(cells, cols, 'accusedUnit');
  if (accusedUnit && matterKind === 'accusation') input.accusedUnit = accusedUnit;

  const checked = validatePetition(input, ctx.now);
  if (!checked.ok) {
    for (const e of checked.errors) if (!problems.some((p) => p.field === e.field)) problems.push(e);
  }
  if (problems.length === 0) return { ok: true, input, original };

  const where = rowWords(original.position ?? '');
  const cellsSeen = { phone, idNumber, receivedAt: receivedAtCell };
  const zh = problems.map((e) => zhProblem(e, cellsSeen)).join('；');
  const en = problems.map((e) => `${LABELS[e.field]?.en ?? e.field} ${e.message}`).join('; ');
  return rejectRecord(original, 'validate', `${where.zh}：${zh} / ${where.en}: ${en}`, problems);
}

/** A `resolveRegion` for a region pack (ingest/region-resolver.ts: codes, names, short and English names). */
export function regionResolver(pack: RegionPack): (cell: string) => string | null {
  const resolver = createRegionResolver(pack);
  return (cell) => resolver.fromCell(cell);
}
