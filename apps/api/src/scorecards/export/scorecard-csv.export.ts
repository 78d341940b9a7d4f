import type { Scorecard } from '@quarterly/read-models';
import { directionLabel, scorecardTableRows } from '../scorecard-table';
import { csvTable } from './tabular-files';

export const SCORECARD_COLUMNS = [
  'KPI',
  'Indicator',
  'Directorate',
  'Period',
  'Figure',
  'Unit',
  'Target',
  'Status',
  'Compared with previous',
  'Compared with last year',
  'Last year basis',
  'Commentary',
  'Why off target',
  'Route to green',
  'In-period figure',
  'Year-to-date figure',
] as const;

/**
 * The scorecard's printed table as cells, in SCORECARD_COLUMNS order. Figures stay plain numbers
 * (a spreadsheet opening the file reads them as numbers; `Unit` says what they count); the text
 * columns print targets and pro-rata shares with `formatFigure`.
 */
export function scorecardCells(scorecard: Pick<Scorecard, 'entries'>): string[][] {
  return scorecardTableRows(scorecard).map((row) => [
    row.kpiId,
    row.title,
    row.directorate,
    row.period,
    row.figure,
    row.unit,
    row.target,
    row.status,
    directionLabel(row.vsPrevious),
    directionLabel(row.vsLastYear),
    row.vsLastYearBasis,
    row.commentary,
    row.offTargetReason,
    row.routeToGreen,
    row.inPeriodFigure,
    row.yearToDateFigure,
  ]);
}

/** The scorecard as CSV (see csvTable: RFC 4180, BOM, formula-like cells neutralised). */
export function scorecardCsv(scorecard: Pick<Scorecard, 'entries'>): Buffer {
  return csvTable(SCORECARD_COLUMNS, scorecardCells(scorecard));
}
