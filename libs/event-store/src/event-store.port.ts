/**
 * The event-store port: what the engine needs from any store of events, and nothing more.
 *
 * Adapters (SQLite, PostgreSQL, KurrentDB/EventStoreDB) implement {@link EventStore} and must all
 * pass the same contract suite (`event-store.contract.ts`). The port carries no SQL and no
 * driver types, so that a store with its own notion of positions (EventStoreDB's commit
 * position) fits it as well as a table does.
 *
 * Revisions and positions are `bigint` end to end; JSON carries them as strings.
 */

/** Who did it, and under which correlation, recorded with every event. */
export interface EventMetadata {
  /** The authenticated principal that issued the command (`system:<name>` for internal work). */
  readonly actor: string;
  /** Ties together every event caused, directly or not, by one user request. */
  readonly correlationId: string;
  /** The id of the command or event that directly caused this event. */
  readonly causationId: string;
  /** The client's idempotency key of the command that produced this event, if it sent one. */
  readonly idempotencyKey?: string;
  /** A digest of the command's payload, so a key reused for a different request is detected. */
  readonly commandDigest?: string;
  /** When the command was decided (ISO 8601, UTC), from the injected clock, not the database. */
  readonly recordedAt: string;
  /**
   * The event's link in its stream's hash chain, written by `HashChainingEventStore` on
   * append (absent on events stored before chaining began). Not part of what the hash covers.
   */
  readonly integrity?: EventIntegrity;
}

/** Tamper evidence carried by every event appended since chaining began. */
export interface EventIntegrity {
  /** The `hash` of the previous event in the stream; 64 zeros for the stream's first event. */
  readonly previousHash: string;
  /** SHA-256 (hex) over `previousHash` and the event's canonical content (see `event-hash.ts`). */
  readonly hash: string;
}

/** An event about to be appended. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  /** A UUID. Deterministic ids let a store recognise a retried append. */
  readonly id: string;
  /** Past-tense PascalCase, e.g. `ReturnSubmitted`: a public contract once stored. */
  readonly type: TType;
  /** Version of the data shape for this type; old versions are upcast on read, never rewritten. */
  readonly schemaVersion: number;
  readonly data: TData;
  readonly metadata: EventMetadata;
  /**
   * The JSON text of `data` and `metadata` when it is already written: `HashChainingEventStore`
   * sets it to the canonical text it hashed, so an adapter that keeps JSON as text stores those
   * bytes instead of serialising again (and `verify` can hash them as stored). It must be the
   * JSON of the same values; nothing else sets it. Adapters read it through {@link storedJsonOf}.
   */
  readonly storedJson?: StoredJson;
}

/** An event's data and metadata as JSON text. */
export interface StoredJson {
  readonly data: string;
  readonly metadata: string;
}

/** The JSON text an adapter stores for an event: the text already written, or its own. */
export function storedJsonOf(event: NewEvent): StoredJson {
  return event.storedJson ?? { data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) };
}

/**
 * One stored event with its data and metadata as the JSON text the store holds, unparsed:
 * `[position, streamId, revision, id, type, schemaVersion, data, metadata]`. What `verify`
 * reads from stores that keep text (SQLite, PostgreSQL `json`), to hash the stored bytes
 * without parsing and re-serialising them.
 */
export type StoredEventRow = [
  position: bigint,
  streamId: string,
  revision: bigint,
  id: string,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
];

/** An event as stored: the new event plus where it sits. */
export interface RecordedEvent<TType extends string = string, TData = unknown>
  extends NewEvent<TType, TData> {
  readonly streamId: string;
  /** 0-based position of the event within its stream. */
  readonly revision: bigint;
  /**
   * Position in the global order of all events. Strictly increasing in read order, but not
   * necessarily dense (gaps are allowed, skipped events are not).
   */
  readonly position: bigint;
}

/**
 * What the appender believes about the stream.
 * - `'no_stream'`: the stream must not exist yet.
 * - `'any'`: no check (only for internal, commutative appends).
 * - a bigint: the revision of the last event in the stream.
 */
export type ExpectedRevision = bigint | 'no_stream' | 'any';

export interface AppendResult {
  /** Revision of the last event now in the stream; pass it as the next expected revision. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last appended event. */
  readonly lastPosition: bigint;
}

export interface ReadStreamOptions {
  /**
   * Only the events at this revision and after: a reader that already holds the stream up to
   * revision r asks from r (not r + 1), so the first event it gets back proves the stream is
   * still the one it read (same revision, same id) and the rest is what it has not seen.
   * @defaultValue the stream's first event
   */
  readonly fromRevision?: bigint;
}

export interface ReadAllOptions {
  /** Read events strictly after this global position; omit to start at the beginning. */
  readonly after?: bigint;
  /** At most this many events. */
  readonly limit: number;
}

export interface SubscribeToAllOptions {
  /** Deliver events strictly after this position (the stored checkpoint); omit for all. */
  readonly after?: bigint;
  /** Largest batch handed to the handler at once. */
  readonly batchSize?: number;
  /**
   * Only events whose type is in this list are delivered. The subscription moves past the others,
   * but the handler never learns their positions: a consumer that must know how far it has read
   * (a projection's checkpoint, read-your-writes) takes every event and filters itself.
   */
  readonly eventTypes?: readonly string[];
}

/**
 * Receives events in global order, one batch at a time. The next batch is not delivered until
 * the returned promise settles; a rejection stops the subscription (`EventSubscription.done`
 * rejects with it) so that nothing is skipped.
 */
export type EventBatchHandler = (events: readonly RecordedEvent[]) => Promise<void>;

export interface EventSubscription {
  /** Stop delivering; resolves once the handler is no longer running. */
  stop(): Promise<void>;
  /** Settles when the subscription ends: resolves after `stop()`, rejects on a handler error. */
  readonly done: Promise<void>;
}

export interface EventStore {
  /**
   * Appends events atomically. Throws {@link WrongExpectedRevisionError} when the stream is not
   * at `expectedRevision`; nothing is written then.
   */
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;

  /**
   * The events of one stream in revision order (all of them, or from `options.fromRevision`);
   * an empty array when the stream does not exist or has no event that far.
   */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** A page of the global order, never skipping an event that a later read could see before it. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;

  /**
   * The same page as {@link readAll}, as stored rows with unparsed JSON text. Only stores that
   * keep the text as written offer it (SQLite, PostgreSQL); the verifier falls back to
   * `readAll` elsewhere.
   */
  readAllStored?(options: ReadAllOptions): Promise<StoredEventRow[]>;

  /**
   * Follows the global order from a checkpoint: catches up, then delivers new events as they
   * are committed.
   */
  subscribeToAll(options: SubscribeToAllOptions, handler: EventBatchHandler): EventSubscription;

  /** Readiness for `/health`: resolves when the store answers. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

/** The stream is not at the revision the appender expected. A user command maps it to HTTP 409. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or `'no_stream'`. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(
      `stream ${streamId} is at ${String(actual)}, expected ${String(expected)}`,
    );
  }
}

/** The store cannot be reached. The API maps it to HTTP 503; nothing was written. */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The injection token for the active {@link EventStore}. */
export const EVENT_STORE = Symbol('EVENT_STORE');
