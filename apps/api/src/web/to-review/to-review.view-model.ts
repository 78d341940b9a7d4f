import type { Principal } from '@quarterly/platform';
import { getStatusBoard, listCycles, type ReadModelDatabase } from '@quarterly/read-models';
import { longDate } from '../shared/page-renderer';
import { stageLabel } from '../../shared/plain-english';
import { returnPagePath } from '../shared/return-paths';

export interface ReviewRow {
  readonly href: string;
  readonly kpiId: string;
  readonly title: string;
  readonly period: string;
  readonly stage: string;
  readonly sent: string;
  /** Past the cycle's DMT review deadline. */
  readonly overdue: boolean;
  readonly reviewBy: string;
}

export interface ToReviewViewModel {
  readonly directorate: string | null;
  readonly rows: readonly ReviewRow[];
}

const AWAITING_REVIEW = ['submitted', 'resubmitted', 'restated', 'marked_not_available'] as const;

/**
 * The figures waiting for a DMT member's directorate (every directorate for the performance
 * team), oldest first, flagged when past the cycle's review deadline.
 */
export async function toReviewFor(readModels: ReadModelDatabase, principal: Principal, now: Date, today: string): Promise<ToReviewViewModel> {
  const everyDirectorate = principal.roles.includes('performance-team');
  const directorate = principal.directorate ?? null;
  if (!everyDirectorate && directorate === null) return { directorate, rows: [] };
  const rows: Array<ReviewRow & { sentAt: string }> = [];
  for (const cycle of (await listCycles(readModels.db)).filter((c) => c.state === 'open')) {
    const board = await getStatusBoard(readModels.db, cycle.cycleId, {
      now,
      filter: { states: [...AWAITING_REVIEW], ...(everyDirectorate ? {} : { directorate: directorate! }) },
    });
    const deadline = cycle.timetable.dmtReviewDeadline;
    for (const row of board?.returns ?? []) {
      rows.push({
        href: returnPagePath(row.kpiId, cycle.cycleId),
        kpiId: row.kpiId,
        title: row.kpiTitle,
        period: cycle.cycleId,
        stage: stageLabel(row.state),
        sent: longDate(row.submittedAt),
        sentAt: row.submittedAt ?? row.updatedAt,
        overdue: deadline < today,
        reviewBy: longDate(deadline),
      });
    }
  }
  rows.sort((a, b) => a.sentAt.localeCompare(b.sentAt) || a.kpiId.localeCompare(b.kpiId));
  return { directorate: everyDirectorate ? null : directorate, rows: rows.map(({ sentAt: _sentAt, ...row }) => row) };
}
