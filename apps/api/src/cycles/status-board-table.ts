import { formatFigure } from '@quarterly/domain';
import { AWAITING_SERVICE_STATES, type StatusBoard, type StatusBoardRow } from '@quarterly/read-models';
import { asAtInWords } from '../scorecards/as-at-instant';
import { csvTable, xlsxDateCell, xlsxFigureCell, xlsxTable, type XlsxCell } from '../scorecards/export/tabular-files';
import { stageLabel } from '../shared/plain-english';

export const STATUS_BOARD_COLUMNS = [
  'KPI',
  'Indicator',
  'Directorate',
  'Period covered',
  'Stage',
  'Due',
  'Overdue',
  'Figure',
  'Status',
  'Submitted by',
  'Approved by',
  'Escalated to',
  'Reminders',
  'Chasers',
] as const;
const WIDTHS = [10, 40, 16, 14, 26, 12, 10, 10, 14, 16, 16, 12, 10, 10];

/** One return of the status board in words (the page and both files say the same). */
export function statusBoardCells(row: StatusBoardRow): string[] {
  return [
    row.kpiId,
    row.kpiTitle,
    row.directorate,
    row.periodCovered,
    stageLabel(row.state),
    row.dueDate,
    row.overdue ? 'Yes' : 'No',
    formatFigure(row.value, row),
    row.rating?.label ?? '',
    row.submittedBy ?? '',
    row.approvedBy ?? '',
    row.escalationLevel === 'none' ? '' : row.escalationLevel === 'clt' ? 'CLT' : 'DMT',
    String(row.reminderCount),
    String(row.chaserCount),
  ];
}

/** The returns whose figure the service still owes (not yet sent, or challenged). */
export function stillMissing(board: StatusBoard): StatusBoardRow[] {
  return board.returns.filter((r) => AWAITING_SERVICE_STATES.includes(r.state));
}

export function statusBoardCsv(board: StatusBoard): Buffer {
  return csvTable(STATUS_BOARD_COLUMNS, board.returns.map(statusBoardCells));
}

const DUE = STATUS_BOARD_COLUMNS.indexOf('Due');
const FIGURE = STATUS_BOARD_COLUMNS.indexOf('Figure');
const REMINDERS = STATUS_BOARD_COLUMNS.indexOf('Reminders');
const CHASERS = STATUS_BOARD_COLUMNS.indexOf('Chasers');

/** The workbook's cells of one return: the words of `statusBoardCells`, with the figure, due date and counts as numbers and dates Excel can sum and sort. */
export function statusBoardXlsxCells(row: StatusBoardRow): XlsxCell[] {
  const cells: XlsxCell[] = statusBoardCells(row);
  cells[DUE] = xlsxDateCell(row.dueDate);
  cells[FIGURE] = xlsxFigureCell(row.value, row) ?? cells[FIGURE]!;
  cells[REMINDERS] = { value: row.reminderCount, numFmt: '0' };
  cells[CHASERS] = { value: row.chaserCount, numFmt: '0' };
  return cells;
}

export function statusBoardXlsx(board: StatusBoard, councilName: string): Promise<Buffer> {
  return xlsxTable(
    'Status board',
    { title: `${councilName}: status board ${board.cycle.cycleId}`, subtitle: `As at ${asAtInWords(board.asOf)}; ${board.overdueCount} overdue, ${board.escalatedCount} escalated` },
    STATUS_BOARD_COLUMNS.map((header, i) => ({ header, width: WIDTHS[i]! })),
    board.returns.map(statusBoardXlsxCells),
  );
}
