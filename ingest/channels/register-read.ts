import { isUtf8 } from 'node:buffer';
import * as XLSX from '@e965/xlsx';
import { CsvError, parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/**
 * Reads a register file into rows of cell text, whatever it came as: CSV in any of the encodings
 * Chinese offices produce, XLSX, legacy XLS (BIFF), or the HTML tables some systems save as ".xls".
 */

export type RegisterFormat = 'csv' | 'xlsx' | 'xls';

/**
 * A problem with the whole file, not one row. The message says in plain words (Chinese, then
 * English) what the clerk can do about it.
 */
export class RegisterFileError extends Error {
  override name = 'RegisterFileError';
  /** The file it was about, when known. */
  filename?: string;
}

/** Why a CSV row could not be split into cells. */
export interface BrokenRow {
  /** The row where reading went wrong; it and every row after it are unreadable. */
  fromRow: number;
  quote: boolean;
}

export interface RawRow {
  /** Spreadsheet row number (CSV: record number), the header row being 1 when it is first. */
  row: number;
  cells: string[];
  broken?: BrokenRow;
}

export interface RawTable {
  format: RegisterFormat;
  encoding: string | null;
  sheet: string | null;
  rows: RawRow[];
}

const damaged = (kind: string, en: string) =>
  new RegisterFileError(`文件已损坏或不完整（${kind}），请重新导出 / ${en}; export it again`);

const unknownFormat = () =>
  new RegisterFileError(
    '无法识别文件格式，请从登记系统导出为 XLSX、XLS 或 CSV 后再导入 / ' +
      'This is not a register file we can read; export the register as XLSX, XLS or CSV and import that',
  );
const passwordProtected = () =>
  new RegisterFileError(
    '文件设有打开密码，请在 Excel 中取消密码后重新保存 / ' +
      'The file is password-protected; remove the password in Excel, save it and import it again',
  );
const allSheetsEmpty = () =>
  new RegisterFileError('表格里没有任何内容（所有工作表都是空的） / Every sheet in the workbook is empty');

const startsWith = (b: Uint8Array, sig: readonly number[]) => sig.every((x, i) => b[i] === x);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** PDF, PNG, JPEG, GIF, RAR, 7z, gzip: files clerks pick by mistake. */
const NOT_REGISTERS = [
  [0x25, 0x50, 0x44, 0x46],
  [0x89, 0x50, 0x4e, 0x47],
  [0xff, 0xd8, 0xff],
  [0x47, 0x49, 0x46, 0x38],
  [0x52, 0x61, 0x72, 0x21],
  [0x37, 0x7a, 0xbc, 0xaf],
  [0x1f, 0x8b],
];

/** Reads the file's rows; throws `RegisterFileError` when the file as a whole cannot be read. */
export async function readTable(bytes: Uint8Array): Promise<RawTable> {
  if (bytes.length === 0) throw emptyFile();
  if (startsWith(bytes, ZIP)) return readXlsx(bytes);
  if (startsWith(bytes, CFB)) return readBiff(bytes);
  if (NOT_REGISTERS.some((sig) => startsWith(bytes, sig))) throw unknownFormat();
  const { text, encoding } = decodeText(bytes);
  if (text.slice(0, 4096).includes('\u0000')) throw unknownFormat();
  if (looksLikeHtmlOrXmlSheet(text)) return readMarkupSheet(text);
  return { format: 'csv', encoding, sheet: null, rows: readCsv(text) };
}

/** The error for a file with nothing in it, also when every row is blank. */
export function emptyFile(): RegisterFileError {
  return new RegisterFileError('文件是空的，没有可导入的内容 / The file is empty; there is nothing to import');
}

const UTF16LE = new TextDecoder('utf-16le');

/**
 * Decodes CSV text: a byte-order mark decides; else valid UTF-8 is UTF-8; else GB18030 (a superset
 * of GBK and GB2312, what Excel on Chinese Windows writes as "CSV").
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(buf, [0xef, 0xbb, 0xbf])) return { text: buf.toString('utf8', 3), encoding: 'utf-8-bom' };
  if (startsWith(buf, [0xff, 0xfe])) return { text: UTF16LE.decode(buf.subarray(2)), encoding: 'utf-16le' };
  if (startsWith(buf, [0xfe, 0xff])) return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  // Excel's "Unicode text" without a mark: ASCII letters with a zero byte after (or before) each.
  if (buf.length >= 4 && buf[0] !== 0 && buf[1] === 0 && buf[2] !== 0 && buf[3] === 0) {
    return { text: UTF16LE.decode(buf), encoding: 'utf-16le' };
  }
  if (buf.length >= 4 && buf[0] === 0 && buf[1] !== 0 && buf[2] === 0 && buf[3] !== 0) {
    return { text: iconv.decode(buf, 'utf-16be'), encoding: 'utf-16be' };
  }
  // Same verdict as TextDecoder('utf-8', { fatal: true }), a little faster.
  if (isUtf8(buf)) return { text: buf.toString('utf8'), encoding: 'utf-8' };
  return { text: iconv.decode(buf, 'gb18030'), encoding: 'gb18030' };
}

// ---------------------------------------------------------------------------------------------
// CSV

const DELIMITERS = [',', '\t', ';', '|'] as const;

/** The separator that occurs most often, outside quotes, in the first non-empty line. */
function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  let seenContent = false;
  for (let i = 0; i < text.length && i < 65_536; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (seenContent) break;
    } else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
    else if (ch.trim() !== '') seenContent = true;
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

const LINE_BREAK = /\r\n|\n|\r/;

/** Splits unreadable CSV text into lines and cells without honouring quotes: only to show the clerk. */
function roughRows(rest: string, delimiter: string, firstRow: number, quote: boolean): RawRow[] {
  const lines = rest.split(LINE_BREAK);
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, i) => ({
    row: firstRow + i,
    cells: line.split(delimiter),
    broken: { fromRow: firstRow, quote },
  }));
}

