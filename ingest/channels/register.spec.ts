import { parseLocalTime } from '../local-time.ts';
import { readFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { loadRegionPack } from '../regions.ts';
import type { ChannelRecord } from './adapter.ts';
import { readCsv } from './register-read.ts';
import {
  mapRegisterRow,
  parseRegister,
  regionResolver,
  RegisterFileError,
  rejectedRowsCsv,
  type RegisterOptions,
} from './register.ts';

const now = new Date('2026-12-01T08:00:00Z');
const resolveRegion = regionResolver(loadRegionPack('suzhou'));
const fixture = (name: string) =>
  readFileSync(new URL(`../../tests/fixtures/channels/register/${name}`, import.meta.url));
const options = (filename: string, extra: Partial<RegisterOptions> = {}): RegisterOptions => ({
  filename,
  now,
  resolveRegion,
  ...extra,
});
const read = (name: string, extra?: Partial<RegisterOptions>) => parseRegister(fixture(name), options(name, extra));
const text = (s: string) => new TextEncoder().encode(s);

const positions = (records: readonly ChannelRecord[], ok: boolean) =>
  records.filter((r) => r.ok === ok).map((r) => r.original.position);
const okAt = (records: readonly ChannelRecord[], i: number) => {
  const r = records[i]!;
  if (!r.ok) throw new Error(`record ${i} was rejected: ${r.reason}`);
  return r.input;
};
const rejectedAt = (records: readonly ChannelRecord[], i: number) => {
  const r = records[i]!;
  if (r.ok) throw new Error(`record ${i} was stored`);
  return r;
};
const rowOf = (r: ChannelRecord) => JSON.parse(r.original.content) as Record<string, string>;

describe('parseRegister: CSV fixtures', () => {
  it('reads a GB18030 register with Chinese headers, one row rejected for its ID number', async () => {
    const r = await read('gb18030.csv');
    expect(r).toMatchObject({ format: 'csv', encoding: 'gb18030', sheet: null, unmappedHeaders: [] });
    expect(r.headers.map((h) => [h.header, h.column, h.field])).toEqual([
      ['登记编号', 1, 'externalId'],
      ['登记时间', 2, 'receivedAt'],
      ['信访人', 3, 'name'],
      ['联系电话', 4, 'phone'],
      ['身份证号', 5, 'idNumber'],
      ['家庭住址', 6, 'address'],
      ['所属区域', 7, 'region'],
      ['信访形式', 8, 'channel'],
      ['事项类别', 9, 'matterKind'],
      ['被反映单位', 10, 'accusedUnit'],
      ['诉求内容', 11, 'text'],
    ]);
    expect(positions(r.records, true)).toEqual([
      '第 2 行 / row 2',
      '第 3 行 / row 3',
      '第 4 行 / row 4',
      '第 6 行 / row 6',
      '第 7 行 / row 7',
    ]);
    expect(positions(r.records, false)).toEqual(['第 5 行 / row 5']);

    // 𠮷 is outside GBK: only a GB18030 decoder reads its four bytes.
    expect(okAt(r.records, 0)).toEqual({
      channel: 'visit',
      text: '小区自来水水压不足已两个月，高层住户每天晚上无法用水，物业一直推诿。',
      receivedAt: '2026-11-30T09:30:00+08:00',
      externalId: 'SZ-2026-1101',
      regionCode: '320506',
      contact: {
        name: '王𠮷',
        phone: '13913572468',
        idNumber: '320506198503124517',
        address: '吴中区长桥街道龙西路58号',
      },
      matterKind: 'grievance',
    });
    expect(okAt(r.records, 1)).toMatchObject({
      channel: 'letter',
      receivedAt: '2026-11-28T14:05:00+08:00',
      matterKind: 'accusation',
      accusedUnit: '姑苏区某拆迁公司',
    });
    expect(okAt(r.records, 2)).toMatchObject({
      channel: 'hotline',
      receivedAt: '2026-11-27T09:30:00+08:00',
      matterKind: 'suggestion',
      regionCode: '320583',
      text: '建议在同丰路口增设红绿灯, 上下学时段车辆太多，孩子过马路很危险。',
    });
    expect(okAt(r.records, 4)).toMatchObject({ channel: 'web', matterKind: 'litigation' });
    expect(okAt(r.records, 4).receivedAt).toBe('2026-11-25T00:00:00+08:00');
    // Empty 信访形式: the register channel itself.
    expect(okAt(r.records, 5)).toMatchObject({ channel: 'register', contact: { name: '赵丽' } });

    const bad = rejectedAt(r.records, 3);
    expect(bad.stage).toBe('validate');
    expect(bad.reason).toBe(
      '第 5 行：身份证号格式不对（应为 15 位或 18 位） / row 5: ID number must be a 15- or 18-character resident ID number',
    );
    expect(bad.fields?.map((f) => f.field)).toEqual(['contact.idNumber']);
    expect(rowOf(bad)).toMatchObject({
      信访人: '陈美华',
      身份证号: '3205061990',
      诉求内容: '木渎老街商户占道经营，消防通道被堵。',
    });
  });

  it('keeps each row exactly as read in original.content, in column order', async () => {
    const r = await read('gb18030.csv');
    const first = r.records[0]!.original;
    expect(first.format).toBe('row');
    expect(Object.keys(JSON.parse(first.content) as object)).toEqual(r.headers.map((h) => h.header));
    expect(JSON.parse(first.content)).toMatchObject({ 登记时间: '2026-11-30 09:30', 信访形式: '来访', 被反映单位: '' });
  });

  it('reads UTF-8 with a BOM: starred headers, a two-line cell, a blank row, a time nobody can read', async () => {
    const r = await read('utf8-bom.csv');
    expect(r.format).toBe('csv');
    expect(r.encoding).toBe('utf-8-bom');
    expect(r.headers.map((h) => h.field)).toEqual([
      'externalId',
      'receivedAt',
      'name',
      'phone',
      'title',
      'text',
      'region',
      null,
    ]);
    expect(r.headers[0]!.header).toBe('编号*');
    expect(r.unmappedHeaders).toEqual(['备注']);
    // Row 3 is blank and is no record; numbering still follows the file.
    expect(r.records.map((x) => x.original.position)).toEqual([
      '第 2 行 / row 2',
      '第 4 行 / row 4',
      '第 5 行 / row 5',
      '第 6 行 / row 6',
    ]);
    expect(okAt(r.records, 0)).toEqual({
      channel: 'register',
      text: '噪音扰民\n夜间施工噪音严重, 凌晨两点还在打桩\n多次投诉无果',
      receivedAt: '2026-11-29T10:15:00+08:00',
      externalId: 'WS-001',
      regionCode: '320506',
      contact: { name: '刘洋', phone: '15850123456' },
    });
    // The cell keeps its line break as the file had it.
    expect(rowOf(r.records[0]!)['反映内容*']).toBe('夜间施工噪音严重, 凌晨两点还在打桩\r\n多次投诉无果');
    expect(okAt(r.records, 1)).toMatchObject({ receivedAt: '2026-11-29T08:05:00+08:00', regionCode: '320583' });
    // Full-width digits typed with a Chinese input method.
    expect(okAt(r.records, 3).contact).toEqual({ name: '郑红', phone: '13912345678' });
    expect(okAt(r.records, 3).regionCode).toBe('320585');

    const bad = rejectedAt(r.records, 2);
    expect(bad.stage).toBe('validate');
    expect(bad.fields?.map((f) => f.field)).toEqual(['receivedAt']);
    expect(bad.reason).toContain('第 5 行');
    expect(bad.reason).toContain('登记时间“明天上午”无法识别');
    expect(bad.reason).toContain('row 5: received time "明天上午" is not a time');
  });

  it('rejects a row with too few or too many cells and keeps the others', async () => {
    const r = await read('wrong-columns.csv');
    expect(r.encoding).toBe('utf-8');
    expect(positions(r.records, true)).toEqual(['第 2 行 / row 2', '第 4 行 / row 4', '第 5 行 / row 5']);
    const short = rejectedAt(r.records, 1);
    expect(short).toMatchObject({
      stage: 'parse',
      reason: '第 3 行有 4 列，表头有 5 列 / row 3 has 4 cells, the header has 5',
    });
    expect(rowOf(short)).toEqual({ 编号: 'A2', 日期: '2026-11-21', 姓名: '冯敏', 电话: '13800002222' });
    const long = rejectedAt(r.records, 4);
    expect(long.reason).toBe('第 6 行有 6 列，表头有 5 列 / row 6 has 6 cells, the header has 5');
    // The extra cell is kept, under its column number.
    expect(rowOf(long)['第 6 列 / column 6']).toBe('备注在这里');
    // A trailing empty cell (a trailing comma) is no problem.
    expect(okAt(r.records, 3)).toMatchObject({ externalId: 'A4', text: '公交站台被占用' });
    expect(okAt(r.records, 2)).toMatchObject({ externalId: 'A3', receivedAt: '2026-11-22T00:00:00+08:00' });
  });

  it('rejects from an unclosed quote to the end of the file, keeping the rows before', async () => {
    const r = await read('unclosed-quote.csv');
    expect(positions(r.records, true)).toEqual(['第 2 行 / row 2']);
    expect(positions(r.records, false)).toEqual(['第 3 行 / row 3', '第 4 行 / row 4', '第 5 行 / row 5']);
    const culprit = rejectedAt(r.records, 1);
    expect(culprit.stage).toBe('parse');
    expect(culprit.reason).toMatch(/^第 3 行有不成对的引号.* \/ row 3 has an unmatched quote/);
    expect(rejectedAt(r.records, 2).reason).toBe(
      '第 4 行在第 3 行的格式错误之后，未能读取 / row 4 comes after the broken row 3 and could not be read',
    );
    // The clerk still sees what the rows held.
    expect(rowOf(r.records[3]!)).toEqual({ 编号: 'Q4', 日期: '2026-11-23', 姓名: '许强', 内容: '电梯故障' });
  });

  it('reads English headers and values', async () => {
    const r = await read('english-headers.csv');
    expect(r.encoding).toBe('utf-8');
    expect(r.unmappedHeaders).toEqual([]);
    expect(r.headers.map((h) => h.field)).toEqual([
      'externalId',
      'receivedAt',
      'name',
      'phone',
      'idNumber',
      'address',
      'email',
      'region',
      'channel',
      'matterKind',
      'accusedUnit',
      'text',
    ]);
    expect(okAt(r.records, 0)).toEqual({
      channel: 'web',
      text: 'The maintenance fund of our estate was spent without a residents’ vote.',
      receivedAt: '2026-11-30T09:00:00+08:00',
      externalId: 'EN-1',
      regionCode: '320508',
      contact: {
        name: 'Zhou Min',
        phone: '+86 512 6523 8871',
        address: 'No. 5 Shiquan Street, Gusu',
        email: 'zhou.min@example.cn',
      },
      matterKind: 'accusation',
      accusedUnit: 'Gusu Housing Office',
    });
    expect(okAt(r.records, 1)).toMatchObject({ channel: 'email', matterKind: 'suggestion', regionCode: '320583' });
    const bad = rejectedAt(r.records, 2);
    expect(bad.fields?.map((f) => f.field)).toEqual(['contact.phone', 'contact.email']);
    expect(bad.reason).toMatch(/^第 4 行：联系电话格式不对.*；电子邮箱格式不对 \/ row 4: phone must be/);
  });
});

describe('parseRegister: spreadsheets', () => {
  it('reads XLSX from its first non-empty sheet, with date and number cells as text', async () => {
    const r = await read('register.xlsx');
    expect(r).toMatchObject({ format: 'xlsx', encoding: null, sheet: '登记表', unmappedHeaders: [] });
    expect(r.headers.map((h) => h.field)).toEqual([
      'externalId',
      'receivedAt',
      'name',
      'phone',
      'idNumber',
      'address',
      'region',
      'channel',
      'matterKind',
      'text',
    ]);
    // Row 4 is empty; row 6 has no petition text.
    expect(positions(r.records, true)).toEqual(['第 2 行 / row 2', '第 3 行 / row 3', '第 5 行 / row 5']);
    expect(okAt(r.records, 0)).toEqual({
      channel: 'visit',
      text: '拖欠农民工工资三个月，施工方负责人联系不上。',
      receivedAt: '2026-11-30T09:30:00+08:00',
      externalId: 'XF20261101',
      regionCode: '320506',
      contact: {
        name: '杨桂英',
        phone: '13913572468',
        idNumber: '320506850312451',
        address: '吴中区郭巷街道尹山湖路6号',
      },
      matterKind: 'grievance',
    });
    const row2 = rowOf(r.records[0]!);
    expect(row2).toMatchObject({ 来信来访时间: '2026-11-30 09:30', 手机: '13913572468', 证件号码: '320506850312451' });
    expect(r.records[0]!.original.content).not.toMatch(/E\+/);
    // A formula's result, a hyperlink's text, rich text joined.
    expect(okAt(r.records, 1)).toMatchObject({
      externalId: 'XF20261102',
      receivedAt: '2026-11-29T14:00:00+08:00',
      channel: 'letter',
      matterKind: 'suggestion',
      text: '观前街夜间外摆影响通行，建议规范管理。',
      contact: { name: '钱国平', phone: '0512-66881234', address: '姑苏区观前街1号' },
    });
    expect(okAt(r.records, 2)).toMatchObject({ receivedAt: '2026-11-28T00:00:00+08:00', channel: 'web' });
    const bad = rejectedAt(r.records, 3);
    expect(bad.reason).toBe('第 6 行：缺少诉求内容 / row 6: petition text is empty');
  });

  it('reads legacy XLS (BIFF8) below a merged title row', async () => {
    const r = await read('register.xls');
    expect(r).toMatchObject({ format: 'xls', encoding: null, sheet: '十一月', unmappedHeaders: ['序号'] });
    expect(r.headers.map((h) => [h.header, h.field])).toEqual([
      ['序号', null],
      ['登记时间', 'receivedAt'],
      ['姓名', 'name'],
      ['联系电话', 'phone'],
      ['所属区域', 'region'],
      ['事项类别', 'matterKind'],
      ['被反映单位', 'accusedUnit'],
      ['反映内容', 'text'],
    ]);
    expect(positions(r.records, true)).toEqual(['第 3 行 / row 3', '第 4 行 / row 4']);
    expect(okAt(r.records, 0)).toEqual({
      channel: 'register',
      text: '征地补偿标准低于周边村，要求按新标准补偿。',
      receivedAt: '2026-11-30T08:45:00+08:00',
      regionCode: '320506',
      contact: { name: '顾晓明', phone: '13862001234' },
      matterKind: 'grievance',
    });
    expect(okAt(r.records, 1)).toMatchObject({
      receivedAt: '2026-11-29T15:10:00+08:00',
      matterKind: 'accusation',
      accusedUnit: '吴中区某街道城管中队',
    });
    expect(rowOf(r.records[1]!)).toMatchObject({ 序号: '2', 联系电话: '15962101234' });
    const bad = rejectedAt(r.records, 2);
    expect(bad.original.position).toBe('第 5 行 / row 5');
    expect(bad.reason).toContain('登记时间“2026-13-01”无法识别');
  });

  it('skips a hidden sheet for the first visible one with content', async () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['内容'], ['旧数据']]), '隐藏');
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([]), '空白');
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['内容'], ['新数据']]), '登记');
    book.Workbook = { Sheets: [{ Hidden: 1 }, { Hidden: 0 }, { Hidden: 0 }] };
    for (const bookType of ['xlsx', 'biff8'] as const) {
      const r = await parseRegister(XLSX.write(book, { bookType, type: 'buffer' }) as Buffer, options('h'));
      expect(r.sheet).toBe('登记');
      expect(okAt(r.records, 0).text).toBe('新数据');
    }
  });

  it('reads a time cell at the configured offset', async () => {
    const r = await read('register.xls', { timezoneOffset: '+05:30' });
    expect(okAt(r.records, 0).receivedAt).toBe('2026-11-30T08:45:00+05:30');
  });

  it('says plainly that a truncated XLSX is damaged', async () => {
    const error = await read('truncated.xlsx').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegisterFileError);
    expect((error as RegisterFileError).message).toBe(
      '文件已损坏或不完整（XLSX 压缩包不完整），请重新导出 / The XLSX file is damaged or truncated; export it again',
    );
    expect((error as RegisterFileError).filename).toBe('truncated.xlsx');
  });

  it('goes by content, not by the file name', async () => {
    const r = await parseRegister(fixture('register.xls'), options('登记表.csv'));
    expect(r.format).toBe('xls');
    const c = await parseRegister(fixture('wrong-columns.csv'), options('登记表.xlsx'));
    expect(c.format).toBe('csv');
  });

  it('reads an HTML table saved as .xls, keeping long digit strings', async () => {
    const html =
      '<html><head><meta charset="utf-8"></head><body><table>' +
      '<tr><td>姓名</td><td>身份证号</td><td>反映内容</td></tr>' +
      '<tr><td>张三</td><td>320508199003071234</td><td>楼道灯不亮</td></tr></table></body></html>';
    const r = await parseRegister(text(html), options('导出.xls'));
    expect(r.format).toBe('xls');
    expect(okAt(r.records, 0)).toEqual({
      channel: 'register',
      text: '楼道灯不亮',
      contact: { name: '张三', idNumber: '320508199003071234' },
    });
  });
});

