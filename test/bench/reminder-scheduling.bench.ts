import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { CycleReturnsProcessManager, OpenCycleCommand, ProjectedKpiRegister, UseCaseBus, UseCaseDependencies } from '@quarterly/application';
import { SqliteEventStore } from '@quarterly/event-store';
import { SmtpMailerAdapter } from '@quarterly/notifications';
import { AdjustableClock, EventSourcedCommandExecutor, ProcessManagerRunner } from '@quarterly/platform';
import { allProjections, openReadModelDatabase, ProjectionRunner } from '@quarterly/read-models';
import { EventScript } from '@quarterly/read-models/testing/event-script';
import { ReadModelPeopleDirectory, ReminderRuntime, TIMER_BATCH_SIZE, TIMER_WORKER_CONCURRENCY, type TimerJobData } from '@quarterly/reminders';
import { deleteKeysWithPrefix, redisTestConnection, redisTestUrl, uniqueTestPrefix } from '../support/redis-test-connection';
import { SmtpTestServer } from '../support/smtp-test-server';

/** How a run fires and requests: one at a time (the code before batches), or in batches. */
export interface ReminderBenchVariant {
  readonly label: string;
  /** Timers fired together at most (`timerBatches.maxSize`); 1 fires each on its own. */
  readonly timerBatchSize: number;
  /** Return commands the cycle process manager runs at once; 1 requests them one after another. */
  readonly returnsInParallel: number;
  /** Timer jobs the in-process worker runs at once. */
  readonly timerConcurrency: number;
}

export interface ReminderSchedulingFigures {
  readonly variant: ReminderBenchVariant;
  readonly loadAverageAtStart: number[];
  readonly loadAverageAtEnd: number[];
  readonly returns: number;
  /** Writing the people and KPIs to the store (before the cycle is opened). */
  readonly appendSeconds: number;
  /**
   * Opening the cycle as a user waits for it, from the OpenCycle command to the last return on
   * the status board: the command (reading the register's KPIs), the cycle process manager's
   * RequestReturn commands, the reminder scheduler's jobs in Redis, the status board projection.
   * Each stage's time is from the command's start to that stage's end.
   */
  readonly opening: {
    readonly commandSeconds: number;
    readonly returnsRequestedSeconds: number;
    readonly timerJobsInRedisSeconds: number;
    readonly statusBoardSeconds: number;
    /** The last of the three: when the user sees the whole cycle. */
    readonly totalSeconds: number;
    /** CPU time (user + system) of this process for the whole opening. */
    readonly cpuSeconds: number;
  };
  /** Delayed jobs the scheduler created for the cycle: one per return, the first timer of its chain. */
  readonly jobsScheduled: number;
  /** Timers those jobs stand for (reminders, chasers, escalations: nine per return), chained ones included. */
  readonly timersPlanned: number;
  /** CPU time of this process from making the burst due to its last digest mailed. */
  readonly firingCpuSeconds: number;
  /** The "three working days before" reminders of all returns, made due at the same instant. */
  readonly timersFired: number;
  /** From that instant to the last of them done (notice recorded, mail job queued). */
  readonly firingSeconds: number;
  readonly firedPerSecond: number;
  /** How late each fired timer started after that instant (BullMQ's processedOn). */
  readonly latenessMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Digests telling each owner of the returns the opening asked of them (sent before the burst, not timed). */
  readonly openingDigestsSent: number;
  /** Digest e-mails received by the SMTP server (one per owner for that run). */
  readonly digestsSent: number;
  /** From the firing instant to the SMTP server holding the last of those digests (digest window 0). */
  readonly lastDigestMailedSeconds: number;
  readonly timerConcurrency: number;
  /** Timer firings that ran in one batch, on average. */
  readonly meanTimerBatch: number;
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

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const seconds = (ms: number) => Math.round(ms) / 1000;
const loadAverage = () => loadavg().map((value) => Math.round(value * 100) / 100);

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / 1000) / 1000;
}

/**
 * Opening a cycle of 10,000 returns and firing its reminders, over the embedded store (SQLite)
 * and a real Redis (REDIS_URL, a throwaway key prefix), in one process for each variant in turn:
 * as the code before batches did (each timer fired on its own, the returns requested one after
 * another), with the first batched settings (32 jobs at once, batches of up to 64), and as the
 * code is now; the load average is printed with each run (compare within the run).
 *
 * Each run: the people and KPIs are written, then the OpenCycle command is executed as a user's
 * would be and timed until the whole cycle is there (returns requested by the cycle process
 * manager, their timer chains in Redis, every return on the status board). Then the 10,000
 * "three working days before" reminders are all made due at one instant, as on the morning of a
 * real run, and fired by the worker in this process (re-read the return, record the notice
 * through the decider, queue the digests), with one digest per owner sent to a local SMTP server:
 * how late each timer started, and when the last digest arrived. Then 500 of the next reminders
 * are made due at one instant.
 */
