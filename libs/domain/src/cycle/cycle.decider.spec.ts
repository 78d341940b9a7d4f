import {
  AlreadyExistsError,
  DeadlineNotLaterError,
  ForbiddenActionError,
  IllegalTransitionError,
  ValidationError,
} from '../shared/domain-error';
import { DeciderSpecification } from '../testing/decider-specification';
import { kpiSnapshot, performanceTeam, serviceLead } from '../testing/domain-fixtures';
import type { CycleEvent, CycleOpened, CycleTimetable } from './cycle.events';
import { CycleCommand, cycleDecider, returnsDueInQuarter } from './cycle.decider';

const spec = DeciderSpecification.for(cycleDecider);
const cycleId = '2024/25-Q2';
const timetable: CycleTimetable = {
  returnsDue: '2024-10-14',
  dmtReviewDeadline: '2024-10-25',
  cltDate: '2024-11-05',
  publicationDate: '2024-12-04',
};

const register = [
  kpiSnapshot({ kpiId: 'ASC-01', frequency: 'quarterly' }),
  kpiSnapshot({ kpiId: 'ASC-02', frequency: 'monthly' }),
  kpiSnapshot({ kpiId: 'HR-01', frequency: 'six_monthly' }),
  kpiSnapshot({ kpiId: 'PH-01', frequency: 'annual' }),
  kpiSnapshot({ kpiId: 'PH-02', frequency: 'annual', annualDueQuarter: 2 }),
  kpiSnapshot({ kpiId: 'OLD-01', frequency: 'quarterly', retiredFrom: '2024/25-Q2' }),
  kpiSnapshot({ kpiId: 'OLD-02', frequency: 'quarterly', retiredFrom: '2024/25-Q3' }),
];

const open = (overrides: Partial<CycleTimetable> = {}, context = performanceTeam): CycleCommand => ({
  type: 'OpenCycle',
  cycleId,
  data: { timetable: { ...timetable, ...overrides }, liveKpis: register },
  context,
});

const opened: CycleOpened = {
  type: 'CycleOpened',
  data: {
    cycleId,
    financialYear: '2024/25',
    quarter: 2,
    timetable,
    requestedReturns: [
      { returnId: 'ASC-01:2024/25-Q2', kpiId: 'ASC-01', periodCovered: '2024/25-Q2', expectedMonths: [] },
      { returnId: 'ASC-02:2024/25-Q2', kpiId: 'ASC-02', periodCovered: '2024/25-Q2', expectedMonths: ['2024-07', '2024-08', '2024-09'] },
      { returnId: 'HR-01:2024/25-Q2', kpiId: 'HR-01', periodCovered: '2024/25-H1', expectedMonths: [] },
      { returnId: 'OLD-02:2024/25-Q2', kpiId: 'OLD-02', periodCovered: '2024/25-Q2', expectedMonths: [] },
      { returnId: 'PH-02:2024/25-Q2', kpiId: 'PH-02', periodCovered: '2023/24', expectedMonths: [] },
    ],
  },
};
const closed: CycleEvent = { type: 'CycleClosed', data: { outstandingReturnIds: [] } };

describe('who is due in a quarter', () => {
  it('asks monthly and quarterly KPIs every quarter, monthly ones with their three months', () => {
    for (const quarter of ['2024/25-Q1', '2024/25-Q3', '2024/25-Q4']) {
      expect(returnsDueInQuarter(register.slice(0, 2), quarter).map((r) => r.kpiId)).toEqual(['ASC-01', 'ASC-02']);
    }
    expect(returnsDueInQuarter([register[1]!], '2024/25-Q4')[0]!.expectedMonths).toEqual(['2025-01', '2025-02', '2025-03']);
  });

  it('asks six-monthly KPIs for H1 at Q2 and H2 at Q4 only', () => {
    const sixMonthly = [register[2]!];
    expect(returnsDueInQuarter(sixMonthly, '2024/25-Q1')).toEqual([]);
    expect(returnsDueInQuarter(sixMonthly, '2024/25-Q3')).toEqual([]);
    expect(returnsDueInQuarter(sixMonthly, '2024/25-Q4')[0]!.periodCovered).toBe('2024/25-H2');
  });

  it('asks annual KPIs in Q4 for the year just ended, or in their due quarter for the last complete year', () => {
    expect(returnsDueInQuarter([register[3]!], '2024/25-Q4')[0]!.periodCovered).toBe('2024/25');
    expect(returnsDueInQuarter([register[3]!], '2024/25-Q2')).toEqual([]);
    expect(returnsDueInQuarter([register[4]!], '2024/25-Q4')).toEqual([]);
  });

  it('leaves out KPIs retired from this quarter or earlier', () => {
    const ids = returnsDueInQuarter(register, '2024/25-Q3').map((r) => r.kpiId);
    expect(ids).not.toContain('OLD-01');
    expect(ids).not.toContain('OLD-02');
  });
});

