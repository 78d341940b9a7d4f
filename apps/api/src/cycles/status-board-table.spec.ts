import type { StatusBoard, StatusBoardRow } from '@quarterly/read-models';
import ExcelJS from 'exceljs';
import { STATUS_BOARD_COLUMNS, statusBoardCells, statusBoardXlsx } from './status-board-table';

function boardRow(overrides: Partial<StatusBoardRow> = {}): StatusBoardRow {
  return {
    returnId: 'r-1',
    kpiId: 'KPI-01',
    kpiTitle: 'Council tax collected',
    directorate: 'Resources',
    owner: 'p-1',
    keyContacts: [],
    periodCovered: '2026-27 Q2',
    unit: 'count',
    decimalPlaces: 0,
    unitLabel: null,
    polarity: 'higher_is_better',
    frequency: 'quarterly',
    measureType: 'snapshot',
    state: 'approved',
    dueDate: '2026-10-15',
    overdue: false,
    value: '1712300',
    rating: null,
    submittedBy: null,
    submittedAt: null,
    approvedBy: null,
    approvedAt: null,
    escalationLevel: 'none',
    challengeCount: 0,
    reminderCount: 0,
    chaserCount: 0,
    updatedAt: '2026-10-01T09:00:00.000Z',
    ...overrides,
  } as StatusBoardRow;
}

const figure = (row: StatusBoardRow) => statusBoardCells(row)[STATUS_BOARD_COLUMNS.indexOf('Figure')];

describe('statusBoardCells', () => {
  it('prints a count with thousands separators', () => {
    expect(figure(boardRow({ value: '1712300' }))).toBe('1,712,300');
  });

  it('prints a percentage with its % and the KPI decimal places', () => {
    expect(figure(boardRow({ unit: 'percentage', decimalPlaces: 1, value: '24.2' }))).toBe('24.2%');
    expect(figure(boardRow({ unit: 'percentage', decimalPlaces: 1, value: '24' }))).toBe('24.0%');
  });

  it('prints money with the pound sign and a unit label after the figure', () => {
    expect(figure(boardRow({ unit: 'money', decimalPlaces: 2, value: '1250' }))).toBe('£1,250.00');
    expect(figure(boardRow({ unit: 'count', decimalPlaces: 1, unitLabel: 'tonnes', value: '12.3' }))).toBe('12.3 tonnes');
  });

  it('leaves the figure blank when none was sent', () => {
    expect(figure(boardRow({ state: 'requested', value: null }))).toBe('');
  });
});

describe('the status board as XLSX, read back as Excel reads it', () => {
  const column = (header: (typeof STATUS_BOARD_COLUMNS)[number]) => STATUS_BOARD_COLUMNS.indexOf(header) + 1;

  async function readBack(rows: StatusBoardRow[]): Promise<ExcelJS.Worksheet> {
    const board = {
      cycle: { cycleId: '2026-27-Q2' },
      asOf: '2026-10-20T09:00:00.000Z',
      returns: rows,
      countsByState: {},
      overdueCount: 0,
      escalatedCount: 0,
    } as unknown as StatusBoard;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await statusBoardXlsx(board, 'Borsetshire County Council')) as unknown as ArrayBuffer);
    return workbook.getWorksheet('Status board')!;
  }

  it('stores figures as numbers with the KPI number format, the due date as a date, and the counts as numbers', async () => {
    const sheet = await readBack([
      boardRow({ kpiId: 'RES-01', value: '1712300', reminderCount: 2, chaserCount: 1 }),
      boardRow({ kpiId: 'ENV-01', unit: 'percentage', decimalPlaces: 1, value: '24.2', dueDate: '2026-07-14' }),
      boardRow({ kpiId: 'RES-02', unit: 'money', decimalPlaces: 2, value: '1250.5' }),
    ]);
    const [count, percentage, money] = [4, 5, 6].map((n) => sheet.getRow(n));
    expect(sheet.getRow(3).getCell(column('Figure')).value).toBe('Figure');

    expect(count!.getCell(column('Figure')).type).toBe(ExcelJS.ValueType.Number);
    expect(count!.getCell(column('Figure')).value).toBe(1712300);
    expect(count!.getCell(column('Figure')).numFmt).toBe('#,##0');
    expect(percentage!.getCell(column('Figure')).value).toBe(24.2);
    expect(percentage!.getCell(column('Figure')).numFmt).toBe('#,##0.0"%"');
    expect(money!.getCell(column('Figure')).value).toBe(1250.5);
    expect(money!.getCell(column('Figure')).numFmt).toBe('"£"#,##0.00');

    const due = percentage!.getCell(column('Due'));
    expect(due.type).toBe(ExcelJS.ValueType.Date);
    expect((due.value as Date).toISOString()).toBe('2026-07-14T00:00:00.000Z');
    expect(count!.getCell(column('Reminders')).value).toBe(2);
    expect(count!.getCell(column('Chasers')).value).toBe(1);
    expect(count!.getCell(column('KPI')).value).toBe('RES-01');
  });

  it('leaves the figure cell empty text when no figure was sent', async () => {
    const sheet = await readBack([boardRow({ state: 'requested', value: null })]);
    expect(sheet.getRow(4).getCell(column('Figure')).type).not.toBe(ExcelJS.ValueType.Number);
  });
});
