import {
  type EventBatchHandler,
  type EventSubscription,
  EventStoreUnavailableError,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../event-store.port';
import type { AppendSignal } from './append-signal';

/** What a table-backed store gives its subscriptions. */
export interface CatchUpSource {
  /** The store's own `readAll`: a gap-free page of the global order. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Fired after commits this subscription should look at. */
  readonly signal: AppendSignal;
  /** Longest wait between reads when no signal comes (commits by other processes). */
  readonly pollIntervalMs: number;
}

/** Default largest batch handed to a handler. */
export const DEFAULT_SUBSCRIPTION_BATCH_SIZE = 500;

/**
 * Follows the global order from a checkpoint by reading pages of `readAll`, which is what makes
 * it gap-free: it never looks at anything `readAll` would not return. When it has caught up (a
 * page shorter than the batch size, or none) it waits for the source's signal or the poll
 * interval, whichever comes first.
 *
 * The next batch is read only after the handler's promise resolves; a handler error ends the
 * subscription and rejects `done` with it. A store that cannot be reached
 * ({@link EventStoreUnavailableError}) is retried every poll interval instead, since a restart of
 * the database should not silently stop every projection; any other read error rejects `done`.
 */
export class CatchUpSubscription implements EventSubscription {
  readonly done: Promise<void>;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly source: CatchUpSource,
    private readonly options: SubscribeToAllOptions,
    private readonly handler: EventBatchHandler,
  ) {
    this.done = this.run();
    // Callers that never look at `done` must not crash the process with an unhandled rejection.
    this.done.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    // Let the constructor return (and the caller keep the subscription) before the first read.
    await Promise.resolve();
    const batchSize = this.options.batchSize ?? DEFAULT_SUBSCRIPTION_BATCH_SIZE;
    const types = this.options.eventTypes ? new Set(this.options.eventTypes) : undefined;
    let checkpoint = this.options.after;
    while (!this.stopping) {
      const seen = this.source.signal.version;
      let page: RecordedEvent[];
      try {
        page = await this.source.readAll({ ...(checkpoint === undefined ? {} : { after: checkpoint }), limit: batchSize });
      } catch (error) {
        if (!(error instanceof EventStoreUnavailableError)) throw error;
        await this.sleep(false);
        continue;
      }
      if (this.stopping) return;
      if (page.length === 0) {
        await this.waitForSignal(seen);
        continue;
      }
      const batch = types ? page.filter((event) => types.has(event.type)) : page;
      if (batch.length > 0) await this.handler(batch);
      checkpoint = page[page.length - 1]!.position;
      // A page shorter than asked for was the whole tail when it was read: what was appended
      // since has signalled (during the read or the handler: read again at once; else wait),
      // so the read that would find nothing is not made. Every subscription of a busy store
      // made it after every batch: half its reads.
      if (page.length < batchSize) await this.waitForSignal(seen);
    }
  }

  /** Waits for a signal newer than `seen` (none if one came during the read), the poll interval, or `stop()`. */
  private waitForSignal(seen: number): Promise<void> {
    if (this.source.signal.version !== seen) return Promise.resolve();
    return this.sleep(true);
  }

  /** Waits for the poll interval or `stop()`; with `onSignal`, also for the source's signal. */
  private sleep(onSignal: boolean): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        unlisten?.();
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, this.source.pollIntervalMs);
      const unlisten = onSignal ? this.source.signal.listen(finish) : undefined;
      this.wake = finish;
    });
  }
}
