export { TIMER_KINDS, type PlannedTimer, type TimerKind } from './planning/planned-timer';
export {
  CHASES_AFTER_LAST_ESCALATION,
  DMT_REVIEW_CHASES,
  planReturnTimers,
  type TimerTrigger,
} from './planning/plan-return-timers';
export {
  MAIL_JOB_OPTIONS,
  MAIL_QUEUE,
  MAIL_WORKER_CONCURRENCY,
  TIMER_JOB_OPTIONS,
  TIMER_BATCH_SIZE,
  TIMER_WORKER_CONCURRENCY,
  TIMERS_QUEUE,
  type DigestMailJobData,
  type MailJobData,
  type NoticeMailJobData,
  type TimerJobData,
} from './scheduling/reminder-queues';
export { BullmqReminderJobs, type ReminderJobs } from './scheduling/timer-scheduler';
export { rescheduleTimers, type RescheduleTimersInput, type RescheduleTimersReport } from './scheduling/reschedule-timers';
export { CycleNotFoundError, loadCycleTimerSettings, type CycleTimerSettings } from './scheduling/cycle-timer-settings';
export {
  parseTimerStreamId,
  ReminderSchedulerProcessManager,
  type ReminderSchedulerOptions,
} from './scheduling/reminder-scheduler.process-manager';
export { ReadModelPeopleDirectory, type PeopleDirectory } from './firing/people-directory';
export { DueTimerBatcher, type DueTimerBatchOptions } from './firing/due-timer-batcher';
export { REMINDERS_ACTOR, TimerFiringService, type FireOutcome } from './firing/timer-firing.service';
export { digestItemsFor } from './mail/digest-items.query';
export { digestKey, NoticeMailService, type MailOutcome, type NoticeMailOptions } from './mail/notice-mail.service';
export { processMailJob, processTimerJob } from './runtime/job-processors';
export { bullmqTelemetryFor, ReminderRuntime, type ReminderRuntimeOptions } from './runtime/reminder-runtime';
