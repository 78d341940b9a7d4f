import { formatFigure } from '@quarterly/domain';
import { AWAITING_SERVICE_STATES, type StatusBoard, type StatusBoardRow } from '@quarterly/read-models';
import { asAtInWords } from '../scorecards/as-at-instant';
import { csvTable, xlsxTable } from '../scorecards/export/tabular-files';
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

export function statusBoardXlsx(board: StatusBoard, councilName: string): Promise<Buffer> {
  return xlsxTable(
    'Status board',
    { title: `${councilName}: status board ${board.cycle.cycleId}`, subtitle: `As at ${asAtInWords(board.asOf)}; ${board.overdueCount} overdue, ${board.escalatedCount} escalated` },
    STATUS_BOARD_COLUMNS.map((header, i) => ({ header, width: WIDTHS[i]! })),
    board.returns.map(statusBoardCells),
  );
}
