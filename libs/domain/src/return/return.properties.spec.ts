/**
 * Random command sequences against the return decider: whatever people try, in whatever order,
 * the stream never reaches a forbidden state, and a refused command changes nothing.
 */
import fc from 'fast-check';
import type { Role } from '../shared/command-context';
import { fold } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import type { RatingPolicy } from '../shared/rating.types';
import { contextOf, returnKpiSnapshot } from '../testing/domain-fixtures';
import type { ReturnEvent, ReturnRequested } from './return.events';
import { ReturnCommand, returnDecider } from './return.decider';
import { ESCALATION_ORDER, ReturnState } from './return.state';

const returnId = 'ASC-01:2024/25-Q2';
const policy: RatingPolicy = { kind: 'thresholds', green: '24.1', amber: '21.4' };
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

// A small cast, some holding several roles, so that self-approval is reachable.
const people: Record<string, Role[]> = {
  's.lead': ['service-lead'],
  'k.contact': ['service-lead', 'dmt'],
  'd.director': ['dmt'],
  'p.officer': ['performance-team'],
  'a.auditor': ['auditor'],
};

const actor = fc.constantFrom(...Object.keys(people)).map((name) => contextOf(name, ...people[name]!));
const value = fc.constantFrom('20', '22.94', '24.1', '24.50', '30');
const justification = fc.option(fc.constant('Provider failure'), { nil: undefined });
const figure = fc.record({
  value,
  commentary: fc.constant('Commentary'),
  offTargetReason: justification,
  routeToGreen: justification,
  kpi: fc.constant({ policy }),
});

const commandData = fc.oneof(
  figure.map((data) => ['SubmitReturn', data] as const),
  figure.map((data) => ['ResubmitReturn', { ...data, responseToChallenge: 'Answered' }] as const),
  fc.constant(['MarkFigureNotAvailable', { reason: 'Unavailable' }] as const),
  fc.constant(['ChallengeReturn', { reason: 'Query' }] as const),
  fc.constant(['ApproveReturn', {}] as const),
  fc
    .record({ level: fc.constantFrom('dmt', 'clt'), rule: fc.option(fc.constantFrom('overdue', 'dmt_review_overdue'), { nil: undefined }) })
    .map((data) => ['EscalateReturn', { ...data, reason: 'Concern' }] as const),
  value.map((v) => ['RestateReturn', { value: v, reason: 'Correction', kpi: { policy } }] as const),
  fc.constantFrom('before_deadline', 'on_deadline').chain((rule) =>
    fc.integer({ min: 1, max: 3 }).map((n) => ['RecordReminderSent', { rule, recipients: ['s.lead'], dueDate: '2024-10-14', noticeKey: `${rule}:${n}` }] as const),
  ),
  fc.constantFrom('overdue', 'challenge_not_answered', 'dmt_review_overdue').chain((rule) =>
    fc.integer({ min: 1, max: 3 }).map((n) => ['RecordChase', { rule, recipients: ['s.lead'], workingDaysOverdue: n, noticeKey: `${rule}:${n}` }] as const),
  ),
);

const command = fc.tuple(commandData, actor).map(([[type, data], context]) => ({ type, returnId, data, context }) as ReturnCommand);

/** Checks one accepted event against the state it was decided on. */
function assertAllowed(before: ReturnState, event: ReturnEvent): void {
  if (before.status === 'not_requested') throw new Error(`${event.type} before the return was requested`);
  switch (event.type) {
    case 'ReturnApproved':
      expect(['submitted', 'resubmitted', 'restated', 'marked_not_available']).toContain(before.status);
      expect(before.submittedBy).not.toBeNull();
      expect(event.data.approvedBy).not.toBe(before.submittedBy);
      break;
    case 'ReturnRestated':
      expect(before.status).toBe('approved');
      break;
    case 'ReturnEscalated':
      expect(before.status).not.toBe('approved');
      expect(ESCALATION_ORDER.indexOf(event.data.level)).toBeGreaterThan(ESCALATION_ORDER.indexOf(before.escalationLevel));
      break;
    case 'ReturnSubmitted':
    case 'ReturnResubmitted':
      if (event.data.rating.status === 'red' || event.data.rating.status === 'amber') {
        expect(event.data.offTargetReason).toBeTruthy();
        expect(event.data.routeToGreen).toBeTruthy();
      }
      break;
    case 'ReturnReminderSent':
    case 'ReturnChased':
      expect(before.noticeKeys).not.toContain(event.data.noticeKey);
      break;
    default:
      break;
  }
}

describe('the return state machine under random commands', () => {
  it('never reaches a forbidden state, and refused commands change nothing', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 10, maxLength: 60 }), (commands) => {
        let state = fold(returnDecider, [requested]);
        let approvals = 0;
        for (const next of commands) {
          const snapshot = JSON.stringify(state);
          let events: ReturnEvent[];
          try {
            events = returnDecider.decide(next, state);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect(JSON.stringify(state)).toBe(snapshot);
            continue;
          }
          expect(JSON.stringify(state)).toBe(snapshot);
          for (const event of events) {
            assertAllowed(state, event);
            if (event.type === 'ReturnApproved') approvals += 1;
            state = returnDecider.evolve(state, event);
          }
        }
        if (state.status !== 'not_requested') {
          expect(state.history.filter((entry) => entry.kind === 'approved')).toHaveLength(approvals);
          if (state.status === 'approved') expect(state.approvedBy).not.toBe(state.submittedBy);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reaches approval, restatement, escalation and resubmission in some sequences (the generator is not vacuous)', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(fc.array(command, { minLength: 10, maxLength: 60 }), (commands) => {
        let state = fold(returnDecider, [requested]);
        for (const next of commands) {
          try {
            for (const event of returnDecider.decide(next, state)) {
              reached.add(event.type);
              state = returnDecider.evolve(state, event);
            }
          } catch {
            // refusals are the other property's business
          }
        }
      }),
      { numRuns: 300 },
    );
    expect([...reached].sort()).toEqual(
      expect.arrayContaining(['ReturnApproved', 'ReturnRestated', 'ReturnEscalated', 'ReturnResubmitted', 'ReturnFigureMarkedNotAvailable', 'ReturnChased']),
    );
  });
});
