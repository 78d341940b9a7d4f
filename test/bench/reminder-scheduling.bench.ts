import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { SqliteEventStore } from '@quarterly/event-store';
import { SmtpMailerAdapter } from '@quarterly/notifications';
import { AdjustableClock, EventSourcedCommandExecutor, ProcessManagerRunner } from '@quarterly/platform';
import { allProjections, openReadModelDatabase, ProjectionRunner } from '@quarterly/read-models';
import { EventScript } from '@quarterly/read-models/testing/event-script';
import { ReminderRuntime, type TimerJobData } from '@quarterly/reminders';
import { deleteKeysWithPrefix, redisTestConnection, redisTestUrl, uniqueTestPrefix } from '../support/redis-test-connection';
import { SmtpTestServer } from '../support/smtp-test-server';

export interface ReminderSchedulingFigures {
  readonly returns: number;
  /** Writing the people, KPIs and the opened cycle with its requested returns to the store. */
  readonly appendSeconds: number;
  /** Delayed jobs the scheduler created for the cycle (reminders, chasers, escalations). */
  readonly jobsScheduled: number;
  /** From the scheduler starting at checkpoint zero to every job being in Redis. */
  readonly schedulingSeconds: number;
  readonly jobsPerSecond: number;
  /** The "three working days before" reminders, all due at the same 09:00: fired while scheduling still ran. */
  readonly timersFired: number;
  /** From the first reminder's due time to the last one done (notice recorded, mail job queued). */
  readonly firingSeconds: number;
  /** How late each fired timer started, against its due time (BullMQ's processedOn − (timestamp + delay)). */
  readonly latenessMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Digest e-mails received by the SMTP server (one per owner for that run). */
  readonly digestsSent: number;
}

const RETURNS = 10_000;
const OWNERS = 100;
const CYCLE = '2025/26-Q2';
const DUE = '2025-10-14';
/** The first reminders become due this long after the scheduler starts: they fire under its load. */
const FIRST_FIRE_AFTER_MS = Number(process.env.BENCH_FIRST_FIRE_AFTER_MS ?? 3_000);
const REMINDER_FIRE_AT = '2025-10-09T08:00:00.000Z';

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * Opening a cycle of 10,000 returns: the reminder scheduler, started from checkpoint zero over
 * the embedded store (SQLite), turns the 10,000 ReturnRequested events into delayed jobs on a
 * real Redis (REDIS_URL, a throwaway key prefix). The first reminders of all 10,000 returns are
 * due 3 s after it starts, so they fire while it is still scheduling; four workers in this process
 * fire them (re-read the return, record the notice, queue its mail) and send one digest per owner
 * to a local SMTP server. Reports scheduling throughput and the lateness of the fired timers.
 */
export async function benchReminderScheduling(): Promise<ReminderSchedulingFigures> {
  const directory = mkdtempSync(join(tmpdir(), 'quarterly-bench-reminders-'));
  const filename = join(directory, 'quarterly.sqlite');
  const redisUrl = redisTestUrl();
  const prefix = uniqueTestPrefix('bench-reminders');
  const store = new SqliteEventStore({ filename });
  const readModels = await openReadModelDatabase({ dialect: 'sqlite', filename });
  const smtp = await SmtpTestServer.start();
  const mailer = new SmtpMailerAdapter({ smtpUrl: smtp.url, from: 'Quarterly <quarterly@council.example>' });
  const clock = new AdjustableClock('2025-10-01T08:00:00Z');
  const runtime = new ReminderRuntime({
    executor: new EventSourcedCommandExecutor(store),
    readModels,
    redisUrl,
    queuePrefix: prefix,
    mailer,
    clock,
    publicBaseUrl: 'https://quarterly.council.example',
    digestWindowMs: 0,
  });
  const projections = allProjections().map((projection) => new ProjectionRunner(store, readModels, projection));
  const scheduler = new ProcessManagerRunner(store, readModels, runtime.scheduler, { batchSize: 500 });
  try {
    const script = new EventScript().at('2025-10-01T08:00:00Z');
    for (let i = 0; i < OWNERS; i += 1) script.person(`owner.${i}`, `Owner ${i}`, ['service-lead'], 'Health, Care and Wellbeing');
    const kpiIds = Array.from({ length: RETURNS }, (_, i) => `K${String(i).padStart(5, '0')}`);
    kpiIds.forEach((kpiId, i) => script.kpi(kpiId, { title: `Indicator ${i}` }, `owner.${i % OWNERS}`, []));
    script.openCycle(CYCLE, kpiIds, DUE);
    const appendStarted = performance.now();
    const last = await script.appendTo(store);
    const appendSeconds = seconds(performance.now() - appendStarted);
    for (const runner of projections) await runner.start();
    await Promise.all(projections.map((runner) => runner.waitForPosition(last, { timeoutMs: 600_000 })));

    const lateness: number[] = [];
    let lastFiredAt = 0;
    runtime.startWorkers({ concurrency: 4 });
    runtime.runningWorkers[0]!.on('completed', (job: Job<TimerJobData>) => {
      lateness.push(job.processedOn! - (job.timestamp + (job.opts.delay ?? 0)));
      lastFiredAt = Math.max(lastFiredAt, job.finishedOn ?? Date.now());
    });

    clock.set(new Date(Date.parse(REMINDER_FIRE_AT) - FIRST_FIRE_AFTER_MS));
    const schedulingStarted = performance.now();
    const firstDueAt = Date.now() + FIRST_FIRE_AFTER_MS;
    await scheduler.start();
    await scheduler.waitForPosition(last);
    const schedulingMs = performance.now() - schedulingStarted;
    const counts = await runtime.timersQueue.getJobCounts('delayed', 'waiting', 'active', 'completed', 'failed');
    const jobsScheduled = Object.values(counts).reduce((a, b) => a + b, 0);

    while (lateness.length < RETURNS) {
      const failed = await runtime.timersQueue.getJobCounts('failed');
      if ((failed.failed ?? 0) > 0) throw new Error(`${failed.failed} timer jobs failed`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await smtp.waitForMails(OWNERS, 120_000);

    const sorted = [...lateness].sort((a, b) => a - b);
    return {
      returns: RETURNS,
      appendSeconds,
      jobsScheduled,
      schedulingSeconds: seconds(schedulingMs),
      jobsPerSecond: Math.round(jobsScheduled / (schedulingMs / 1000)),
      timersFired: lateness.length,
      firingSeconds: seconds(lastFiredAt - firstDueAt),
      latenessMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1)! },
      digestsSent: smtp.mails.length,
    };
  } finally {
    await scheduler.stop();
    for (const runner of projections) await runner.stop();
    await runtime.close();
    await mailer.close();
    await smtp.stop();
    await readModels.close();
    await store.close();
    const redis = redisTestConnection(redisUrl);
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    rmSync(directory, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchReminderScheduling().then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
