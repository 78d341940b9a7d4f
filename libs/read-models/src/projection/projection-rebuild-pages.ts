import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DecodedEvent, EventCodec } from '@quarterly/event-codec';
import type { EventStore } from '@quarterly/event-store/event-store.port';
import type { ReadModelDialect } from '../database/read-model-database';
import type { RowStatement } from '../database/row-batch.writer';
import type { Projection } from './projection';
import type { RebuildLogSource } from './rebuild-log-source';

/** A page of the log as the thread holding the read-model connection applies it. */
export interface RebuildPage {
  /** Position of the page's last event. */
  readonly last: bigint;
  /** Events of the log in the page. */
  readonly count: number;
  /** The statements of the projections folded in the worker thread, by projection name. */
  readonly statements: ReadonlyMap<string, readonly RowStatement[]>;
  /** The page's events, decoded, that the other projections want (every event when read in this thread). */
  readonly events: readonly DecodedEvent[];
}

/** Pages of the log in order, the next one read (and folded) while the caller applies this one. */
export interface RebuildPageSource {
  /** The projections whose statements the pages carry (folded elsewhere). */
  readonly folded: ReadonlySet<string>;
  /** The next page; undefined at the end of the log. */
  next(): Promise<RebuildPage | undefined>;
  close(): Promise<void>;
}

/** Reads and decodes in this thread, the next page read (on the store's connection) while one is applied. */
export class InThreadPageSource implements RebuildPageSource {
  readonly folded: ReadonlySet<string> = new Set();
  private pending: Promise<Awaited<ReturnType<EventStore['readAll']>>>;

  constructor(
    private readonly store: EventStore,
    private readonly codec: EventCodec,
    private readonly batchSize: number,
  ) {
    this.pending = this.read(undefined);
  }

  async next(): Promise<RebuildPage | undefined> {
    const events = await this.pending;
    const last = events[events.length - 1];
    if (last === undefined) return undefined;
    this.pending = this.read(last.position);
    return { last: last.position, count: events.length, statements: new Map(), events: this.codec.decodeAll(events) };
  }

  async close(): Promise<void> {}

  private read(after: bigint | undefined) {
    const page = this.store.readAll({ ...(after !== undefined ? { after } : {}), limit: this.batchSize });
    page.catch(() => undefined); // awaited by next(); a read-ahead abandoned by a failure must not go unhandled
    return page;
  }
}

/** Where the worker thread's code is and how to start it. */
export interface RebuildWorkerOptions {
  /** Where the worker reads the log: the same log as the store given to the rebuild. */
  readonly source: RebuildLogSource;
  /**
   * The file the worker thread runs: `projection-rebuild.worker` or a bundle of it (it serves when
   * loaded). A bundled program puts it beside its own file (the CLI: apps/cli/webpack.config.js).
   * @defaultValue `projection-rebuild.worker.js` beside this module's file (or `.ts`, loaded through `@swc-node/register`)
   */
  readonly entry?: string;
}

/** Pages read, decoded and folded in a worker thread ({@link serveProjectionRebuildWorker}). */
export class WorkerPageSource implements RebuildPageSource {
  /** Pages asked for ahead of the one being applied. */
  private static readonly readAhead = 2;
  private readonly replies: RebuildWorkerReply[] = [];
  private readonly waiting: Array<{ resolve: (reply: RebuildWorkerReply) => void; reject: (error: Error) => void }> = [];
  private failure: Error | undefined;
  private ended = false;