const CSV_OPTIONS = {
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: false,
  record_delimiter: ['\r\n', '\n', '\r'],
};
/**
 * A line put between quoted stretches so one csv-parse call (~30 µs of set-up each) reads them all:
 * U+FDD0 is a noncharacter, never typed; a file that has one is read stretch by stretch instead.
 */
const SEPARATOR = '\uFDD0';

/**
 * Finds line ends and quote characters front to back. Each `indexOf` result is kept until passed,
 * so a file whose only quote is on line 3 is not searched to its end again for every line.
 */
class Scanner {
  private lf: number;
  private cr: number;
  private quote: number;
  constructor(private readonly text: string) {
    this.lf = text.indexOf('\n');
    this.cr = text.indexOf('\r');
    this.quote = text.indexOf('"');
  }
  /** Index of the line break ending the line that starts at `from`, or the text's length. */
  lineEnd(from: number): number {
    if (this.lf !== -1 && this.lf < from) this.lf = this.text.indexOf('\n', from);
    if (this.cr !== -1 && this.cr < from) this.cr = this.text.indexOf('\r', from);
    const { lf, cr } = this;
    if (lf === -1) return cr === -1 ? this.text.length : cr;
    return cr === -1 || lf < cr ? lf : cr;
  }
  /** Start of the next line after the break at `end` (CRLF is one break). */
  nextLine(end: number): number {
    return this.text.startsWith('\r\n', end) ? end + 2 : end + 1;
  }
  /** How many quote characters lie in [from, to). */
  quotes(from: number, to: number): number {
    if (this.quote !== -1 && this.quote < from) this.quote = this.text.indexOf('"', from);
    let n = 0;
    while (this.quote !== -1 && this.quote < to) {
      n++;
      this.quote = this.text.indexOf('"', this.quote + 1);
    }
    return n;
  }
}

/** A quote-free line's cells, or a stretch of lines with quotes (with its last line break) for csv-parse. */
type Piece = { cells: string[] } | { start: number; csv: string };

/**
 * The cells of one line whose quotes are all plain RFC 4180 — each quoted cell wrapped whole, `""`
 * inside — or null for anything else (a quote inside an unquoted cell, text after a closing quote,
 * an unclosed quote), which csv-parse's relaxed rules then decide.
 */
