import { EnglandAndWalesCalendar } from '@quarterly/calendar';
import { nextQuarter } from '@quarterly/domain';
import { buildDemoTimeline, currentCycleAt } from './demo-timeline';

const calendar = new EnglandAndWalesCalendar();

describe('the current cycle of the demo story', () => {
  it.each([
    ['2026-11-22T09:00:00Z', '2026/27-Q2'],
    ['2026-11-04T12:00:00Z', '2026/27-Q2'],
    ['2026-11-03T12:00:00Z', '2026/27-Q1'],
    ['2027-01-03T12:00:00Z', '2026/27-Q2'],
    ['2027-02-04T12:00:00Z', '2026/27-Q3'],
  ])('on %s is %s: the latest quarter that ended at least 35 days before', (now, cycleId) => {
    expect(currentCycleAt(new Date(now), calendar)).toBe(cycleId);
  });
});

describe('the demo timeline, whatever day it is loaded', () => {
  const nows = Array.from({ length: 36 }, (_, month) => new Date(Date.UTC(2026, 4 + month, 15, 12)));

  it.each(nows.map((now) => [now.toISOString(), now] as const))('on %s runs five consecutive cycles before the current one, in time order, before now', (_, now) => {
    const timeline = buildDemoTimeline(now, calendar);
    expect(timeline.cycles).toHaveLength(6);
    expect(timeline.cycles[5]).toBe(currentCycleAt(now, calendar));
    timeline.cycles.slice(1).forEach((cycleId, index) => expect(cycleId).toBe(nextQuarter(timeline.cycles[index]!)));
    const instants = timeline.steps.map((step) => step.at.getTime());
    expect(instants.every((instant, index) => index === 0 || instants[index - 1]! <= instant)).toBe(true);
    expect(instants[instants.length - 1]!).toBeLessThan(now.getTime());
  });

  it.each(nows.map((now) => [now.toISOString(), now] as const))('on %s changes a KPI only between its definition and its retirement', (_, now) => {
    const live = new Set<string>();
    const retired = new Set<string>();
    for (const { action } of buildDemoTimeline(now, calendar).steps) {
      if (action.kind === 'define-kpi') live.add(action.kpiId);
      else if (action.kind === 'set-policy' || action.kind === 'amend-kpi' || action.kind === 'retire-kpi') {
        expect({ kpiId: action.kpiId, live: live.has(action.kpiId) && !retired.has(action.kpiId) }).toEqual({ kpiId: action.kpiId, live: true });
        if (action.kind === 'retire-kpi') retired.add(action.kpiId);
      }
    }
  });

  it('plans the same steps for the same now', () => {
    const now = new Date('2026-11-22T09:00:00Z');
    expect(buildDemoTimeline(now, calendar)).toEqual(buildDemoTimeline(now, calendar));
  });
});
