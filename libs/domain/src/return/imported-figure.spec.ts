import { cycleDecider } from '../cycle/cycle.decider';
import type { CycleEvent } from '../cycle/cycle.events';
import { IllegalTransitionError, SelfApprovalError, ValidationError } from '../shared/domain-error';
import type { RatingPolicy } from '../shared/rating.types';
import { DeciderSpecification } from '../testing/decider-specification';
import { contextOf, dmt, kpiSnapshot, NOW, performanceTeam, returnKpiSnapshot, serviceLead } from '../testing/domain-fixtures';
import { cycleOfReportedPeriod, ImportFigureInput, printedDirectionOf, printedStatusOf, sameDirection } from './imported-figure';
import type { ReturnEvent, ReturnFigureImported, ReturnRequested } from './return.events';
import { ReturnCommand, returnDecider } from './return.decider';

const spec = DeciderSpecification.for(returnDecider);
const cycles = DeciderSpecification.for(cycleDecider);
const returnId = 'ASC-01:2023/24-Q2';
const policy: RatingPolicy = { kind: 'thresholds', green: '24.1', amber: '21.4' };

const input: ImportFigureInput = {
  cycleId: '2023/24-Q2',
  request: { returnId, kpiId: 'ASC-01', periodCovered: '2023/24-Q2', expectedMonths: [] },
  kpi: returnKpiSnapshot(),
  value: '0022.50',
  commentary: 'Direct payments up after the review of packages.',
  published: { sourceDocument: 'Cabinet 14 Nov 2023, item 7, appendix 1', publishedOn: '2023-11-14', status: 'Monitor', directionPrevious: 'Improving' },
  fileName: 'past-figures.xlsx',
  sha256: 'ab'.repeat(32),
  policy,
};
const importFigure = (data: Partial<ImportFigureInput> = {}, context = performanceTeam): ReturnCommand => ({
  type: 'ImportFigure',
  returnId,
  data: { ...input, ...data },
  context,
});

const imported: ReturnFigureImported = {
  type: 'ReturnFigureImported',
  data: {
    returnId,
    kpiId: 'ASC-01',
    cycleId: '2023/24-Q2',
    financialYear: '2023/24',
    quarter: 2,
    periodCovered: '2023/24-Q2',
    expectedMonths: [],
    kpi: returnKpiSnapshot(),
    value: '22.50',
    valueAsEntered: '0022.50',
    monthlyValues: [],
    commentary: 'Direct payments up after the review of packages.',
    rating: { status: 'amber', label: 'Monitor', policy, financialYear: '2023/24' },
    published: { sourceDocument: 'Cabinet 14 Nov 2023, item 7, appendix 1', publishedOn: '2023-11-14', status: 'Monitor', directionPrevious: 'Improving' },
    source: { importedBy: 'p.officer', importedAt: NOW, fileName: 'past-figures.xlsx', sha256: 'ab'.repeat(32) },
  },
};

