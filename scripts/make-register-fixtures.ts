/**
 * `npx tsx scripts/make-register-fixtures.ts`: writes the register-import fixtures under
 * tests/fixtures/channels/register/. The files are committed; the spec reads them and never runs this,
 * so a fixture stays the recorded file a clerk would upload even if a library's writer changes.
 * Names, numbers and addresses are made up.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

const dir = fileURLToPath(new URL('../tests/fixtures/channels/register/', import.meta.url));
mkdirSync(dir, { recursive: true });
const write = (name: string, data: string | Uint8Array) => {
  writeFileSync(`${dir}${name}`, data);
  console.log(`wrote ${name}`);
};
const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

// Excel on Chinese Windows saves "CSV" as GB18030/GBK with CRLF. 王𠮷's second character is outside
// GBK: only a real GB18030 decoder (four-byte sequence) gets it right. Row 5's ID number is too short.
write(
  'gb18030.csv',
  iconv.encode(
    crlf([
      '登记编号,登记时间,信访人,联系电话,身份证号,家庭住址,所属区域,信访形式,事项类别,被反映单位,诉求内容',
      'SZ-2026-1101,2026-11-30 09:30,王𠮷,13913572468,320506198503124517,吴中区长桥街道龙西路58号,吴中区,来访,申诉求决,,小区自来水水压不足已两个月，高层住户每天晚上无法用水，物业一直推诿。',
      'SZ-2026-1102,2026/11/28 14:05:00,李秀英,0512-65238871,,姑苏区平江路12号,姑苏区,来信,检举控告,姑苏区某拆迁公司,拆迁补偿款被克扣，举报拆迁公司工作人员私下收取好处费。',
      'SZ-2026-1103,2026年11月27日 9时30分,张建国,13776543210,32058319780612003X,昆山市玉山镇同丰路3号,昆山市,电话,建议意见,,"建议在同丰路口增设红绿灯, 上下学时段车辆太多，孩子过马路很危险。"',
      'SZ-2026-1104,2026-11-26,陈美华,18915926358,3205061990,吴中区木渎镇中山路20号,吴中区,来访,,,木渎老街商户占道经营，消防通道被堵。',
      'SZ-2026-1105,2026年11月25日,周志强,13862014785,320508196511203456,姑苏区十全街88号,姑苏区,网上信访,涉法涉诉,,"对区法院的判决不服, 要求重新审理。"',
      'SZ-2026-1106,2026-11-24 16:20,赵丽,,,,吴中区,,,,附近工厂夜间排放异味，影响周边居民休息。',
    ]),
    'gb18030',
  ),
);

// A UTF-8 export with a BOM: required-field stars in the headers, a quoted cell over two lines,
// a blank line, an ISO time, full-width digits, a district without its 市, a time nobody can read.
write(
  'utf8-bom.csv',
  '\uFEFF' +
    crlf([
      '编号*,受理时间,姓名*,手机号码,标题,反映内容*,区县,备注',
      'WS-001,2026-11-29T10:15:00+08:00,刘洋,15850123456,噪音扰民,"夜间施工噪音严重, 凌晨两点还在打桩\r\n多次投诉无果",吴中区,',
      ',,,,,,,',
      'WS-002,2026/11/29 8:05,孙婷,13584269517,垃圾清运,小区垃圾站三天没有清运，气味很大。,昆山,已电话回访',
      'WS-003,明天上午,吴磊,13706215489,停车收费,物业擅自上调停车费。,姑苏区,',
      'WS-004,2026-11-28 20:00,郑红,１３９１２３４５６７８,漏水,楼上漏水，邻居不配合维修。,太仓市,',
    ]),
);

// Row 3 lost a cell; row 5 has a trailing empty cell (fine); row 6 has an extra filled cell.
write(
  'wrong-columns.csv',
  [
    '编号,日期,姓名,电话,内容',
    'A1,2026-11-20,钱伟,13800001111,路灯坏了一个月没人修',
    'A2,2026-11-21,冯敏,13800002222',
    'A3,2026-11-22,何军,13800003333,井盖缺失存在安全隐患',
    'A4,2026-11-22,吕芳,13800004444,公交站台被占用,',
    'A5,2026-11-23,许强,13800005555,小区电梯经常故障,备注在这里',
    '',
  ].join('\n'),
);

// Row 3 opens a quote it never closes: csv-parse reads to the end of the file looking for it.
write(
  'unclosed-quote.csv',
  [
    '编号,日期,姓名,内容',
    'Q1,2026-11-20,钱伟,路灯坏了',
    'Q2,2026-11-21,冯敏,"违章搭建未拆除',
    'Q3,2026-11-22,何军,井盖缺失',
    'Q4,2026-11-23,许强,电梯故障',
    '',
  ].join('\n'),
);

write(
  'english-headers.csv',
  crlf([
    'External ID,Received At,Name,Phone,ID Number,Address,E-mail,District,Channel,Category,Accused Unit,Content',
    'EN-1,2026-11-30 09:00,Zhou Min,+86 512 6523 8871,,"No. 5 Shiquan Street, Gusu",zhou.min@example.cn,Gusu,web,accusation,Gusu Housing Office,The maintenance fund of our estate was spent without a residents’ vote.',
    'EN-2,2026-11-29,李华,13912340000,,,li.hua@example.cn,320583,email,suggestion,,建议增加夜间公交班次。',
    'EN-3,2026-11-28 18:45,Wang Lei,not-a-phone,,,wang@,Kunshan,visit,,,Noise from the construction site every night.',
  ]),
);

/** Wall-clock time as exceljs wants it: a Date whose UTC fields are the local time. */
const wall = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi));

