import type { ReturnStatus } from '@quarterly/domain';
import type { StatusBoard } from '@quarterly/read-models';

/** `37 returns: 12 approved, 8 waiting for approval, 2 challenged, 15 figures needed (5 overdue); 1 escalated`. */
export function progressInWords(board: Pick<StatusBoard, 'countsByState' | 'overdueCount' | 'escalatedCount'>): string {
  const count = (state: ReturnStatus) => board.countsByState[state] ?? 0;
  const total = Object.values(board.countsByState).reduce((sum, n) => sum + n, 0);
  const waiting = count('submitted') + count('resubmitted') + count('restated') + count('marked_not_available');
  const parts = [
    `${count('approved')} approved`,
    `${waiting} waiting for approval`,
    `${count('challenged')} challenged`,
    `${count('requested')} figure${count('requested') === 1 ? '' : 's'} needed${board.overdueCount > 0 ? ` (${board.overdueCount} overdue)` : ''}`,
  ];
  return `${total} return${total === 1 ? '' : 's'}: ${parts.join(', ')}${board.escalatedCount > 0 ? `; ${board.escalatedCount} escalated` : ''}`;
}