describe('parseRegister: whole-file problems', () => {
  const fileError = async (bytes: Uint8Array) => {
    const error = await parseRegister(bytes, options('x.csv')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegisterFileError);
    return (error as Error).message;
  };

  it('an empty file', async () => {
    expect(await fileError(new Uint8Array())).toMatch(/^文件是空的.* \/ The file is empty/);
    expect(await fileError(text('\r\n , ,\r\n'))).toMatch(/^文件是空的/);
  });

  it('no text column, naming the headers it found', async () => {
    expect(await fileError(text('编号,姓名,电话\nA1,张三,13800001111\n'))).toBe(
      '找不到诉求内容列：表格要有一列“诉求内容”（或“反映内容”“信访内容”“内容”），找到的表头是：编号、姓名、电话 / ' +
        'No column for the petition text (such as 诉求内容 or content); the headers found are: 编号, 姓名, 电话',
    );
  });

  it('a file that is no register at all', async () => {
    expect(await fileError(text('%PDF-1.7\n...'))).toMatch(/^无法识别文件格式.* \/ This is not a register file/);
    expect(await fileError(new Uint8Array([0, 1, 2, 3, 0, 0, 0, 7, 8]))).toMatch(/^无法识别文件格式/);
  });

  it('an Office file or ZIP that is no workbook', async () => {
    const zip = XLSX.CFB.utils.cfb_new();
    XLSX.CFB.utils.cfb_add(zip, 'scans/letter.txt', Buffer.from('hello'));
    expect(await fileError(XLSX.CFB.write(zip, { fileType: 'zip', type: 'buffer' }) as Buffer)).toMatch(
      /^这个压缩文件不是 Excel 表格/,
    );
    const doc = XLSX.CFB.utils.cfb_new();
    XLSX.CFB.utils.cfb_add(doc, 'WordDocument', Buffer.from('hello'));
    expect(await fileError(XLSX.CFB.write(doc, { type: 'buffer' }) as Buffer)).toMatch(/可能是 Word 文档/);
  });

  it('a damaged XLS', async () => {
    const cut = fixture('register.xls').subarray(0, 600);
    expect(await fileError(cut)).toMatch(/^文件已损坏或不完整（XLS/);
  });

  it('a bad timezoneOffset is the caller’s mistake, not the file’s', async () => {
    await expect(parseRegister(fixture('gb18030.csv'), options('x.csv', { timezoneOffset: '8' }))).rejects.toThrow(
      RangeError,
    );
  });
});

