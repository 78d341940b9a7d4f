import type { Rating } from '@quarterly/domain';
import { commentaryFor } from './demo-commentary';
import type { DemoKpi } from './demo-kpi-builders';

const green = { status: 'green', label: 'Green' } as Rating;

function kpi(description: Partial<DemoKpi['description']>): DemoKpi {
  return { kpiId: 'X-01', description: { unit: 'count', decimalPlaces: 0, ...description } } as DemoKpi;
}

describe('commentaryFor', () => {
  it('writes figures as the pages do: the KPI’s unit, decimal places and label', () => {
    expect(commentaryFor(kpi({ unit: 'money', decimalPlaces: 1, unitLabel: '£m' }), '2.5', '2026/27-Q1', '2.25', green)).toBe(
      '£2.5m for the quarter, up from £2.25m. Status: Green.',
    );
    expect(commentaryFor(kpi({ unit: 'count' }), '1702115', '2026/27-Q1', '1702115', green)).toBe(
      '1,702,115 for the quarter, unchanged from 1,702,115. Status: Green.',
    );
    expect(commentaryFor(kpi({ unit: 'percentage', decimalPlaces: 1 }), '43', '2026/27', null, green)).toBe('43.0% for 2026/27. Status: Green.');
  });
});
