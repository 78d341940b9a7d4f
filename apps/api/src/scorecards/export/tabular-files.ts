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

/** A one-sheet workbook: a title, a subtitle, then the table with a frozen, filtered header row. */
export async function xlsxTable(
  sheetName: string,
  heading: { title: string; subtitle: string },
  columns: ReadonlyArray<{ header: string; width: number }>,
  rows: ReadonlyArray<readonly string[]>,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Quarterly';
  workbook.title = heading.title;
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 3 }] });
  sheet.addRow([heading.title]).font = { bold: true, size: 14 };
  sheet.addRow([heading.subtitle]);
  styleHeaderRow(sheet.addRow(columns.map((c) => c.header)));
  columns.forEach((c, index) => (sheet.getColumn(index + 1).width = c.width));
  for (const cells of rows) sheet.addRow(cells.map(neutralisedCell)).alignment = { vertical: 'top', wrapText: true };
  sheet.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