export async function benchReminderScheduling(): Promise<{ readonly runs: ReminderSchedulingFigures[] }> {
  const returnsInParallel = Number(process.env['BENCH_RETURNS_IN_PARALLEL'] ?? 32);
  const variants: ReminderBenchVariant[] = [
    { label: 'one at a time (before)', timerBatchSize: 1, returnsInParallel: 1, timerConcurrency: 32 },
    // The settings of the first batched firing (second session of 30 November): the worker's whole
    // concurrency in one batch, so nothing was fetched while a batch fired.
    { label: 'previous batches (32 jobs at once, batches of up to 64)', timerBatchSize: 64, returnsInParallel, timerConcurrency: 32 },
    {
      label: 'batched',
      timerBatchSize: Number(process.env['BENCH_TIMER_BATCH'] ?? TIMER_BATCH_SIZE),
      returnsInParallel,
      timerConcurrency: Number(process.env['BENCH_REMINDER_CONCURRENCY'] ?? TIMER_WORKER_CONCURRENCY),
    },
  ];
  // A comma-separated list of label prefixes (`previous,batched`) picks variants; BENCH_REMINDER_ROUNDS
  // runs the picked ones that many times, alternating, for an A/B in one process.
  const only = process.env['BENCH_REMINDER_VARIANT']?.split(',');
  const picked = variants.filter((variant) => !only || only.some((prefix) => variant.label.startsWith(prefix)));
  const runs: ReminderSchedulingFigures[] = [];
  for (let round = 0; round < Number(process.env['BENCH_REMINDER_ROUNDS'] ?? 1); round += 1) {
    for (const variant of picked) runs.push(await benchReminderRun(variant));
  }
  return { runs };
}

/**
 * With BENCH_PROFILE_DIR set, a CPU profile of this process (V8's sampling profiler through the
 * inspector) from the moment it starts to `stop`, written there (read it with summarise-cpu-profile.ts).
 */
async function startProfiler(): Promise<{ stop(name: string): Promise<void> } | undefined> {
  const dir = process.env['BENCH_PROFILE_DIR'];
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await post<{ profile: unknown }>('Profiler.stop');
      session.disconnect();
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(profile));
      process.stderr.write(`reminderScheduling: CPU profile of the firing burst in ${file}\n`);
    },
  };
}

