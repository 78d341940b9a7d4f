import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import Redis from 'ioredis';
import type { CommandContext } from '@quarterly/domain';
import { redisConnectionOptions, type RedisConnectionSettings } from '@quarterly/platform';
import type { ImportProgress, ImportReport, RegisterImporter } from './register-importer';

export const REGISTER_IMPORT_QUEUE = 'quarterly-register-imports';

export interface RegisterImportJobData {
  readonly fileName: string;
  /** The file's bytes, base64 (files are at most a few MB). */
  readonly content: string;
  readonly context: CommandContext;
  readonly mode: 'dry-run' | 'apply';
}

export interface RegisterImportJobStatus {
  readonly id: string;
  readonly fileName: string;
  readonly mode: 'dry-run' | 'apply';
  /** BullMQ's state: waiting, active, completed, failed, delayed. */
  readonly state: string;
  readonly progress: ImportProgress | null;
  /** Once completed: the same report the synchronous call answers. */
  readonly report: ImportReport | null;
  /** Once failed: why (e.g. the store changed under the apply: import the same file again). */
  readonly failure: string | null;
}

export interface RegisterImportJobsOptions {
  readonly redis: RedisConnectionSettings;
  /** Key prefix in Redis, shared with the reminder queues. @defaultValue 'quarterly' */
  readonly prefix?: string;
  readonly importer: RegisterImporter;
}

/**
 * Register imports as queued jobs, for files large enough that a person should not wait on one
 * HTTP request: the job runs the same `RegisterImporter` and publishes its progress (reading,
 * planning, applying n of m KPIs and people) for `status()` to read. One job runs at a time per
 * instance; a job is not retried (an import that failed half-way is finished by importing the same
 * file again, which repeats nothing). Finished jobs are kept for a day.
 */
export class RegisterImportJobs {
  private readonly connection: Redis;
  private readonly queue: Queue<RegisterImportJobData, ImportReport>;
  private worker: Worker<RegisterImportJobData, ImportReport> | undefined;
  private workerConnection: Redis | undefined;

  constructor(private readonly options: RegisterImportJobsOptions) {
    this.connection = new Redis(redisConnectionOptions(options.redis));
    this.connection.on('error', () => undefined); // reported by the queue calls that fail
    this.queue = new Queue(REGISTER_IMPORT_QUEUE, { connection: this.connection, prefix: options.prefix ?? 'quarterly' });
    this.queue.on('error', () => undefined);
  }

  /** Starts processing jobs in this process. */
  start(): void {
    if (this.worker) return;
    this.workerConnection = new Redis({ ...redisConnectionOptions(this.options.redis), maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker(REGISTER_IMPORT_QUEUE, (job) => this.process(job), {
      connection: this.workerConnection,
      prefix: this.options.prefix ?? 'quarterly',
      concurrency: 1,
    });
    this.worker.on('error', () => undefined);
  }

  async enqueue(request: { fileName: string; content: Buffer; context: CommandContext; mode: 'dry-run' | 'apply' }): Promise<string> {
    const id = randomUUID();
    await this.queue.add(
      request.mode,
      { fileName: request.fileName, content: request.content.toString('base64'), context: request.context, mode: request.mode },
      { jobId: id, attempts: 1, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 24 * 3600 } },
    );
    return id;
  }

  async status(id: string): Promise<RegisterImportJobStatus | undefined> {
    // The state first, then the job: read the other way round, a job finishing in between would
    // be reported completed without its report.
    const state = await this.queue.getJobState(id);
    const job = await this.queue.getJob(id);
    if (!job) return undefined;
    const progress = job.progress;
    return {
      id,
      fileName: job.data.fileName,
      mode: job.data.mode,
      state,
      progress: typeof progress === 'object' && progress !== null ? (progress as unknown as ImportProgress) : null,
      report: job.returnvalue ?? null,
      failure: job.failedReason ?? null,
    };
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }

  private async process(job: Job<RegisterImportJobData, ImportReport>): Promise<ImportReport> {
    let last: ImportProgress | undefined;
    const request = {
      fileName: job.data.fileName,
      content: Buffer.from(job.data.content, 'base64'),
      context: job.data.context,
      // Progress is published at each phase and once per 20 KPIs and people written.
      onProgress: (progress: ImportProgress) => {
        last = progress;
        if (progress.phase === 'applying' && progress.done % 20 !== 0) return;
        job.updateProgress(progress as unknown as object).catch(() => undefined);
      },
    };
    const report = job.data.mode === 'apply' ? await this.options.importer.apply(request) : await this.options.importer.dryRun(request);
    if (last) await job.updateProgress(last as unknown as object);
    return report;
  }
}
