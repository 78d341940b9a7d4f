/**
 * Reads a register file (XLSX with exceljs, CSV with csv-parse) into rows of text cells, with
 * every problem of the file itself named by sheet, row and column: a formula where a value goes,
 * a missing or unknown column, an empty sheet, a file too large.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { KPI_COLUMNS, KPI_SHEET, PEOPLE_COLUMNS, PEOPLE_SHEET, TARGET_COLUMNS, TARGETS_SHEET, type TemplateColumn } from './register-template';

/** Largest file read; a register of 1,000 KPIs is well under 1 MB. */
export const MAX_REGISTER_FILE_BYTES = 5 * 1024 * 1024;

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

export interface RegisterFileContent {
  readonly kind: 'xlsx' | 'csv';
  readonly kpis: readonly SheetRow[];
  readonly people: readonly SheetRow[];
  /** Rows of the Targets sheet (or of a targets CSV file); absent or empty without one. */
  readonly targets?: readonly SheetRow[];
  readonly problems: readonly ImportProblem[];
}

type Grid = { readonly row: number; readonly values: readonly (string | { readonly problem: string })[] }[];

export async function readRegisterFile(fileName: string, content: Buffer): Promise<RegisterFileContent> {
  const kind = kindOf(fileName, content);
  if (content.length > MAX_REGISTER_FILE_BYTES) {
    const megabytes = (content.length / (1024 * 1024)).toFixed(1);
    return {
      kind,
      kpis: [],
      people: [],
      problems: [{ sheet: KPI_SHEET, row: null, column: null, problem: `the file is ${megabytes} MB; files up to ${MAX_REGISTER_FILE_BYTES / (1024 * 1024)} MB are read` }],
    };
  }
  return kind === 'csv' ? readCsv(content) : readXlsx(content);
}

function kindOf(fileName: string, content: Buffer): 'xlsx' | 'csv' {
  if (/\.xlsx$/i.test(fileName)) return 'xlsx';
  if (/\.csv$/i.test(fileName)) return 'csv';
  // An XLSX file is a zip archive: it starts "PK".
  return content.subarray(0, 2).toString('latin1') === 'PK' ? 'xlsx' : 'csv';
}

function readCsv(content: Buffer): RegisterFileContent {
  let records: string[][];
  try {
    records = parseCsv(content, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return {
      kind: 'csv',
      kpis: [],
      people: [],
      problems: [{ sheet: KPI_SHEET, row: line ?? null, column: null, problem: `the file is not valid CSV: ${(error as Error).message}` }],
    };
  }
  const grid: Grid = records.map((values, index) => ({ row: index + 1, values }));
  if (isTargetsHeader(grid)) {
    const targets = sheetRows(TARGETS_SHEET, grid, TARGET_COLUMNS);
    return { kind: 'csv', kpis: [], people: [], targets: targets.rows, problems: targets.problems };
  }
  const kpis = sheetRows(KPI_SHEET, grid, KPI_COLUMNS);
  return { kind: 'csv', kpis: kpis.rows, people: [], problems: kpis.problems };
}

async function readXlsx(content: Buffer): Promise<RegisterFileContent> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch (error) {
    return {
      kind: 'xlsx',
      kpis: [],
      people: [],
      problems: [{ sheet: KPI_SHEET, row: null, column: null, problem: `the file is not a readable XLSX workbook: ${(error as Error).message}` }],
    };
  }
  const find = (name: string) => workbook.worksheets.find((sheet) => sheet.name.trim().toLowerCase() === name.toLowerCase());
  const peopleSheet = find(PEOPLE_SHEET);
  const targetsSheet = find(TARGETS_SHEET);
  // A workbook with a single sheet of another name is taken to be the KPI sheet.
  const kpiSheet = find(KPI_SHEET) ?? (workbook.worksheets.length === 1 && !peopleSheet && !targetsSheet ? workbook.worksheets[0] : undefined);
  const problems: ImportProblem[] = [];
  // A workbook of targets alone (for KPIs already in the register) needs no KPIs sheet.
  if (!kpiSheet && !targetsSheet) problems.push({ sheet: KPI_SHEET, row: null, column: null, problem: `the workbook has no sheet named ${KPI_SHEET}` });
  const kpis = kpiSheet ? sheetRows(KPI_SHEET, gridOf(kpiSheet), KPI_COLUMNS) : { rows: [], problems: [] };
  const people = peopleSheet ? sheetRows(PEOPLE_SHEET, gridOf(peopleSheet), PEOPLE_COLUMNS) : { rows: [], problems: [] };
  const targets = targetsSheet ? sheetRows(TARGETS_SHEET, gridOf(targetsSheet), TARGET_COLUMNS) : { rows: [], problems: [] };
  return {
    kind: 'xlsx',
    kpis: kpis.rows,
    people: people.rows,
    targets: targets.rows,
    problems: [...problems, ...kpis.problems, ...people.problems, ...targets.problems],
  };
}

/** A CSV file whose first non-empty row is exactly the Targets columns (in any order and case) is a targets file. */
function isTargetsHeader(grid: Grid): boolean {
  const header = grid.find(({ values }) => values.some((value) => typeof value === 'string' && value.trim() !== ''));
  if (!header) return false;
  const names = header.values.map((value) => (typeof value === 'string' ? value.trim().toLowerCase() : '')).filter((name) => name !== '');
  const wanted = TARGET_COLUMNS.map((column) => column.name.toLowerCase());
  return names.length === wanted.length && wanted.every((name) => names.includes(name));
}

function gridOf(sheet: ExcelJS.Worksheet): Grid {
  const grid: { row: number; values: (string | { problem: string })[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: (string | { problem: string })[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) values.push(cellText(row.getCell(column)));
    grid.push({ row: rowNumber, values });
  });
  return grid;
}

/** A cell as text; a formula or an error is a problem, never a value silently computed. */
function cellText(cell: ExcelJS.Cell): string | { problem: string } {
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
      return numberText(value as number);
    case ExcelJS.ValueType.Date:
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

function sheetRows(sheet: string, grid: Grid, columns: readonly TemplateColumn[]): { rows: SheetRow[]; problems: ImportProblem[] } {
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
  // The People sheet is optional and may be left with its header only.
  if (body.length === 0 && sheet === KPI_SHEET) problems.push({ sheet, row: null, column: null, problem: 'the sheet has column names but no rows' });
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
