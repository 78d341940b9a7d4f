import { RETURN_EVENT_TYPES, type ReturnEvent } from './return.events';
import { changesWhatReviewerJudges } from './review-relevance';

const event = (type: ReturnEvent['type'], data: object = {}) => ({ type, data }) as ReturnEvent;

describe('changesWhatReviewerJudges', () => {
  it('counts a change of figure, narrative or stage', () => {
    for (const type of ['ReturnRequested', 'ReturnSubmitted', 'ReturnResubmitted', 'ReturnFigureMarkedNotAvailable', 'ReturnChallenged', 'ReturnApproved', 'ReturnRestated'] as const) {
      expect([type, changesWhatReviewerJudges(event(type))]).toEqual([type, true]);
    }
  });

  it('ignores reminders, chasers and a due date moved by a deadline extension', () => {
    for (const type of ['ReturnReminderSent', 'ReturnChased', 'ReturnDueDateChanged'] as const) {
      expect([type, changesWhatReviewerJudges(event(type))]).toEqual([type, false]);
    }
  });

  it("counts a person's escalation but not a rule's", () => {
    expect(changesWhatReviewerJudges(event('ReturnEscalated', { escalatedBy: 'd.place', level: 'clt', reason: 'Doubtful' }))).toBe(true);
    expect(changesWhatReviewerJudges(event('ReturnEscalated', { escalatedBy: 'system:reminders', level: 'dmt', reason: 'late', rule: 'overdue' }))).toBe(false);
  });

  it('has an answer for every return event type', () => {
    for (const type of RETURN_EVENT_TYPES) expect(typeof changesWhatReviewerJudges(event(type))).toBe('boolean');
  });
});
