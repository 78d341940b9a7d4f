/**
 * Reads a register file — the KPI sheet (or a CSV file) and the optional People sheet — through
 * the shared spreadsheet reader, which names every problem of the file itself by sheet, row and
 * column: a formula where a value goes, a missing or unknown column, an empty sheet, a file too
 * large.
 */
import { readSpreadsheet, type ImportProblem, type SheetRow } from '@quarterly/spreadsheet-import';
import { KPI_COLUMNS, KPI_SHEET, PEOPLE_COLUMNS, PEOPLE_SHEET } from './register-template';

export type { ImportProblem, SheetRow } from '@quarterly/spreadsheet-import';

/** Largest file read; a register of 1,000 KPIs is well under 1 MB. */
export const MAX_REGISTER_FILE_BYTES = 5 * 1024 * 1024;

export interface RegisterFileContent {
  readonly kind: 'xlsx' | 'csv';
  readonly kpis: readonly SheetRow[];
  readonly people: readonly SheetRow[];
  readonly problems: readonly ImportProblem[];
}

export async function readRegisterFile(fileName: string, content: Buffer): Promise<RegisterFileContent> {
  const read = await readSpreadsheet(fileName, content, {
    maxBytes: MAX_REGISTER_FILE_BYTES,
    sheets: [
      { name: KPI_SHEET, columns: KPI_COLUMNS },
      { name: PEOPLE_SHEET, columns: PEOPLE_COLUMNS },
    ],
  });
  return { kind: read.kind, kpis: read.rows[KPI_SHEET] ?? [], people: read.rows[PEOPLE_SHEET] ?? [], problems: read.problems };
}
