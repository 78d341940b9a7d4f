import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { SqliteEventStore } from '@quarterly/event-store';
import { SmtpMailerAdapter } from '@quarterly/notifications';
import { AdjustableClock, EventSourcedCommandExecutor, ProcessManagerRunner } from '@quarterly/platform';
import { allProjections, openReadModelDatabase, ProjectionRunner } from '@quarterly/read-models';
import { EventScript } from '@quarterly/read-models/testing/event-script';
import { ReminderRuntime, TIMER_WORKER_CONCURRENCY, type TimerJobData } from '@quarterly/reminders';
import { deleteKeysWithPrefix, redisTestConnection, redisTestUrl, uniqueTestPrefix } from '../support/redis-test-connection';
import { SmtpTestServer } from '../support/smtp-test-server';

export interface ReminderSchedulingFigures {
  readonly returns: number;
  /** Writing the people, KPIs and the opened cycle with its requested returns to the store. */
  readonly appendSeconds: number;
  /** Delayed jobs the scheduler created for the cycle: one per return, the first timer of its chain. */
  readonly jobsScheduled: number;
  /** Timers those jobs stand for (reminders, chasers, escalations: nine per return), chained ones included. */
  readonly timersPlanned: number;
  /** From the scheduler starting at checkpoint zero to every job being in Redis. */
  readonly schedulingSeconds: number;
  readonly jobsPerSecond: number;
  /** CPU time (user + system) of this process while scheduling: it moves less than wall time on a shared machine. */
  readonly schedulingCpuSeconds: number;
  /** CPU time of this process from making the burst due to its last digest mailed. */
  readonly firingCpuSeconds: number;
  readonly timersPerSecond: number;
  /** The "three working days before" reminders of all returns, made due at the same instant. */
  readonly timersFired: number;
  /** From that instant to the last of them done (notice recorded, mail job queued). */
  readonly firingSeconds: number;
  readonly firedPerSecond: number;
  /** How late each fired timer started after that instant (BullMQ's processedOn). */
  readonly latenessMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Digest e-mails received by the SMTP server (one per owner for that run). */
  readonly digestsSent: number;
  /** From the firing instant to the SMTP server holding the last of those digests (digest window 0). */
  readonly lastDigestMailedSeconds: number;
  readonly timerConcurrency: number;
  /** 500 timers (the next reminder of 500 chains) made due at one instant, after the big burst. */
  readonly smallBurst: { readonly timersFired: number; readonly firingSeconds: number; readonly latenessMs: { readonly p50: number; readonly p99: number; readonly max: number } };
}

const RETURNS = 10_000;
const OWNERS = 100;
const CYCLE = '2025/26-Q2';
const DUE = '2025-10-14';
const REMINDER_FIRE_AT = '2025-10-09T08:00:00.000Z';
/** Time given to move the 10,000 reminders to the common firing instant before it comes. */
const FIRE_AFTER_MS = 15_000;
/** Timers made due at one instant in the second, smaller burst. */
const SMALL_BURST = 500;
/** Timer jobs the in-process worker runs at once: the NestJS processor's (TIMER_WORKER_CONCURRENCY) unless set. */
const WORKER_CONCURRENCY = Number(process.env['BENCH_REMINDER_CONCURRENCY'] ?? TIMER_WORKER_CONCURRENCY);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / 1000) / 1000;
}

