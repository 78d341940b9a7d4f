import ExcelJS from 'exceljs';
import { readRegisterFile } from './register-file.reader';
import { KPI_COLUMNS, TARGET_COLUMNS } from './register-template';

async function xlsx(build: (sheet: ExcelJS.Worksheet) => void, name = 'KPIs'): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(name);
  sheet.addRow(KPI_COLUMNS.map((c) => c.name));
  build(sheet);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('reading a register file', () => {
  it('reads number cells as the decimal typed, rich text and links as their text, dates as dates', async () => {
    const content = await xlsx((sheet) => {
      const row = sheet.addRow([]);
      row.getCell(1).value = { richText: [{ text: 'ENV' }, { text: '-01' }] };
      row.getCell(2).value = { text: 'Recycling', hyperlink: 'https://council.example/kpi' };
      row.getCell(23).value = 45.1;
      row.getCell(24).value = 0.1 + 0.2;
      row.getCell(25).value = 1e21;
      row.getCell(26).value = 1e-7;
      row.getCell(21).value = new Date(Date.UTC(2026, 3, 1));
    });
    const { kpis, problems } = await readRegisterFile('register.xlsx', content);
    expect(problems).toEqual([]);
    expect(kpis[0]!.cells).toMatchObject({ kpiId: 'ENV-01', title: 'Recycling', green: '45.1', amber: '0.30000000000000004', target: '1000000000000000000000', tolerancePercent: '0.0000001', financialYear: '2026-04-01' });
  });

  it('takes a single sheet of another name for the KPI sheet, and names a missing one otherwise', async () => {
    expect((await readRegisterFile('r.xlsx', await xlsx((s) => s.addRow(['X-1']), 'Register'))).kpis).toHaveLength(1);
    const book = new ExcelJS.Workbook();
    book.addWorksheet('One');
    book.addWorksheet('Two');
    const { problems } = await readRegisterFile('r.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    expect(problems).toEqual([{ sheet: 'KPIs', row: null, column: null, problem: 'the workbook has no sheet named KPIs' }]);
  });

  it('names an unknown or repeated column and a CSV that cannot be parsed', async () => {
    const header = [...KPI_COLUMNS.map((c) => c.name), 'colour', 'title'].join(',');
    const { problems } = await readRegisterFile('r.csv', Buffer.from(`${header}\nX-1\n`));
    expect(problems).toEqual([
      { sheet: 'KPIs', row: 1, column: 'colour', problem: 'unknown column "colour"; the columns are those of the template' },
      { sheet: 'KPIs', row: 1, column: 'title', problem: 'the column title appears twice' },
    ]);
    const broken = await readRegisterFile('r.csv', Buffer.from('kpiId,title\n"X-1,unterminated\n'));
    expect(broken.problems[0]).toMatchObject({ sheet: 'KPIs', column: null, problem: expect.stringMatching(/^the file is not valid CSV/) });
  });

  it('reads a CSV whose header is exactly the Targets columns as a targets file', async () => {
    const header = [...TARGET_COLUMNS.map((c) => c.name)].reverse().join(',');
    const values = Object.fromEntries(TARGET_COLUMNS.map((c) => [c.name, '']));
    Object.assign(values, { kpiId: 'ENV-01', financialYear: '2026/27', period: 'Q1', policy: 'thresholds', green: '42.0', amber: '38.0', lastYearBasis: 'last_year_outturn' });
    const line = [...TARGET_COLUMNS.map((c) => values[c.name])].reverse().join(',');
    const content = await readRegisterFile('targets.csv', Buffer.from(`${header}\r\n${line}\r\n`));
    expect(content.problems).toEqual([]);
    expect(content.kpis).toEqual([]);
    expect(content.targets).toEqual([{ row: 2, cells: values }]);
  });

  it('reads the Targets sheet of a workbook, naming a formula by sheet, row and column', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('KPIs').addRow(KPI_COLUMNS.map((c) => c.name));
    const targets = book.addWorksheet('Targets');
    targets.addRow(TARGET_COLUMNS.map((c) => c.name));
    targets.addRow(['ENV-01', '2026/27', '', 'thresholds', 45, 40]);
    const formula = targets.addRow(['ENV-01', '2026/27', 'Q1', 'thresholds']);
    formula.getCell(5).value = { formula: 'E2*0.25' } as ExcelJS.CellFormulaValue;
    const content = await readRegisterFile('register.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    expect(content.targets![0]!.cells).toMatchObject({ kpiId: 'ENV-01', financialYear: '2026/27', period: '', policy: 'thresholds', green: '45', amber: '40' });
    expect(content.problems).toEqual([
      { sheet: 'KPIs', row: null, column: null, problem: 'the sheet has column names but no rows' },
      { sheet: 'Targets', row: 3, column: 'green', problem: 'holds a formula (=E2*0.25); type the value itself' },
    ]);
  });

  it('takes a workbook of targets alone, without a KPIs sheet', async () => {
    const book = new ExcelJS.Workbook();
    const targets = book.addWorksheet('Targets');
    targets.addRow(TARGET_COLUMNS.map((c) => c.name));
    targets.addRow(['ENV-01', '2027/28', '', 'tracker']);
    const content = await readRegisterFile('targets.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    expect(content.problems).toEqual([]);
    expect(content.targets).toHaveLength(1);
  });
});
