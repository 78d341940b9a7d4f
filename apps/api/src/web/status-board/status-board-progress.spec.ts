import type { ReturnStatus } from '@quarterly/domain';
import { progressInWords } from './status-board-progress';

const counts = (given: Partial<Record<ReturnStatus, number>>): Record<ReturnStatus, number> => ({
  requested: 0,
  submitted: 0,
  challenged: 0,
  resubmitted: 0,
  marked_not_available: 0,
  approved: 0,
  restated: 0,
  ...given,
});

describe("an open quarter's progress in words", () => {
  it('counts every return once, the ones waiting for approval together', () => {
    expect(progressInWords({ countsByState: counts({ approved: 12, submitted: 5, resubmitted: 2, restated: 1, challenged: 2, requested: 15 }), overdueCount: 5, escalatedCount: 1 })).toBe(
      '37 returns: 12 approved, 8 waiting for approval, 2 challenged, 15 figures needed; 5 returns overdue; 1 escalated',
    );
  });

  it('says how many returns are overdue apart from the figures needed, since challenged returns can be overdue too', () => {
    const words = progressInWords({ countsByState: counts({ requested: 5, challenged: 2, approved: 1 }), overdueCount: 7, escalatedCount: 0 });
    expect(words).toBe('8 returns: 1 approved, 0 waiting for approval, 2 challenged, 5 figures needed; 7 returns overdue');
    expect(words).not.toMatch(/needed \(/);
    expect(progressInWords({ countsByState: counts({ requested: 1 }), overdueCount: 1, escalatedCount: 0 })).toBe('1 return: 0 approved, 0 waiting for approval, 0 challenged, 1 figure needed; 1 return overdue');
  });

  it('leaves out overdue and escalated when there are none, and writes one return as one', () => {
    expect(progressInWords({ countsByState: counts({ requested: 1 }), overdueCount: 0, escalatedCount: 0 })).toBe('1 return: 0 approved, 0 waiting for approval, 0 challenged, 1 figure needed');
  });
});
