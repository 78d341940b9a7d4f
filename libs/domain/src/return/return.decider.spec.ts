import {
  EscalationNotHigherError,
  ForbiddenActionError,
  IllegalTransitionError,
  NoticeNoLongerDueError,
  OffTargetJustificationRequiredError,
  SelfApprovalError,
  ValidationError,
} from '../shared/domain-error';
import type { RatingPolicy } from '../shared/rating.types';
import { DeciderSpecification } from '../testing/decider-specification';
import { auditor, contextOf, dmt, performanceTeam, returnKpiSnapshot, serviceLead } from '../testing/domain-fixtures';
import type { ReturnEvent, ReturnRequested, ReturnSubmitted } from './return.events';
import { FigureInput, ReturnCommand, returnDecider, SubmissionKpiContext } from './return.decider';

const spec = DeciderSpecification.for(returnDecider);
const returnId = 'ASC-01:2024/25-Q2';
const policy: RatingPolicy = { kind: 'thresholds', green: '24.1', amber: '21.4' };
const kpiContext: SubmissionKpiContext = { policy };

const requested: ReturnRequested = {
  type: 'ReturnRequested',
  data: {
    returnId,
    kpiId: 'ASC-01',
    cycleId: '2024/25-Q2',
    financialYear: '2024/25',
    quarter: 2,
    periodCovered: '2024/25-Q2',
    expectedMonths: [],
    dueDate: '2024-10-14',
    kpi: returnKpiSnapshot(),
  },
};
const monthlyRequested: ReturnRequested = {
  type: 'ReturnRequested',
  data: { ...requested.data, expectedMonths: ['2024-07', '2024-08', '2024-09'], kpi: returnKpiSnapshot({ frequency: 'monthly' }) },
};

const onTarget = { status: 'green', label: 'On track', policy, financialYear: '2024/25' } as const;
const monitor = { status: 'amber', label: 'Monitor', policy, financialYear: '2024/25' } as const;

const cmd = <T extends ReturnCommand['type']>(type: T, data: unknown, context = serviceLead): ReturnCommand =>
  ({ type, returnId, data, context }) as ReturnCommand;
const figure = (overrides: Partial<FigureInput> = {}): FigureInput => ({ value: '24.50', commentary: 'Steady.', kpi: kpiContext, ...overrides });

const submitted: ReturnSubmitted = {
  type: 'ReturnSubmitted',
  data: { submittedBy: 's.lead', value: '24.50', monthlyValues: [], commentary: 'Steady.', rating: onTarget },
};
const challenged: ReturnEvent = { type: 'ReturnChallenged', data: { challengedBy: 'd.director', reason: 'Does this include self-funders?' } };
const resubmitted: ReturnEvent = {
  type: 'ReturnResubmitted',
  data: { ...submitted.data, value: '24.10', responseToChallenge: 'Self-funders excluded; corrected.' },
};
const approved: ReturnEvent = { type: 'ReturnApproved', data: { approvedBy: 'd.director', value: '24.50', rating: onTarget } };
const markedNotAvailable: ReturnEvent = { type: 'ReturnFigureMarkedNotAvailable', data: { markedBy: 's.lead', reason: 'System migration' } };
const restated: ReturnEvent = {
  type: 'ReturnRestated',
  data: { restatedBy: 's.lead', previousValue: '24.50', value: '23.00', monthlyValues: [], reason: 'Late data', rating: monitor },
};

describe('when the return is not requested', () => {
  const request = cmd(
    'RequestReturn',
    {
      cycleId: '2024/25-Q2',
      request: { returnId, kpiId: 'ASC-01', periodCovered: '2024/25-Q2', expectedMonths: [] },
      dueDate: '2024-10-14',
      kpi: returnKpiSnapshot(),
    },
    performanceTeam,
  );

  it('requests it from the cycle', () => {
    spec.given([]).when(request).then([requested]);
  });

  it('refuses a return id that does not match the KPI and cycle', () => {
    spec.given([]).when({ ...request, returnId: 'ASC-02:2024/25-Q2' } as ReturnCommand).thenThrows(ValidationError);
  });

  it('refuses submission before it is requested', () => {
    spec.given([]).when(cmd('SubmitReturn', figure())).thenThrows(IllegalTransitionError, (e) => expect(e.currentState).toBe('not_requested'));
  });

  it('treats a repeated request as done', () => {
    spec.given([requested]).when(request).thenNothing();
  });
});

