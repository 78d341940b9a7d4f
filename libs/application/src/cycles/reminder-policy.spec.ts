import { ValidationError } from '@quarterly/domain';
import {
  checkedCycleReminderPolicy,
  DEFAULT_REMINDER_POLICY,
  InvalidReminderPolicyError,
  reminderPolicyFrom,
  validateReminderPolicy,
} from './reminder-policy';

describe('reminder policy', () => {
  it('accepts the default', () => {
    expect(validateReminderPolicy(DEFAULT_REMINDER_POLICY)).toEqual(DEFAULT_REMINDER_POLICY);
  });

  it('uses the default for a cycle opened without a policy', () => {
    expect(reminderPolicyFrom(undefined)).toBe(DEFAULT_REMINDER_POLICY);
  });

  it('fills a partial policy from the default', () => {
    const policy = reminderPolicyFrom({ chaseEveryWorkingDays: 1, remindWorkingDaysBefore: [1, 5] });
    expect(policy.chaseEveryWorkingDays).toBe(1);
    expect(policy.remindWorkingDaysBefore).toEqual([5, 1]);
    expect(policy.escalateToCltAfterWorkingDays).toBe(DEFAULT_REMINDER_POLICY.escalateToCltAfterWorkingDays);
  });

  it.each([
    [{ chaseEveryWorkingDays: 0 }, 'chaseEveryWorkingDays'],
    [{ chaseEveryWorkingDays: 1.5 }, 'chaseEveryWorkingDays'],
    [{ remindWorkingDaysBefore: [3, 3] }, 'remindWorkingDaysBefore'],
    [{ remindWorkingDaysBefore: [-1] }, 'remindWorkingDaysBefore'],
    [{ escalateToDmtAfterWorkingDays: 5, escalateToCltAfterWorkingDays: 5 }, 'escalateToCltAfterWorkingDays'],
    [{ challengeResubmitWithinWorkingDays: 100 }, 'challengeResubmitWithinWorkingDays'],
    [{ sendAtLocalTime: '9:00' }, 'sendAtLocalTime'],
    [{ remindOnDeadlineDay: 'yes' }, 'remindOnDeadlineDay'],
  ])('rejects %j naming %s', (change, field) => {
    expect(() => reminderPolicyFrom(change)).toThrow(InvalidReminderPolicyError);
    try {
      reminderPolicyFrom(change);
    } catch (error) {
      expect((error as InvalidReminderPolicyError).field).toBe(field);
    }
  });

  it('rejects something that is not a policy object', () => {
    expect(() => reminderPolicyFrom([3])).toThrow(/expected a policy object/);
  });
});

describe('checkedCycleReminderPolicy (what opening a cycle accepts)', () => {
  it('keeps the fields as given, for the scheduler to complete with the defaults', () => {
    expect(checkedCycleReminderPolicy({ chaseEveryWorkingDays: 1 })).toEqual({ chaseEveryWorkingDays: 1 });
  });

  it.each([
    [{ chaseEveryWorkingDay: 1 }, 'reminderPolicy.chaseEveryWorkingDay'],
    [{ escalateToCltAfterWorkingDays: 2 }, 'reminderPolicy.escalateToCltAfterWorkingDays'],
    [{ sendAtLocalTime: '9am' }, 'reminderPolicy.sendAtLocalTime'],
    [[3], 'reminderPolicy'],
  ])('refuses %j naming %s', (input, field) => {
    const refusal = (() => {
      try {
        checkedCycleReminderPolicy(input);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(ValidationError);
    expect(refusal).toMatchObject({ field });
  });
});
