import type { Scorecard } from '@quarterly/read-models';
import { SCORECARD_HEADERS, scorecardExportRows } from './scorecard-export-rows';
import { csvTable } from './tabular-files';

/** The scorecard as CSV (see csvTable: RFC 4180, BOM, formula-like cells neutralised). */
export function scorecardCsv(scorecard: Pick<Scorecard, 'entries'>): Buffer {
  return csvTable(SCORECARD_HEADERS, scorecardExportRows(scorecard.entries).map((r) => r.cells));
}