async function benchReminderRun(variant: ReminderBenchVariant): Promise<ReminderSchedulingFigures> {
  const loadAverageAtStart = loadAverage();
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
    timerBatches: { maxSize: variant.timerBatchSize },
  });
  const useCases = new UseCaseBus(
    new UseCaseDependencies({ executor: runtime.options.executor, directory: new ReadModelPeopleDirectory(readModels), kpiRegister: new ProjectedKpiRegister(readModels) }),
  );
  const cycleReturns = new ProcessManagerRunner(store, readModels, new CycleReturnsProcessManager(useCases, variant.returnsInParallel), { batchSize: 500 });
  let batches = 0;
  let batchedTimers = 0;
  const fireBatch = runtime.firing.fireBatch.bind(runtime.firing);
  runtime.firing.fireBatch = (timers) => {
    batches += 1;
    batchedTimers += timers.length;
    return fireBatch(timers);
  };
  // As the engine runs them: one subscription and one transaction per batch for all projections.
  const projections = ProjectionRunner.group(store, readModels, allProjections());
  const scheduler = new ProcessManagerRunner(store, readModels, runtime.scheduler, { batchSize: 500 });
  try {
    const script = new EventScript().at('2025-10-01T08:00:00Z');
    for (let i = 0; i < OWNERS; i += 1) script.person(`owner.${i}`, `Owner ${i}`, ['service-lead'], 'Health, Care and Wellbeing');
    const kpiIds = Array.from({ length: RETURNS }, (_, i) => `K${String(i).padStart(5, '0')}`);
    kpiIds.forEach((kpiId, i) => script.kpi(kpiId, { title: `Indicator ${i}` }, `owner.${i % OWNERS}`, []));
    const appendStarted = performance.now();
    const registered = await script.appendTo(store);
    const appendSeconds = seconds(performance.now() - appendStarted);
    await projections.start();
    await Promise.all(projections.runners.map((runner) => runner.waitForPosition(registered, { timeoutMs: 600_000 })));
    await cycleReturns.start();
    await scheduler.start();

    // The user's wait: the command, then the whole cycle appearing.
    const openingStarted = performance.now();
    const openingCpu = process.cpuUsage();
    const since = (from: number) => seconds(performance.now() - from);
    const opened = await useCases.execute(
      new OpenCycleCommand(
        { cycleId: CYCLE, timetable: { returnsDue: DUE, dmtReviewDeadline: '2025-10-21', cltDate: '2025-10-28', publicationDate: '2025-11-11' } },
        {
          principal: { id: 'p.officer', roles: ['performance-team'] },
          envelope: { actor: 'p.officer', now: clock.now().toISOString(), correlationId: 'bench-open-cycle', causationId: 'bench-open-cycle' },
          internal: true,
        },
      ),
    );
    const commandSeconds = since(openingStarted);
    const stages = { returnsRequestedSeconds: 0, timerJobsInRedisSeconds: 0, statusBoardSeconds: 0 };
    await Promise.all([
      cycleReturns.waitForPosition(opened.position!).then(() => (stages.returnsRequestedSeconds = since(openingStarted))),
      (async () => {
        for (;;) {
          const counts = await runtime.timersQueue.getJobCounts('delayed', 'waiting', 'active', 'completed', 'failed');
          if (Object.values(counts).reduce((a, b) => a + b, 0) >= RETURNS) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        stages.timerJobsInRedisSeconds = since(openingStarted);
      })(),
      (async () => {
        for (;;) {
          const row = await readModels.db.selectFrom('returns').select((eb) => eb.fn.countAll<number>().as('count')).where('cycle_id', '=', CYCLE).executeTakeFirst();
          if (Number(row?.count ?? 0) >= RETURNS) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        stages.statusBoardSeconds = since(openingStarted);
      })(),
    ]);
    const opening = {
      commandSeconds,
      ...stages,
      totalSeconds: Math.max(stages.returnsRequestedSeconds, stages.timerJobsInRedisSeconds, stages.statusBoardSeconds),
      cpuSeconds: cpuSecondsSince(openingCpu),
    };
    const counts = await runtime.timersQueue.getJobCounts('delayed', 'waiting', 'active', 'completed', 'failed');
    const jobsScheduled = Object.values(counts).reduce((a, b) => a + b, 0);
    const requested = await store.readAll({ after: registered, limit: RETURNS + 10 });

    // The first reminder of each return: its job id is the ReturnRequested event's id and the step.
    const reminderIds = requested.filter((event) => event.type === 'ReturnRequested').map((event) => `${event.id}.reminder.before3`);
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
    runtime.startWorkers({ timerConcurrency: variant.timerConcurrency });
    const completed = new Map<string, Job<TimerJobData>>();
    runtime.runningWorkers[0]!.on('completed', (job: Job<TimerJobData>) => completed.set(job.id!, job));
    // The opening told each owner of their returns (one digest each, queued by the scheduler with
    // the timers); in a real cycle those go out days before the first reminder: sent here first,
    // and not counted in the burst.
    await smtp.waitForMails(OWNERS, 120_000);
    const openingDigestsSent = smtp.mails.splice(0).length;

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

    const profiler = await startProfiler();
    const burstCpu = process.cpuUsage();
    const burst = await fireAtOnce(reminders);
    await smtp.waitForMails(OWNERS, 120_000);
    const lastMailedAt = Date.now();
    // This process's CPU from moving the jobs to the last digest: workers, projections, SMTP server.
    const firingCpuSeconds = cpuSecondsSince(burstCpu);
    await profiler?.stop(`reminders-firing-${variant.label.split(' ')[0]}-${process.pid}.cpuprofile`);

    // Each reminder that fired added the next timer of its chain (the reminder on the due date) as
    // a job: 500 of those, due at one instant, are the smaller burst.
    const onDay = await Promise.all(reminders.slice(0, SMALL_BURST).map((job) => runtime.timersQueue.getJob(job.data.then![0]!.jobId)));
    if (onDay.some((job) => job === undefined)) throw new Error('a fired reminder did not add the next timer of its chain');
    clock.set(onDay[0]!.data.fireAt);
    const small = await fireAtOnce(onDay as Job<TimerJobData>[]);

    return {
      variant,
      loadAverageAtStart,
      loadAverageAtEnd: loadAverage(),
      returns: RETURNS,
      appendSeconds,
      opening,
      jobsScheduled,
      timersPlanned,
      timerConcurrency: variant.timerConcurrency,
      meanTimerBatch: Math.round((batchedTimers / Math.max(1, batches)) * 10) / 10,
      timersFired: burst.fired,
      firingSeconds: burst.seconds,
      firedPerSecond: burst.perSecond,
      firingCpuSeconds,
      latenessMs: burst.latenessMs,
      openingDigestsSent,
      digestsSent: OWNERS,
      lastDigestMailedSeconds: seconds(lastMailedAt - burst.fireAt),
      smallBurst: { timersFired: small.fired, firingSeconds: small.seconds, latenessMs: small.latenessMs },
    };
  } finally {
    await cycleReturns.stop();
    await scheduler.stop();
    await projections.stop();
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
