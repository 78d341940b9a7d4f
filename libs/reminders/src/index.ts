export {
  DEFAULT_REMINDER_POLICY,
  InvalidReminderPolicyError,
  reminderPolicyFrom,
  validateReminderPolicy,
  type ReminderPolicy,
} from './planning/reminder-policy';
export { TIMER_KINDS, type PlannedTimer, type TimerKind } from './planning/planned-timer';
export {
  CHASES_AFTER_LAST_ESCALATION,
  DMT_REVIEW_CHASES,
  planReturnTimers,
  type TimerTrigger,
} from './planning/plan-return-timers';
