import {
  START,
  eventTypeFilter,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type Filter,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import type {
  EventBatchHandler,
  EventSubscription,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store.port';
import { isPermanentSubscriptionError } from './kurrentdb-error.mapper';
import {
  eventTypeRegex,
  fromResolvedEvent,
  toAllPosition,
  type StreamNamer,
} from './kurrentdb-event.mapper';
import { ResubscriptionPolicy, type ResubscriptionPolicyOptions } from './resubscription.policy';
import type { Scheduler } from './scheduler';

/** What the subscription needs of the client; a test passes a fake of just this. */
export type KurrentDbSubscribeClient = Pick<KurrentDBClient, 'subscribeToAll'>;

/** Why a `$all` subscription is being replaced. */
export type ResubscribeReason = 'error' | 'ended' | 'silent';

/** Told to the observer each time a subscription is replaced, before the backoff wait. */
export interface ResubscribeNotice {
  readonly reason: ResubscribeReason;
  /** The error that ended the subscription, when `reason` is `error`. */
  readonly error?: unknown;
  /** How long the loop waits before subscribing again. */
  readonly delayMs: number;
  /** Failed subscriptions in a row, this one included. */
  readonly consecutiveFailures: number;
  /** The next subscription delivers events strictly after this position (`undefined`: from the start). */
  readonly resumeAfter?: bigint;
}

export interface KurrentDbSubscriptionSettings {
  /** Backoff and watchdog tuning; see {@link ResubscriptionPolicyOptions}. */
  readonly resubscription?: ResubscriptionPolicyOptions;
  /**
   * The server sends a checkpoint every `checkpointIntervalMultiplier` × its search window of
   * filtered events (the window is 32 by default); checkpoints are the watchdog's proof of life
   * while every event is filtered out.
   * @defaultValue 1
   */
  readonly checkpointIntervalMultiplier?: number;
  /** @defaultValue 100 (the port leaves the default to the adapter) */
  readonly defaultBatchSize?: number;
  readonly scheduler: Scheduler;
  readonly namer: StreamNamer;
  /** Called on each resubscription, for logs and metrics. Must not throw. */
  readonly onResubscribe?: (notice: ResubscribeNotice) => void;
}

type Outcome =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'fatal'; readonly error: unknown }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'ended' }
  | { readonly kind: 'silent' };

/**
 * One `$all` catch-up subscription that survives its connection.
 *
 * - Server-side filter: no system events and, when asked, only the given event types (or, with a
 *   namespace, only its streams, the types then being checked here).
 * - Starts strictly after the caller's checkpoint; an event at or before the last delivered
 *   position is dropped, so a server that treats the start position inclusively, or a replay
 *   after resubscribing, never delivers an event twice within one subscription's life.
 * - Batches what has already arrived, up to the batch size, and reads nothing more until the
 *   handler settles (the client's stream buffer then fills and gRPC flow control pauses the
 *   server).
 * - Replaces the subscription, after an exponential backoff, when it fails, ends, or stays
 *   silent (no event, checkpoint or caught-up notice) longer than the silence timeout while we
 *   wait on it. It resumes after the last delivered event, not after the server's last
 *   checkpoint: a checkpoint is only proof of life, because some server versions reported a
 *   checkpoint position past the end of the log, and resuming from one could skip the next event.
 * - A handler rejection, an undecodable event, or an authorisation error stops it for good:
 *   `done` rejects with that error.
 */
export class KurrentDbAllSubscription implements EventSubscription {
  readonly done: Promise<void>;

