import { ProjectedKpiRegister, UseCaseBus, UseCaseDependencies } from '@quarterly/application';
import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job, type Telemetry } from 'bullmq';
import { Redis } from 'ioredis';
import { EnglandAndWalesCalendar, type WorkingDayCalendar } from '@quarterly/calendar';
import {
  MailDeliveryError,
  NotificationSender,
  RedisSentNotificationLedger,
  type Mailer,
} from '@quarterly/notifications';
import type { EventStore } from '@quarterly/event-store';
import type { ReadModelDatabase } from '@quarterly/read-models';
import {
  redisConnectionOptions,
  type Clock,
  type DependencyCheck,
  type EventSourcedCommandExecutor,
  type QuarterlyMetrics,
  type RedisConnectionSettings,
} from '@quarterly/platform';
import { BullMQOtel } from 'bullmq-otel';
import type { FireOutcome } from '../firing/timer-firing.service';
import type { MailOutcome } from '../mail/notice-mail.service';
import { DueTimerBatcher, type DueTimerBatchOptions } from '../firing/due-timer-batcher';
import { ReadModelPeopleDirectory } from '../firing/people-directory';
import { TimerFiringService } from '../firing/timer-firing.service';
import { NoticeMailService } from '../mail/notice-mail.service';
import { MAIL_QUEUE, MAIL_WORKER_CONCURRENCY, TIMER_WORKER_CONCURRENCY, TIMERS_QUEUE, type MailJobData, type TimerJobData } from '../scheduling/reminder-queues';
import { ReminderSchedulerProcessManager, type ReminderSchedulerOptions } from '../scheduling/reminder-scheduler.process-manager';
import { rescheduleTimers, type RescheduleTimersReport } from '../scheduling/reschedule-timers';
import { BullmqReminderJobs, type ReminderJobs } from '../scheduling/timer-scheduler';
import { processMailJob, processTimerJob } from './job-processors';

export interface ReminderRuntimeOptions {
  readonly executor: EventSourcedCommandExecutor;
  readonly readModels: ReadModelDatabase;
  /** BullMQ's Redis: a URL or a Sentinel group (AppConfig's `redis`). */
  readonly redis: RedisConnectionSettings;
  /**
   * Prefix of every BullMQ key, so that several deployments (or tests) share one Redis.
   * @defaultValue `quarterly`
   */
  readonly queuePrefix?: string;
  /** Closed with the runtime (its pooled SMTP connections). */
  readonly mailer: Mailer;
  readonly clock: Clock;
  /** Base of links in e-mails (PUBLIC_BASE_URL). */
  readonly publicBaseUrl: string;
  /** @defaultValue England and Wales working days */
  readonly calendar?: WorkingDayCalendar;
  /** See {@link NoticeMailService}. @defaultValue 120 000 ms */
  readonly digestWindowMs?: number;
  readonly scheduler?: ReminderSchedulerOptions;
  /** How the timers a worker holds are fired together: see {@link DueTimerBatcher}. */
  readonly timerBatches?: DueTimerBatchOptions;
  /**
   * Told about connection errors of the queues and workers (Redis down, restarting). They are
   * transient: ioredis reconnects and BullMQ resumes. @defaultValue ignored (health reports Redis down)
   */
  readonly onConnectionError?: (error: Error) => void;
  /** Where mails sent and failed, timer lateness and queue depth are counted (`/metrics`). */
  readonly metrics?: QuarterlyMetrics;
  /**
   * BullMQ's OpenTelemetry hook (spans for adding and processing jobs, the producer's context
   * carried in the job): see {@link bullmqTelemetryFor}. @defaultValue none (tracing off)
   */
  readonly telemetry?: Telemetry;
}

/** BullMQ's telemetry when tracing is on (QUARTERLY_TRACING=otlp), none otherwise. */
export function bullmqTelemetryFor(tracing: 'off' | 'otlp'): Telemetry | undefined {
  return tracing === 'otlp' ? new BullMQOtel({ tracerName: 'quarterly-bullmq' }) : undefined;
}

/**
 * Everything the reminder worker is made of, wired once: the process manager that schedules
 * timers (to add to the engine), the queues, the services behind the jobs, and, on request, the
 * BullMQ workers that run them. The NestJS worker module and the integration tests both use it.
 */
