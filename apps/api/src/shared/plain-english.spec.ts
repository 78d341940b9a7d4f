import { fieldMessage, plainEnglishOf, stageLabel } from './plain-english';

describe('refusals in plain English', () => {
  it('explains a refused approval of your own figure without codes or ids', () => {
    expect(plainEnglishOf({ code: 'self_approval', status: 403 })).toBe(
      'You submitted this figure, so someone else in your directorate management team must approve it.',
    );
  });

  it('tells a councillor a quarter is not published yet, not that they lack permission', () => {
    expect(plainEnglishOf({ code: 'not_published_yet', status: 403 })).toMatch(/^These figures are not published yet\./);
  });

  it('names the state of the return in words, never the state machine', () => {
    const message = plainEnglishOf({ code: 'illegal_transition', status: 409, currentState: 'marked_not_available' });
    expect(message).toBe('This cannot be done now: the return was reported as not available and is waiting for approval.');
    expect(message).not.toMatch(/_/);
    expect(stageLabel('resubmitted')).toBe('Waiting for approval');
  });

  it('asks for each field in the words of its form', () => {
    expect(fieldMessage('offTargetReason')).toBe('The figure is off target: say why');
    expect(fieldMessage('value', 'is reported to 1 decimal place')).toBe('Enter the figure to 1 decimal place');
    expect(fieldMessage('monthlyValues[1].value')).toBe('Enter the figures of the months known, for example 83.5');
  });
});
