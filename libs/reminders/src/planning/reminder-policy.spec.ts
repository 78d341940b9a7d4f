import {
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