describe('when the return is requested', () => {
  it('accepts an on-target figure and rates it', () => {
    spec.given([requested]).when(cmd('SubmitReturn', figure())).then([submitted]);
  });

  it('requires a reason and a route to green for an off-target figure', () => {
    spec
      .given([requested])
      .when(cmd('SubmitReturn', figure({ value: '22.94' })))
      .thenThrows(OffTargetJustificationRequiredError, (e) => {
        expect(e.status).toBe('amber');
        expect(e.missing).toEqual(['offTargetReason', 'routeToGreen']);
      });
    spec
      .given([requested])
      .when(cmd('SubmitReturn', figure({ value: '20', offTargetReason: 'Provider failure', routeToGreen: '  ' })))
      .thenThrows(OffTargetJustificationRequiredError, (e) => expect(e.missing).toEqual(['routeToGreen']));
  });

  it('stores the justification of an off-target figure with its rating', () => {
    const [event] = spec
      .given([requested])
      .when(cmd('SubmitReturn', figure({ value: '20', offTargetReason: 'Provider failure', routeToGreen: 'New framework from January' })))
      .result().events;
    expect(event).toMatchObject({
      type: 'ReturnSubmitted',
      data: { offTargetReason: 'Provider failure', routeToGreen: 'New framework from January', rating: { status: 'red', label: 'Action required' } },
    });
  });

  it('refuses a figure outside the valid range of its unit, naming the field', () => {
    spec
      .given([requested])
      .when(cmd('SubmitReturn', figure({ value: '250.00' })))
      .thenThrows(ValidationError, (e) => expect([e.field, e.reason]).toEqual(['value', '250.00 is outside the valid range 0 to 100']));
    const countRequested: ReturnRequested = { ...requested, data: { ...requested.data, kpi: returnKpiSnapshot({ unit: 'count', decimalPlaces: 0 }) } };
    spec
      .given([countRequested])
      .when(cmd('SubmitReturn', figure({ value: '-5', kpi: { policy: { kind: 'tracker' } } })))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('value'));
  });

  it('stores a normalised figure with the text as entered', () => {
    const [event] = spec.given([requested]).when(cmd('SubmitReturn', figure({ value: '0024.50' }))).result().events;
    expect(event).toMatchObject({ type: 'ReturnSubmitted', data: { value: '24.50', valueAsEntered: '0024.50', rating: onTarget } });
  });

  it('normalises each month of a monthly figure, keeping what was entered', () => {
    const [event] = spec
      .given([monthlyRequested])
      .when(
        cmd(
          'SubmitReturn',
          figure({
            monthlyValues: [
              { month: '2024-07', value: '-0' },
              { month: '2024-08', value: '024.1' },
              { month: '2024-09', value: '24.5' },
            ],
          }),
        ),
      )
      .result().events;
    expect(event).toMatchObject({
      data: {
        value: '24.50',
        monthlyValues: [
          { month: '2024-07', value: '0', valueAsEntered: '-0' },
          { month: '2024-08', value: '24.1', valueAsEntered: '024.1' },
          { month: '2024-09', value: '24.5' },
        ],
      },
    });
    expect((event as ReturnSubmitted).data.monthlyValues[2]).not.toHaveProperty('valueAsEntered');
  });

  it('does not rate a figure under quality assurance, so needs no justification', () => {
    const [event] = spec
      .given([requested])
      .when(cmd('SubmitReturn', figure({ value: '10', kpi: { policy, underQualityAssuranceUntil: '2024/25-Q2' } })))
      .result().events;
    expect(event).toMatchObject({ data: { rating: { status: null, noStatusReason: 'under_quality_assurance' } } });
  });

  it('rates a direction target against the previous figure the handler passes', () => {
    const [event] = spec
      .given([requested])
      .when(cmd('SubmitReturn', figure({ value: '25', kpi: { policy: { kind: 'direction', direction: 'increase' }, previousValue: '24.5' } })))
      .result().events;
    expect(event).toMatchObject({ data: { rating: { status: 'green', comparedWith: '24.5' } } });
  });

  it.each([
    ['value', { value: '24.5e1' }],
    ['value', { value: 24.5 }],
    ['value', { value: '24.555' }],
    ['monthlyValues', { monthlyValues: [{ month: '2024-07', value: '1' }] }],
    ['commentary', { commentary: undefined }],
  ])('refuses an invalid %s', (field, overrides) => {
    spec
      .given([requested])
      .when(cmd('SubmitReturn', { ...figure(), ...overrides }))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe(field));
  });

  it('accepts trailing zeros beyond the KPI precision, storing the figure at that precision', () => {
    const [event] = spec.given([requested]).when(cmd('SubmitReturn', figure({ value: '24.5000' }))).result().events;
    expect(event).toMatchObject({ data: { value: '24.50', valueAsEntered: '24.5000', rating: { status: 'green' } } });
  });

  it('refuses roles that do not submit figures', () => {
    spec.given([requested]).when(cmd('SubmitReturn', figure(), auditor)).thenThrows(ForbiddenActionError);
    spec.given([requested]).when(cmd('SubmitReturn', figure(), dmt)).thenThrows(ForbiddenActionError);
  });

  it('marks the figure not available with a reason', () => {
    spec.given([requested]).when(cmd('MarkFigureNotAvailable', { reason: 'System migration' })).then([markedNotAvailable]);
    spec.given([requested]).when(cmd('MarkFigureNotAvailable', { reason: '' })).thenThrows(ValidationError);
  });

  it.each([
    ['ApproveReturn', {}, dmt],
    ['ChallengeReturn', { reason: 'why?' }, dmt],
    ['ResubmitReturn', { ...figure(), responseToChallenge: 'x' }, serviceLead],
    ['RestateReturn', { value: '1', reason: 'x', kpi: kpiContext }, serviceLead],
  ] as const)('refuses %s, naming the current state', (type, data, context) => {
    spec
      .given([requested])
      .when(cmd(type, data, context))
      .thenThrows(IllegalTransitionError, (e) => expect(e.message).toBe(`${type} is not allowed; current state: requested`));
  });

  it('moves the due date later when the cycle deadline is extended, once', () => {
    const change = cmd('ChangeReturnDueDate', { to: '2024-10-18', reason: 'outage' }, performanceTeam);
    spec.given([requested]).when(change).then([{ type: 'ReturnDueDateChanged', data: { from: '2024-10-14', to: '2024-10-18', reason: 'outage' } }]);
    spec.given([requested, { type: 'ReturnDueDateChanged', data: { from: '2024-10-14', to: '2024-10-18', reason: 'outage' } }]).when(change).thenNothing();
    spec.given([requested]).when(cmd('ChangeReturnDueDate', { to: '2024-10-01', reason: 'x' }, performanceTeam)).thenThrows(ValidationError);
  });

  it('leaves an approved return where it is when the deadline moves', () => {
    spec
      .given([requested, submitted, approved])
      .when(cmd('ChangeReturnDueDate', { to: '2024-10-18', reason: 'outage' }, performanceTeam))
      .thenThrows(IllegalTransitionError);
  });
});