describe('parseRegister: encodings, delimiters and headers', () => {
  it('reads UTF-16LE with a BOM, tab-separated (Excel’s “Unicode text”)', async () => {
    const body = '姓名\t反映内容\r\n张三\t停水三天\r\n';
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(body, 'utf16le')]);
    const r = await parseRegister(bytes, options('u.txt'));
    expect(r.encoding).toBe('utf-16le');
    expect(okAt(r.records, 0)).toEqual({ channel: 'register', text: '停水三天', contact: { name: '张三' } });
  });

  it('reads GBK text (a subset of GB18030) and semicolons', async () => {
    const r = await parseRegister(iconv.encode('姓名;内容\n李四;噪音扰民\n', 'gbk'), options('g.csv'));
    expect(r.encoding).toBe('gb18030');
    expect(okAt(r.records, 0)).toMatchObject({ text: '噪音扰民', contact: { name: '李四' } });
  });

  it('recognises headers with spaces, full-width marks, hints and case; not look-alikes', async () => {
    const csv =
      ' 姓 名 ,联系电话（手机）,E-MAIL,＊诉求内容：,出生日期,被反映人,信访人身份证号,所属区县,Received_At\n' +
      '王五,13900001111,wang@example.cn,小区停车难,1980-01-01,某某,320508199003071234,姑苏区,2026-11-30 10:00\n';
    const r = await parseRegister(text(csv), options('h.csv'));
    expect(r.headers.map((h) => h.field)).toEqual([
      'name',
      'phone',
      'email',
      'text',
      null,
      null,
      'idNumber',
      'region',
      'receivedAt',
    ]);
    expect(r.unmappedHeaders).toEqual(['出生日期', '被反映人']);
    expect(okAt(r.records, 0)).toMatchObject({ receivedAt: '2026-11-30T10:00:00+08:00', regionCode: '320508' });
  });

  it('uses a title column as the text when there is no text column', async () => {
    const r = await parseRegister(text('姓名,标题\n赵六,路灯不亮\n'), options('t.csv'));
    expect(r.headers.map((h) => h.field)).toEqual(['name', 'text']);
    expect(okAt(r.records, 0).text).toBe('路灯不亮');
  });

  it('tells the clerk when Excel turned a number into scientific notation', async () => {
    const r = await parseRegister(text('身份证号,内容\n3.20508E+17,停水\n'), options('s.csv'));
    expect(rejectedAt(r.records, 0).reason).toContain('身份证号被 Excel 显示成了科学计数法');
  });

  it('keeps 被反映单位 only for accusations', async () => {
    const r = await parseRegister(text('类别,被反映单位,内容\n求决,某物业公司,停水\n'), options('a.csv'));
    expect(okAt(r.records, 0)).toEqual({ channel: 'register', text: '停水', matterKind: 'grievance' });
  });
});