const workbook = new ExcelJS.Workbook();
workbook.creator = 'Wenkong fixtures';
workbook.created = workbook.modified = wall(2026, 11, 30, 12);
workbook.addWorksheet('说明'); // an empty first sheet: the register is on the second
const ws = workbook.addWorksheet('登记表');
ws.addRow(['信访编号', '来信来访时间', '来访人', '手机', '证件号码', '通讯地址', '发生地', '渠道', '类别', '主要诉求']);
ws.addRow([
  'XF20261101',
  wall(2026, 11, 30, 9, 30),
  '杨桂英',
  13913572468,
  320506850312451,
  '吴中区郭巷街道尹山湖路6号',
  '吴中区',
  '来访',
  '申诉求决',
  '拖欠农民工工资三个月，施工方负责人联系不上。',
]);
ws.getCell('B2').numFmt = 'yyyy-mm-dd hh:mm';
ws.getCell('D2').numFmt = '0';
ws.getCell('E2').numFmt = '0';
ws.addRow([
  { formula: '"XF"&"20261102"', result: 'XF20261102' },
  '2026年11月29日 14时',
  '钱国平',
  '0512-66881234',
  null,
  { text: '姑苏区观前街1号', hyperlink: 'https://map.example.cn/?q=观前街1号' },
  '姑苏区',
  '来信',
  '建议',
  { richText: [{ text: '观前街' }, { font: { bold: true }, text: '夜间外摆' }, { text: '影响通行，建议规范管理。' }] },
]);
ws.addRow([]);
ws.addRow([
  'XF20261103',
  wall(2026, 11, 28),
  '孔丽',
  13776543210,
  null,
  null,
  '昆山市',
  '网上信访',
  '',
  '小区门口道路塌陷，存在安全隐患。',
]);
ws.getCell('B5').numFmt = 'yyyy-mm-dd';
ws.addRow(['XF20261104', wall(2026, 11, 27, 10), '曹勇', 18912345678, null, null, '相城区', '来访', '', '']);
ws.getCell('B6').numFmt = 'yyyy-mm-dd hh:mm';
const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
write('register.xlsx', xlsx);
write('truncated.xlsx', xlsx.subarray(0, Math.floor(xlsx.length / 2)));

/** A spreadsheet serial day number for a local wall-clock time (1900 date system). */
const serial = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi) / 86_400_000 + 25_569;
const dateCell = (v: number): XLSX.CellObject => ({ t: 'n', v, z: 'yyyy-mm-dd hh:mm' });
const text = (v: string): XLSX.CellObject => ({ t: 's', v });
const num = (v: number): XLSX.CellObject => ({ t: 'n', v });

// A legacy XLS with a merged title row above the header, as registers printed for filing have.
const sheet: XLSX.WorkSheet = XLSX.utils.aoa_to_sheet([
  ['苏州市吴中区信访登记表（2026年11月）'],
  ['序号', '登记时间', '姓名', '联系电话', '所属区域', '事项类别', '被反映单位', '反映内容'],
]);
XLSX.utils.sheet_add_aoa(
  sheet,
  [
    [
      num(1),
      dateCell(serial(2026, 11, 30, 8, 45)),
      text('顾晓明'),
      num(13862001234),
      text('吴中区'),
      text('申诉'),
      text(''),
      text('征地补偿标准低于周边村，要求按新标准补偿。'),
    ],
    [
      num(2),
      dateCell(serial(2026, 11, 29, 15, 10)),
      text('沈佳'),
      num(15962101234),
      text('吴中区'),
      text('检举控告'),
      text('吴中区某街道城管中队'),
      text('城管队员执法时态度粗暴，并没收摊位物品不开收据。'),
    ],
    [
      num(3),
      text('2026-13-01'),
      text('陆明'),
      num(13962107777),
      text('吴中区'),
      text(''),
      text(''),
      text('河道垃圾长期无人清理。'),
    ],
  ],
  { origin: 'A3' },
);
sheet['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 7 } }];
const book = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(book, sheet, '十一月');
write('register.xls', XLSX.write(book, { bookType: 'biff8', type: 'buffer' }) as Buffer);
