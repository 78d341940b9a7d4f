import { EventStore } from '@quarterly/event-store/event-store.port';
import { eventCodec, type EventCodec } from '@quarterly/event-codec';
import { ReadModelDatabase } from '../database/read-model-database';
import { deleteCheckpoint, readCheckpoint } from './checkpoint.store';
import { ensureIndex, Projection } from './projection';
import { applyTo, FeedMember, ProjectionFeed } from './projection-feed';

/** Where the runner reports failures and rebuilds; a pino logger fits. */
export interface ProjectionLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface ProjectionRunnerOptions {
  /**
   * Largest number of events applied in one transaction.
   * @defaultValue 500
   */
  readonly batchSize?: number;
  /**
   * Delay before the first restart after a failure; it doubles on each further failure and
   * returns to this value after a batch commits.
   * @defaultValue 250
   */
  readonly retryInitialDelayMs?: number;
  /**
   * Longest delay between restarts: after an outage of the database the projection is back
   * within this long of its return.
   * @defaultValue 5000
   */
  readonly retryMaxDelayMs?: number;
  /** Stamps `updated_at` on checkpoints (bookkeeping only; never used by `apply`). @defaultValue the system clock */
  readonly clock?: () => Date;
  /** @defaultValue a logger writing errors to stderr */
  readonly logger?: ProjectionLogger;
  /** Decodes and upcasts every event before the projection sees it. @defaultValue the engine's codec */
  readonly codec?: EventCodec;
}

/** Progress of a rebuild, reported after every committed batch. */
export interface RebuildProgress {
  readonly projection: string;
  /** Events read from the store so far (including those the projection ignores). */
  readonly eventsRead: number;
  /** Events applied to the projection so far. */
  readonly eventsApplied: number;
  /** Events in the store, when the caller said (`RebuildOptions.totalEvents`). */
  readonly totalEvents?: number;
  /** Position of the last event read. */
  readonly position: bigint;
  readonly elapsedMs: number;
  /** Events read per second since the rebuild began. */
  readonly eventsPerSecond: number;
}

export interface RebuildOptions {
  /** Called after each batch commits. */
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** The number of events in the store, if known, to report a fraction done. */
  readonly totalEvents?: number;
}

export type ProjectionRunnerState = 'stopped' | 'running' | 'waiting_to_retry' | 'rebuilding';

/** `waitForPosition` gave up: the projection had not reached the position in time. */
export class ProjectionTimeoutError extends Error {
  override readonly name = 'ProjectionTimeoutError';
  constructor(
    readonly projection: string,
    readonly wanted: bigint,
    readonly reached: bigint | undefined,
  ) {
    super(
      `projection ${projection} has not reached position ${wanted} (at ${reached ?? 'start'})`,
    );
  }
}

/** The runner was stopped while someone waited for a position. */
export class ProjectionStoppedError extends Error {
  override readonly name = 'ProjectionStoppedError';
  constructor(readonly projection: string) {
    super(`projection ${projection} was stopped`);
  }
}

const consoleLogger: ProjectionLogger = {
  info: () => undefined,
  error: (details, message) => console.error(message, details),
};

interface Waiter {
  readonly position: bigint;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Longest a runner leaves its stored checkpoint behind while it only skips events. */
export const CHECKPOINT_IDLE_WRITE_MS = 1_000;

/**
 * Keeps one projection up to date from its checkpoint: follows the store's ordered subscription
 * and commits each batch's rows with the new checkpoint in ONE transaction, so the read model and
 * its checkpoint never disagree. Runners made together by {@link ProjectionRunner.group} share one
 * subscription and one transaction per batch ({@link ProjectionFeed}); each still has its own
 * checkpoint, state and `waitForPosition`, and can be stopped, started or rebuilt alone.
 *
 * On a failure it leaves the feed, logs, and rejoins from its stored checkpoint after a backoff.
 * A checkpoint written by another projection version makes `start` rebuild it first.
 */
export class ProjectionRunner implements FeedMember {
  private readonly batchSize: number;
  private readonly retryInitialDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly clock: () => Date;
  private readonly logger: ProjectionLogger;
  private readonly codec: EventCodec;
  private readonly feed: ProjectionFeed;

  private currentState: ProjectionRunnerState = 'stopped';
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs: number;
  private reached: bigint | undefined;
  private lastErrorValue: unknown;
  private waiters: Waiter[] = [];
  /** When this runner last stored its checkpoint (wall clock, bookkeeping only). */
  private lastCheckpointWrite = 0;
  /** Set by `stop()`; a rebuild in progress ends after its current batch. */
  private stopRequested = false;

