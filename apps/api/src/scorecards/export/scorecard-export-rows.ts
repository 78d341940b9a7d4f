import type { Scorecard, ScorecardEntry } from '@quarterly/read-models';
import { directionLabel, scorecardTableRow, type ScorecardTableRow } from '../scorecard-table';

/** One column of the scorecard's files: its header, its width in a workbook, and its cell. */
export interface ScorecardColumn {
  readonly header: string;
  /** Excel column width (characters). */
  readonly width: number;
  readonly cell: (row: ScorecardTableRow) => string;
}

/**
 * The scorecard's printed table as the files carry it, one entry a column: the CSV and the
 * workbook's directorate sheets both write these, so a column added here is in both. Figures stay
 * plain numbers (a spreadsheet reads them as numbers; `Unit` says what they count); the text
 * columns print targets and pro-rata shares with `formatFigure`.
 */
export const SCORECARD_COLUMNS = [
  { header: 'KPI', width: 10, cell: (r) => r.kpiId },
  { header: 'Indicator', width: 40, cell: (r) => r.title },
  { header: 'Directorate', width: 16, cell: (r) => r.directorate },
  { header: 'Period', width: 12, cell: (r) => r.period },
  { header: 'Figure', width: 10, cell: (r) => r.figure },
  { header: 'Unit', width: 10, cell: (r) => r.unit },
  { header: 'Target', width: 30, cell: (r) => r.target },
  { header: 'Status', width: 18, cell: (r) => r.status },
  { header: 'Compared with previous', width: 18, cell: (r) => directionLabel(r.vsPrevious) },
  { header: 'Compared with last year', width: 18, cell: (r) => directionLabel(r.vsLastYear) },
  { header: 'Last year basis', width: 24, cell: (r) => r.vsLastYearBasis },
  { header: 'Commentary', width: 50, cell: (r) => r.commentary },
  { header: 'Why off target', width: 40, cell: (r) => r.offTargetReason },
  { header: 'Route to green', width: 40, cell: (r) => r.routeToGreen },
  { header: 'In-period figure', width: 12, cell: (r) => r.inPeriodFigure },
  { header: 'Year-to-date figure', width: 12, cell: (r) => r.yearToDateFigure },
] as const satisfies readonly ScorecardColumn[];

export const SCORECARD_HEADERS: readonly string[] = SCORECARD_COLUMNS.map((c) => c.header);

/** Where a column is (1-based, as a workbook counts), by its header. */
export function scorecardColumnNumber(header: (typeof SCORECARD_COLUMNS)[number]['header']): number {
  return SCORECARD_HEADERS.indexOf(header) + 1;
}

/** One KPI's row of the files: the entry (for formats: decimal places), the printed row and its cells in column order. */
export interface ScorecardExportRow {
  readonly entry: ScorecardEntry;
  readonly row: ScorecardTableRow;
  readonly cells: readonly string[];
}

/** The one row model both writers (CSV, XLSX) take. */
export function scorecardExportRows(entries: Scorecard['entries']): ScorecardExportRow[] {
  return entries.map((entry) => {
    const row = scorecardTableRow(entry);
    return { entry, row, cells: SCORECARD_COLUMNS.map((column) => column.cell(row)) };
  });
}