function regularQuotedLine(line: string, delimiter: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q === -1) return null;
        value += line.slice(j, q);
        if (line[q + 1] !== '"') {
          i = q + 1;
          break;
        }
        value += '"';
        j = q + 2;
      }
      cells.push(value);
      if (i === line.length) return cells;
      if (line[i] !== delimiter) return null;
      i++;
    } else {
      const next = line.indexOf(delimiter, i);
      const cell = line.slice(i, next === -1 ? line.length : next);
      if (cell.includes('"')) return null;
      cells.push(cell);
      if (next === -1) return cells;
      i = next + 1;
    }
  }
}

/**
 * Splits CSV into rows. Row numbers count records, as Excel numbers the rows it shows (a quoted cell
 * spanning lines is one row); blank lines are rows too, so the numbers match what the clerk sees.
 * Cell counts are not checked here: a short row is the row's problem, not the file's.
 *
 * csv-parse is slow (most of a 100,000-row import's parse time), so a line without quotes is split
 * at its delimiters directly and a line of plainly quoted cells is read by `regularQuotedLine` —
 * for those lines that is all csv-parse would do. csv-parse reads everything else: cells over
 * several lines, stray quotes, unclosed quotes. Such a stretch ends where its quotes pair up, so
 * csv-parse starts each where it would be reading the whole file: at a record's start, outside
 * quotes; where that guess is wrong (a stray quote pairing with a real one), csv-parse reads from
 * there to the end, as it would have anyway. The spec checks the result against csv-parse alone.
 */
export function readCsv(text: string): RawRow[] {
  const delimiter = detectDelimiter(text);
  const scan = new Scanner(text);
  const pieces: Piece[] = [];
  let pos = 0;
  while (pos < text.length) {
    const end = scan.lineEnd(pos);
    let next = scan.nextLine(end);
    let quotes = scan.quotes(pos, end);
    const line = text.slice(pos, end);
    const cells = quotes === 0 ? line.split(delimiter) : quotes % 2 === 0 ? regularQuotedLine(line, delimiter) : null;
    if (cells) {
      pieces.push({ cells });
      pos = next;
      continue;
    }
    while (quotes % 2 === 1 && next < text.length) {
      const lineEnd = scan.lineEnd(next);
      quotes += scan.quotes(next, lineEnd);
      next = scan.nextLine(lineEnd);
    }
    // With its last line break: a blank last line is a row, and csv-parse only sees it if it is ended.
    pieces.push({ start: pos, csv: text.slice(pos, next) });
    pos = next;
  }

  const stretches = pieces.filter((p) => 'csv' in p);
  const first = pieces[0];
  const width = first && 'cells' in first ? first.cells.length : 1;
  const parsed = text.includes(SEPARATOR) ? null : parseStretchesAtOnce(stretches, delimiter, width);
  const rows: RawRow[] = [];
  let k = 0;
  for (const piece of pieces) {
    if ('cells' in piece) {
      rows.push({ row: rows.length + 1, cells: piece.cells });
      continue;
    }
    let records = parsed?.[k++];
    if (!records) {
      try {
        records = parse(piece.csv, { ...CSV_OPTIONS, delimiter });
      } catch (e) {
        if (!(e instanceof CsvError)) throw e;
        // From here on csv-parse must read as it would the whole file: to its end, or until it fails.
        readBrokenRest(text.slice(piece.start), delimiter, rows);
        return rows;
      }
    }
    for (const cells of records) rows.push({ row: rows.length + 1, cells });
  }
  return rows;
}

/** Every stretch's records from one csv-parse call, or null when a stretch is broken (read them one by one). */
function parseStretchesAtOnce(
  stretches: readonly { csv: string }[],
  delimiter: string,
  width: number,
): string[][][] | null {
  if (stretches.length < 2) return null;
  // As wide as the header: csv-parse builds an error object, stack and all, for every record whose
  // width differs from the first one's, even with relax_column_count.
  const separator = SEPARATOR + delimiter.repeat(Math.max(width - 1, 0));
  const joined = stretches.map((s) => (/[\r\n]$/.test(s.csv) ? s.csv : `${s.csv}\n`)).join(`${separator}\n`);
  let records: string[][];
  try {
    records = parse(joined, { ...CSV_OPTIONS, delimiter });
  } catch (e) {
    if (e instanceof CsvError) return null;
    throw e;
  }
  const out: string[][][] = [[]];
  for (const r of records) {
    if (r[0] === SEPARATOR && r.length === width && r.every((c, i) => i === 0 || c === '')) out.push([]);
    else out.at(-1)!.push(r);
  }
  return out.length === stretches.length ? out : null;
}