/**
 * Opening a cycle of 10,000 returns over the embedded store (SQLite) and a real Redis (REDIS_URL,
 * a throwaway key prefix). First the reminder scheduler, started from checkpoint zero, turns the
 * 10,000 ReturnRequested events into delayed jobs (nine per return with the default policy):
 * throughput and total time. Then the 10,000 "three working days before" reminders are all made
 * due at one instant, as on the morning of a real run, and four workers in this process fire them
 * (re-read the return, record the notice through the decider, queue its mail) and send one digest
 * per owner to a local SMTP server: how late each timer started, p50 and p99.
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
    redis: { kind: 'url', url: redisUrl },
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

    const schedulingStarted = performance.now();
    const schedulingCpu = process.cpuUsage();
    await scheduler.start();
    await scheduler.waitForPosition(last);
    const schedulingMs = performance.now() - schedulingStarted;
    const schedulingCpuSeconds = cpuSecondsSince(schedulingCpu);
    const counts = await runtime.timersQueue.getJobCounts('delayed', 'waiting', 'active', 'completed', 'failed');
    const jobsScheduled = Object.values(counts).reduce((a, b) => a + b, 0);

    // The first reminder of each return: its job id is the ReturnRequested event's id and the step.
    const reminderIds = script.events
      .filter(({ event }) => event.type === 'ReturnRequested')
      .map(({ event }) => `${event.id}.reminder.before3`);
    const reminders: Job<TimerJobData>[] = [];
    for (let i = 0; i < reminderIds.length; i += 500) {
      const jobs = await Promise.all(reminderIds.slice(i, i + 500).map((id) => runtime.timersQueue.getJob(id)));
      reminders.push(...jobs.filter((job): job is Job<TimerJobData> => job !== undefined));
    }
    if (reminders.some((job) => job.data.fireAt !== REMINDER_FIRE_AT) || reminders.length !== RETURNS) {
      throw new Error('the scheduler did not plan the expected first reminders');
    }
    const timersPlanned = reminders.reduce((sum, job) => sum + 1 + (job.data.then?.length ?? 0), 0);
    clock.set(REMINDER_FIRE_AT);
    runtime.startWorkers({ timerConcurrency: WORKER_CONCURRENCY });
    const completed = new Map<string, Job<TimerJobData>>();
    runtime.runningWorkers[0]!.on('completed', (job: Job<TimerJobData>) => completed.set(job.id!, job));

    /** Makes `jobs` due at one instant FIRE_AFTER_MS from now and waits until every one has run. */
    const fireAtOnce = async (jobs: readonly Job<TimerJobData>[]) => {
      const fireAt = Date.now() + FIRE_AFTER_MS;
      for (let i = 0; i < jobs.length; i += 500) {
        await Promise.all(jobs.slice(i, i + 500).map((job) => job.changeDelay(Math.max(0, fireAt - Date.now()))));
      }
      if (Date.now() >= fireAt) throw new Error('the jobs were not all moved before their firing instant');
      while (jobs.some((job) => !completed.has(job.id!))) {
        const failed = await runtime.timersQueue.getJobCounts('failed');
        if ((failed.failed ?? 0) > 0) throw new Error(`${failed.failed} timer jobs failed`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const done = jobs.map((job) => completed.get(job.id!)!);
      const lateness = done.map((job) => job.processedOn! - fireAt).sort((a, b) => a - b);
      const lastDone = Math.max(...done.map((job) => job.finishedOn!));
      return {
        fireAt,
        fired: done.length,
        seconds: seconds(lastDone - fireAt),
        perSecond: Math.round(done.length / ((lastDone - fireAt) / 1000)),
        latenessMs: { p50: percentile(lateness, 50), p99: percentile(lateness, 99), max: lateness.at(-1)! },
      };
    };

    const burstCpu = process.cpuUsage();
    const burst = await fireAtOnce(reminders);
    await smtp.waitForMails(OWNERS, 120_000);
    const lastMailedAt = Date.now();
    // This process's CPU from moving the jobs to the last digest: workers, projections, SMTP server.
    const firingCpuSeconds = cpuSecondsSince(burstCpu);

    // Each reminder that fired added the next timer of its chain (the reminder on the due date) as
    // a job: 500 of those, due at one instant, are the smaller burst.
    const onDay = await Promise.all(reminders.slice(0, SMALL_BURST).map((job) => runtime.timersQueue.getJob(job.data.then![0]!.jobId)));
    if (onDay.some((job) => job === undefined)) throw new Error('a fired reminder did not add the next timer of its chain');
    clock.set(onDay[0]!.data.fireAt);
    const small = await fireAtOnce(onDay as Job<TimerJobData>[]);

    return {
      returns: RETURNS,
      appendSeconds,
      jobsScheduled,
      timersPlanned,
      schedulingSeconds: seconds(schedulingMs),
      schedulingCpuSeconds,
      jobsPerSecond: Math.round(jobsScheduled / (schedulingMs / 1000)),
      timersPerSecond: Math.round(timersPlanned / (schedulingMs / 1000)),
      timerConcurrency: WORKER_CONCURRENCY,
      timersFired: burst.fired,
      firingSeconds: burst.seconds,
      firedPerSecond: burst.perSecond,
      firingCpuSeconds,
      latenessMs: burst.latenessMs,
      digestsSent: OWNERS,
      lastDigestMailedSeconds: seconds(lastMailedAt - burst.fireAt),
      smallBurst: { timersFired: small.fired, firingSeconds: small.seconds, latenessMs: small.latenessMs },
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