describe('importing a published figure into a return never requested', () => {
  it('records it rated under the policy given, with what the council printed and where it came from', () => {
    spec.given([]).when(importFigure()).then([imported]);
  });

  it('leaves the return approved by nobody, holding the published figure', () => {
    const state = spec.given([imported]).when(importFigure()).result().state;
    expect(state).toMatchObject({ status: 'approved', approvedBy: null, submittedBy: null, approvedValue: '22.50', imported: { fileName: 'past-figures.xlsx' } });
  });

  it('records nothing when the same file is imported again', () => {
    spec.given([imported]).when(importFigure()).thenNothing();
  });

  it('refuses a figure from another file, naming where the period figure came from', () => {
    spec
      .given([imported])
      .when(importFigure({ sha256: 'cd'.repeat(32), fileName: 'other.csv' }))
      .thenThrows(IllegalTransitionError, (error) => expect(error.currentState).toBe('imported from past-figures.xlsx'));
  });

  it('refuses a return a live cycle requested, naming its state', () => {
    const requested: ReturnRequested = {
      type: 'ReturnRequested',
      data: { ...imported.data, dueDate: '2023-10-14' } as never,
    };
    spec.given([requested]).when(importFigure()).thenThrows(IllegalTransitionError, (error) => expect(error.currentState).toBe('requested'));
  });

  it('is for the performance team only', () => {
    spec.given([]).when(importFigure({}, serviceLead)).thenThrows(Error, (error) => expect(error.name).toBe('ForbiddenActionError'));
  });

  it.each([
    [{ value: '-3' }, 'value'],
    [{ value: '101' }, 'value'],
    [{ value: 'twelve' }, 'value'],
    [{ value: null }, 'value'],
    [{ value: '22.5', notAvailableReason: 'Data not returned' }, 'notAvailableReason'],
    [{ published: { ...input.published, publishedOn: '2023-09-30' } }, 'publishedOn'],
    [{ published: { ...input.published, publishedOn: '2024-10-08' } }, 'publishedOn'],
    [{ published: { ...input.published, sourceDocument: '' } }, 'sourceDocument'],
    [{ monthlyValues: [{ month: '2023-07', value: '1' }] }, 'monthlyValues'],
  ] as const)('refuses %j naming %s', (data, field) => {
    spec.given([]).when(importFigure(data as Partial<ImportFigureInput>)).thenThrows(ValidationError, (error) => expect(error.field).toBe(field));
  });

  it('records "not available" with its reason and no status', () => {
    const { events } = spec.given([]).when(importFigure({ value: null, notAvailableReason: 'Survey not run', published: { sourceDocument: 'Cabinet', publishedOn: '2023-11-14' } })).result();
    expect(events[0]).toMatchObject({ data: { value: null, notAvailableReason: 'Survey not run', rating: { status: null, noStatusReason: 'not_available' } } });
  });

  it('keeps only the months a monthly KPI printed, in month order', () => {
    const monthly = { ...input, request: { ...input.request, expectedMonths: ['2023-07', '2023-08', '2023-09'] }, kpi: returnKpiSnapshot({ frequency: 'monthly' }) };
    const { events } = spec
      .given([])
      .when(importFigure({ ...monthly, monthlyValues: [{ month: '2023-09', value: '23.0' }, { month: '2023-08', value: '22.0' }] }))
      .result();
    expect(events[0]).toMatchObject({ data: { monthlyValues: [{ month: '2023-08', value: '22.0' }, { month: '2023-09', value: '23.0' }] } });
  });
});

describe('when an imported figure is found wrong', () => {
  const restate: ReturnCommand = {
    type: 'RestateReturn',
    returnId,
    data: { value: '25.00', reason: 'The paper printed the June figure.', kpi: { policy } },
    context: serviceLead,
  };

  it('is restated like an approved one, and approved by someone other than the restater', () => {
    const restated = spec.given([imported]).when(restate).result();
    expect(restated.events[0]).toMatchObject({ type: 'ReturnRestated', data: { previousValue: '22.50', value: '25.00', rating: { status: 'green' } } });
    const after = [imported, ...restated.events] as ReturnEvent[];
    spec.given(after).when({ type: 'ApproveReturn', returnId, data: {}, context: contextOf('s.lead', 'dmt') }).thenThrows(SelfApprovalError);
    spec.given(after).when({ type: 'ApproveReturn', returnId, data: {}, context: dmt }).result();
  });

  it('cannot be asked for again by a live cycle', () => {
    spec
      .given([imported])
      .when({ type: 'RequestReturn', returnId, data: { cycleId: '2023/24-Q2', request: input.request, dueDate: '2023-10-14', kpi: returnKpiSnapshot() }, context: performanceTeam })
      .thenThrows(IllegalTransitionError);
  });
});

