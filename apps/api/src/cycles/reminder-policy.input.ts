import { ValidationError, type CycleReminderPolicy } from '@quarterly/domain';
import { DEFAULT_REMINDER_POLICY, InvalidReminderPolicyError, reminderPolicyFrom } from '@quarterly/reminders';

/**
 * Checks the reminder policy a cycle is opened with: only known fields (a misspelt one would be
 * silently ignored otherwise), each in range. Returns the fields as given; the scheduler fills
 * in the defaults when it reads the cycle.
 */
export function checkedReminderPolicy(input: Record<string, unknown>): CycleReminderPolicy {
  for (const key of Object.keys(input)) {
    if (!(key in DEFAULT_REMINDER_POLICY)) {
      throw new ValidationError(`reminderPolicy.${key}`, `is not a reminder policy field (known: ${Object.keys(DEFAULT_REMINDER_POLICY).join(', ')})`);
    }
  }
  try {
    reminderPolicyFrom(input);
  } catch (error) {
    if (error instanceof InvalidReminderPolicyError) throw new ValidationError(`reminderPolicy.${error.field}`, error.message);
    throw error;
  }
  return input;
}