export class ReminderRuntime {
  readonly connection: Redis;
  readonly timersQueue: Queue<TimerJobData>;
  readonly mailQueue: Queue<MailJobData>;
  readonly scheduler: ReminderSchedulerProcessManager;
  readonly firing: TimerFiringService;
  /** The worker's jobs go through here, to be fired in batches. */
  readonly dueTimers: DueTimerBatcher;
  readonly mail: NoticeMailService;
  readonly prefix: string;
  private readonly jobs: ReminderJobs;
  private readonly calendar: WorkingDayCalendar;
  private readonly workers: Worker[] = [];
  private readonly workerConnections: Redis[] = [];
  /**
   * The health check's own connection, without an offline queue: while Redis is down a PING
   * fails at once instead of waiting in the queue of a connection that retries for ever.
   */
  private readonly healthConnection: Redis;

  constructor(readonly options: ReminderRuntimeOptions) {
    this.prefix = options.queuePrefix ?? 'quarterly';
    // One connection for queues and the ledger; each worker opens its own blocking connection.
    this.connection = new Redis(redisConnectionOptions(options.redis));
    const queueOptions = { connection: this.connection, prefix: this.prefix, ...(options.telemetry ? { telemetry: options.telemetry } : {}) };
    this.timersQueue = new Queue<TimerJobData>(TIMERS_QUEUE, queueOptions);
    this.mailQueue = new Queue<MailJobData>(MAIL_QUEUE, queueOptions);
    // Without listeners, an 'error' event (Redis unreachable) would be thrown as an exception.
    const onError = (error: Error) => options.onConnectionError?.(error);
    this.connection.on('error', onError);
    this.timersQueue.on('error', onError);
    this.mailQueue.on('error', onError);
    this.healthConnection = new Redis({
      ...redisConnectionOptions(options.redis),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    this.healthConnection.on('error', () => undefined); // reported by health(), not fatal
    options.metrics?.addCollector('queues', () => this.collectQueueDepth(options.metrics!));
    const calendar = options.calendar ?? new EnglandAndWalesCalendar();
    const jobs = new BullmqReminderJobs(this.timersQueue, this.mailQueue, options.clock);
    this.calendar = calendar;
    this.jobs = jobs;
    const people = new ReadModelPeopleDirectory(options.readModels);
    const ledger = new RedisSentNotificationLedger(this.connection, { prefix: `${this.prefix}:sent-notifications` });
    const sender = new NotificationSender(options.mailer, ledger, () => options.clock.now());
    // The timers record their notices through the same use cases as a person's request, with the
    // directory as the worker reads it (cached: thousands of timers fire in the same minute). The
    // register is never read here (timers open no cycle); it reads the read model if ever asked.
    const useCases = new UseCaseBus(
      new UseCaseDependencies({ executor: options.executor, directory: people, kpiRegister: new ProjectedKpiRegister(options.readModels), calendar }),
    );
    this.mail = new NoticeMailService(options.executor, options.readModels, people, sender, jobs, calendar, options.clock, {
      publicBaseUrl: options.publicBaseUrl,
      ...(options.digestWindowMs !== undefined ? { digestWindowMs: options.digestWindowMs } : {}),
    });
    this.scheduler = new ReminderSchedulerProcessManager(options.executor, jobs, this.mail, calendar, options.clock, options.scheduler);
    this.firing = new TimerFiringService(options.executor, options.readModels, useCases, jobs, this.mail, calendar, options.clock);
    this.dueTimers = new DueTimerBatcher(this.firing, options.timerBatches);
  }

  /**
   * Starts BullMQ workers for both queues in this process (tests, and apps that do not use the
   * NestJS processors). `lockDurationMs` bounds how long a killed worker's job waits before
   * another worker takes it over.
   */
  startWorkers(options: { timerConcurrency?: number; mailConcurrency?: number; lockDurationMs?: number } = {}): void {
    const onError = (error: Error) => this.options.onConnectionError?.(error);
    const connect = (): ConnectionOptions => {
      const connection = new Redis(redisConnectionOptions(this.options.redis));
      connection.on('error', onError);
      this.workerConnections.push(connection);
      return connection;
    };
    const common = {
      prefix: this.prefix,
      ...(this.options.telemetry ? { telemetry: this.options.telemetry } : {}),
      ...(options.lockDurationMs !== undefined
        ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }
        : {}),
    };
    this.workers.push(
      new Worker<TimerJobData>(TIMERS_QUEUE, (job) => this.runTimerJob(job), {
        ...common,
        concurrency: options.timerConcurrency ?? TIMER_WORKER_CONCURRENCY,
        connection: connect(),
      }),
      new Worker<MailJobData>(MAIL_QUEUE, (job) => this.runMailJob(job), {
        ...common,
        concurrency: options.mailConcurrency ?? MAIL_WORKER_CONCURRENCY,
        connection: connect(),
      }),
    );
    for (const worker of this.workers) worker.on('error', onError);
  }

  /**
   * Re-creates from `store`'s history every timer that fires at or after `since`, on these
   * queues: see {@link rescheduleTimers}. Needs no workers and no running scheduler.
   */
  rescheduleTimers(store: Pick<EventStore, 'readAll'>, since: Date): Promise<RescheduleTimersReport> {
    const { executor, clock } = this.options;
    return rescheduleTimers({ store, executor, jobs: this.jobs, calendar: this.calendar, clock, since });
  }

  get runningWorkers(): readonly Worker[] {
    return this.workers;
  }

  /** A `quarterly-timers` job, as BullMQ workers run it here and in apps/worker: timed against its plan. */
  async runTimerJob(job: Job<TimerJobData>): Promise<FireOutcome> {
    const planned = Date.parse(job.data.fireAt);
    if (!Number.isNaN(planned)) {
      this.options.metrics?.timerLateness.observe({ kind: job.data.kind }, Math.max(0, (this.options.clock.now().getTime() - planned) / 1000));
    }
    return processTimerJob(this.dueTimers, job);
  }

  /** A `quarterly-mail` job, counting the mails the server accepted and the attempts that failed. */
  async runMailJob(job: Job<MailJobData>): Promise<MailOutcome> {
    try {
      const outcome = await processMailJob(this.mail, job);
      if (outcome === 'sent') this.options.metrics?.mailsSent.inc();
      return outcome;
    } catch (error) {
      // processMailJob turns a permanent refusal into UnrecoverableError (not retried).
      if (error instanceof UnrecoverableError) this.options.metrics?.mailsFailed.inc({ permanent: 'true' });
      else if (error instanceof MailDeliveryError) this.options.metrics?.mailsFailed.inc({ permanent: 'false' });
      throw error;
    }
  }

  /** Redis and SMTP as readiness checks: not critical (timers wait and mail is retried while they are down). */
  dependencyChecks(): DependencyCheck[] {
    return [
      { name: 'redis', critical: false, probe: () => this.pingRedis() },
      { name: 'smtp', critical: false, probe: () => this.options.mailer.verify() },
    ];
  }

  /** Readiness for `/health`: Redis answers, and the SMTP server greets us. */
  async health(): Promise<{ redis: 'up' | 'down'; smtp: 'up' | 'down' }> {
    const redis = await this.pingRedis().then(
      () => 'up' as const,
      () => 'down' as const,
    );
    const smtp = await this.options.mailer.verify().then(
      () => 'up' as const,
      () => 'down' as const,
    );
    return { redis, smtp };
  }

  private async pingRedis(): Promise<void> {
    if (this.healthConnection.status === 'wait' || this.healthConnection.status === 'end') await this.healthConnection.connect();
    await this.healthConnection.ping();
  }

  private async collectQueueDepth(metrics: QuarterlyMetrics): Promise<void> {
    for (const queue of [this.timersQueue, this.mailQueue]) {
      const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'failed');
      for (const [state, count] of Object.entries(counts)) metrics.queueJobs.set({ queue: queue.name, state }, count);
    }
  }

  async close(): Promise<void> {
    for (const worker of this.workers.splice(0)) await worker.close();
    for (const connection of this.workerConnections.splice(0)) connection.disconnect();
    await this.timersQueue.close();
    await this.mailQueue.close();
    await this.options.mailer.close();
    this.connection.disconnect();
    this.healthConnection.disconnect();
  }
}
