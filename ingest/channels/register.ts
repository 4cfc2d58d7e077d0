import { rejectRecord, type ChannelRecord, type Original } from './adapter.ts';
import {
  fieldColumns,
  mapCells,
  mapContext,
  mapHeaders,
  rowPosition,
  rowWords,
  type HeaderMapping,
} from './register-map.ts';
import { emptyFile, readTable, RegisterFileError, type RawRow, type RegisterFormat } from './register-read.ts';

/**
 * The register channel: bulk import of petition registers (信访登记表) kept by hand or exported
 * from an older system, as CSV, XLSX or legacy XLS. One record per data row; the pipeline stores
 * the good rows and dead-letters the rest, each with its row number and the reason in plain words.
 */

export { RegisterFileError, type RegisterFormat } from './register-read.ts';
export { regionResolver, type HeaderMapping, type RegisterField } from './register-map.ts';

export interface RegisterOptions {
  /** The uploaded file's name, set on a `RegisterFileError` (the format is read from the content). */
  filename: string;
  now: Date;
  /** Resolves a district name or 6-digit code from a 所属区域 cell; null when unknown. */
  resolveRegion?: (cell: string) => string | null;
  /** Offset of the register's local times, default '+08:00'. */
  timezoneOffset?: string;
  /** Called at least every 1,000 rows and once at the end with (total, total). */
  onProgress?: (rowsDone: number, rowsTotal: number) => void;
}

export interface RegisterParse {
  format: RegisterFormat;
  /** 'utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be' or 'gb18030' for CSV; null for spreadsheets. */
  encoding: string | null;
  /** The sheet read (the first non-empty one, visible sheets first); null for CSV. */
  sheet: string | null;
  headers: HeaderMapping[];
  unmappedHeaders: string[];
  /** One per non-empty data row, in order. */
  records: ChannelRecord[];
}

/** How many header rows to look past for a title line ("苏州市信访登记表") above the real header. */
const HEADER_SEARCH_ROWS = 20;
const PROGRESS_EVERY = 1000;

const isEmptyRow = (cells: readonly string[]) => cells.every((c) => c.trim() === '');
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The header row: the first of the first rows that has a text column, preferring one with at least
 * two filled cells (a merged title cell such as "信访内容登记表" is one cell).
 */
function findHeader(rows: readonly RawRow[]): number {
  let single = -1;
  let seen = 0;
  let first = -1;
  for (let i = 0; i < rows.length && seen < HEADER_SEARCH_ROWS; i++) {
    const r = rows[i]!;
    if (r.broken || isEmptyRow(r.cells)) continue;
    seen++;
    if (first < 0) first = i;
    if (!mapHeaders(r.cells.map((c) => c.trim())).some((m) => m.field === 'text')) continue;
    if (r.cells.filter((c) => c.trim() !== '').length >= 2) return i;
    if (single < 0) single = i;
  }
  if (single >= 0) return single;
  if (first < 0) {
    const broken = rows.find((r) => r.broken)?.broken;
    if (!broken) throw emptyFile();
    throw new RegisterFileError(brokenReason(broken.fromRow, broken.fromRow, broken.quote));
  }
  const found = rows[first]!.cells.map((c) => c.trim()).filter((c) => c !== '');
  const list = found.slice(0, 30);
  throw new RegisterFileError(
    `找不到诉求内容列：表格要有一列“诉求内容”（或“反映内容”“信访内容”“内容”），找到的表头是：${list.join('、')} / ` +
      `No column for the petition text (such as 诉求内容 or content); the headers found are: ${list.join(', ')}`,
  );
}

const columnName = (n: number) => `第 ${n} 列 / column ${n}`;

/** Header cells as row keys: trimmed, blanks named by their column, repeats numbered. */
function headerKeys(cells: readonly string[]): string[] {
  let width = cells.length;
  while (width > 0 && cells[width - 1]!.trim() === '') width--;
  const seen = new Map<string, number>();
  const keys: string[] = [];
  for (let i = 0; i < width; i++) {
    let key = cells[i]!.trim() || columnName(i + 1);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) key = `${key} (${n})`;
    keys.push(key);
  }
  return keys;
}

/** Characters `JSON.stringify` would escape (lone surrogates included, pairs harmlessly so). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const jsonString = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

/**
 * The row as `{header: cell}` JSON, cells exactly as read; cells past the header's width keep their
 * column under a made-up name so nothing the clerk typed is lost. Built as text because
 * `JSON.stringify` of an object would move number-like headers ("2026") to the front, and because
 * this runs for every cell of a 100,000-row file.
 */
function rowJson(keyJson: readonly string[], cells: readonly string[]): string {
  // Joined rather than concatenated: `+=` leaves a tree of string pieces per row for the GC to chase.
  const parts: string[] = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (i < keyJson.length) parts.push(`${keyJson[i]}:${jsonString(cell)}`);
    else if (cell.trim() !== '') parts.push(`${jsonString(columnName(i + 1))}:${jsonString(cell)}`);
  }
  return `{${parts.join(',')}}`;
}

function brokenReason(row: number, fromRow: number, quote: boolean): string {
  if (row !== fromRow) {
    return (
      `第 ${row} 行在第 ${fromRow} 行的格式错误之后，未能读取 / ` +
      `row ${row} comes after the broken row ${fromRow} and could not be read`
    );
  }
  return quote
    ? `第 ${row} 行有不成对的引号（"），这一行及之后的行都无法读取，请补齐引号或删掉多余的引号后重新导入 / ` +
        `row ${row} has an unmatched quote ("); it and the rows after it could not be read`
    : `第 ${row} 行不是有效的 CSV，这一行及之后的行都无法读取 / ` +
        `row ${row} is not valid CSV; it and the rows after it could not be read`;
}

