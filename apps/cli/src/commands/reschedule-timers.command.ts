import { isISO8601 } from 'class-validator';
import { SmtpMailerAdapter } from '@quarterly/notifications';
import type { AppConfig, Clock, QuarterlyEngine } from '@quarterly/platform';
import { ReminderRuntime, type RescheduleTimersReport } from '@quarterly/reminders';

/** The arguments of `reschedule-timers` are missing or wrong; the message says which. */
export class RescheduleArgumentsError extends Error {
  override readonly name = 'RescheduleArgumentsError';
}

/** Redis did not answer in time: nothing was scheduled. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
}

/** A date, a time and an offset: a moment, not a wall-clock time somewhere. */
const WITH_TIME_AND_OFFSET = /T\d{2}:\d{2}.*(?:Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant with its offset, checked as the API checks `asAt` (no 30 February, no 25:00). */
function parseInstant(value: string): Date | undefined {
  if (!isISO8601(value, { strict: true, strictSeparator: true }) || !WITH_TIME_AND_OFFSET.test(value)) return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

/**
 * `--since <instant>` (or `--since=<instant>`): an ISO 8601 date and time with its offset, not in
 * the future. Required: the operator states when Redis lost its data.
 */
export function parseRescheduleArguments(args: readonly string[], now: Date): Date {
  const [first, second, ...rest] = args;
  const value = first?.startsWith('--since=') ? first.slice('--since='.length) : first === '--since' ? second : undefined;
  const extra = first?.startsWith('--since=') ? [second, ...rest].filter((a) => a !== undefined) : rest;
  if (value === undefined || value === '') {
    throw new RescheduleArgumentsError('reschedule-timers needs --since <instant>: when Redis lost its data, e.g. --since 2026-11-28T09:30:00Z');
  }
  if (extra.length > 0) throw new RescheduleArgumentsError(`reschedule-timers takes only --since (got ${extra.join(' ')})`);
  const since = parseInstant(value);
  if (since === undefined) {
    throw new RescheduleArgumentsError(`--since must be an ISO 8601 date and time with its offset, e.g. 2026-11-28T09:30:00Z (got ${value})`);
  }
  if (since.getTime() > now.getTime()) {
    throw new RescheduleArgumentsError(`--since must not be in the future (got ${value}, now ${now.toISOString()})`);
  }
  return since;
}

/**
 * Re-creates on the configured Redis every reminder, chaser and escalation timer that fires at or
 * after `since`, from the event history (see `rescheduleTimers` in @quarterly/reminders). Checks
 * first that Redis answers, so a wrong address fails in seconds instead of waiting for ever.
 */
export async function rescheduleTimersCommand(
  engine: QuarterlyEngine,
  config: AppConfig,
  clock: Clock,
  since: Date,
  options: { readonly queuePrefix?: string; readonly redisTimeoutMs?: number } = {},
): Promise<RescheduleTimersReport> {
  const mailer = new SmtpMailerAdapter({ smtpUrl: config.smtpUrl, from: config.mailFrom });
  const runtime = new ReminderRuntime({
    executor: engine.executor,
    readModels: engine.readModels,
    redis: config.redis,
    ...(options.queuePrefix !== undefined ? { queuePrefix: options.queuePrefix } : {}),
    mailer,
    clock,
    publicBaseUrl: config.publicBaseUrl,
  });
  try {
    const timeoutMs = options.redisTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      runtime.connection.ping().then(() => true, () => false),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!answered) throw new RedisUnreachableError(`Redis did not answer within ${timeoutMs / 1000} s: nothing was scheduled`);
    return await runtime.rescheduleTimers(engine.store, since);
  } finally {
    await runtime.close();
    await mailer.close();
  }
}