describe('parseLocalTime', () => {
  const cases: [string, string | null][] = [
    ['2026-11-30 09:30', '2026-11-30T09:30:00+08:00'],
    ['2026/11/30 9:30:00', '2026-11-30T09:30:00+08:00'],
    ['2026-11-30', '2026-11-30T00:00:00+08:00'],
    ['2026年11月30日 9时30分', '2026-11-30T09:30:00+08:00'],
    ['2026年11月30日', '2026-11-30T00:00:00+08:00'],
    ['2026年11月30日 下午3点', '2026-11-30T15:00:00+08:00'],
    ['2026-11-30T09:30:00Z', '2026-11-30T09:30:00Z'],
    ['2026-11-30T09:30:00.123+0530', '2026-11-30T09:30:00+05:30'],
    ['２０２６－１１－３０　０９：３０', '2026-11-30T09:30:00+08:00'],
    ['20261130', '2026-11-30T00:00:00+08:00'],
    ['46356.5', '2026-11-30T12:00:00+08:00'],
    ['2026-02-30', null],
    ['2026-11-30 25:00', null],
    ['明天上午', null],
    ['11/30/2026', null],
  ];
  it.each(cases)('%s', (cell, iso) => {
    expect(parseLocalTime(cell, '+08:00')).toBe(iso);
  });
});

