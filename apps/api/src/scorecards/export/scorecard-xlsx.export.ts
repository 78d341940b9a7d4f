import type { Scorecard } from '@quarterly/read-models';
import ExcelJS from 'exceljs';
import type { StatusColour } from '../scorecard-table';
import { SCORECARD_COLUMNS, SCORECARD_HEADERS, scorecardColumnNumber, scorecardExportRows } from './scorecard-export-rows';
import { neutralisedCell } from './spreadsheet-cell';
import { styleHeaderRow, xlsxFigureCell } from './tabular-files';

/** What the file says about itself: whose scorecard, which quarter, as at when. */
export interface ExportHeading {
  readonly councilName: string;
  readonly cycleId: string;
  /** The instant in words (Europe/London), e.g. "9 October 2026 at 11:00". */
  readonly asAtInWords: string;
}

/** Fill colours (ARGB) of status cells: GOV.UK's tag colours, with the status always written too. */
export const STATUS_FILLS: Readonly<Record<StatusColour, string>> = {
  green: 'FFCCE2D8',
  amber: 'FFFFF7BF',
  red: 'FFF4CDC6',
  grey: 'FFE5E6E7',
};
const STATUS_COLUMN = scorecardColumnNumber('Status');
const FIGURE_COLUMN = scorecardColumnNumber('Figure');
const IN_PERIOD_COLUMN = scorecardColumnNumber('In-period figure');
const YEAR_TO_DATE_COLUMN = scorecardColumnNumber('Year-to-date figure');

/**
 * The scorecard as an Excel workbook: a summary sheet (counts by directorate and met/not met
 * against direction of travel), then one sheet per directorate with a formatted header row,
 * frozen panes, a filter, figures as numbers with a number format from the KPI's unit, decimal
 * places and unit label (`spreadsheetNumberFormat`), and status cells coloured and labelled.
 */
export async function scorecardXlsx(scorecard: Scorecard, heading: ExportHeading): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Quarterly';
  workbook.title = `${heading.councilName} scorecard ${heading.cycleId}`;
  addSummarySheet(workbook, scorecard, heading);
  const names = new Set<string>(['Summary']);
  const rows = scorecardExportRows(scorecard.entries);
  for (const group of scorecard.summary.byDirectorate) {
    const sheet = workbook.addWorksheet(uniqueSheetName(group.directorate, names), { views: [{ state: 'frozen', xSplit: 2, ySplit: 3 }] });
    sheet.addRow([`${heading.councilName}: ${group.directorate} scorecard ${heading.cycleId}`]).font = { bold: true, size: 14 };
    sheet.addRow([`As at ${heading.asAtInWords}`]);
    styleHeaderRow(sheet.addRow([...SCORECARD_HEADERS]));
    SCORECARD_COLUMNS.forEach((column, index) => (sheet.getColumn(index + 1).width = column.width));
    for (const { entry, row, cells } of rows.filter((r) => r.entry.directorate === group.directorate)) {
      const added = sheet.addRow(cells.map(neutralisedCell));
      added.alignment = { vertical: 'top', wrapText: true };
      const display = { unit: entry.unit, decimalPlaces: entry.decimalPlaces, unitLabel: entry.unitLabel };
      for (const [column, value] of [
        [FIGURE_COLUMN, row.figure],
        [IN_PERIOD_COLUMN, row.inPeriodFigure],
        [YEAR_TO_DATE_COLUMN, row.yearToDateFigure],
      ] as const) {
        const figure = xlsxFigureCell(value, display);
        if (figure === null) continue;
        const cell = added.getCell(column);
        cell.value = figure.value;
        cell.numFmt = figure.numFmt;
      }
      const status = added.getCell(STATUS_COLUMN);
      status.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: STATUS_FILLS[row.colour] } };
      status.font = { bold: true };
    }
    sheet.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: SCORECARD_HEADERS.length } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addSummarySheet(workbook: ExcelJS.Workbook, scorecard: Scorecard, heading: ExportHeading): void {
  const sheet = workbook.addWorksheet('Summary', { views: [{ state: 'frozen', ySplit: 4 }] });
  const { summary } = scorecard;
  sheet.addRow([`${heading.councilName}: performance scorecard ${heading.cycleId}`]).font = { bold: true, size: 14 };
  sheet.addRow([`As at ${heading.asAtInWords}`]);
  sheet.addRow([`${summary.metTarget} of ${summary.withTargets} indicators with targets met them${summary.percentMetTarget ? ` (${summary.percentMetTarget}%)` : ''}; ${summary.total} indicators in all.`]);
  styleHeaderRow(sheet.addRow(['Directorate', 'Green', 'Amber', 'Red', 'Met', 'Not met', 'No status']));
  for (const d of summary.byDirectorate) sheet.addRow([d.directorate, d.green, d.amber, d.red, d.met, d.not_met, d.no_status]);
  const s = summary.statusCounts;
  sheet.addRow(['All directorates', s.green, s.amber, s.red, s.met, s.not_met, s.no_status]).font = { bold: true };
  sheet.addRow([]);
  styleHeaderRow(sheet.addRow(['Compared with the previous figure', 'Better', 'Same', 'Worse', 'Not comparable']));
  for (const [label, key] of [['Met target', 'met'], ['Did not meet target', 'not_met']] as const) {
    const row = summary.crossTableVsPrevious[key];
    sheet.addRow([label, row.better, row.same, row.worse, row.not_comparable]);
  }
  sheet.addRow([]);
  styleHeaderRow(sheet.addRow(['Compared with last year', 'Better', 'Same', 'Worse', 'Not comparable']));
  for (const [label, key] of [['Met target', 'met'], ['Did not meet target', 'not_met']] as const) {
    const row = summary.crossTableVsLastYear[key];
    sheet.addRow([label, row.better, row.same, row.worse, row.not_comparable]);
  }
  sheet.getColumn(1).width = 36;
  for (let column = 2; column <= 7; column += 1) sheet.getColumn(column).width = 12;
}

/** Excel's rules: at most 31 characters, none of : \ / ? * [ ], and unique ignoring case. */
function uniqueSheetName(wanted: string, taken: Set<string>): string {
  const base = (wanted.replace(/[:\\/?*[\]]/g, ' ').trim() || 'Directorate').slice(0, 31);
  let name = base;
  for (let n = 2; [...taken].some((t) => t.toLowerCase() === name.toLowerCase()); n += 1) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  taken.add(name);
  return name;
}
