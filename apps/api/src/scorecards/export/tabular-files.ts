import { spreadsheetNumberFormat, type FigureDisplay } from '@quarterly/domain';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { neutralisedCell } from './spreadsheet-cell';

/**
 * Any table as CSV: RFC 4180 (CRLF line ends, fields quoted when they hold a comma, quote or
 * line break), UTF-8 with a byte-order mark so Excel reads £ and arrows, every cell neutralised
 * against formula injection.
 */
export function csvTable(columns: readonly string[], rows: ReadonlyArray<readonly string[]>): Buffer {
  return Buffer.from(stringify([[...columns], ...rows.map((cells) => cells.map(neutralisedCell))], { bom: true, record_delimiter: '\r\n' }), 'utf8');
}

const HEADER_FILL = 'FF0B0C0C';

/** Header row style shared by every workbook: white bold text on black. */
export function styleHeaderRow(row: ExcelJS.Row): void {
  row.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  row.alignment = { vertical: 'middle', wrapText: true };
  row.eachCell((cell) => (cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } }));
}

/** A cell a workbook keeps as a number or a date (so it sums and sorts), shown with `numFmt`. */
export interface XlsxTypedCell {
  readonly value: number | Date;
  readonly numFmt: string;
}

/** A workbook cell: text (neutralised against formulas) or a number or date. */
export type XlsxCell = string | XlsxTypedCell;

/** How dates read in every workbook, as the pages write them: `14 Jul 2026`. */
export const XLSX_DATE_FORMAT = 'd mmm yyyy';

/**
 * A KPI's figure as a number cell with the KPI's number format (decimal places, `%`, `£`, unit
 * label: `spreadsheetNumberFormat`), or null when the text is not a plain decimal.
 */
export function xlsxFigureCell(value: string | null, display: FigureDisplay): XlsxTypedCell | null {
  if (value === null || !/^-?\d+(\.\d+)?$/.test(value)) return null;
  return { value: Number(value), numFmt: spreadsheetNumberFormat(display) };
}

/** A calendar date (`2026-07-14`) as a date cell: midnight UTC, which Excel stores as the whole day's serial. */
export function xlsxDateCell(isoDate: string): XlsxTypedCell | string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  return { value: new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))), numFmt: XLSX_DATE_FORMAT };
}

/** A one-sheet workbook: a title, a subtitle, then the table with a frozen, filtered header row. */
export async function xlsxTable(
  sheetName: string,
  heading: { title: string; subtitle: string },
  columns: ReadonlyArray<{ header: string; width: number }>,
  rows: ReadonlyArray<readonly XlsxCell[]>,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Quarterly';
  workbook.title = heading.title;
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 3 }] });
  sheet.addRow([heading.title]).font = { bold: true, size: 14 };
  sheet.addRow([heading.subtitle]);
  styleHeaderRow(sheet.addRow(columns.map((c) => c.header)));
  columns.forEach((c, index) => (sheet.getColumn(index + 1).width = c.width));
  for (const cells of rows) {
    const added = sheet.addRow(cells.map((cell) => (typeof cell === 'string' ? neutralisedCell(cell) : cell.value)));
    added.alignment = { vertical: 'top', wrapText: true };
    cells.forEach((cell, index) => {
      if (typeof cell !== 'string') added.getCell(index + 1).numFmt = cell.numFmt;
    });
  }
  sheet.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