describe('mapRegisterRow', () => {
  it('maps a fixed row again, keeping its position', () => {
    const row = {
      登记编号: 'SZ-2026-1104',
      登记时间: '2026-11-26',
      信访人: '陈美华',
      联系电话: '18915926358',
      身份证号: '320506199001011234',
      所属区域: '吴中区',
      信访形式: '来访',
      诉求内容: '木渎老街商户占道经营，消防通道被堵。',
    };
    const r = mapRegisterRow(row, '第 5 行 / row 5', { now, resolveRegion });
    expect(r).toEqual({
      ok: true,
      input: {
        channel: 'visit',
        text: '木渎老街商户占道经营，消防通道被堵。',
        receivedAt: '2026-11-26T00:00:00+08:00',
        externalId: 'SZ-2026-1104',
        regionCode: '320506',
        contact: { name: '陈美华', phone: '18915926358', idNumber: '320506199001011234' },
      },
      original: { format: 'row', content: JSON.stringify(row), position: '第 5 行 / row 5' },
    });
  });

  it('rejects a row that is still wrong, with the same reason as the import', async () => {
    const r = await read('gb18030.csv');
    const bad = rejectedAt(r.records, 3);
    const again = mapRegisterRow(rowOf(bad), bad.original.position!, { now, resolveRegion });
    expect(again).toMatchObject({ ok: false, stage: 'validate', reason: bad.reason });
  });
});

