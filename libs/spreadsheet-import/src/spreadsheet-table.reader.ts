/**
 * Reads an uploaded spreadsheet (XLSX with exceljs, CSV with csv-parse) into rows of text cells,
 * naming every problem of the file itself by sheet, row and column: a file too large, one that is
 * not a workbook or not CSV, a missing sheet, a missing / unknown / repeated column, an empty
 * sheet, a formula or a spreadsheet error where a value goes. Every import (the register, past
 * figures) reads its files through here, so they read cells the same way: a date cell as the
 * calendar date it shows (`YYYY-MM-DD`), a number as the shortest decimal that is the same number,
 * a number formatted as a percentage as the percentage it shows (`27.3%`).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';

/** One column of an import file's layout: the template, the reader and the docs are drawn from it. */
export interface TemplateColumn {
  /** The header, exactly as written in row 1 (case and surrounding spaces are ignored). */
  readonly name: string;
  readonly required: boolean;
  /** What goes in the column, in plain English. */
  readonly description: string;
  readonly example: string;
}

export interface ImportProblem {
  readonly sheet: string;
  /** The spreadsheet row (1 is the header); null for the file as a whole. */
  readonly row: number | null;
  /** The column's header; null for the row or the file as a whole. */
  readonly column: string | null;
  /** In plain English. */
  readonly problem: string;
}

export interface SheetRow {
  readonly row: number;
  /** Cell text by column name (template spelling), trimmed; '' for an empty cell. */
  readonly cells: Readonly<Record<string, string>>;
}

/**
 * A sheet an import reads. The first one listed is the main sheet: it must exist and hold rows,
 * and a CSV file is that sheet. Another sheet may be absent or hold its header only.
 */
export interface SheetLayout {
  readonly name: string;
  readonly columns: readonly TemplateColumn[];
}

export interface SpreadsheetLayout {
  /** Larger files are not read: the report says how large the file is. */
  readonly maxBytes: number;
  /** The main sheet first; a workbook with a single sheet of another name is taken to be it. */
  readonly sheets: readonly [SheetLayout, ...SheetLayout[]];
  /** The main sheet may be absent from a workbook that holds another listed sheet (a register of targets alone). */
  readonly mainSheetOptional?: boolean;
}

export interface SpreadsheetContent {
  readonly kind: 'xlsx' | 'csv';
  /** Each sheet's rows by sheet name ([] for a sheet absent or unreadable). */
  readonly rows: Readonly<Record<string, readonly SheetRow[]>>;
  readonly problems: readonly ImportProblem[];
}

type Cell = string | { readonly problem: string };
type Grid = { readonly row: number; readonly values: readonly Cell[] }[];

