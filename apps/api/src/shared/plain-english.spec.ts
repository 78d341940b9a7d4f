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

  it('says what is wrong with a figure the domain refused, with an example written as the KPI’s figures are', () => {
    expect(fieldMessage('value', '150 is outside the valid range 0 to 100')).toBe('The figure must be between 0 and 100');
    expect(fieldMessage('value', '-5 is outside the valid range 0 or more')).toBe('The figure must be 0 or more');
    expect(fieldMessage('value', 'a restatement must change the approved figure')).toBe('The figure is the same as the approved one: enter the corrected figure');
    expect(fieldMessage('value', undefined, '1,250')).toBe('Enter the figure as a number, for example 1,250');
    expect(fieldMessage('monthlyValues[0].value', undefined, '£1,250.00')).toBe('Enter the figures of the months known, for example £1,250.00');
  });

  it('asks for a reason in the words of the form that needs it', () => {
    expect(fieldMessage('reason', undefined, undefined, 'challenge')).toBe('Enter why you are challenging the figure: the service will read it');
    expect(fieldMessage('reason', undefined, undefined, 'not-available')).toBe('Enter why the figure is not available');
    expect(fieldMessage('reason', undefined, undefined, 'restatement')).toBe('Enter why the approved figure is restated');
    expect(fieldMessage('reason')).toBe('Enter a reason');
  });
});

describe("a KPI's unit in words", () => {
  it('agrees the decimal places in number, and says whole numbers for none', () => {
    expect(unitInWords('Percentage', 1)).toBe('Percentage (1 decimal place)');
    expect(unitInWords('Percentage', 2)).toBe('Percentage (2 decimal places)');
    expect(unitInWords('Number', 0)).toBe('Number (whole numbers)');
  });
});
