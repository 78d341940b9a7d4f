import { PassThrough, type ReadableOptions } from 'node:stream';
import {
  END,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendResult,
  type AppendStreamState,
  type EventData,
  type Filter,
  type JSONEventData,
  type ReadPosition,
  type ReadRevision,
} from '@kurrent/kurrentdb-client';
import type { KurrentDbClientPort } from '../kurrentdb-event-store';

/**
 * An in-memory stand-in for the parts of a KurrentDB server the adapter uses, for pure unit
 * tests only (no server can run on the build machine). It imitates the behaviours the adapter
 * depends on, as read from the client's sources: inclusive `fromPosition` in `$all` reads,
 * `StreamNotFoundError` thrown while a stream read is iterated, the client's real error
 * classes, idempotent retries that come back without a position, sparse commit positions,
 * system events in `$all`. It is not evidence that the adapter works against a real server;
 * the contract suite run with EVENTSTORE_URL is.
 */
export class FakeKurrentDb {
  /** Every stored record in log order; positions are sparse on purpose. */
  readonly log: AllStreamResolvedEvent[] = [];
  readonly subscriptions: FakeAllSubscription[] = [];
  disposed = false;
  /** The next call of the named kind rejects with this error (once). */
  private readonly failures = new Map<'append' | 'read', unknown>();
  /** Mimics a connection string with `throwOnAppendFailure=false`. */
  throwOnAppendFailure = true;
  private nextPosition = 1_000n;

  asClient(): KurrentDbClientPort {
    return this as unknown as KurrentDbClientPort;
  }

  failNext(kind: 'append' | 'read', error: unknown): void {
    this.failures.set(kind, error);
  }

  /** Writes a system event straight into the log, as the server itself does. */
  writeSystemEvent(streamName: string, type: string): void {
    this.store(streamName, { id: crypto.randomUUID(), type, data: {}, metadata: {} });
  }

  async appendToStream(
    streamName: string,
    events: EventData | EventData[],
    options: { streamState?: AppendStreamState } = {},
  ): Promise<AppendResult> {
    this.throwIfFailing('append');
    const batch = (Array.isArray(events) ? events : [events]) as JSONEventData[];
    const expected = options.streamState ?? 'any';
    const existing = this.stream(streamName);
    const current = existing.length === 0 ? 'no_stream' : BigInt(existing.length - 1);
    const firstRevision = expected === 'no_stream' ? 0n : typeof expected === 'bigint' ? expected + 1n : undefined;
    // The server recognises a retry by the ids at the revisions the events would have had.
    if (firstRevision !== undefined) {
      const already = existing.slice(Number(firstRevision), Number(firstRevision) + batch.length);
      if (already.length === batch.length && already.every((e, i) => e.event!.id === batch[i]!.id)) {
        return { success: true, nextExpectedRevision: firstRevision + BigInt(batch.length) - 1n };
      }
    }
    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && current === 'no_stream') ||
      (expected === 'stream_exists' && current !== 'no_stream') ||
      expected === current;
    if (!matches) {
      if (!this.throwOnAppendFailure) {
        return { success: false, nextExpectedRevision: current === 'no_stream' ? -1n : current };
      }
      throw new WrongExpectedVersionError(undefined, { streamName, expected, current });
    }
    let last = 0n;
    for (const event of batch) last = this.store(streamName, event);
    return {
      success: true,
      nextExpectedRevision: BigInt(this.stream(streamName).length - 1),
      position: { commit: last, prepare: last },
    };
  }

  readStream(
    streamName: string,
    options: { fromRevision?: ReadRevision; direction?: string; maxCount?: number | bigint } = {},
  ): AsyncIterableIterator<AllStreamResolvedEvent> {
    const self = this;
    return (async function* () {
      self.throwIfFailing('read');
      const events = self.stream(streamName);
      if (events.length === 0) throw new StreamNotFoundError(undefined, streamName);
      const backwards = options.direction === 'backwards';
      const ordered = backwards ? [...events].reverse() : events;
      const from = options.fromRevision ?? (backwards ? END : START);
      const start =
        from === START || from === END ? 0 : ordered.findIndex((e) => e.event!.revision === from);
      const selected = start < 0 ? [] : ordered.slice(start, start + Number(options.maxCount ?? 1e9));
      for (const event of selected) yield structuredClone(event);
    })();
  }

  readAll(
    options: { fromPosition?: ReadPosition; maxCount?: number | bigint; filter?: Filter } = {},
  ): AsyncIterableIterator<AllStreamResolvedEvent> {
    const self = this;
    return (async function* () {
      self.throwIfFailing('read');
      const from = options.fromPosition ?? START;
      let remaining = Number(options.maxCount ?? 1e9);
      for (const record of self.log) {
        if (remaining === 0) return;
        const position = record.event!.position.commit;
        if (from !== START && from !== END && position < from.commit) continue;
        if (!matchesFilter(record, options.filter)) continue;
        remaining -= 1;
        yield structuredClone(record);
      }
    })();
  }

  subscribeToAll(
    options: { fromPosition?: ReadPosition; filter?: Filter },
    readableOptions: ReadableOptions = {},
  ): FakeAllSubscription {
    const subscription = new FakeAllSubscription(options, readableOptions);
    this.subscriptions.push(subscription);
    return subscription;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  private stream(streamName: string): AllStreamResolvedEvent[] {
    return this.log.filter((record) => record.event!.streamId === streamName);
  }

  private store(streamName: string, event: Pick<JSONEventData, 'id' | 'type' | 'data' | 'metadata'>): bigint {
    const position = this.nextPosition;
    this.nextPosition += 137n;
    this.log.push({
      event: {
        streamId: streamName,
        id: event.id,
        isJson: true,
        revision: BigInt(this.stream(streamName).length),
        type: event.type,
        created: new Date(0),
        data: JSON.parse(JSON.stringify(event.data)),
        metadata: JSON.parse(JSON.stringify(event.metadata ?? {})),
        position: { commit: position, prepare: position },
      },
      commitPosition: position,
    });
    return position;
  }

  private throwIfFailing(kind: 'append' | 'read'): void {
    if (!this.failures.has(kind)) return;
    const error = this.failures.get(kind);
    this.failures.delete(kind);
    throw error;
  }
}

export function matchesFilter(record: AllStreamResolvedEvent, filter?: Filter): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === 'eventType' ? record.event!.type : record.event!.streamId;
  return 'regex' in filter
    ? new RegExp(filter.regex).test(subject)
    : filter.prefixes.some((prefix) => subject.startsWith(prefix));
}

/** A `$all` subscription as the client returns it: an object-mode readable plus its events. */
export class FakeAllSubscription extends PassThrough {
  unsubscribed = false;

  constructor(
    readonly options: { fromPosition?: ReadPosition; filter?: Filter },
    readableOptions: ReadableOptions,
  ) {
    super({ objectMode: true, highWaterMark: readableOptions.highWaterMark ?? 16 });
  }

  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }

  /** The server sends these records, in order, as the real subscription would. */
  deliver(...records: AllStreamResolvedEvent[]): void {
    for (const record of records) this.write(record);
  }

  /** The server reports a checkpoint while scanning filtered-out events. */
  async checkpoint(commit: bigint): Promise<void> {
    await this.options.filter?.checkpointReached?.(this as never, { commit, prepare: commit });
  }

  fail(error: Error): void {
    this.emit('error', error);
  }
}