describe('when a monthly KPI return is requested', () => {
  const months = [
    { month: '2024-09', value: '24.9' },
    { month: '2024-07', value: '24.1' },
    { month: '2024-08', value: '24.3' },
  ];

  it('takes the expected months, stored in month order', () => {
    const [event] = spec.given([monthlyRequested]).when(cmd('SubmitReturn', figure({ monthlyValues: months }))).result().events;
    expect(event).toMatchObject({ data: { monthlyValues: [months[1], months[2], months[0]] } });
  });

  it('takes only the months known, in month order (earlier months are often not printed)', () => {
    const [event] = spec
      .given([monthlyRequested])
      .when(cmd('SubmitReturn', figure({ monthlyValues: [months[0]!, months[2]!] })))
      .result().events;
    expect(event).toMatchObject({ data: { monthlyValues: [months[2], months[0]] } });
    const [none] = spec.given([monthlyRequested]).when(cmd('SubmitReturn', figure({ monthlyValues: [] }))).result().events;
    expect(none).toMatchObject({ data: { monthlyValues: [] } });
  });

  it('refuses a repeated or foreign month', () => {
    spec
      .given([monthlyRequested])
      .when(cmd('SubmitReturn', figure({ monthlyValues: [...months, { month: '2024-07', value: '1' }] })))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('monthlyValues[3].month'));
    spec
      .given([monthlyRequested])
      .when(cmd('SubmitReturn', figure({ monthlyValues: [...months.slice(1), { month: '2024-10', value: '1' }] })))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('monthlyValues[2].month'));
  });

  it('validates each monthly value as a decimal', () => {
    spec
      .given([monthlyRequested])
      .when(cmd('SubmitReturn', figure({ monthlyValues: [months[0]!, months[1]!, { month: '2024-08', value: 'n/a' }] })))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('monthlyValues[2].value'));
  });
});

