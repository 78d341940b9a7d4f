import type { ReturnStatus } from '@quarterly/domain';
import type { StatusBoard } from '@quarterly/read-models';

/**
 * `37 returns: 12 approved, 8 waiting for approval, 2 challenged, 15 figures needed; 5 returns overdue; 1 escalated`.
 * Overdue counts the challenged returns past their due date as well as the figures needed, so it
 * is a clause of its own: "15 figures needed (17 overdue)" read as 17 out of 15.
 */
export function progressInWords(board: Pick<StatusBoard, 'countsByState' | 'overdueCount' | 'escalatedCount'>): string {
  const count = (state: ReturnStatus) => board.countsByState[state] ?? 0;
  const total = Object.values(board.countsByState).reduce((sum, n) => sum + n, 0);
  const waiting = count('submitted') + count('resubmitted') + count('restated') + count('marked_not_available');
  const parts = [
    `${count('approved')} approved`,
    `${waiting} waiting for approval`,
    `${count('challenged')} challenged`,
    `${count('requested')} figure${count('requested') === 1 ? '' : 's'} needed`,
  ];
  const overdue = board.overdueCount > 0 ? `; ${board.overdueCount} return${board.overdueCount === 1 ? '' : 's'} overdue` : '';
  return `${total} return${total === 1 ? '' : 's'}: ${parts.join(', ')}${overdue}${board.escalatedCount > 0 ? `; ${board.escalatedCount} escalated` : ''}`;
}
