import { fold, kpiDecider, returnDecider, type KpiEvent, type KpiRecord, type RatingPolicy, type ReturnEvent, type ReturnRecord } from '@quarterly/domain';
import { returnPageModel, type LoadedReturn } from './return-page.view-model';

const YEAR: RatingPolicy = { kind: 'thresholds', green: '1200000', amber: '1000000' };
const Q2: RatingPolicy = { kind: 'thresholds', green: '600000', amber: '500000' };

/** Income from commercial waste, £, year to date, with a Q2 profile and the in-quarter figure beside it. */
function loaded(model: { ratedFigure?: 'in_period' | 'year_to_date' } = {}): LoadedReturn {
  const kpiEvents: KpiEvent[] = [
    {
      type: 'KpiDefined',
      data: {
        kpiId: 'INC-01',
        title: 'Commercial waste income',
        definition: 'Income invoiced, year to date.',
        directorate: 'Place',
        serviceArea: 'Waste',
        planOutcome: '4.1 A sound budget',
        unit: 'money',
        decimalPlaces: 0,
        polarity: 'higher_is_better',
        frequency: 'quarterly',
        measureType: 'year_to_date',
        dataSource: 'Finance system',
        limitations: '',
        benchmarkSources: [],
        labels: 'green_amber_red',
        unitLabel: '£',
        owner: 's.lead',
        keyContacts: [],
      },
    },
    { type: 'KpiTargetPolicySet', data: { financialYear: '2026/27', policy: YEAR, ...model } },
    { type: 'KpiTargetPolicySet', data: { financialYear: '2026/27', policy: Q2, period: 'Q2' } },
  ];
  const kpiState = fold(kpiDecider, kpiEvents);
  const returnEvents: ReturnEvent[] = [
    {
      type: 'ReturnRequested',
      data: {
        returnId: 'INC-01:2026/27-Q2',
        kpiId: 'INC-01',
        cycleId: '2026/27-Q2',
        financialYear: '2026/27',
        quarter: 2,
        periodCovered: '2026/27-Q2',
        expectedMonths: [],
        dueDate: '2026-10-14',
        kpi: {
          title: 'Commercial waste income',
          directorate: 'Place',
          owner: 's.lead',
          keyContacts: [],
          unit: 'money',
          decimalPlaces: 0,
          polarity: 'higher_is_better',
          frequency: 'quarterly',
          measureType: 'year_to_date',
          labels: 'green_amber_red',
        },
      },
    },
    {
      type: 'ReturnSubmitted',
      data: {
        submittedBy: 's.lead',
        value: '1700000',
        inPeriodValue: '900000',
        monthlyValues: [],
        commentary: 'Two new contracts.',
        rating: { status: 'green', label: 'Green', policy: Q2, period: 'Q2', financialYear: '2026/27' },
      },
    },
  ];
  const record = fold(returnDecider, returnEvents) as ReturnRecord;
  return {
    kpi: (kpiState as { kpi: KpiRecord }).kpi,
    record,
    revision: 1n,
    timeline: [],
    events: returnEvents.map((event, index) => ({ event, revision: BigInt(index) })),
    previousFigures: [{ period: '2026/27-Q1', value: '800000', label: 'Green' }],
    lastYear: null,
    nameOf: (id) => id,
  };
}

const lead = { id: 's.lead', roles: ['service-lead'] as const, directorate: 'Place' };

describe("a return page's model", () => {
  it("prints figures and targets as councils do, with the period's target in force", () => {
    const model = returnPageModel(loaded(), lead, '2026-10-01');
    expect(model.current).toMatchObject({ value: '£1,700,000', inPeriodValue: '£900,000', yearToDateValue: null });
    expect(model.previousFigures).toEqual([{ period: '2026/27-Q1', value: '£800,000', label: 'Green' }]);
    expect(model.target).toBe('Green at £600,000 or above; amber at £500,000 or above (the Q2 target)');
  });

  it('asks for the other figure beside the rated one only when the year states which is rated', () => {
    expect(returnPageModel(loaded(), lead, '2026-10-01').companion).toBeNull();
    const stated = returnPageModel(loaded({ ratedFigure: 'year_to_date' }), lead, '2026-10-01');
    expect(stated.companion).toMatchObject({ field: 'inPeriodValue' });
    expect(stated.measure).toBe('the year to date');
    const inQuarter = returnPageModel(loaded({ ratedFigure: 'in_period' }), lead, '2026-10-01');
    expect(inQuarter.companion).toMatchObject({ field: 'yearToDateValue' });
    expect(inQuarter.measure).toBe('the quarter only');
  });
});