/**
 * Reads what csv-parse gave up on: the records before the failure are good (csv-parse drops them
 * all when it throws, so they are collected as it goes), the rest is split roughly for the clerk.
 */
function readBrokenRest(rest: string, delimiter: string, rows: RawRow[]): void {
  let bytesRead = 0;
  let code = '';
  try {
    parse(rest, {
      ...CSV_OPTIONS,
      delimiter,
      on_record: (record: string[], context) => {
        rows.push({ row: rows.length + 1, cells: record });
        bytesRead = context.bytes;
        return null;
      },
    });
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    code = e.code;
  }
  // csv-parse counts bytes of the UTF-8 it read; what is left starts at the failing record.
  const unread = Buffer.from(rest, 'utf8').subarray(bytesRead).toString('utf8');
  rows.push(...roughRows(unread, delimiter, rows.length + 1, code === 'CSV_QUOTE_NOT_CLOSED'));
}

// ---------------------------------------------------------------------------------------------
// Spreadsheets

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const BEFORE_1900 = Date.UTC(1900, 0, 2);

/**
 * A date cell as the wall-clock text it shows: both exceljs and SheetJS hand dates over as a `Date`
 * whose UTC fields are the cell's local time. Rounded to the second: serial day fractions come back
 * as 09:29:59.999.
 */
export function dateCellText(d: Date): string {
  const ms = d.getTime();
  if (Number.isNaN(ms)) return '';
  const t = new Date(Math.round(ms / 1000) * 1000);
  const clock = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
  const seconds = t.getUTCSeconds() ? `:${pad(t.getUTCSeconds())}` : '';
  // A time-only cell sits on the spreadsheet epoch, 1899-12-30.
  if (ms < BEFORE_1900) return clock + seconds;
  const date = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  return clock === '00:00' && !seconds ? date : `${date} ${clock}${seconds}`;
}

/**
 * A numeric cell as its digits: phone and ID numbers are often stored as numbers, and their display
 * text (3.20508E+17) has lost digits. Integers up to 1e21 print in full with `String`; beyond, BigInt.
 */
export function numberCellText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  const s = String(n);
  return s.includes('e') ? n.toFixed(20).replace(/\.?0+$/, '') : s;
}

function excelValueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberCellText(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return dateCellText(v);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) {
      return (o.richText as { text?: unknown }[]).map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
    }
    if ('formula' in o || 'sharedFormula' in o) return excelValueText(o.result);
    if ('hyperlink' in o || 'text' in o) return excelValueText(o.text);
    if ('error' in o) return excelValueText(o.error);
  }
  return '';
}

const hasContent = (rows: readonly RawRow[]) => rows.some((r) => r.cells.some((c) => c.trim() !== ''));

/** The first non-empty sheet, preferring sheets the clerk can see. */
function pickSheet<S>(sheets: readonly { sheet: S; visible: boolean }[], rowsOf: (s: S) => RawRow[]) {
  let hidden: { sheet: S; rows: RawRow[] } | null = null;
  for (const { sheet, visible } of sheets) {
    const rows = rowsOf(sheet);
    if (!hasContent(rows)) continue;
    if (visible) return { sheet, rows };
    hidden ??= { sheet, rows };
  }
  if (hidden) return hidden;
  throw allSheetsEmpty();
}

async function readXlsx(bytes: Uint8Array): Promise<RawTable> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.includes('mimetypeapplication/vnd.oasis.opendocument')) {
    throw new RegisterFileError(
      '这是 WPS/LibreOffice 的 ODS 表格，请另存为 XLSX 后再导入 / ' +
        'This is an OpenDocument (.ods) spreadsheet; save it as XLSX and import that',
    );
  }
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's typings ask for its own Buffer type; Node's Buffer is what it reads.
    await workbook.xlsx.load(buf as unknown as ExcelJS.Buffer);
  } catch {
    throw damaged('XLSX 压缩包不完整', 'The XLSX file is damaged or truncated');
  }
  if (workbook.worksheets.length === 0) {
    // exceljs opens any ZIP (a .docx, a folder of scans) and finds no sheets in it.
    if (!buf.includes('xl/workbook')) {
      throw new RegisterFileError(
        '这个压缩文件不是 Excel 表格，请从登记系统导出为 XLSX 或 CSV / ' +
          'This ZIP file is not an Excel workbook; export the register as XLSX or CSV',
      );
    }
    throw allSheetsEmpty();
  }
  const picked = pickSheet(
    workbook.worksheets.map((ws) => ({ sheet: ws, visible: ws.state === 'visible' })),
    (ws) => {
      const rows: RawRow[] = [];
      ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let c = 1; c < values.length; c++) cells.push(excelValueText(values[c]));
        rows.push({ row: rowNumber, cells });
      });
      return rows;
    },
  );
  return { format: 'xlsx', encoding: null, sheet: picked.sheet.name, rows: picked.rows };
}