  /**
   * A runner with a subscription of its own. For several projections prefer
   * {@link ProjectionRunner.group}: one subscription and one transaction per batch for all.
   */
  constructor(
    private readonly store: EventStore,
    private readonly database: ReadModelDatabase,
    readonly projection: Projection,
    options: ProjectionRunnerOptions = {},
    feed?: ProjectionFeed,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.retryInitialDelayMs = options.retryInitialDelayMs ?? 250;
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? 5_000;
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? consoleLogger;
    this.codec = options.codec ?? eventCodec;
    this.retryDelayMs = this.retryInitialDelayMs;
    this.feed = feed ?? ProjectionRunner.feedFor(store, database, options);
  }

  /**
   * Runners for several projections fed by ONE subscription: each batch is read and decoded once
   * and applied to all of them, with all their checkpoints, in one transaction.
   */
  static group(
    store: EventStore,
    database: ReadModelDatabase,
    projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ): ProjectionGroup {
    return new ProjectionGroup(store, database, projections, options);
  }

  /** @internal The feed a runner (or a group's runners) follows. */
  static feedFor(store: EventStore, database: ReadModelDatabase, options: ProjectionRunnerOptions): ProjectionFeed {
    return new ProjectionFeed(
      store,
      database,
      options.codec ?? eventCodec,
      options.batchSize ?? 500,
      options.clock ?? (() => new Date()),
      (members, error) => {
        for (const member of members) member.fail(error);
      },
    );
  }

  get state(): ProjectionRunnerState {
    return this.currentState;
  }

  /** The last position committed by this runner (or read from the checkpoint at start). */
  get position(): bigint | undefined {
    return this.reached;
  }

  /** The error that caused the last restart, cleared when a batch commits. */
  get lastError(): unknown {
    return this.lastErrorValue;
  }

  /**
   * Starts following the store. Rebuilds first if the stored checkpoint was written by another
   * version of the projection. Resolves once the subscription is running (not caught up).
   */
  async start(): Promise<void> {
    if (await this.prepare()) await this.feed.join([this]);
  }

  /**
   * Before joining the feed: rebuilds a projection whose version changed, then stands at its
   * stored checkpoint. False when the runner was not stopped (nothing to do).
   * @internal used by {@link ProjectionGroup.start}
   */
  async prepare(): Promise<boolean> {
    if (this.currentState !== 'stopped') return false;
    this.stopRequested = false;
    const checkpoint = await readCheckpoint(this.database.db, this.projection.name);
    if (checkpoint && checkpoint.version !== this.projection.version) {
      this.logger.info(
        { projection: this.projection.name, from: checkpoint.version, to: this.projection.version },
        'projection version changed: rebuilding',
      );
      await this.replay({});
    }
    // A rebuild of the whole set killed half-way leaves its deferred indexes dropped.
    for (const index of this.projection.deferredIndexes ?? []) await ensureIndex(this.database.db, index);
    return this.standAtCheckpoint();
  }

  /** Stops following the store; pending `waitForPosition` calls reject with {@link ProjectionStoppedError}. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.currentState = 'stopped';
    this.clearRetry();
    await this.feed.leave(this);
    for (const waiter of this.waiters) waiter.reject(new ProjectionStoppedError(this.projection.name));
    this.waiters = [];
  }

  /**
   * Resolves once the projection has processed every event up to `position` (read-your-writes:
   * a command returns the position of its last event; a query may wait for it first).
   */
  async waitForPosition(position: bigint, options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.reached !== undefined && this.reached >= position) return;
    const stored = await readCheckpoint(this.database.db, this.projection.name);
    if (stored && stored.version === this.projection.version && stored.position >= position) return;
    await new Promise<void>((resolve, reject) => {
      // The runner may have moved on while the checkpoint was being read.
      if (this.reached !== undefined && this.reached >= position) {
        resolve();
        return;
      }
      const timeoutMs = options.timeoutMs ?? 5_000;
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new ProjectionTimeoutError(this.projection.name, position, this.reached));
      }, timeoutMs);
      const waiter: Waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Empties the projection's tables and checkpoint in one transaction, then replays every event
   * from the start in batches (each batch committed with its checkpoint). The runner leaves its
   * feed meanwhile (the other projections of a group carry on) and rejoins afterwards. `stop()`
   * during a rebuild ends it after the current batch with {@link ProjectionStoppedError}; the
   * checkpoint then says how far it got, and the next `start()` carries on from there.
   */
  async rebuild(options: RebuildOptions = {}): Promise<RebuildProgress> {
    const wasRunning = this.currentState === 'running' || this.currentState === 'waiting_to_retry';
    this.stopRequested = false;
    this.clearRetry();
    await this.feed.leave(this);
    try {
      return await this.replay(options);
    } finally {
      if (wasRunning && !this.stopRequested) await this.rejoin();
      else this.currentState = 'stopped';
    }
  }