describe('when the cycle is not opened', () => {
  it('opens it with the returns due', () => {
    spec.given([]).when(open()).then([opened]);
  });

  it('refuses a timetable out of order', () => {
    spec.given([]).when(open({ cltDate: '2024-10-20' })).thenThrows(ValidationError, (e) => expect(e.field).toBe('timetable.cltDate'));
  });

  it('refuses returns due on or before the quarter end', () => {
    spec.given([]).when(open({ returnsDue: '2024-09-30' })).thenThrows(ValidationError, (e) => expect(e.field).toBe('timetable.returnsDue'));
  });

  it('refuses an impossible date', () => {
    spec.given([]).when(open({ publicationDate: '2024-11-31' })).thenThrows(ValidationError, (e) => expect(e.field).toBe('timetable.publicationDate'));
  });

  it('refuses a register that lists a KPI twice', () => {
    spec
      .given([])
      .when({ type: 'OpenCycle', cycleId, data: { timetable, liveKpis: [register[0]!, register[0]!] }, context: performanceTeam })
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('liveKpis'));
  });

  it('refuses a malformed cycle id', () => {
    spec.given([]).when({ ...open(), cycleId: '2024-25-Q2' } as CycleCommand).thenThrows(ValidationError, (e) => expect(e.field).toBe('cycleId'));
  });

  it('refuses anyone outside the performance team', () => {
    spec.given([]).when(open({}, serviceLead)).thenThrows(ForbiddenActionError);
  });

  it('refuses extending or closing it', () => {
    spec
      .given([])
      .when({ type: 'CloseCycle', cycleId, data: { outstandingReturnIds: [] }, context: performanceTeam })
      .thenThrows(IllegalTransitionError, (e) => expect(e.message).toContain('current state: not_opened'));
  });
});

describe('when the cycle is open', () => {
  const extend = (deadline: 'returnsDue' | 'dmtReviewDeadline', to: string): CycleCommand => ({
    type: 'ExtendCycleDeadline',
    cycleId,
    data: { deadline, to, reason: 'system outage' },
    context: performanceTeam,
  });

  it('refuses opening it again', () => {
    spec.given([opened]).when(open()).thenThrows(AlreadyExistsError);
  });

  it('extends a deadline later', () => {
    const state = spec
      .given([opened])
      .when(extend('returnsDue', '2024-10-18'))
      .then([{ type: 'CycleDeadlineExtended', data: { deadline: 'returnsDue', from: '2024-10-14', to: '2024-10-18', reason: 'system outage' } }]);
    expect(state).toMatchObject({ cycle: { timetable: { returnsDue: '2024-10-18' } } });
  });

  it('refuses moving a deadline earlier or to the same day', () => {
    spec.given([opened]).when(extend('returnsDue', '2024-10-10')).thenThrows(DeadlineNotLaterError);
    spec.given([opened]).when(extend('returnsDue', '2024-10-14')).thenThrows(DeadlineNotLaterError);
  });

  it('refuses extending returns past the DMT review deadline', () => {
    spec.given([opened]).when(extend('returnsDue', '2024-10-28')).thenThrows(ValidationError, (e) => expect(e.field).toBe('timetable.dmtReviewDeadline'));
  });

  it('closes it, listing the returns still outstanding', () => {
    spec
      .given([opened])
      .when({ type: 'CloseCycle', cycleId, data: { outstandingReturnIds: ['HR-01:2024/25-Q2'] }, context: performanceTeam })
      .then([{ type: 'CycleClosed', data: { outstandingReturnIds: ['HR-01:2024/25-Q2'] } }]);
  });

  it('refuses closing with a return that was never requested', () => {
    spec
      .given([opened])
      .when({ type: 'CloseCycle', cycleId, data: { outstandingReturnIds: ['XX-01:2024/25-Q2'] }, context: performanceTeam })
      .thenThrows(ValidationError);
  });
});

describe('when the cycle is closed', () => {
  it('refuses extensions and a second close, naming the state', () => {
    spec
      .given([opened, closed])
      .when({ type: 'ExtendCycleDeadline', cycleId, data: { deadline: 'returnsDue', to: '2024-10-20', reason: 'late' }, context: performanceTeam })
      .thenThrows(IllegalTransitionError, (e) => expect(e.currentState).toBe('closed'));
    spec
      .given([opened, closed])
      .when({ type: 'CloseCycle', cycleId, data: { outstandingReturnIds: [] }, context: performanceTeam })
      .thenThrows(IllegalTransitionError);
  });
});
