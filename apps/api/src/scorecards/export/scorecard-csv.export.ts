import type { Scorecard } from '@quarterly/read-models';
import { stringify } from 'csv-stringify/sync';
import { directionLabel, scorecardTableRows } from '../scorecard-table';
import { neutralisedCell } from './spreadsheet-cell';

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
  'Commentary',
  'Why off target',
  'Route to green',
] as const;

/** The scorecard's printed table as cells, in SCORECARD_COLUMNS order. */
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
    row.commentary,
    row.offTargetReason,
    row.routeToGreen,
  ]);
}

/**
 * The scorecard as CSV: RFC 4180 (CRLF line ends, fields quoted when they hold a comma, quote
 * or line break), UTF-8 with a byte-order mark so Excel reads the £ and arrows, and every cell
 * neutralised against formula injection.
 */
export function scorecardCsv(scorecard: Pick<Scorecard, 'entries'>): Buffer {
  const text = stringify([[...SCORECARD_COLUMNS], ...scorecardCells(scorecard).map((cells) => cells.map(neutralisedCell))], {
    bom: true,
    record_delimiter: '\r\n',
  });
  return Buffer.from(text, 'utf8');
}
