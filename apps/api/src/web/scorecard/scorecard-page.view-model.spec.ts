import type { Scorecard, ScorecardChange } from '@quarterly/read-models';
import { changeLines } from './scorecard-page.view-model';

const entry = (kpiId: string, unit: string, decimalPlaces: number, unitLabel: string | null = null) =>
  ({ kpiId, unit, decimalPlaces, unitLabel }) as unknown as Scorecard['entries'][number];
const snapshot = (value: string | null) => ({ value, status: 'green' as const, label: 'On track', noFigureReason: null, approvedAt: null });

describe('what changed since an earlier instant', () => {
  it('prints each figure as the KPI prints it, with thousands separators and the unit', () => {
    const changes: ScorecardChange[] = [
      { kpiId: 'KPI-01', title: 'Council tax collected', change: 'changed', before: snapshot('1698000'), after: snapshot('1712300') },
      { kpiId: 'KPI-02', title: 'Recycling rate', change: 'changed', before: snapshot('24'), after: snapshot('24.2') },
    ];
    const lines = changeLines(changes, [entry('KPI-01', 'count', 0), entry('KPI-02', 'percentage', 1)]);
    expect(lines.map((l) => [l.before, l.after])).toEqual([
      ['1,698,000 (On track)', '1,712,300 (On track)'],
      ['24.0% (On track)', '24.2% (On track)'],
    ]);
  });

  it('prints a figure of a KPI no longer on the scorecard with the display it had', () => {
    const changes: ScorecardChange[] = [{ kpiId: 'KPI-03', title: 'Spend', change: 'removed', before: snapshot('1250'), after: null }];
    expect(changeLines(changes, [entry('KPI-03', 'money', 2)])[0]).toMatchObject({ before: '£1,250.00 (On track)', after: 'No longer on the scorecard' });
  });
});
