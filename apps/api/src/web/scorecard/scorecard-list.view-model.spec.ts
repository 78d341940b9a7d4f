import type { CycleView } from '@quarterly/read-models';
import { scorecardListRows } from './scorecard-list.view-model';

const cycle = (cycleId: string, state: CycleView['state'], closedAt: string | null = null): CycleView => ({
  cycleId,
  financialYear: cycleId.slice(0, 7),
  quarter: Number(cycleId.slice(-1)),
  timetable: { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' },
  state,
  requestedCount: 3,
  openedAt: '2026-10-01T09:00:00.000Z',
  closedAt,
});

describe('the scorecards page', () => {
  const cycles = [cycle('2026/27-Q2', 'open'), cycle('2026/27-Q1', 'closed', '2026-08-20T09:00:00.000Z'), cycle('2025/26-Q4', 'imported')];

  it('says which months each quarter covers and where it stands, for staff', () => {
    expect(scorecardListRows(cycles, true).map(({ cycleId, covers, published, standing }) => [cycleId, covers, published, standing])).toEqual([
      ['2026/27-Q2', 'July to September 2026', false, 'Figures being collected: returns due 14 October 2026'],
      ['2026/27-Q1', 'April to June 2026', true, 'Published 20 August 2026'],
      ['2025/26-Q4', 'January to March 2026', true, 'Published before Quarterly (brought in with past figures)'],
    ]);
  });

  it('shows a councillor the published quarters only, each linking to its scorecard', () => {
    expect(scorecardListRows(cycles, false).map((row) => row.href)).toEqual(['/app/scorecards/2026-27-Q1', '/app/scorecards/2025-26-Q4']);
  });
});