describe('when the return is submitted', () => {
  it('is approved by someone else', () => {
    const state = spec.given([requested, submitted]).when(cmd('ApproveReturn', {}, dmt)).then([approved]);
    expect(state).toMatchObject({ status: 'approved', approvedBy: 'd.director', submittedBy: 's.lead', approvedValue: '24.50' });
  });

  it('rejects approval by the submitter', () => {
    spec
      .given([requested, submitted])
      .when(cmd('ApproveReturn', {}, contextOf('s.lead', 'service-lead', 'dmt')))
      .thenThrows(SelfApprovalError);
  });

  it('is challenged with a reason, counting challenges', () => {
    const state = spec.given([requested, submitted]).when(cmd('ChallengeReturn', { reason: 'Does this include self-funders?' }, dmt)).then([challenged]);
    expect(state).toMatchObject({ status: 'challenged', challengeCount: 1 });
    spec.given([requested, submitted]).when(cmd('ChallengeReturn', { reason: ' ' }, dmt)).thenThrows(ValidationError);
  });

  it('refuses a second submission', () => {
    spec.given([requested, submitted]).when(cmd('SubmitReturn', figure())).thenThrows(IllegalTransitionError);
  });

  it('refuses approval by a service lead who is not on the DMT', () => {
    spec.given([requested, submitted]).when(cmd('ApproveReturn', {}, contextOf('o.lead', 'service-lead'))).thenThrows(ForbiddenActionError);
  });
});

describe('when the return is challenged', () => {
  const given = [requested, submitted, challenged];

  it('is resubmitted with a response to the challenge', () => {
    spec.given(given).when(cmd('ResubmitReturn', { ...figure({ value: '24.10' }), responseToChallenge: 'Self-funders excluded; corrected.' })).then([resubmitted]);
  });

  it('refuses a resubmission without a response', () => {
    spec.given(given).when(cmd('ResubmitReturn', figure())).thenThrows(ValidationError, (e) => expect(e.field).toBe('responseToChallenge'));
  });

  it('may be marked not available instead', () => {
    spec.given(given).when(cmd('MarkFigureNotAvailable', { reason: 'Cannot be verified' })).then([
      { type: 'ReturnFigureMarkedNotAvailable', data: { markedBy: 's.lead', reason: 'Cannot be verified' } },
    ]);
  });

  it('refuses approval until a figure is resubmitted', () => {
    spec.given(given).when(cmd('ApproveReturn', {}, dmt)).thenThrows(IllegalTransitionError, (e) => expect(e.currentState).toBe('challenged'));
  });

  it('lets the resubmitted figure be challenged again and approved by another person', () => {
    const state = spec
      .given([...given, resubmitted, { ...challenged }])
      .when(cmd('ResubmitReturn', { ...figure(), responseToChallenge: 'Back to the original.' }))
      .result().state;
    expect(state).toMatchObject({ status: 'resubmitted', challengeCount: 2 });
  });
});

describe('when the figure is marked not available', () => {
  const given = [requested, markedNotAvailable];

  it('approves "not available" with no value and no status', () => {
    spec.given(given).when(cmd('ApproveReturn', {}, dmt)).then([
      {
        type: 'ReturnApproved',
        data: {
          approvedBy: 'd.director',
          value: null,
          rating: { status: null, label: null, noStatusReason: 'not_available', policy: null, financialYear: '2024/25' },
        },
      },
    ]);
  });

  it('refuses approval by the person who marked it', () => {
    spec.given(given).when(cmd('ApproveReturn', {}, contextOf('s.lead', 'dmt'))).thenThrows(SelfApprovalError);
  });

  it('refuses a submission: the DMT must first challenge', () => {
    spec.given(given).when(cmd('SubmitReturn', figure())).thenThrows(IllegalTransitionError);
  });
});

