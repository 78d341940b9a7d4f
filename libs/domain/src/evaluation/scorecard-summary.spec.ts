import type { RatingStatus } from '../shared/rating.types';
import type { Direction } from './direction-of-travel';
import { ScorecardRow, summariseScorecard } from './scorecard-summary';

const row = (
  kpiId: string,
  directorate: string,
  status: RatingStatus | null,
  directionVsPrevious: Direction | null,
  directionVsLastYear: Direction | null = null,
): ScorecardRow => ({ kpiId, directorate, status, directionVsPrevious, directionVsLastYear });

describe('scorecard summary', () => {
  // "A city to be proud of" section of a council's 2024/25 mid-year KPI table (seeds/000).
  const cityToBeProudOf: ScorecardRow[] = [
    row('P1', 'Place', 'amber', 'declining'),
    row('P2', 'Place', 'amber', 'declining'),
    row('P3', 'Place', 'green', 'improving'),
    row('P4', 'Place', 'green', 'improving'),
    row('P5', 'Place', 'red', 'declining'),
    row('P6', 'Place', 'green', 'improving'),
    row('P7', 'Place', 'green', 'improving'),
    row('P8', 'Place', 'green', 'improving'),
    row('P9', 'Place', 'amber', 'improving'),
    row('P10', 'Place', 'green', 'declining'),
    row('P11', 'Place', 'amber', 'declining'),
    row('P12', 'Place', 'red', 'improving'),
  ];

  it('counts KPIs with targets that met them', () => {
    const summary = summariseScorecard(cityToBeProudOf);
    expect(summary).toMatchObject({ total: 12, withTargets: 12, metTarget: 6, percentMetTarget: '50.0' });
    expect(summary.statusCounts).toEqual({ green: 6, amber: 4, red: 2, met: 0, not_met: 0, no_status: 0 });
  });

  it('cross-tabulates met / not met against better / same / worse', () => {
    const summary = summariseScorecard(cityToBeProudOf);
    expect(summary.crossTableVsPrevious).toEqual({
      met: { better: 5, same: 0, worse: 1, not_comparable: 0 },
      not_met: { better: 2, same: 0, worse: 4, not_comparable: 0 },
    });
    expect(summary.directionVsPrevious).toMatchObject({ improving: 7, declining: 5, no_change: 0 });
  });

  it('leaves KPIs without a status out of the target counts but not out of the trend counts', () => {
    const summary = summariseScorecard([
      row('T1', 'Children', null, 'improving', 'declining'),
      row('T2', 'Children', null, 'higher'),
      row('M1', 'Children', 'met', 'no_change', 'improving'),
      row('M2', 'Adults', 'not_met', null, 'same'),
    ]);
    expect(summary).toMatchObject({ total: 4, withTargets: 2, metTarget: 1, percentMetTarget: '50.0' });
    expect(summary.directionVsPrevious).toEqual({ improving: 1, declining: 0, no_change: 1, higher: 1, lower: 0, same: 0, not_comparable: 1 });
    expect(summary.directionVsLastYear).toMatchObject({ improving: 1, declining: 1, same: 1, not_comparable: 1 });
    expect(summary.crossTableVsPrevious).toEqual({
      met: { better: 0, same: 1, worse: 0, not_comparable: 0 },
      not_met: { better: 0, same: 0, worse: 0, not_comparable: 1 },
    });
    expect(summary.crossTableVsLastYear.met.better).toBe(1);
    expect(summary.crossTableVsLastYear.not_met.not_comparable).toBe(1);
  });

  it('counts statuses per directorate, sorted by name', () => {
    const summary = summariseScorecard([
      row('A', 'Place', 'red', null),
      row('B', 'Children', 'green', null),
      row('C', 'Place', 'amber', null),
      row('D', 'Place', null, null),
    ]);
    expect(summary.byDirectorate).toEqual([
      { directorate: 'Children', green: 1, amber: 0, red: 0, met: 0, not_met: 0, no_status: 0 },
      { directorate: 'Place', green: 0, amber: 1, red: 1, met: 0, not_met: 0, no_status: 1 },
    ]);
  });

  it('rounds the percentage to one decimal place and has none when no KPI has a target', () => {
    expect(summariseScorecard([row('A', 'X', 'green', null), row('B', 'X', 'red', null), row('C', 'X', 'red', null)]).percentMetTarget).toBe('33.3');
    expect(summariseScorecard([row('A', 'X', 'green', null), row('B', 'X', 'green', null), row('C', 'X', 'red', null)]).percentMetTarget).toBe('66.7');
    expect(summariseScorecard([row('A', 'X', null, null)]).percentMetTarget).toBeNull();
    expect(summariseScorecard([]).total).toBe(0);
  });
});
