/** Reads a past-figures file (sheet `Figures`, or a CSV file) through the shared spreadsheet reader. */
import { readSpreadsheet, type ImportProblem, type SheetRow } from '@quarterly/spreadsheet-import';
import { FIGURE_COLUMNS, FIGURES_SHEET, MAX_PAST_FIGURES_FILE_BYTES } from './past-figures-template';

export interface PastFiguresFileContent {
  readonly kind: 'xlsx' | 'csv';
  readonly rows: readonly SheetRow[];
  readonly problems: readonly ImportProblem[];
}

export async function readPastFiguresFile(fileName: string, content: Buffer): Promise<PastFiguresFileContent> {
  const read = await readSpreadsheet(fileName, content, {
    maxBytes: MAX_PAST_FIGURES_FILE_BYTES,
    sheets: [{ name: FIGURES_SHEET, columns: FIGURE_COLUMNS }],
  });
  return { kind: read.kind, rows: read.rows[FIGURES_SHEET] ?? [], problems: read.problems };
}