describe('when the return is approved', () => {
  const given = [requested, submitted, approved];

  it('is restated with the previous value, a reason and a new rating', () => {
    spec
      .given(given)
      .when(cmd('RestateReturn', { value: '23.00', reason: 'Late data', kpi: kpiContext }))
      .then([restated]);
  });

  it('refuses a restatement that does not change the figure', () => {
    spec.given(given).when(cmd('RestateReturn', { value: '24.5', reason: 'Checked', kpi: kpiContext })).thenThrows(ValidationError);
  });

  it('refuses escalation, challenge and a second approval', () => {
    spec.given(given).when(cmd('EscalateReturn', { level: 'clt', reason: 'x' }, dmt)).thenThrows(IllegalTransitionError);
    spec.given(given).when(cmd('ChallengeReturn', { reason: 'x' }, dmt)).thenThrows(IllegalTransitionError);
    spec.given(given).when(cmd('ApproveReturn', {}, contextOf('c.exec', 'dmt'))).thenThrows(IllegalTransitionError);
  });

  it('keeps every value ever reported in its history', () => {
    const state = spec.given([...given, restated]).when(cmd('ApproveReturn', {}, contextOf('c.other', 'dmt'))).result().state;
    expect(state).toMatchObject({
      status: 'approved',
      approvedValue: '23.00',
      history: [
        { kind: 'submitted', value: '24.50', by: 's.lead' },
        { kind: 'approved', value: '24.50', by: 'd.director' },
        { kind: 'restated', value: '23.00', by: 's.lead' },
        { kind: 'approved', value: '23.00', by: 'c.other' },
      ],
    });
  });
});

describe('when the return is restated', () => {
  it('refuses approval by the person who restated it', () => {
    spec.given([requested, submitted, approved, restated]).when(cmd('ApproveReturn', {}, contextOf('s.lead', 'dmt'))).thenThrows(SelfApprovalError);
  });

  it('may be challenged', () => {
    spec.given([requested, submitted, approved, restated]).when(cmd('ChallengeReturn', { reason: 'Source?' }, dmt)).then([
      { type: 'ReturnChallenged', data: { challengedBy: 'd.director', reason: 'Source?' } },
    ]);
  });
});

describe('escalation', () => {
  const toDmt: ReturnEvent = { type: 'ReturnEscalated', data: { escalatedBy: 'p.officer', level: 'dmt', reason: 'Overdue' } };

  it('raises an open return to the DMT and then to CLT', () => {
    spec.given([requested]).when(cmd('EscalateReturn', { level: 'dmt', reason: 'Overdue' }, performanceTeam)).then([toDmt]);
    const state = spec.given([requested, submitted, toDmt]).when(cmd('EscalateReturn', { level: 'clt', reason: 'Material concern' }, dmt)).result().state;
    expect(state).toMatchObject({ escalationLevel: 'clt', status: 'submitted' });
  });

  it('never goes down or sideways', () => {
    spec.given([requested, toDmt]).when(cmd('EscalateReturn', { level: 'dmt', reason: 'again' }, dmt)).thenThrows(EscalationNotHigherError);
  });

  it('needs a reason', () => {
    spec.given([requested]).when(cmd('EscalateReturn', { level: 'dmt', reason: '' }, dmt)).thenThrows(ValidationError);
  });

  it('records an automatic escalation with its rule while the step is due', () => {
    spec
      .given([requested])
      .when(cmd('EscalateReturn', { level: 'dmt', reason: '5 working days overdue', rule: 'overdue' }, contextOf('system:reminders', 'performance-team')))
      .then([{ type: 'ReturnEscalated', data: { escalatedBy: 'system:reminders', level: 'dmt', reason: '5 working days overdue', rule: 'overdue' } }]);
  });

  it('records who is told of it', () => {
    const notified = { to: ['s.lead'], cc: ['k.contact', 'd.director'] };
    spec
      .given([requested])
      .when(cmd('EscalateReturn', { level: 'dmt', reason: 'Overdue', notified }, dmt))
      .then([{ type: 'ReturnEscalated', data: { escalatedBy: 'd.director', level: 'dmt', reason: 'Overdue', notified } }]);
  });

  it('names the bad field of the people told', () => {
    const attempt = (notified: unknown) => () =>
      spec.given([requested]).when(cmd('EscalateReturn', { level: 'dmt', reason: 'Overdue', notified } as never, dmt)).result();
    expect(attempt({ to: ['s.lead'] })).toThrow(expect.objectContaining({ field: 'notified.cc' }));
    expect(attempt({ to: [''], cc: [] })).toThrow(expect.objectContaining({ field: 'notified.to[0]' }));
    expect(attempt({ to: ['s.lead'], cc: ['s.lead'] })).toThrow(expect.objectContaining({ field: 'notified.cc' }));
  });

  it('does nothing when an automatic escalation finds the level already reached', () => {
    spec.given([requested, toDmt]).when(cmd('EscalateReturn', { level: 'dmt', reason: 'x', rule: 'overdue' }, performanceTeam)).thenNothing();
  });

  it('refuses an automatic escalation once the figure is in', () => {
    spec
      .given([requested, submitted])
      .when(cmd('EscalateReturn', { level: 'dmt', reason: 'x', rule: 'overdue' }, performanceTeam))
      .thenThrows(NoticeNoLongerDueError);
  });
});

