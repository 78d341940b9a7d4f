import ExcelJS from 'exceljs';
import { readSpreadsheet, type SpreadsheetLayout } from './spreadsheet-table.reader';

const LAYOUT: SpreadsheetLayout = {
  maxBytes: 1024 * 1024,
  sheets: [{ name: 'Figures', columns: ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ name, required: false, description: '', example: '' })) }],
};

async function workbook(fill: (row: ExcelJS.Row) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Figures');
  sheet.addRow(['a', 'b', 'c', 'd', 'e', 'f']);
  fill(sheet.addRow([]));
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('reading the cells of a workbook', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it.each(['Europe/London', 'America/Los_Angeles', 'Pacific/Auckland'])('reads a date cell as the calendar date it shows, in %s too', async (timeZone) => {
    process.env.TZ = timeZone;
    // 14 August 2025 (British Summer Time in England) as Excel stores it: a serial with a date format.
    const content = await workbook((row) => {
      row.getCell(1).value = 45883;
      row.getCell(1).numFmt = 'dd/mm/yyyy';
      row.getCell(2).value = 45883;
      row.getCell(2).numFmt = '[$-809]dd mmmm yyyy;@';
      row.getCell(3).value = new Date(Date.UTC(2025, 7, 14));
      row.getCell(4).value = 45883.99; // 23:45 that day
      row.getCell(4).numFmt = 'dd/mm/yyyy hh:mm';
      row.getCell(5).value = 45658; // 1 January 2025 (GMT)
      row.getCell(5).numFmt = 'd mmm yyyy';
    });
    const read = await readSpreadsheet('figures.xlsx', content, LAYOUT);
    expect(read.problems).toEqual([]);
    expect(read.rows['Figures']![0]!.cells).toMatchObject({ a: '2025-08-14', b: '2025-08-14', c: '2025-08-14', d: '2025-08-14', e: '2025-01-01' });
  });

  it('reads a number formatted as a percentage as the percentage it shows', async () => {
    const content = await workbook((row) => {
      row.getCell(1).value = 0.273;
      row.getCell(1).numFmt = '0.0%';
      row.getCell(2).value = 0.45;
      row.getCell(2).numFmt = '0%';
      row.getCell(3).value = 27.3;
      row.getCell(3).numFmt = '0.0"%"';
      row.getCell(4).value = 1;
      row.getCell(4).numFmt = '0.00%';
    });
    const read = await readSpreadsheet('figures.xlsx', content, LAYOUT);
    expect(read.rows['Figures']![0]!.cells).toMatchObject({ a: '27.3%', b: '45%', c: '27.3', d: '100%' });
  });
});
