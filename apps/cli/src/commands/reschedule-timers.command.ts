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

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** An ISO 8601 instant with its offset whose fields all exist (no 30 February, no 25:00). */
function parseInstant(value: string): Date | undefined {
  const match = ISO_INSTANT.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = match.slice(1).map((f) => (f === undefined ? undefined : Number(f)));
  const wall = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second));
  const fieldsExist =
    wall.getUTCFullYear() === year && wall.getUTCMonth() === month! - 1 && wall.getUTCDate() === day &&
    wall.getUTCHours() === hour && wall.getUTCMinutes() === minute && wall.getUTCSeconds() === second &&
    offsetHours < 24 && offsetMinutes < 60;
  const instant = new Date(value);
  return fieldsExist && !Number.isNaN(instant.getTime()) ? instant : undefined;
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