  private async replay(options: RebuildOptions): Promise<RebuildProgress> {
    this.currentState = 'rebuilding';
    const { db } = this.database;
    const name = this.projection.name;
    const started = performance.now();
    await db.transaction().execute(async (trx) => {
      for (const table of this.projection.tables) await trx.deleteFrom(table).execute();
      await deleteCheckpoint(trx, name);
    });
    this.reached = undefined;

    let eventsRead = 0;
    let eventsApplied = 0;
    let after: bigint | undefined;
    const progress = (): RebuildProgress => {
      const elapsedMs = performance.now() - started;
      return {
        projection: name,
        eventsRead,
        eventsApplied,
        ...(options.totalEvents !== undefined ? { totalEvents: options.totalEvents } : {}),
        position: after ?? 0n,
        elapsedMs,
        eventsPerSecond: elapsedMs > 0 ? (eventsRead * 1000) / elapsedMs : 0,
      };
    };
    const types = this.projection.eventTypes;
    for (;;) {
      if (this.stopRequested) throw new ProjectionStoppedError(name);
      const events = await this.store.readAll({
        ...(after !== undefined ? { after } : {}),
        limit: this.batchSize,
      });
      const last = events[events.length - 1];
      if (last === undefined) break;
      const relevant = types === undefined ? this.codec.decodeAll(events) : this.codec.decodeOnly(types, events);
      const updatedAt = this.clock().toISOString();
      await db.transaction().execute((trx) => applyTo(trx, this.projection, relevant, last.position, updatedAt));
      this.advance(last.position, true);
      eventsApplied += relevant.length;
      eventsRead += events.length;
      after = last.position;
      options.onProgress?.(progress());
    }
    const result = progress();
    this.logger.info({ ...result, position: String(result.position) }, 'projection rebuilt');
    return result;
  }

  /** @internal (FeedMember) A batch with nothing for this runner stores its checkpoint at most once per CHECKPOINT_IDLE_WRITE_MS. */
  checkpointDue(): boolean {
    // After a restart the events skipped meanwhile are read again and ignored again: harmless,
    // and cheaper than a checkpoint write for every batch this projection ignores.
    return Date.now() - this.lastCheckpointWrite >= CHECKPOINT_IDLE_WRITE_MS;
  }

  /** @internal (FeedMember) The events up to `position` are committed for this projection. */
  advance(position: bigint, stored: boolean): void {
    if (stored) this.lastCheckpointWrite = Date.now();
    this.reached = position;
    this.lastErrorValue = undefined;
    this.retryDelayMs = this.retryInitialDelayMs;
    const due = this.waiters.filter((w) => w.position <= position);
    this.waiters = this.waiters.filter((w) => w.position > position);
    for (const waiter of due) waiter.resolve();
  }

  /** @internal (FeedMember) Applying failed: the feed has detached this runner; rejoin from the checkpoint after a backoff. */
  fail(error: unknown): void {
    if (this.currentState !== 'running') return;
    this.lastErrorValue = error;
    const delayMs = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.retryMaxDelayMs);
    this.logger.error(
      { projection: this.projection.name, position: String(this.reached ?? 'start'), delayMs, err: error },
      'projection failed; restarting from its checkpoint',
    );
    this.currentState = 'waiting_to_retry';
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.currentState !== 'waiting_to_retry') return;
      this.rejoin().catch((e: unknown) => {
        this.currentState = 'running';
        this.fail(e);
      });
    }, delayMs);
  }

  /** Reads the stored checkpoint and joins the feed from there. */
  private async rejoin(): Promise<void> {
    if (await this.standAtCheckpoint()) await this.feed.join([this]);
  }

  /** Stands at the stored checkpoint, ready to join; false when `stop()` came meanwhile. */
  private async standAtCheckpoint(): Promise<boolean> {
    const checkpoint = await readCheckpoint(this.database.db, this.projection.name);
    if (this.stopRequested) {
      this.currentState = 'stopped';
      return false;
    }
    this.reached = undefined;
    if (checkpoint) this.advance(checkpoint.position, false);
    this.currentState = 'running';
    return true;
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}

/**
 * Several projections' runners sharing one subscription ({@link ProjectionFeed}): started and
 * stopped together, or each alone.
 */
export class ProjectionGroup {
  readonly runners: readonly ProjectionRunner[];
  private readonly feed: ProjectionFeed;

  constructor(store: EventStore, database: ReadModelDatabase, projections: readonly Projection[], options: ProjectionRunnerOptions = {}) {
    this.feed = ProjectionRunner.feedFor(store, database, options);
    this.runners = projections.map((projection) => new ProjectionRunner(store, database, projection, options, this.feed));
  }

  /** Starts every stopped runner (rebuilding any whose version changed), then one subscription for all. */
  async start(): Promise<void> {
    const starting: ProjectionRunner[] = [];
    for (const runner of this.runners) if (await runner.prepare()) starting.push(runner);
    if (starting.length > 0) await this.feed.join(starting);
  }

  async stop(): Promise<void> {
    for (const runner of this.runners) await runner.stop();
  }
}
