import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { openQuarterlyEngine } from '@quarterly/application';
import { SmtpMailerAdapter } from '@quarterly/notifications';
import {
  AdjustableClock,
  loadAppConfig,
  QuarterlyEngine,
  redisConnectionOptions,
  SQLITE_FILE_NAME,
  type RedisConnectionSettings,
} from '@quarterly/platform';
import type { EventScript } from '@quarterly/read-models/testing/event-script';
import { deleteKeysWithPrefix, redisTestUrl, uniqueTestPrefix } from '@quarterly/testing/redis-test-connection';
import { SmtpTestServer, type ReceivedMail } from '@quarterly/testing/smtp-test-server';
import { ReminderRuntime } from '../runtime/reminder-runtime';

export const MAIL_FROM = 'Quarterly <quarterly@council.example>';
export const PUBLIC_BASE_URL = 'https://quarterly.council.example';

export interface ReminderTestHarnessOptions {
  /** @defaultValue the server of REDIS_URL */
  readonly redis?: RedisConnectionSettings;
  /** Run BullMQ workers in this process. @defaultValue true */
  readonly startWorkers?: boolean;
  /** @defaultValue 0: a digest is sent as soon as its run's first notice is recorded */
  readonly digestWindowMs?: number;
  /** Where the clock starts. */
  readonly now: string;
}

/**
 * A whole reminder pipeline for one test: an embedded engine (SQLite file in a temporary
 * directory, projections, the cycle process manager and the reminder scheduler), BullMQ queues
 * under a random prefix on a real Redis, a real SMTP server, and an adjustable clock.
 *
 * Time moves with {@link advanceTo}: the clock is set and the delayed jobs due by then are
 * promoted, as if the hours had passed; nothing sleeps.
 */
export class ReminderTestHarness {
  private constructor(
    readonly engine: QuarterlyEngine,
    readonly runtime: ReminderRuntime,
    readonly smtp: SmtpTestServer,
    readonly mailer: SmtpMailerAdapter,
    readonly clock: AdjustableClock,
    readonly dataDir: string,
    readonly redis: RedisConnectionSettings,
    private readonly digestWindowMs: number,
  ) {}

  static async create(options: ReminderTestHarnessOptions): Promise<ReminderTestHarness> {
    const dataDir = mkdtempSync(join(tmpdir(), 'quarterly-reminders-'));
    const redis = options.redis ?? { kind: 'url', url: redisTestUrl() };
    const clock = new AdjustableClock(options.now);
    const smtp = await SmtpTestServer.start();
    const config = loadAppConfig({ QUARTERLY_DATA_DIR: dataDir, QUARTERLY_WORKER: 'off', LOG_LEVEL: 'silent' });
    const engine = await openQuarterlyEngine(config);
    const mailer = new SmtpMailerAdapter({ smtpUrl: smtp.url, from: MAIL_FROM, timeoutMs: 2_000 });
    const runtime = new ReminderRuntime({
      executor: engine.executor,
      readModels: engine.readModels,
      redis,
      queuePrefix: uniqueTestPrefix('reminders'),
      mailer,
      clock,
      publicBaseUrl: PUBLIC_BASE_URL,
      digestWindowMs: options.digestWindowMs ?? 0,
      metrics: engine.metrics,
    });
    engine.addProcessManager(runtime.scheduler);
    await engine.start();
    if (options.startWorkers ?? true) runtime.startWorkers({ timerConcurrency: 2, mailConcurrency: 2 });
    return new ReminderTestHarness(engine, runtime, smtp, mailer, clock, dataDir, redis, options.digestWindowMs ?? 0);
  }

  get sqliteFile(): string {
    return join(this.dataDir, SQLITE_FILE_NAME);
  }

  /** Appends a script's events and waits until projections and process managers have seen them. */
  async append(script: EventScript): Promise<void> {
    // Only the events added since the last append: the script keeps the KPIs it defined.
    const position = await script.appendTo(this.engine.store);
    script.drain();
    await this.engine.waitForProjections(position);
    await this.engine.waitForProcessManagers(position);
  }

  /**
   * Waits for the work the current moment calls for, then hands back the mails received so far
   * and forgets them, so a test counts what follows (a cycle's opening tells its owners at once).
   */
  async takeMails(): Promise<ReceivedMail[]> {
    await this.settle();
    return this.smtp.mails.splice(0);
  }

  /** Sets the clock and promotes every delayed job due by then. */
  async advanceTo(instant: string): Promise<void> {
    this.clock.set(instant);
    await this.promoteDue();
  }

  /** Promotes delayed jobs whose time has come on the adjustable clock. */
  async promoteDue(): Promise<number> {
    const now = this.clock.now().getTime();
    let promoted = 0;
    for (const queue of [this.runtime.timersQueue, this.runtime.mailQueue] as Queue[]) {
      for (const job of await queue.getDelayed()) {
        if (this.dueAt(job) <= now) {
          await job.promote().catch(() => undefined);
          promoted += 1;
        }
      }
    }
    return promoted;
  }

  /**
   * Waits (polling every 25 ms, at most `timeoutMs`) until no job is waiting or running and no
   * delayed job is due on the clock: the work that the current moment calls for is done.
   */
  async settle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietPolls = 0;
    while (quietPolls < 3) {
      if (Date.now() > deadline) throw new Error('reminder queues did not settle');
      const promoted = await this.promoteDue();
      const counts = await Promise.all(
        [this.runtime.timersQueue, this.runtime.mailQueue].map((q) => q.getJobCounts('waiting', 'active', 'prioritized')),
      );
      const busy = promoted + counts.reduce((sum, c) => sum + (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0), 0);
      quietPolls = busy === 0 ? quietPolls + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** When a delayed job is meant to run on the adjustable clock: a timer at `fireAt`, a digest after its run. */
  private dueAt(job: { data: unknown; timestamp: number; delay: number }): number {
    const data = job.data as { fireAt?: string; runAt?: string; type?: string };
    if (data.fireAt) return Date.parse(data.fireAt);
    if (data.type === 'digest' && data.runAt) return Date.parse(data.runAt) + this.digestWindowMs;
    return job.timestamp + job.delay;
  }

  async close(): Promise<void> {
    const redis = new Redis(redisConnectionOptions(this.redis));
    try {
      await this.runtime.close();
      await this.engine.close();
      await this.mailer.close();
      await this.smtp.stop();
      await deleteKeysWithPrefix(redis, this.runtime.prefix);
    } finally {
      redis.disconnect();
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}