describe('rejectedRowsCsv', () => {
  it('round-trips: the original columns plus 行号 and 原因, with a BOM for Excel', async () => {
    const r = await read('gb18030.csv');
    const headers = r.headers.map((h) => h.header);
    const rejected = r.records
      .filter((x) => !x.ok)
      .map((x) => ({ position: x.original.position!, row: rowOf(x), reason: x.ok ? '' : x.reason }));
    const csv = rejectedRowsCsv(headers, rejected);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const back = parse(csv, { bom: true }) as string[][];
    expect(back[0]).toEqual(['行号 / row', ...headers, '原因 / reason']);
    expect(back).toHaveLength(2);
    expect(back[1]![0]).toBe('5');
    expect(back[1]!.slice(1, -1)).toEqual(headers.map((h) => rejected[0]!.row[h]));
    expect(back[1]!.at(-1)).toBe(rejected[0]!.reason);

    // The clerk fixes the file and imports it again: the two added columns are not mistaken for fields.
    const again = await parseRegister(text(csv), options('rejected.csv'));
    expect(again.unmappedHeaders).toEqual(['行号 / row', '原因 / reason']);
    expect(rejectedAt(again.records, 0).fields?.map((f) => f.field)).toEqual(['contact.idNumber']);
  });

  it('quotes what needs quoting and defuses formulas, but not phone numbers', () => {
    const csv = rejectedRowsCsv(
      ['内容', '电话'],
      [
        {
          position: '第 2 行 / row 2',
          row: { 内容: '=HYPERLINK("http://x")', 电话: '+86 139 1234 5678' },
          reason: 'a, "b"',
        },
      ],
    );
    const back = parse(csv, { bom: true }) as string[][];
    expect(back[1]).toEqual(['2', `'=HYPERLINK("http://x")`, '+86 139 1234 5678', 'a, "b"']);
  });
});

