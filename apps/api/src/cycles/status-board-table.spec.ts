import type { StatusBoardRow } from '@quarterly/read-models';
import { STATUS_BOARD_COLUMNS, statusBoardCells } from './status-board-table';

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