function sheetJsCellText(cell: XLSX.CellObject | undefined): string {
  if (!cell) return '';
  switch (cell.t) {
    case 's':
      return String(cell.v ?? '');
    case 'n':
      return typeof cell.v === 'number' ? numberCellText(cell.v) : '';
    case 'b':
      return cell.v ? 'TRUE' : 'FALSE';
    case 'd':
      return cell.v instanceof Date ? dateCellText(cell.v) : String(cell.v ?? '');
    case 'e':
      return cell.w ?? '#ERROR';
    default:
      return '';
  }
}

function sheetJsRows(ws: XLSX.WorkSheet): RawRow[] {
  const data = (ws as XLSX.DenseWorkSheet)['!data'] ?? [];
  const rows: RawRow[] = [];
  data.forEach((cellsIn, r) => {
    if (!cellsIn) return;
    const cells: string[] = [];
    for (let c = 0; c < cellsIn.length; c++) cells.push(sheetJsCellText(cellsIn[c]));
    rows.push({ row: r + 1, cells });
  });
  return rows;
}

function sheetJsTable(wb: XLSX.WorkBook): RawTable {
  const hiddenFlags = wb.Workbook?.Sheets ?? [];
  const picked = pickSheet(
    wb.SheetNames.map((name, i) => ({ sheet: name, visible: !hiddenFlags[i]?.Hidden })),
    (name) => {
      const ws = wb.Sheets[name];
      return ws ? sheetJsRows(ws) : [];
    },
  );
  return { format: 'xls', encoding: null, sheet: picked.sheet, rows: picked.rows };
}

function readBiff(bytes: Uint8Array): RawTable {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, { type: 'buffer', cellDates: true, dense: true, cellFormula: false, cellHTML: false });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // Office's encrypted XLSX is an OLE container too, holding an "EncryptedPackage".
    if (/password|encrypt/i.test(message)) throw passwordProtected();
    if (/workbook stream/i.test(message)) {
      throw new RegisterFileError(
        '这个文件不是 Excel 表格（可能是 Word 文档），请从登记系统导出为 XLSX、XLS 或 CSV / ' +
          'This Office file is not an Excel workbook (perhaps a Word document); export the register as XLSX, XLS or CSV',
      );
    }
    throw damaged('XLS 文件无法读取', 'The XLS file is damaged or truncated');
  }
  if (wb.SheetNames.length === 0) throw damaged('XLS 文件无法读取', 'The XLS file is damaged or truncated');
  return sheetJsTable(wb);
}

const MARKUP_SHEET = /^\s*<(?:!doctype html|html|\?xml|table)[\s>]/i;
const TABLE_OR_WORKBOOK = /<table[\s>]|urn:schemas-microsoft-com:office:spreadsheet/i;

/** Many registry systems save an HTML table (or Excel 2003 XML) and call it ".xls". */
function looksLikeHtmlOrXmlSheet(text: string): boolean {
  return MARKUP_SHEET.test(text.slice(0, 1024)) && TABLE_OR_WORKBOOK.test(text.slice(0, 65_536));
}

function readMarkupSheet(text: string): RawTable {
  let wb: XLSX.WorkBook;
  try {
    // raw: keep "320508199003071234" as text; parsed as a number it would lose its last digits.
    wb = XLSX.read(text, { type: 'string', raw: true, cellDates: true, dense: true });
  } catch {
    throw damaged('网页格式的 XLS 无法读取', 'The HTML/XML ".xls" file could not be read');
  }
  return sheetJsTable(wb);
}
