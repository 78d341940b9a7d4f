import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  eventTypeFilter,
  streamNameFilter,
  type Filter,
} from '@kurrent/kurrentdb-client';
import {
  type AppendResult,
  type EventBatchHandler,
  type EventStore,
  type EventSubscription,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { assertAppendable } from '../append-rules';
import {
  KurrentDbAllSubscription,
  type ResubscribeNotice,
} from './kurrentdb-all.subscription';
import {
  isStreamNotFound,
  toActualRevision,
  toPortAppendError,
  toPortError,
} from './kurrentdb-error.mapper';
import {
  eventTypeRegex,
  fromResolvedEvent,
  KurrentDbProtocolError,
  StreamNamer,
  toAllPosition,
  toEventData,
  toStreamState,
} from './kurrentdb-event.mapper';
import type { ResubscriptionPolicyOptions } from './resubscription.policy';
import { systemScheduler, type Scheduler } from './scheduler';

/** The part of the client this adapter uses; unit tests pass a fake of it. */
export type KurrentDbClientPort = Pick<
  KurrentDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export interface KurrentDbEventStoreOptions {
  /**
   * A prefix added to every stream name this store writes and the only streams it reads from
   * `$all`. Lets several independent stores (test runs, demo tenants) share one server.
   * Leave empty in production.
   * @defaultValue '' (no namespace)
   */
  readonly namespace?: string;
  /** Backoff and watchdog of `subscribeToAll`; see {@link ResubscriptionPolicyOptions}. */
  readonly resubscription?: ResubscriptionPolicyOptions;
  /**
   * How often, in server search windows of 32 filtered events, the server proves the
   * subscription alive with a checkpoint.
   * @defaultValue 1
   */
  readonly checkpointIntervalMultiplier?: number;
  /** Batch size of `subscribeToAll` when the caller gives none. @defaultValue 100 */
  readonly defaultBatchSize?: number;
  /** Told each time a `$all` subscription is replaced (for logs and metrics). Must not throw. */
  readonly onResubscribe?: (notice: ResubscribeNotice) => void;
  /** Timers of the subscription loop. @defaultValue the process's own timers */
  readonly scheduler?: Scheduler;
}

/**
 * The event-store port on EventStoreDB / KurrentDB (single node or cluster), through
 * `@kurrent/kurrentdb-client`.
 *
 * - Streams map one to one; revisions are the server's stream revisions.
 * - The global position is the event's commit position in `$all`.
 * - Appends are idempotent on the event ids: a retry of an append that did reach the server is
 *   recognised by it (guaranteed with an expected revision, best effort with `'any'`).
 * - Read models live elsewhere (PostgreSQL); this store holds only events.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly namer: StreamNamer;
  private readonly scheduler: Scheduler;
  private readonly subscriptions = new Set<EventSubscription>();

  constructor(
    private readonly client: KurrentDbClientPort,
    private readonly options: KurrentDbEventStoreOptions = {},
  ) {
    this.namer = new StreamNamer(options.namespace ?? '');
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  /**
   * Connects lazily: nothing is sent until the first call, so a server that is down makes the
   * calls fail with `EventStoreUnavailableError`, not the constructor.
   * @param url e.g. `kurrentdb://127.0.0.1:2113?tls=false`, or for a cluster
   *   `kurrentdb+discover://node1:2113,node2:2113,node3:2113`; `esdb://` is also accepted.
   */
  static fromConnectionString(url: string, options?: KurrentDbEventStoreOptions): KurrentDbEventStore {
    return new KurrentDbEventStore(KurrentDBClient.connectionString(url), options);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    assertAppendable(events);
    const { expectedRevision } = options;
    const streamName = this.namer.toStored(streamId);
    let result;
    try {
      result = await this.client.appendToStream(streamName, events.map(toEventData), {
        streamState: toStreamState(expectedRevision),
      });
    } catch (error) {
      throw toPortAppendError(error, streamId, expectedRevision);
    }
    // Only when the connection string sets throwOnAppendFailure=false does a conflict come back
    // as a result instead of an error.
    if (!result.success) {
      throw new WrongExpectedRevisionError(
        streamId,
        expectedRevision,
        toActualRevision(result.nextExpectedRevision),
      );
    }
    const lastPosition =
      result.position?.commit ?? (await this.positionOf(streamName, result.nextExpectedRevision));
    return { nextExpectedRevision: result.nextExpectedRevision, lastPosition };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(this.namer.toStored(streamId), {
        direction: FORWARDS,
        fromRevision: options.fromRevision ?? START,
      })) {
        const event = fromResolvedEvent(resolved, this.namer);
        if (event) events.push(event);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw toPortError(error, `read of stream ${streamId}`);
    }
    return events;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let after = options.after;
    // The server filters system events (or other namespaces) out before counting; the checks
    // in fromResolvedEvent() are a second line. `fromPosition` is inclusive in reads, hence one
    // extra event per page and the `<= after` test.
    while (events.length < options.limit) {
      const pageSize = options.limit - events.length + 1;
      let received = 0;
      try {
        for await (const resolved of this.client.readAll({
          direction: FORWARDS,
          fromPosition: after === undefined ? START : toAllPosition(after),
          maxCount: pageSize,
          filter: this.readFilter(),
        })) {
          received += 1;
          const position = resolved.event?.position?.commit ?? resolved.commitPosition;
          if (position === undefined || (after !== undefined && position <= after)) continue;
          const event = fromResolvedEvent(resolved, this.namer);
          if (event) events.push(event);
          after = position;
          if (events.length === options.limit) break;
        }
      } catch (error) {
        throw toPortError(error, 'read of $all');
      }
      if (received < pageSize) break;
    }
    return events;
  }

  subscribeToAll(options: SubscribeToAllOptions, handler: EventBatchHandler): EventSubscription {
    const subscription = new KurrentDbAllSubscription(this.client, options, handler, {
      namer: this.namer,
      scheduler: this.scheduler,
      ...(this.options.resubscription && { resubscription: this.options.resubscription }),
      ...(this.options.checkpointIntervalMultiplier !== undefined && {
        checkpointIntervalMultiplier: this.options.checkpointIntervalMultiplier,
      }),
      ...(this.options.defaultBatchSize !== undefined && {
        defaultBatchSize: this.options.defaultBatchSize,
      }),
      ...(this.options.onResubscribe && { onResubscribe: this.options.onResubscribe }),
    });
    this.subscriptions.add(subscription);
    const forget = () => this.subscriptions.delete(subscription);
    subscription.done.then(forget, forget);
    return subscription;
  }

  /** Reads the last event of a stream that need not exist: any answer proves the server up. */
  async ping(): Promise<void> {
    try {
      for await (const _ of this.client.readStream(this.namer.toStored('quarterly-ping'), {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        break;
      }
    } catch (error) {
      if (isStreamNotFound(error)) return;
      throw toPortError(error, 'ping');
    }
  }

  /** Stops every subscription (waiting for running handlers), then closes the connection. */
  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  /**
   * The server leaves out the position of an append it recognised as a retry (it wrote
   * nothing); the events are in the stream, so their position is read back.
   */
  private async positionOf(streamName: string, revision: bigint): Promise<bigint> {
    try {
      for await (const resolved of this.client.readStream(streamName, {
        direction: FORWARDS,
        fromRevision: revision,
        maxCount: 1,
      })) {
        const position = resolved.event?.position?.commit ?? resolved.commitPosition;
        if (position !== undefined) return position;
      }
    } catch (error) {
      throw toPortError(error, `read of stream ${streamName}`);
    }
    throw new KurrentDbProtocolError(
      `stream ${streamName} has no event at revision ${revision} right after an append to it`,
    );
  }

  private readFilter(): Filter {
    return this.namer.namespace
      ? streamNameFilter({ prefixes: [this.namer.namespace] })
      : eventTypeFilter({ regex: eventTypeRegex() });
  }
}
