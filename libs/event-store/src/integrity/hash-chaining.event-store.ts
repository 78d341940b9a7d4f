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
  type StoredEventRow,
  type SubscribeToAllOptions,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { chainHashOf, GENESIS_HASH, withIntegrity } from './event-hash';

/** Where a stream's chain ends: its last revision and that event's hash. */
interface StreamHead {
  readonly revision: bigint;
  readonly hash: string;
}

export interface HashChainingOptions {
  /**
   * Stream heads remembered between a read and the append that follows it (the command path
   * reads a stream, decides, then appends), so the append needs no second read.
   * @defaultValue 10000
   */
  readonly headCacheSize?: number;
  /**
   * How often an append with `expectedRevision: 'any'` re-reads the head and tries again when
   * another append got in between.
   * @defaultValue 20
   */
  readonly anyRevisionAttempts?: number;
}

/**
 * Any {@link EventStore} with a hash chain per stream: every appended event gets, in its
 * metadata, the hash of the previous event in its stream and its own hash over both (see
 * `hashEvent`). Computed here, once, in TypeScript, so SQLite, PostgreSQL and EventStoreDB keep
 * identical chains and no store's SQL is involved.
 *
 * The previous hash is known without a read on the command path (the executor has just read
 * the stream through this store, which remembers its head). An append with `'any'` is turned
 * into an append at the head it reads, retried if another append gets in first, so two appends
 * can never both claim the same previous hash.
 *
 * A stream whose events were stored before chaining began is chained onward from the hash its
 * last event would have had (computed from the content, as the verifier does); the one-off
 * legacy anchor (`IntegrityAnchorRecorder.sealLegacy`) fixes those events' hashes in time.
 */
export class HashChainingEventStore implements EventStore {
  private readonly heads = new Map<string, StreamHead>();
  private readonly headCacheSize: number;
  private readonly anyRevisionAttempts: number;
  /** The inner store's stored rows, for the verifier, when it offers them. */
  readonly readAllStored?: (options: ReadAllOptions) => Promise<StoredEventRow[]>;

  constructor(
    readonly inner: EventStore,
    options: HashChainingOptions = {},
  ) {
    this.headCacheSize = options.headCacheSize ?? 10_000;
    this.anyRevisionAttempts = options.anyRevisionAttempts ?? 20;
    if (inner.readAllStored !== undefined) this.readAllStored = inner.readAllStored.bind(inner);
  }

  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    // Not `async`: the command path's append (a known revision) goes straight to the inner
    // store's promise, with no extra promise and turns of its own in between.
    try {
      if (options.expectedRevision !== 'any') return this.appendAt(streamId, events, options.expectedRevision);
      return this.appendAtHead(streamId, events);
    } catch (error) {
      return Promise.reject(error); // an event that cannot be hashed: a rejection, as from any store
    }
  }

  private async appendAtHead(streamId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    for (let attempt = 1; ; attempt += 1) {
      const head = this.headOf(streamId, await this.inner.readStream(streamId));
      try {
        return await this.appendAt(streamId, events, head?.revision ?? 'no_stream', head);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= this.anyRevisionAttempts) throw error;
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.fromRevision === undefined) {
      const events = await this.inner.readStream(streamId);
      this.headOf(streamId, events);
      return events;
    }
    // Part of a stream: its last event names the head only when it carries its own hash (one
    // stored before chaining began is chained over the whole stream, which this read lacks).
    const events = await this.inner.readStream(streamId, options);
    const last = events[events.length - 1];
    const hash = last?.metadata.integrity?.hash;
    if (last !== undefined && hash !== undefined) this.remember(streamId, { revision: last.revision, hash });
    else this.heads.delete(streamId);
    return events;
  }

  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  subscribeToAll(options: SubscribeToAllOptions, handler: EventBatchHandler): EventSubscription {
    return this.inner.subscribeToAll(options, handler);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private appendAt(
    streamId: string,
    events: readonly NewEvent[],
    expected: bigint | 'no_stream',
    known?: StreamHead,
  ): Promise<AppendResult> {
    if (expected === 'no_stream') return this.appendChained(streamId, events, expected, GENESIS_HASH);
    const cached = known ?? this.heads.get(streamId);
    if (cached?.revision === expected) return this.appendChained(streamId, events, expected, cached.hash);
    return this.inner.readStream(streamId).then((stored) => {
      const head = this.headOf(streamId, stored);
      // A stream elsewhere than expected: the inner append refuses it, whatever the hashes say.
      return this.appendChained(streamId, events, expected, head?.revision === expected ? head.hash : GENESIS_HASH);
    });
  }

  /** Chains the events onto `previousHash` and appends them; remembers the new head. */
  private appendChained(streamId: string, events: readonly NewEvent[], expected: bigint | 'no_stream', previousHash: string): Promise<AppendResult> {
    let revision = expected === 'no_stream' ? -1n : expected;
    let hash = previousHash;
    const chained = events.map((event) => {
      revision += 1n;
      const linked = withIntegrity(event, streamId, revision, hash);
      hash = linked.metadata.integrity!.hash;
      return linked;
    });
    return this.inner.appendToStream(streamId, chained, { expectedRevision: expected }).then(
      (result) => {
        this.remember(streamId, { revision: result.nextExpectedRevision, hash });
        return result;
      },
      (error: unknown) => {
        this.heads.delete(streamId);
        throw error;
      },
    );
  }

  /** The head of a stream just read (undefined when it has no events), remembered. */
  private headOf(streamId: string, events: readonly RecordedEvent[]): StreamHead | undefined {
    const last = events[events.length - 1];
    if (last === undefined) {
      this.heads.delete(streamId);
      return undefined;
    }
    let hash = last.metadata.integrity?.hash;
    if (hash === undefined) {
      // Stored before chaining began: chain the stream as the verifier does.
      hash = GENESIS_HASH;
      for (const event of events) hash = chainHashOf(event, hash);
    }
    const head = { revision: last.revision, hash };
    this.remember(streamId, head);
    return head;
  }

  private remember(streamId: string, head: StreamHead): void {
    if (this.heads.size >= this.headCacheSize && !this.heads.has(streamId)) this.heads.clear();
    this.heads.set(streamId, head);
  }
}