export async function readSpreadsheet(fileName: string, content: Buffer, layout: SpreadsheetLayout): Promise<SpreadsheetContent> {
  const kind = spreadsheetKindOf(fileName, content);
  const main = layout.sheets[0];
  const empty = Object.fromEntries(layout.sheets.map((sheet) => [sheet.name, [] as SheetRow[]]));
  const fileProblem = (problem: string, row: number | null = null): SpreadsheetContent => ({
    kind,
    rows: empty,
    problems: [{ sheet: main.name, row, column: null, problem }],
  });
  if (content.length > layout.maxBytes) {
    const megabytes = (content.length / (1024 * 1024)).toFixed(1);
    return fileProblem(`the file is ${megabytes} MB; files up to ${layout.maxBytes / (1024 * 1024)} MB are read`);
  }
  if (kind === 'csv') {
    let records: string[][];
    try {
      records = parseCsv(content, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
    } catch (error) {
      return fileProblem(`the file is not valid CSV: ${(error as Error).message}`, (error as { lines?: number }).lines ?? null);
    }
    const read = sheetRows(main.name, records.map((values, index) => ({ row: index + 1, values })), main.columns, true);
    return { kind, rows: { ...empty, [main.name]: read.rows }, problems: read.problems };
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch (error) {
    return fileProblem(`the file is not a readable XLSX workbook: ${(error as Error).message}`);
  }
  const find = (name: string) => workbook.worksheets.find((sheet) => sheet.name.trim().toLowerCase() === name.toLowerCase());
  const rows: Record<string, readonly SheetRow[]> = { ...empty };
  const problems: ImportProblem[] = [];
  const anotherListed = layout.sheets.slice(1).some((other) => find(other.name) !== undefined);
  for (const [index, layoutSheet] of layout.sheets.entries()) {
    const isMain = index === 0;
    const sheet = find(layoutSheet.name) ?? (isMain && workbook.worksheets.length === 1 && !anotherListed ? workbook.worksheets[0] : undefined);
    if (!sheet) {
      if (isMain && !(layout.mainSheetOptional && anotherListed)) problems.push({ sheet: layoutSheet.name, row: null, column: null, problem: `the workbook has no sheet named ${layoutSheet.name}` });
      continue;
    }
    const read = sheetRows(layoutSheet.name, gridOf(sheet), layoutSheet.columns, isMain);
    rows[layoutSheet.name] = read.rows;
    problems.push(...read.problems);
  }
  return { kind, rows, problems };
}

/** XLSX or CSV, by the file's name, else by its first bytes (an XLSX file is a zip: "PK"). */
export function spreadsheetKindOf(fileName: string, content: Buffer): 'xlsx' | 'csv' {
  if (/\.xlsx$/i.test(fileName)) return 'xlsx';
  if (/\.csv$/i.test(fileName)) return 'csv';
  return content.subarray(0, 2).toString('latin1') === 'PK' ? 'xlsx' : 'csv';
}

function gridOf(sheet: ExcelJS.Worksheet): Grid {
  const grid: { row: number; values: Cell[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: Cell[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) values.push(cellText(row.getCell(column)));
    grid.push({ row: rowNumber, values });
  });
  return grid;
}

/** A cell as text; a formula or an error is a problem, never a value silently computed. */
function cellText(cell: ExcelJS.Cell): Cell {
  const value = cell.value;
  switch (cell.type) {
    case ExcelJS.ValueType.Null:
    case ExcelJS.ValueType.Merge:
      return '';
    case ExcelJS.ValueType.Formula: {
      const formula = (value as { formula?: string; sharedFormula?: string }).formula ?? (value as { sharedFormula?: string }).sharedFormula ?? '';
      return { problem: `holds a formula (=${formula}); type the value itself` };
    }
    case ExcelJS.ValueType.Error:
      return { problem: `holds the spreadsheet error ${(value as { error: string }).error}` };
    case ExcelJS.ValueType.Number:
      // A percentage cell holds 0.273 and shows 27.3%: read what it shows, for the planner to read with the KPI's unit.
      return isPercentFormat(cell.numFmt) ? `${new Decimal(numberText(value as number)).times(100).toFixed()}%` : numberText(value as number);
    case ExcelJS.ValueType.Date:
      // exceljs reads a date cell's serial as that wall-clock time in UTC, whatever the machine's
      // time zone: the UTC calendar date is the date the cell shows (never a day off in BST).
      return (value as Date).toISOString().slice(0, 10);
    case ExcelJS.ValueType.Boolean:
      return String(value);
    case ExcelJS.ValueType.RichText:
      return (value as ExcelJS.CellRichTextValue).richText.map((part) => part.text).join('').trim();
    case ExcelJS.ValueType.Hyperlink:
      return String((value as ExcelJS.CellHyperlinkValue).text ?? '').trim();
    default:
      return String(value ?? '').trim();
  }
}

/** A number format that shows the value as a percentage (`0.0%`), a `%` inside quotes or escaped aside. */
function isPercentFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /%/.test(format.replace(/"[^"]*"/g, '').replace(/\\./g, ''));
}

/**
 * A number cell as a decimal numeral. Spreadsheets keep binary doubles: the shortest text that
 * reads back as the same double is what the person typed (45.1, not 45.100000000000001).
 */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(value);
  // 1e21 and 1e-7 print with an exponent, which is not a decimal numeral: write them out.
  return /e/i.test(text) ? new Decimal(text).toFixed() : text;
}

function sheetRows(sheet: string, grid: Grid, columns: readonly TemplateColumn[], rowsRequired: boolean): { rows: SheetRow[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const nonEmpty = grid.filter(({ values }) => values.some((value) => typeof value !== 'string' || value.trim() !== ''));
  if (nonEmpty.length === 0) return { rows: [], problems: [{ sheet, row: null, column: null, problem: 'the sheet is empty: row 1 must hold the column names' }] };
  const [header, ...body] = nonEmpty;
  const byKey = new Map(columns.map((column) => [column.name.toLowerCase(), column.name]));
  const positions = new Map<number, string>();
  header!.values.forEach((value, index) => {
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') return;
    const name = byKey.get(text.toLowerCase());
    if (name === undefined) {
      problems.push({ sheet, row: header!.row, column: text, problem: `unknown column "${text}"; the columns are those of the template` });
    } else if ([...positions.values()].includes(name)) {
      problems.push({ sheet, row: header!.row, column: name, problem: `the column ${name} appears twice` });
    } else {
      positions.set(index, name);
    }
  });
  const present = new Set(positions.values());
  for (const column of columns) {
    if (column.required && !present.has(column.name)) {
      problems.push({ sheet, row: header!.row, column: column.name, problem: `the column ${column.name} is missing` });
    }
  }
  if (body.length === 0 && rowsRequired) problems.push({ sheet, row: null, column: null, problem: 'the sheet has column names but no rows' });
  const rows: SheetRow[] = [];
  for (const line of body) {
    const cells: Record<string, string> = Object.fromEntries(columns.map((column) => [column.name, '']));
    line.values.forEach((value, index) => {
      const name = positions.get(index);
      if (name === undefined) return;
      if (typeof value === 'string') cells[name] = value.trim();
      else problems.push({ sheet, row: line.row, column: name, problem: value.problem });
    });
    rows.push({ row: line.row, cells });
  }
  return { rows, problems };
}