  private readonly policy: ResubscriptionPolicy;
  private readonly batchSize: number;
  private readonly wantedTypes: ReadonlySet<string> | undefined;
  private resumeAfter: bigint | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly client: KurrentDbSubscribeClient,
    options: SubscribeToAllOptions,
    private readonly handler: EventBatchHandler,
    private readonly settings: KurrentDbSubscriptionSettings,
  ) {
    this.batchSize = options.batchSize ?? settings.defaultBatchSize ?? 100;
    if (!(Number.isInteger(this.batchSize) && this.batchSize > 0)) {
      throw new RangeError(`batchSize must be a positive integer, got ${this.batchSize}`);
    }
    this.wantedTypes = options.eventTypes ? new Set(options.eventTypes) : undefined;
    this.resumeAfter = options.after;
    this.policy = new ResubscriptionPolicy(settings.resubscription, settings.scheduler.now());
    this.done = this.run(options.eventTypes);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.done.catch(() => undefined);
  }

  private async run(eventTypes: readonly string[] | undefined): Promise<void> {
    while (!this.stopping) {
      const outcome = await this.follow(eventTypes);
      switch (outcome.kind) {
        case 'stopped':
          return;
        case 'fatal':
          throw outcome.error;
        case 'error':
          if (isPermanentSubscriptionError(outcome.error)) throw outcome.error;
          break;
        case 'ended':
        case 'silent':
          break;
      }
      const delayMs = this.policy.nextDelayMs();
      this.settings.onResubscribe?.({
        reason: outcome.kind,
        ...(outcome.kind === 'error' && { error: outcome.error }),
        delayMs,
        consecutiveFailures: this.policy.consecutiveFailures,
        ...(this.resumeAfter !== undefined && { resumeAfter: this.resumeAfter }),
      });
      await this.waitFor(delayMs);
    }
  }

  /** Opens one subscription and consumes it until it fails, ends, goes silent or is stopped. */
  private async follow(eventTypes: readonly string[] | undefined): Promise<Outcome> {
    let failure: Outcome | undefined;
    // Events of a subscription already given up (its 'close' comes a tick after destroy())
    // must not cut short the backoff wait that follows it.
    let active = true;
    const signal = () => {
      if (active) this.wake?.();
    };
    const alive = () => {
      if (!active) return;
      this.policy.recordProgress(this.settings.scheduler.now());
      signal();
    };
    const subscription = this.client.subscribeToAll(
      {
        fromPosition: this.resumeAfter === undefined ? START : toAllPosition(this.resumeAfter),
        filter: this.serverFilter(eventTypes, alive),
      },
      { highWaterMark: this.batchSize },
    );
    this.policy.recordActivity(this.settings.scheduler.now());
    subscription
      // The listener stays for the subscription's whole life: an 'error' emitted with no
      // listener would crash the process.
      .on('error', (error: Error) => {
        failure ??= { kind: 'error', error };
        signal();
      })
      .on('end', () => {
        failure ??= { kind: 'ended' };
        signal();
      })
      .on('close', () => {
        failure ??= { kind: 'ended' };
        signal();
      })
      .on('readable', signal)
      .on('confirmation', () => {
        if (active) this.policy.recordActivity(this.settings.scheduler.now());
      })
      .on('caughtUp', alive)
      .on('fellBehind', alive);

    try {
      for (;;) {
        if (this.stopping) return { kind: 'stopped' };
        let drained: { batch: RecordedEvent[]; received: number };
        try {
          drained = this.drain(subscription);
        } catch (error) {
          return { kind: 'fatal', error };
        }
        if (drained.received > 0) this.policy.recordProgress(this.settings.scheduler.now());
        if (drained.batch.length > 0) {
          try {
            await this.handler(drained.batch);
          } catch (error) {
            return { kind: 'fatal', error };
          }
          this.resumeAfter = drained.batch[drained.batch.length - 1]!.position;
          // Time spent in our own handler is not the server's silence.
          this.policy.recordActivity(this.settings.scheduler.now());
          continue;
        }
        if (drained.received > 0) continue;
        if (failure) return failure;
        const woken = await this.waitFor(
          this.policy.silentAt() - this.settings.scheduler.now(),
        );
        if (!woken && !failure && this.policy.isSilent(this.settings.scheduler.now())) {
          return { kind: 'silent' };
        }
      }
    } finally {
      active = false;
      await subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
    }
  }

  /** Takes what has already arrived, up to one batch, without waiting for more. */
  private drain(subscription: AllStreamSubscription): { batch: RecordedEvent[]; received: number } {
    const batch: RecordedEvent[] = [];
    let received = 0;
    let last = this.resumeAfter;
    while (batch.length < this.batchSize) {
      const resolved = subscription.read() as AllStreamResolvedEvent | null;
      if (resolved === null) break;
      received += 1;
      const event = fromResolvedEvent(resolved, this.settings.namer);
      if (event === undefined) continue;
      if (last !== undefined && event.position <= last) continue;
      if (this.wantedTypes && !this.wantedTypes.has(event.type)) continue;
      batch.push(event);
      last = event.position;
    }
    return { batch, received };
  }

  private serverFilter(eventTypes: readonly string[] | undefined, onCheckpoint: () => void): Filter {
    const common = {
      checkpointInterval: this.settings.checkpointIntervalMultiplier ?? 1,
      checkpointReached: onCheckpoint,
    };
    // The server applies one filter, on stream names or on event types; with a namespace the
    // stream prefix is the one that isolates, and the types are then checked in drain().
    return this.settings.namer.namespace
      ? streamNameFilter({ prefixes: [this.settings.namer.namespace], ...common })
      : eventTypeFilter({ regex: eventTypeRegex(eventTypes), ...common });
  }

  /**
   * Waits until a signal (new data, end, error, stop) or until `delayMs` elapse.
   * Resolves `true` when woken by a signal, `false` on timeout.
   */
  private waitFor(delayMs: number): Promise<boolean> {
    if (this.stopping) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = this.settings.scheduler.schedule(() => {
        this.wake = undefined;
        resolve(false);
      }, Math.max(0, delayMs));
      this.wake = () => {
        this.settings.scheduler.cancel(timer);
        this.wake = undefined;
        resolve(true);
      };
    });
  }
}
