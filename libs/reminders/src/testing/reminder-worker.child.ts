/**
 * A reminder worker in a process of its own, for fault tests that kill it (SIGKILL) mid-job.
 * It runs only the BullMQ workers, against the test's SQLite file, Redis prefix and SMTP server;
 * the test process keeps the engine (projections, scheduler). Prints `ready` when listening.
 *
 * Environment: REDIS_URL, QUEUE_PREFIX, SQLITE_FILE, SMTP_URL, CLOCK_NOW, LOCK_DURATION_MS.
 */
import { SqliteEventStore } from '@quarterly/event-store';
import { SmtpMailerAdapter } from '@quarterly/notifications';
import { AdjustableClock, EventSourcedCommandExecutor } from '@quarterly/platform';
import { openReadModelDatabase } from '@quarterly/read-models';
import { ReminderRuntime } from '../runtime/reminder-runtime';
import { MAIL_FROM, PUBLIC_BASE_URL } from './reminder-test-harness';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const filename = required('SQLITE_FILE');
  const store = new SqliteEventStore({ filename });
  const readModels = await openReadModelDatabase({ dialect: 'sqlite', filename });
  const runtime = new ReminderRuntime({
    executor: new EventSourcedCommandExecutor(store),
    readModels,
    redis: { kind: 'url', url: required('REDIS_URL') },
    queuePrefix: required('QUEUE_PREFIX'),
    mailer: new SmtpMailerAdapter({ smtpUrl: required('SMTP_URL'), from: MAIL_FROM, timeoutMs: 30_000 }),
    clock: new AdjustableClock(required('CLOCK_NOW')),
    publicBaseUrl: PUBLIC_BASE_URL,
    digestWindowMs: 0,
  });
  // One job at a time, so that a kill lands in exactly one job: the one the test chose.
  runtime.startWorkers({ timerConcurrency: 1, mailConcurrency: 1, lockDurationMs: Number(required('LOCK_DURATION_MS')) });
  await Promise.all(runtime.runningWorkers.map((worker) => worker.waitUntilReady()));
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