describe('onProgress', () => {
  it('reports at least every 1,000 rows and ends with (total, total)', async () => {
    const lines = ['编号,内容'];
    for (let i = 1; i <= 2500; i++) lines.push(`N${i},第${i}件诉求`);
    const calls: [number, number][] = [];
    const r = await parseRegister(
      text(lines.join('\n')),
      options('p.csv', { onProgress: (d, t) => calls.push([d, t]) }),
    );
    expect(r.records).toHaveLength(2500);
    expect(calls).toEqual([
      [1000, 2500],
      [2000, 2500],
      [2500, 2500],
    ]);
  });

  it('is called once for a small file', async () => {
    const calls: [number, number][] = [];
    await read('gb18030.csv', { onProgress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([[6, 6]]);
  });
});

describe('readCsv', () => {
  /** What csv-parse alone makes of the whole text: the records before any error, and whether it failed. */
  const csvParseAlone = (csv: string) => {
    const rows: string[][] = [];
    let failed = false;
    try {
      parse(csv, {
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: false,
        record_delimiter: ['\r\n', '\n', '\r'],
        delimiter: ',',
        on_record: (r: string[]) => {
          rows.push(r);
          return null;
        },
      });
    } catch {
      failed = true;
    }
    return { rows, failed };
  };
  /** mulberry32: the same "random" files on every run. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it('splits quote-free lines itself and still reads every file exactly as csv-parse does', () => {
    const next = random(20261201);
    const tokens = ['a', 'b', '中', ' ', ',', ',', '"', '\n', '\n', '\r\n', '\r', 'xy', '"a,b"', '""', ',"c"'];
    let failures = 0;
    for (let n = 0; n < 5000; n++) {
      let csv = '';
      const length = Math.floor(next() * 60);
      for (let i = 0; i < length; i++) csv += tokens[Math.floor(next() * tokens.length)];
      const expected = csvParseAlone(csv);
      const rows = readCsv(csv);
      expect(
        rows.filter((r) => !r.broken).map((r) => r.cells),
        JSON.stringify(csv),
      ).toEqual(expected.rows);
      expect(
        rows.some((r) => r.broken),
        JSON.stringify(csv),
      ).toBe(expected.failed);
      expect(rows.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1));
      if (expected.failed) failures++;
    }
    // Both kinds of file were tried.
    expect(failures).toBeGreaterThan(100);
    expect(failures).toBeLessThan(4900);
  });

  it('reads a file with thousands of quoted stretches the same way', () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(i % 2 ? `"第${i}行, 引号",a` : `第${i}行,b`);
    const tricky = [
      // A literal quote (relax_quotes) pairs with one that opens a cell: the stretch ends inside a quote.
      'a,b"c,"d\nx,y\n"q",z\nm,n\n"r\ns",t\n',
      '"a"\n\n"b"\r\n\r"c"\r',
      '"a","b,c",d\n"x""y",,"z"\n"",""\n"q"r,s\n',
    ];
    for (const csv of [lines.join('\r\n'), `${lines.join('\n')}\n"坏的,c\nd,e\n`, ...tricky]) {
      const expected = csvParseAlone(csv);
      const rows = readCsv(csv);
      expect(rows.filter((r) => !r.broken).map((r) => r.cells)).toEqual(expected.rows);
      expect(rows.some((r) => r.broken)).toBe(expected.failed);
    }
  });
});
