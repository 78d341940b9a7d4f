import { isLocalTime } from '@quarterly/calendar';
import { ValidationError, type CycleReminderPolicy } from '@quarterly/domain';

/**
 * When a cycle's returns are reminded, chased and escalated. Set per cycle when it is opened;
 * {@link DEFAULT_REMINDER_POLICY} applies when the cycle says nothing. All counts are working
 * days (Europe/London, England and Wales bank holidays excluded).
 */
export interface ReminderPolicy {
  /** Send a reminder this many working days before the due date, once per entry (e.g. `[3]`). */
  readonly remindWorkingDaysBefore: readonly number[];
  /** Send a reminder on the due date itself. */
  readonly remindOnDeadlineDay: boolean;
  /** Chase an overdue return (and an unanswered challenge) every this many working days. */
  readonly chaseEveryWorkingDays: number;
  /** Escalate an overdue return to its directorate's DMT this many working days after the due date. */
  readonly escalateToDmtAfterWorkingDays: number;
  /** Escalate an overdue return to CLT this many working days after the due date; later than the DMT escalation. */
  readonly escalateToCltAfterWorkingDays: number;
  /** A challenged return not resubmitted within this many working days of the challenge is escalated. */
  readonly challengeResubmitWithinWorkingDays: number;
  /** Chase the DMT when a submitted return is still not reviewed after the cycle's DMT review deadline. */
  readonly chaseDmtReviewAfterDeadline: boolean;
  /** Wall-clock time (`HH:mm`, Europe/London) at which every notice of a day is sent: the sending run. */
  readonly sendAtLocalTime: string;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = Object.freeze({
  remindWorkingDaysBefore: Object.freeze([3]),
  remindOnDeadlineDay: true,
  chaseEveryWorkingDays: 2,
  escalateToDmtAfterWorkingDays: 3,
  escalateToCltAfterWorkingDays: 8,
  challengeResubmitWithinWorkingDays: 5,
  chaseDmtReviewAfterDeadline: true,
  sendAtLocalTime: '09:00',
});

/** Upper bound for any working-day count: a quarter has about 63 working days. */
const MAX_WORKING_DAYS = 60;

/** A reminder policy field is out of range; `field` names it. */
export class InvalidReminderPolicyError extends Error {
  override readonly name = 'InvalidReminderPolicyError';
  constructor(
    /** The offending field, or `policy` when the value is not a policy object at all. */
    readonly field: keyof ReminderPolicy | 'policy',
    detail: string,
  ) {
    super(`reminder policy ${field}: ${detail}`);
  }
}

function workingDayCount(field: keyof ReminderPolicy, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_WORKING_DAYS) {
    throw new InvalidReminderPolicyError(field, `expected a whole number of working days from 1 to ${MAX_WORKING_DAYS}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function flag(field: keyof ReminderPolicy, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidReminderPolicyError(field, `expected true or false, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Checks a complete policy and returns it frozen; throws {@link InvalidReminderPolicyError}
 * naming the first field out of range.
 */
export function validateReminderPolicy(policy: ReminderPolicy): ReminderPolicy {
  const before = policy.remindWorkingDaysBefore;
  if (!Array.isArray(before)) {
    throw new InvalidReminderPolicyError('remindWorkingDaysBefore', 'expected a list of working-day counts');
  }
  before.forEach((days) => workingDayCount('remindWorkingDaysBefore', days));
  if (new Set(before).size !== before.length) {
    throw new InvalidReminderPolicyError('remindWorkingDaysBefore', `duplicate entries in ${JSON.stringify(before)}`);
  }
  const dmt = workingDayCount('escalateToDmtAfterWorkingDays', policy.escalateToDmtAfterWorkingDays);
  const clt = workingDayCount('escalateToCltAfterWorkingDays', policy.escalateToCltAfterWorkingDays);
  if (clt <= dmt) {
    throw new InvalidReminderPolicyError('escalateToCltAfterWorkingDays', `must be later than the DMT escalation (${dmt}), got ${clt}`);
  }
  if (typeof policy.sendAtLocalTime !== 'string' || !isLocalTime(policy.sendAtLocalTime)) {
    throw new InvalidReminderPolicyError('sendAtLocalTime', `expected HH:mm, got ${JSON.stringify(policy.sendAtLocalTime)}`);
  }
  return Object.freeze({
    remindWorkingDaysBefore: Object.freeze([...before].sort((a, b) => b - a)),
    remindOnDeadlineDay: flag('remindOnDeadlineDay', policy.remindOnDeadlineDay),
    chaseEveryWorkingDays: workingDayCount('chaseEveryWorkingDays', policy.chaseEveryWorkingDays),
    escalateToDmtAfterWorkingDays: dmt,
    escalateToCltAfterWorkingDays: clt,
    challengeResubmitWithinWorkingDays: workingDayCount(
      'challengeResubmitWithinWorkingDays',
      policy.challengeResubmitWithinWorkingDays,
    ),
    chaseDmtReviewAfterDeadline: flag('chaseDmtReviewAfterDeadline', policy.chaseDmtReviewAfterDeadline),
    sendAtLocalTime: policy.sendAtLocalTime,
  });
}

/**
 * The policy of a cycle from whatever its CycleOpened event carries: nothing (the default), or
 * a partial policy whose missing fields take the default's values.
 */
export function reminderPolicyFrom(stored: unknown): ReminderPolicy {
  if (stored === undefined || stored === null) return DEFAULT_REMINDER_POLICY;
  if (typeof stored !== 'object' || Array.isArray(stored)) {
    throw new InvalidReminderPolicyError('policy', `expected a policy object, got ${JSON.stringify(stored)}`);
  }
  return validateReminderPolicy({ ...DEFAULT_REMINDER_POLICY, ...(stored as Partial<ReminderPolicy>) });
}

/**
 * Checks the reminder policy a cycle is opened with: only known fields (a misspelt one would be
 * silently ignored otherwise), each in range; a refusal is a {@link ValidationError} naming
 * `reminderPolicy.<field>` (HTTP 400). Returns the fields as given: the scheduler fills in the
 * defaults when it reads the cycle.
 */
export function checkedCycleReminderPolicy(input: unknown): CycleReminderPolicy {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError('reminderPolicy', 'must be an object of reminder policy fields');
  }
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
  return input as CycleReminderPolicy;
}
