import { fieldMessage, plainEnglishOf, stageLabel, unitInWords } from './plain-english';

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
  });

  it('gives every stage its own label, telling a first submission from one sent again after a challenge', () => {
    const states = ['requested', 'submitted', 'challenged', 'resubmitted', 'marked_not_available', 'approved', 'restated'];
    expect(stageLabel('submitted')).toBe('Sent: waiting for approval');
    expect(stageLabel('resubmitted')).toBe('Sent again after a challenge: waiting for approval');
    expect(new Set(states.map(stageLabel)).size).toBe(states.length);
    expect(states.map(stageLabel).join(' ')).not.toMatch(/_/);
  });

  it('asks for each field in the words of its form', () => {
    expect(fieldMessage('offTargetReason')).toBe('The figure is off target: say why');
    expect(fieldMessage('value', 'is reported to 1 decimal place')).toBe('Enter the figure to 1 decimal place');
    expect(fieldMessage('monthlyValues[1].value')).toBe('Enter the figures of the months known, for example 83.5');
  });
});

describe("a KPI's unit in words", () => {
  it('agrees the decimal places in number, and says whole numbers for none', () => {
    expect(unitInWords('Percentage', 1)).toBe('Percentage (1 decimal place)');
    expect(unitInWords('Percentage', 2)).toBe('Percentage (2 decimal places)');
    expect(unitInWords('Number', 0)).toBe('Number (whole numbers)');
  });
});