describe('reminders and chasers', () => {
  const reminder = (noticeKey = 'ASC-01:2024/25-Q2:before_deadline:3') =>
    cmd('RecordReminderSent', { rule: 'before_deadline', recipients: ['s.lead', 'k.contact'], dueDate: '2024-10-14', noticeKey }, performanceTeam);
  const chase = (rule: string, noticeKey = `k:${rule}`) =>
    cmd('RecordChase', { rule, recipients: ['s.lead'], workingDaysOverdue: 2, noticeKey }, performanceTeam);

  it('records a reminder while the figure is owed, and counts it', () => {
    const state = spec.given([requested]).when(reminder()).then([
      {
        type: 'ReturnReminderSent',
        data: { rule: 'before_deadline', recipients: ['s.lead', 'k.contact'], dueDate: '2024-10-14', noticeKey: 'ASC-01:2024/25-Q2:before_deadline:3' },
      },
    ]);
    expect(state).toMatchObject({ reminderCount: 1, noticeKeys: ['ASC-01:2024/25-Q2:before_deadline:3'] });
  });

  it('records a repeated notice key once', () => {
    const given = spec.given([requested]).when(reminder()).result().events;
    spec.given([requested, ...given]).when(reminder()).thenNothing();
  });

  it('refuses a reminder that fires after the figure is in', () => {
    spec.given([requested, submitted]).when(reminder()).thenThrows(NoticeNoLongerDueError, (e) => expect(e.currentState).toBe('submitted'));
  });

  it('chases an overdue figure and an unanswered challenge, counting chasers', () => {
    const state = spec.given([requested, submitted, challenged]).when(chase('challenge_not_answered')).result().state;
    expect(state).toMatchObject({ chaseCount: 1 });
    spec.given([requested]).when(chase('overdue')).result();
    spec.given([requested]).when(chase('challenge_not_answered')).thenThrows(NoticeNoLongerDueError);
  });

  it('chases an overdue DMT review only while a figure awaits review', () => {
    spec.given([requested, submitted]).when(chase('dmt_review_overdue')).result();
    spec.given([requested, markedNotAvailable]).when(chase('dmt_review_overdue')).result();
    spec.given([requested]).when(chase('dmt_review_overdue')).thenThrows(NoticeNoLongerDueError);
    spec.given([requested, submitted, approved]).when(chase('dmt_review_overdue')).thenThrows(NoticeNoLongerDueError);
  });

  it('validates the rule and leaves recording notices to the performance team', () => {
    spec.given([requested]).when(chase('whenever')).thenThrows(ValidationError, (e) => expect(e.field).toBe('rule'));
    spec
      .given([requested])
      .when(cmd('RecordChase', { rule: 'overdue', recipients: [], workingDaysOverdue: 1, noticeKey: 'k' }, serviceLead))
      .thenThrows(ForbiddenActionError);
  });
});