async function readWithHeader(bytes: Uint8Array, filename: string) {
  try {
    const table = await readTable(bytes);
    return { table, headerAt: findHeader(table.rows) };
  } catch (e) {
    if (e instanceof RegisterFileError) e.filename = filename;
    throw e;
  }
}

/**
 * Reads a register file (CSV, XLSX or XLS, told apart by content) into one `ChannelRecord` per data
 * row. Whole-file problems — damaged file, no text column, empty file, unknown format — throw
 * `RegisterFileError`; a bad row is a rejected record and never stops the others.
 */
export async function parseRegister(bytes: Uint8Array, options: RegisterOptions): Promise<RegisterParse> {
  const ctx = mapContext(options);
  const { table, headerAt } = await readWithHeader(bytes, options.filename);
  const { rows } = table;
  const keys = headerKeys(rows[headerAt]!.cells);
  const headers = mapHeaders(keys);
  const cols = fieldColumns(headers);
  const keyJson = keys.map((k) => JSON.stringify(k));
  const strictWidth = table.format === 'csv';

  const records: ChannelRecord[] = [];
  const total = rows.length - headerAt - 1;
  for (let i = headerAt + 1, done = 1; i < rows.length; i++, done++) {
    const { row, cells, broken } = rows[i]!;
    if (!isEmptyRow(cells)) {
      const position = rowPosition(row);
      const original: Original = { format: 'row', content: rowJson(keyJson, cells), position };
      if (broken) {
        records.push(rejectRecord(original, 'parse', brokenReason(row, broken.fromRow, broken.quote)));
      } else if (strictWidth && !fitsHeader(cells, keys.length)) {
        records.push(
          rejectRecord(
            original,
            'parse',
            `第 ${row} 行有 ${cells.length} 列，表头有 ${keys.length} 列 / ` +
              `row ${row} has ${cells.length} cells, the header has ${keys.length}`,
          ),
        );
      } else {
        records.push(mapCells(cells, cols, original, ctx));
      }
    }
    if (done % PROGRESS_EVERY === 0) {
      options.onProgress?.(done, total);
      // Lets the server answer other requests during a 100,000-row upload.
      await yieldToEventLoop();
    }
  }
  options.onProgress?.(total, total);

  return {
    format: table.format,
    encoding: table.encoding,
    sheet: table.sheet,
    headers,
    unmappedHeaders: headers.filter((h) => h.field === null).map((h) => h.header),
    records,
  };
}

/** Fewer cells than the header is a broken row; extra cells are fine when empty (trailing commas). */
function fitsHeader(cells: readonly string[], width: number): boolean {
  if (cells.length < width) return false;
  for (let i = width; i < cells.length; i++) if (cells[i]!.trim() !== '') return false;
  return true;
}

/**
 * Maps one row object (`{header: cellText}`, as kept in `original.content`) to a record again — used
 * to retry a dead-lettered row after a fix. Headers are recognised exactly as `parseRegister` does.
 */
export function mapRegisterRow(
  row: Record<string, string>,
  position: string,
  options: Pick<RegisterOptions, 'now' | 'resolveRegion' | 'timezoneOffset'>,
): ChannelRecord {
  const keys = Object.keys(row);
  const cells = keys.map((k) => String(row[k] ?? ''));
  const original: Original = { format: 'row', content: JSON.stringify(row), position };
  const headers = mapHeaders(keys);
  if (!headers.some((h) => h.field === 'text')) {
    const where = rowWords(position);
    return rejectRecord(
      original,
      'parse',
      `${where.zh}：没有诉求内容列（${keys.join('、')}） / ${where.en}: no column for the petition text (${keys.join(', ')})`,
    );
  }
  return mapCells(cells, fieldColumns(headers), original, mapContext(options));
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
/**
 * Cells Excel would run as a formula ("=HYPERLINK(…)", "@SUM(…)", "-2+3+cmd|…") get a leading
 * apostrophe; a phone number such as "+86 138 1234 5678" or "-5" is left as it is.
 */
const FORMULA_START = /^[=@\t\r]|^[+-](?![\d ()-]*$)/;

function csvCell(value: string): string {
  const v = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

const ROW_NUMBER = /row (\d+)/;

/**
 * The rejected rows as a CSV file for the clerk to fix: 行号 row, the original columns (plus any
 * extra cells a row had), 原因 reason. UTF-8 with a BOM and CRLF line ends, so Excel opens it as
 * Chinese text; re-importing it works, the two added columns are not recognised as fields.
 */
export function rejectedRowsCsv(
  headers: readonly string[],
  rejected: readonly { position: string; row: Record<string, string>; reason: string }[],
): string {
  const columns = [...headers];
  const known = new Set(columns);
  for (const r of rejected) {
    for (const k of Object.keys(r.row)) {
      if (!known.has(k)) {
        known.add(k);
        columns.push(k);
      }
    }
  }
  const lines = [['行号 / row', ...columns, '原因 / reason'].map(csvCell).join(',')];
  for (const r of rejected) {
    const rowNumber = ROW_NUMBER.exec(r.position)?.[1] ?? r.position;
    lines.push([rowNumber, ...columns.map((c) => r.row[c] ?? ''), r.reason].map(csvCell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
