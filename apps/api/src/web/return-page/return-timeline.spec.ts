import type { ReturnEvent } from '@quarterly/domain';
import { returnKpiSnapshot } from '@quarterly/domain/testing/domain-fixtures';
import { timelineOf } from './return-timeline';

const requested = (unit: 'count' | 'percentage', decimalPlaces: number): ReturnEvent =>
  ({
    type: 'ReturnRequested',
    data: {
      returnId: 'PH-01:2026/27-Q1',
      kpiId: 'PH-01',
      cycleId: '2026/27-Q1',
      financialYear: '2026/27',
      quarter: 1,
      periodCovered: '2026/27-Q1',
      expectedMonths: [],
      dueDate: '2026-07-14',
      kpi: returnKpiSnapshot({ unit, decimalPlaces }),
    },
  }) as ReturnEvent;

const names: Record<string, string> = { 'l.price': 'Laura Price', 'd.okafor': 'David Okafor' };
const at = (event: ReturnEvent, revision: number) => ({ event, revision: BigInt(revision), recordedAt: '2026-07-10T11:11:00.000Z' });

describe("a return's timeline in words", () => {
  it('writes each figure as the KPI writes it, from the KPI the return was requested with', () => {
    const timeline = timelineOf(
      [
        at(requested('count', 0), 0),
        at({ type: 'ReturnSubmitted', data: { submittedBy: 'l.price', value: '1702115', commentary: 'Up on last year.' } } as ReturnEvent, 1),
        at({ type: 'ReturnRestated', data: { restatedBy: 'l.price', value: '1712300', reason: 'Two sites were missing.' } } as ReturnEvent, 2),
      ],
      (id) => names[id] ?? id,
    );
    expect(timeline.map((entry) => entry.text)).toEqual([
      'Figure requested, due 14 July 2026',
      'Laura Price sent the figure 1,702,115',
      'Laura Price restated the figure as 1,712,300',
    ]);
  });

  it('writes a percentage with its sign and places', () => {
    const [, submitted] = timelineOf(
      [at(requested('percentage', 1), 0), at({ type: 'ReturnSubmitted', data: { submittedBy: 'l.price', value: '83.5' } } as ReturnEvent, 1)],
      (id) => names[id] ?? id,
    );
    expect(submitted!.text).toBe('Laura Price sent the figure 83.5%');
  });

  it('writes the figure as stored when the opening event is not among those given', () => {
    const [submitted] = timelineOf([at({ type: 'ReturnSubmitted', data: { submittedBy: 'l.price', value: '1702115' } } as ReturnEvent, 1)], (id) => id);
    expect(submitted!.text).toBe('l.price sent the figure 1702115');
  });
});
