/**
 * Reads a register file — the KPI sheet (or a CSV file), the optional People sheet and the
 * optional Targets sheet (or a CSV file whose header is the Targets columns) — through the shared
 * spreadsheet reader, which names every problem of the file itself by sheet, row and column: a
 * formula where a value goes, a missing or unknown column, an empty sheet, a file too large.
 */
import { readSpreadsheet, spreadsheetKindOf, type ImportProblem, type SheetRow } from '@quarterly/spreadsheet-import';
import { parse as parseCsv } from 'csv-parse/sync';
import { KPI_COLUMNS, KPI_SHEET, PEOPLE_COLUMNS, PEOPLE_SHEET, TARGET_COLUMNS, TARGETS_SHEET } from './register-template';

export type { ImportProblem, SheetRow } from '@quarterly/spreadsheet-import';

/** Largest file read; a register of 1,000 KPIs is well under 1 MB. */
export const MAX_REGISTER_FILE_BYTES = 5 * 1024 * 1024;

export interface RegisterFileContent {
  readonly kind: 'xlsx' | 'csv';
  readonly kpis: readonly SheetRow[];
  readonly people: readonly SheetRow[];
  /** Rows of the Targets sheet (or of a targets CSV file); absent or empty without one. */
  readonly targets?: readonly SheetRow[];
  readonly problems: readonly ImportProblem[];
}

const KPIS = { name: KPI_SHEET, columns: KPI_COLUMNS };
const PEOPLE = { name: PEOPLE_SHEET, columns: PEOPLE_COLUMNS };
const TARGETS = { name: TARGETS_SHEET, columns: TARGET_COLUMNS };

export async function readRegisterFile(fileName: string, content: Buffer): Promise<RegisterFileContent> {
  const targetsCsv = content.length <= MAX_REGISTER_FILE_BYTES && spreadsheetKindOf(fileName, content) === 'csv' && isTargetsHeader(content);
  const read = await readSpreadsheet(fileName, content, {
    maxBytes: MAX_REGISTER_FILE_BYTES,
    // A workbook of targets alone (for KPIs already in the register) needs no KPIs sheet.
    ...(targetsCsv ? { sheets: [TARGETS] } : { sheets: [KPIS, PEOPLE, TARGETS], mainSheetOptional: true }),
  });
  return {
    kind: read.kind,
    kpis: read.rows[KPI_SHEET] ?? [],
    people: read.rows[PEOPLE_SHEET] ?? [],
    targets: read.rows[TARGETS_SHEET] ?? [],
    problems: read.problems,
  };
}

/** A CSV file whose first non-empty row is exactly the Targets columns (in any order and case) is a targets file. */
function isTargetsHeader(content: Buffer): boolean {
  let records: string[][];
  try {
    records = parseCsv(content, { bom: true, relax_column_count: true, skip_empty_lines: true, to_line: 5 }) as string[][];
  } catch {
    return false; // the reader reports what is wrong with the file
  }
  const header = records.find((values) => values.some((value) => value.trim() !== ''));
  if (!header) return false;
  const names = header.map((value) => value.trim().toLowerCase()).filter((name) => name !== '');
  const wanted = TARGET_COLUMNS.map((column) => column.name.toLowerCase());
  return names.length === wanted.length && wanted.every((name) => names.includes(name));
}
