import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import Redis from 'ioredis';
import type { CommandContext } from '@quarterly/domain';
import { redisConnectionOptions, type RedisConnectionSettings } from '@quarterly/platform';

/** Where an import stands: reading the file, planning it, writing n of m streams, done. */
export interface ImportProgress {
  readonly phase: 'reading' | 'planning' | 'applying' | 'done';
  /** Streams written so far, of `total`, while applying. */
  readonly done: number;
  readonly total: number;
}

/**
 * Thrown when the store changed under an apply (someone changed one of the file's streams
 * meanwhile). The streams before it are written; importing the same file again finishes the rest,
 * since every command carries an idempotency key derived from the file's digest.
 */
export class ImportInterruptedError extends Error {
  override readonly name = 'ImportInterruptedError';
  constructor(
    readonly streamId: string,
    readonly written: number,
    readonly total: number,
    cause: unknown,
  ) {
    super(`${streamId} changed while the import was applied (${written} of ${total} streams written): import the same file again to finish`, { cause });
  }
}

/** What an importer is asked: a file, who imports it (every event is theirs), and where to report progress. */
export interface ImportRequest {
  readonly fileName: string;
  readonly content: Buffer;
  readonly context: CommandContext;
  readonly onProgress?: (progress: ImportProgress) => void;
}

/** An import use case with its two modes: a dry run writes nothing; an apply writes all or nothing. */
export interface SpreadsheetImporter<Report> {
  dryRun(request: ImportRequest): Promise<Report>;
  apply(request: ImportRequest): Promise<Report>;
}

export interface ImportJobData {
  readonly fileName: string;
  /** The file's bytes, base64 (files are at most a few MB). */
  readonly content: string;
  readonly context: CommandContext;
  readonly mode: 'dry-run' | 'apply';
}

export interface ImportJobStatus<Report> {
  readonly id: string;
  readonly fileName: string;
  readonly mode: 'dry-run' | 'apply';
  /** BullMQ's state: waiting, active, completed, failed, delayed. */
  readonly state: string;
  readonly progress: ImportProgress | null;
  /** Once completed: the same report the synchronous call answers. */
  readonly report: Report | null;
  /** Once failed: why (e.g. the store changed under the apply: import the same file again). */
  readonly failure: string | null;
}

export interface SpreadsheetImportJobsOptions<Report> {
  readonly redis: RedisConnectionSettings;
  /** Key prefix in Redis, shared with the reminder queues. @defaultValue 'quarterly' */
  readonly prefix?: string;
  /** The BullMQ queue: one per kind of import. */
  readonly queueName: string;
  readonly importer: SpreadsheetImporter<Report>;
  /** Progress is published at each phase and once per this many streams written. @defaultValue 20 */
  readonly progressEvery?: number;
}

/**
 * Imports as queued jobs, for files large enough that a person should not wait on one HTTP
 * request: the job runs the same importer and publishes its progress (reading, planning, applying
 * n of m streams) for `status()` to read. One job runs at a time per instance; a job is not
 * retried (an import that failed half-way is finished by importing the same file again, which
 * repeats nothing). Finished jobs are kept for a day.
 */
export class SpreadsheetImportJobs<Report> {
  private readonly connection: Redis;
  private readonly queue: Queue<ImportJobData, Report>;
  private worker: Worker<ImportJobData, Report> | undefined;
  private workerConnection: Redis | undefined;

  constructor(private readonly options: SpreadsheetImportJobsOptions<Report>) {
    this.connection = new Redis(redisConnectionOptions(options.redis));
    this.connection.on('error', () => undefined); // reported by the queue calls that fail
    this.queue = new Queue(options.queueName, { connection: this.connection, prefix: options.prefix ?? 'quarterly' });
    this.queue.on('error', () => undefined);
  }

  /** Starts processing jobs in this process. */
  start(): void {
    if (this.worker) return;
    this.workerConnection = new Redis({ ...redisConnectionOptions(this.options.redis), maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker(this.options.queueName, (job) => this.process(job), {
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

  async status(id: string): Promise<ImportJobStatus<Report> | undefined> {
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

  private async process(job: Job<ImportJobData, Report>): Promise<Report> {
    let last: ImportProgress | undefined;
    const every = this.options.progressEvery ?? 20;
    const request: ImportRequest = {
      fileName: job.data.fileName,
      content: Buffer.from(job.data.content, 'base64'),
      context: job.data.context,
      onProgress: (progress: ImportProgress) => {
        last = progress;
        if (progress.phase === 'applying' && progress.done % every !== 0) return;
        job.updateProgress(progress as unknown as object).catch(() => undefined);
      },
    };
    const report = job.data.mode === 'apply' ? await this.options.importer.apply(request) : await this.options.importer.dryRun(request);
    if (last) await job.updateProgress(last as unknown as object);
    return report;
  }
}