  private readonly foldedNames = new Set<string>();
  private readonly exited: Promise<void>;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (reply: RebuildWorkerReply) => this.receive(reply));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`the rebuild's worker thread ended (exit code ${code})`)));
  }

  get folded(): ReadonlySet<string> {
    return this.foldedNames;
  }

  static async start(
    options: RebuildWorkerOptions,
    projections: readonly Projection[],
    dialect: ReadModelDialect,
    batchSize: number,
  ): Promise<WorkerPageSource> {
    const entry = options.entry ?? join(__dirname, `projection-rebuild.worker${extname(__filename)}`);
    if (!existsSync(entry)) throw new Error(`the rebuild's worker file ${entry} does not exist (a bundled program bundles it beside itself, or names it as worker.entry)`);
    const data: RebuildWorkerData = {
      [REBUILD_WORKER_MARK]: true,
      source: options.source,
      dialect,
      batchSize,
      projections: projections.map((projection) => ({
        name: projection.name,
        version: projection.version,
        fold: projection.rebuildFold !== undefined,
        eventTypes: projection.eventTypes === undefined ? null : [...projection.eventTypes],
      })),
    };
    const worker = new Worker(entry, { workerData: data, execArgv: workerExecArgv(entry) });
    const source = new WorkerPageSource(worker);
    try {
      const ready = await source.reply();
      if (ready.kind !== 'ready') throw new Error(`the rebuild's worker thread answered ${ready.kind} instead of ready`);
      for (const name of ready.folded) source.foldedNames.add(name);
    } catch (error) {
      await source.close();
      throw error;
    }
    for (let i = 0; i < WorkerPageSource.readAhead; i += 1) source.ask();
    return source;
  }

  async next(): Promise<RebuildPage | undefined> {
    if (this.ended) return undefined;
    const reply = await this.reply();
    if (reply.kind === 'end') {
      this.ended = true;
      return undefined;
    }
    if (reply.kind !== 'page') throw new Error(`the rebuild's worker thread answered ${reply.kind} instead of a page`);
    this.ask();
    return { last: reply.last, count: reply.count, statements: new Map(reply.statements), events: reply.events };
  }

  /** Asks the worker to close its connection and end; ends it outright if it has not within 5 s. */
  async close(): Promise<void> {
    this.failure ??= new Error('the rebuild has closed its worker thread');
    this.worker.postMessage({ kind: 'close' } satisfies RebuildWorkerRequest);
    const timer = setTimeout(() => void this.worker.terminate(), 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  private ask(): void {
    this.worker.postMessage({ kind: 'next' } satisfies RebuildWorkerRequest);
  }

  private reply(): Promise<RebuildWorkerReply> {
    const reply = this.replies.shift();
    if (reply) return reply.kind === 'failed' ? Promise.reject(reply.error) : Promise.resolve(reply);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private receive(reply: RebuildWorkerReply): void {
    const waiter = this.waiting.shift();
    if (!waiter) this.replies.push(reply);
    else if (reply.kind === 'failed') waiter.reject(reply.error);
    else waiter.resolve(reply);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
  }
}

/**
 * The worker's Node options: this thread's, with the TypeScript loader for a `.ts` entry (tests,
 * benchmarks: its sources are compiled as they load, as in this thread) and without it for a
 * compiled one (a bundle needs none, and loading it costs about 0.15 s: `typescript` itself).
 */
function workerExecArgv(entry: string): string[] {
  const args: string[] = [];
  for (let i = 0; i < process.execArgv.length; i += 1) {
    const arg = process.execArgv[i]!;
    const next = process.execArgv[i + 1];
    if ((arg === '-r' || arg === '--require') && next === TYPESCRIPT_LOADER) i += 1;
    else if (arg !== `--require=${TYPESCRIPT_LOADER}`) args.push(arg);
  }
  return entry.endsWith('.ts') ? [...args, '-r', TYPESCRIPT_LOADER] : args;
}

const TYPESCRIPT_LOADER = '@swc-node/register';

/** Marks the data a rebuild's worker thread is started with. */
export const REBUILD_WORKER_MARK = 'quarterlyProjectionRebuild';

export interface RebuildWorkerData {
  readonly [REBUILD_WORKER_MARK]: true;
  readonly source: RebuildLogSource;
  readonly dialect: ReadModelDialect;
  readonly batchSize: number;
  /** Every projection rebuilt, in order: `fold` when the main thread would take the worker's fold of it. */
  readonly projections: ReadonlyArray<{ name: string; version: number; fold: boolean; eventTypes: string[] | null }>;
}

export function isRebuildWorkerData(data: unknown): data is RebuildWorkerData {
  return typeof data === 'object' && data !== null && (data as Record<string, unknown>)[REBUILD_WORKER_MARK] === true;
}

export type RebuildWorkerRequest = { readonly kind: 'next' } | { readonly kind: 'close' };

export type RebuildWorkerReply =
  | { readonly kind: 'ready'; readonly folded: readonly string[] }
  | {
      readonly kind: 'page';
      readonly last: bigint;
      readonly count: number;
      readonly statements: ReadonlyArray<[string, RowStatement[]]>;
      readonly events: readonly DecodedEvent[];
    }
  | { readonly kind: 'end' }
  | { readonly kind: 'failed'; readonly error: Error };