describe('a past quarter brought in by an import', () => {
  const importCycle = { type: 'ImportCycle', cycleId: '2023/24-Q2', data: { publicationDate: '2023-11-14', fileName: 'past-figures.xlsx', sha256: 'ab'.repeat(32) }, context: performanceTeam } as const;
  const cycleImported: CycleEvent = {
    type: 'CycleImported',
    data: { cycleId: '2023/24-Q2', financialYear: '2023/24', quarter: 2, publicationDate: '2023-11-14', importedBy: 'p.officer', importedAt: NOW, fileName: 'past-figures.xlsx', sha256: 'ab'.repeat(32) },
  };

  it('is recorded once, with its publication date', () => {
    cycles.given([]).when(importCycle).then([cycleImported]);
    cycles.given([cycleImported]).when({ ...importCycle, data: { ...importCycle.data, fileName: 'more.csv' } }).thenNothing();
  });

  it('cannot then be opened as a live cycle', () => {
    cycles
      .given([cycleImported])
      .when({ type: 'OpenCycle', cycleId: '2023/24-Q2', data: { timetable: { returnsDue: '2023-10-14', dmtReviewDeadline: '2023-10-20', cltDate: '2023-10-25', publicationDate: '2023-11-01' }, liveKpis: [] }, context: performanceTeam })
      .thenThrows(IllegalTransitionError, (error) => expect(error.currentState).toBe('imported'));
  });

  it.each(['open', 'closed'] as const)('refuses a quarter whose live cycle is %s, naming its state', (status) => {
    const opened: CycleEvent = {
      type: 'CycleOpened',
      data: { cycleId: '2023/24-Q2', financialYear: '2023/24', quarter: 2, timetable: { returnsDue: '2023-10-14', dmtReviewDeadline: '2023-10-20', cltDate: '2023-10-25', publicationDate: '2023-11-01' }, requestedReturns: [] },
    };
    const given: CycleEvent[] = status === 'open' ? [opened] : [opened, { type: 'CycleClosed', data: { outstandingReturnIds: [] } }];
    cycles.given(given).when(importCycle).thenThrows(IllegalTransitionError, (error) => expect(error.currentState).toBe(status));
  });
});

describe('which return a reported period goes to', () => {
  it.each([
    [{ frequency: 'quarterly' }, '2023/24-Q3', '2023/24-Q3', []],
    [{ frequency: 'monthly' }, '2023/24-Q1', '2023/24-Q1', ['2023-04', '2023-05', '2023-06']],
    [{ frequency: 'six_monthly' }, '2023/24-H1', '2023/24-Q2', []],
    [{ frequency: 'six_monthly' }, '2023/24-H2', '2023/24-Q4', []],
    [{ frequency: 'annual' }, '2023/24', '2023/24-Q4', []],
    [{ frequency: 'annual', annualDueQuarter: 2 }, '2023/24', '2024/25-Q2', []],
  ] as const)('%j reporting %s: the %s cycle', (kpi, period, cycleId, months) => {
    const found = cycleOfReportedPeriod(kpiSnapshot(kpi as never), period);
    expect(found).toEqual({ cycleId, request: { returnId: `ASC-01:${cycleId}`, kpiId: 'ASC-01', periodCovered: period, expectedMonths: months } });
  });

  it.each([
    [{ frequency: 'quarterly' }, '2023/24'],
    [{ frequency: 'six_monthly' }, '2023/24-Q2'],
    [{ frequency: 'annual' }, '2023/24-H1'],
    [{ frequency: 'quarterly' }, 'Q2 2023'],
  ] as const)('refuses a period a %j KPI does not report: %s', (kpi, period) => {
    expect(() => cycleOfReportedPeriod(kpiSnapshot(kpi as never), period)).toThrow(ValidationError);
  });
});

describe('what councils print', () => {
  it.each([
    ['On track', 'green'],
    ['monitor', 'amber'],
    ['Action required', 'red'],
    ['Not met', 'not_met'],
    ['', null],
    ['N/A', null],
    ['No target', null],
    ['Tracker (no target)', null],
    ['Not available', null],
  ] as const)('reads the status %s', (text, status) => expect(printedStatusOf(text)).toBe(status));

  it.each(['N/A', 'No comparison', ' - '])('reads the direction %s as none printed', (text) => expect(printedDirectionOf(text, 'higher_is_better', 'd')).toBeNull());

  it('refuses a status word it does not know', () => expect(() => printedStatusOf('Purple')).toThrow(ValidationError));

  it.each([
    ['Improving', 'higher_is_better', 'improving'],
    ['Higher', 'lower_is_better', 'declining'],
    ['Lower', 'lower_is_better', 'improving'],
    ['Same', 'none', 'same'],
    ['No change', 'higher_is_better', 'no_change'],
  ] as const)('reads the direction %s of a %s KPI', (text, polarity, direction) => expect(printedDirectionOf(text, polarity, 'd')).toBe(direction));

  it('takes "same" and "no change" for one movement', () => expect(sameDirection('same', 'no_change')).toBe(true));
});
