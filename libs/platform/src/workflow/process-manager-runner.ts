import { eventCodec, type DecodedEventOf, type EventCodec, type QuarterlyEventType } from '@quarterly/event-codec';
import type { EventStore, EventSubscription } from '@quarterly/event-store';
import { CHECKPOINT_IDLE_WRITE_MS, readCheckpoint, writeCheckpoint, type ReadModelDatabase } from '@quarterly/read-models';

/**
 * A process manager reacts to events with commands on other streams (or jobs elsewhere). Unlike
 * a projection its effects are not in the read-model database, so they cannot commit with its
 * checkpoint: it is at least once, and every effect must be idempotent (a repeated event is
 * recognised by the command's idempotency key or refused by the decider and ignored).
 */
export interface ProcessManager<T extends QuarterlyEventType = QuarterlyEventType> {
  /** Stable name; the key of its checkpoint. */
  readonly name: string;
  /** The event types it reacts to; it is handed those only, decoded and upcast. */
  readonly eventTypes: readonly T[];
  handle(event: DecodedEventOf<T>): Promise<void>;
  /**
   * Handles the batch's wanted events, in order, when the manager can do better than one at a
   * time (one round trip for the batch's effects). All of them or, on an error, the batch is
   * handled again from the checkpoint, so its effects must be idempotent like `handle`'s.
   */
  handleBatch?(events: readonly DecodedEventOf<T>[]): Promise<void>;
}

export interface ProcessManagerLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface ProcessManagerRunnerOptions {
  /** @defaultValue 100 */
  readonly batchSize?: number;
  /** First delay before a restart after a failure; doubles up to `retryMaxDelayMs`. @defaultValue 250 */
  readonly retryInitialDelayMs?: number;
  /** Longest delay between restarts (after a database outage, the manager resumes this soon). @defaultValue 5000 */
  readonly retryMaxDelayMs?: number;
  readonly logger?: ProcessManagerLogger;
  /** Decodes and upcasts every event before the manager sees it. @defaultValue the engine's codec */
  readonly codec?: EventCodec;
}

const CHECKPOINT_VERSION = 1;

/**
 * Follows the store from the process manager's checkpoint; after each batch's effects are done
 * the checkpoint is stored, so a crash replays at most one batch. A failed effect stops the
 * batch and restarts from the checkpoint with backoff: nothing is skipped.
 */
export class ProcessManagerRunner {
  private subscription: EventSubscription | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private running = false;
  private retryDelayMs: number;
  private reached: bigint | undefined;
  private readonly waiters = new Set<{ position: bigint; resolve: () => void }>();
  private lastCheckpointWrite = 0;
  /** The checkpoint writes, one after another, so a later one never stores an earlier position. */
  private checkpointWrites: Promise<void> = Promise.resolve();
  private storedPosition: bigint | undefined;
  private idleFlushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly database: ReadModelDatabase,
    readonly processManager: ProcessManager,
    private readonly options: ProcessManagerRunnerOptions = {},
  ) {
    this.retryDelayMs = options.retryInitialDelayMs ?? 250;
  }

  /** The last position whose effects are done. */
  get position(): bigint | undefined {
    return this.reached;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.subscribe();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.idleFlushTimer) clearTimeout(this.idleFlushTimer);
    this.idleFlushTimer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    if (subscription) {
      await subscription.stop();
      await subscription.done.catch(() => undefined);
    }
  }

  /** Resolves once every event up to `position` has been handled (tests, the demo loader). */
  waitForPosition(position: bigint): Promise<void> {
    if (this.reached !== undefined && this.reached >= position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add({ position, resolve }));
  }

  private async subscribe(): Promise<void> {
    const checkpoint = await readCheckpoint(this.database.db, this.processManager.name);
    this.storedPosition = checkpoint?.position;
    if (checkpoint) this.advanceTo(checkpoint.position);
    const codec = this.options.codec ?? eventCodec;
    const subscription = this.store.subscribeToAll(
      { ...(checkpoint ? { after: checkpoint.position } : {}), batchSize: this.options.batchSize ?? 100 },
      async (events) => {
        const relevant = codec.decodeOnly(this.processManager.eventTypes, events);
        const handled = relevant.length;
        if (handled > 0 && this.processManager.handleBatch) await this.processManager.handleBatch(relevant);
        else for (const event of relevant) await this.processManager.handle(event);
        const last = events[events.length - 1];
        if (!last) return;
        // Nothing handled: move on in memory and store the checkpoint at most once a second
        // (then, or a second after the last write if no batch follows — an instance standing by
        // waits on it), instead of a durable write for every event this manager ignores.
        if (handled === 0 && Date.now() - this.lastCheckpointWrite < CHECKPOINT_IDLE_WRITE_MS) {
          this.advanceTo(last.position);
          this.scheduleIdleFlush();
          return;
        }
        await this.storeCheckpoint(last.position);
        this.retryDelayMs = this.options.retryInitialDelayMs ?? 250;
        this.advanceTo(last.position);
      },
    );
    this.subscription = subscription;
    subscription.done.catch((error: unknown) => {
      if (this.subscription !== subscription || !this.running) return;
      this.subscription = undefined;
      this.options.logger?.error(
        { processManager: this.processManager.name, delayMs: this.retryDelayMs, err: error },
        'process manager failed; restarting from its checkpoint',
      );
      this.scheduleRestart();
    });
  }

  private storeCheckpoint(position: bigint): Promise<void> {
    this.lastCheckpointWrite = Date.now();
    const write = this.checkpointWrites.then(async () => {
      if (this.storedPosition !== undefined && this.storedPosition >= position) return;
      await writeCheckpoint(this.database.db, this.processManager.name, { version: CHECKPOINT_VERSION, position }, new Date().toISOString());
      this.storedPosition = position;
    });
    this.checkpointWrites = write.catch(() => undefined);
    return write;
  }

  private scheduleIdleFlush(): void {
    if (this.idleFlushTimer !== undefined) return;
    const delayMs = Math.max(0, this.lastCheckpointWrite + CHECKPOINT_IDLE_WRITE_MS - Date.now());
    this.idleFlushTimer = setTimeout(() => {
      this.idleFlushTimer = undefined;
      const reached = this.reached;
      if (!this.running || reached === undefined || (this.storedPosition !== undefined && this.storedPosition >= reached)) return;
      // A failed write is harmless: the events after the stored checkpoint are read again and ignored again.
      this.storeCheckpoint(reached).catch((error: unknown) =>
        this.options.logger?.info({ processManager: this.processManager.name, err: error }, 'storing an idle checkpoint failed; the next batch stores it'),
      );
    }, delayMs);
    this.idleFlushTimer.unref();
  }

  /**
   * Subscribes again from the stored checkpoint after the backoff. Reading the checkpoint can
   * fail too (the database is what went away): that is one more failure, retried the same way,
   * never an unhandled rejection.
   */
  private scheduleRestart(): void {
    const delayMs = this.retryDelayMs;
    this.retryDelayMs = Math.min(delayMs * 2, this.options.retryMaxDelayMs ?? 5_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.running) return;
      this.subscribe().catch((error: unknown) => {
        if (!this.running) return;
        this.options.logger?.error(
          { processManager: this.processManager.name, err: error },
          'process manager could not resume from its checkpoint; retrying',
        );
        this.scheduleRestart();
      });
    }, delayMs);
  }

  private advanceTo(position: bigint): void {
    this.reached = position;
    for (const waiter of this.waiters) {
      if (waiter.position <= position) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }
}
