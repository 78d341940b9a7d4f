import { createHash } from 'node:crypto';
import { fold, type Decider, type DomainEvent } from '@quarterly/domain';
import {
  newEventId,
  WrongExpectedRevisionError,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@quarterly/event-store';
import { eventCodec, type DecodedEvent, type EventCodec } from '@quarterly/event-codec';
import { FoldedStreamCache } from './folded-stream.cache';

/** Who asked, and how the request is tied to others; becomes every new event's metadata. */
export interface CommandEnvelope {
  readonly actor: string;
  /** The moment of decision (ISO 8601), from the injected clock. */
  readonly now: string;
  readonly correlationId: string;
  /** The id of the request or event that caused this command. */
  readonly causationId: string;
  /** The client's `Idempotency-Key`; a repeat with the same key appends nothing. */
  readonly idempotencyKey?: string;
  /** A digest of the request, so a key reused for a different request is refused. */
  readonly commandDigest?: string;
}

export interface ExecuteCommand<C, E extends DomainEvent, S> {
  readonly streamId: string;
  readonly decider: Decider<C, E, S>;
  readonly command: C;
  readonly envelope: CommandEnvelope;
  /**
   * The revision the caller saw (the `If-Match` header). When the stream has changed since (see
   * `makesStale`), the command is refused with {@link StaleRevisionError} before anything is
   * decided.
   */
  readonly ifMatch?: bigint;
  /**
   * Which events, appended after the revision the caller saw, make what they saw stale. By
   * default every event: `ifMatch` must be the stream's current revision. A stream whose callers
   * judge only part of it (a return's reviewer judges its figure, narrative and stage) names the
   * events that change that part, so the engine's own bookkeeping in between (a reminder, a due
   * date moved by a deadline extension) does not refuse their decision. The revision the caller
   * names must exist.
   *
   * When given, a user's command that meets a concurrent append is also decided again on the
   * fresh stream if none of the events that came in between makes it stale; otherwise it is
   * refused as before. The append itself is always checked against the stream's revision.
   */
  readonly makesStale?: (event: E) => boolean;
  /**
   * Internal commands (timers, process managers) re-read and re-decide on a concurrent change;
   * a user's command is refused instead, so nobody acts on a figure they have not seen (unless
   * `makesStale` says none of the events that came in between changed what they judge).
   * @defaultValue 0
   */
  readonly retriesOnConflict?: number;
  /** Names the state in 409/412 answers. @defaultValue `'unknown'` */
  readonly describeState?: (state: S) => string;
  /**
   * The stream as the caller has just read it (`load().events`), decided on instead of reading
   * it again. Nothing is lost if it is already stale: the append then fails on its expected
   * revision and the command is refused or, for internal commands, retried on a fresh read.
   */
  readonly loaded?: readonly RecordedEvent[];
}

export interface CommandExecutorOptions {
  /**
   * Events of recently folded streams kept in memory (see {@link FoldedStreamCache}), so that a
   * command reads and folds only what its stream gained since; 0 reads every stream whole. A
   * decoded event takes about 1.5 kB of memory, so the default holds about 30 MB.
   * @defaultValue 20000
   */
  readonly cachedEvents?: number;
}

/** A stream as read and folded: its decoded events and the state they fold to. */
interface Folded<E extends DomainEvent, S> {
  readonly events: ReadonlyArray<E & DecodedEvent>;
  readonly state: S;
}

/** How many times a user's command is decided again after appends that do not concern it. */
const REDECISIONS_ON_IGNORED_CHANGES = 3;

export interface CommandOutcome<S> {
  readonly streamId: string;
  /** The stream's revision after the command; `null` if the stream still does not exist. */
  readonly revision: bigint | null;
  /** Global position of the last event the command appended (or of the first run's, on a repeat). */
  readonly position: bigint | null;
  readonly state: S;
  /** How many events this call appended (0 for a repeat or a command that changed nothing). */
  readonly appended: number;
  /** True when the idempotency key had been seen: the first result is returned, nothing appended. */
  readonly repeated: boolean;
}

/** The stream changed after the caller read it (If-Match no longer holds): HTTP 412. */
export class StaleRevisionError extends Error {
  override readonly name = 'StaleRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: bigint,
    readonly actual: bigint | null,
    readonly currentState: string,
  ) {
    super(
      `${streamId} has changed since version ${String(expected)}: it is at version ${actual === null ? 'none' : String(actual)}; ` +
        `current state: ${currentState}`,
    );
  }
}

/** Another command changed the stream between our read and our append: HTTP 409. */
export class ConcurrentChangeError extends Error {
  override readonly name = 'ConcurrentChangeError';
  constructor(
    readonly streamId: string,
    readonly currentState: string,
  ) {
    super(`${streamId} was changed by another request at the same time; current state: ${currentState}`);
  }
}

/** The idempotency key was used before for a different request: HTTP 422. */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(readonly idempotencyKey: string) {
    super(`Idempotency-Key ${idempotencyKey} was already used for a different request`);
  }
}

/**
 * The one way the engine changes state: read the stream, fold it, decide, append with the
 * expected revision. Idempotency is checked against the stream itself (the events carry the key in
 * their metadata), so it holds for every event-store adapter and survives restarts.
 */
export class EventSourcedCommandExecutor {
  private lastPosition: bigint | undefined;
  private readonly folded: FoldedStreamCache;
  /** The state each array `load()` handed out folds to, so `execute({ loaded })` does not fold it again. */
  private readonly stateOfLoaded = new WeakMap<object, { readonly decider: object; readonly state: unknown }>();

  constructor(
    private readonly store: EventStore,
    /** Decodes and upcasts what the store returns; writes new events at its current versions. */
    readonly codec: EventCodec = eventCodec,
    options: CommandExecutorOptions = {},
  ) {
    this.folded = new FoldedStreamCache(options.cachedEvents ?? 20_000);
  }

  /**
   * The highest global position this executor has appended, for read-your-writes within one
   * instance (queries wait for the projections to reach it).
   */
  get lastAppendedPosition(): bigint | undefined {
    return this.lastPosition;
  }

  async execute<C, E extends DomainEvent, S>(request: ExecuteCommand<C, E, S>): Promise<CommandOutcome<S>> {
    const { streamId, decider, envelope } = request;
    const describe = request.describeState ?? (() => 'unknown');
    const makesStale = request.makesStale ?? everyEvent;
    let retriesLeft = request.retriesOnConflict ?? 0;
    let redecisionsLeft = request.makesStale ? REDECISIONS_ON_IGNORED_CHANGES : 0;
    let loaded: Folded<E, S> | undefined = request.loaded ? this.foldLoaded(decider, request.loaded) : undefined;

    for (;;) {
      const { events: recorded, state } = loaded ?? (await this.readFolded(streamId, decider));
      loaded = undefined;
      const repeat = this.findRepeat(recorded, decider, envelope);
      if (repeat) return repeat;

      const revision = lastRevision(recorded);
      if (request.ifMatch !== undefined && changedSince(recorded, request.ifMatch, makesStale)) {
        throw new StaleRevisionError(streamId, request.ifMatch, revision, describe(state));
      }

      const decided = decider.decide(request.command, state);
      if (decided.length === 0) {
        return { streamId, revision, position: lastPosition(recorded), state, appended: 0, repeated: false };
      }

      try {
        const result = await this.store.appendToStream(streamId, decided.map((e, i) => this.toNewEvent(streamId, e, i, envelope)), {
          expectedRevision: revision ?? 'no_stream',
        });
        if (this.lastPosition === undefined || result.lastPosition > this.lastPosition) this.lastPosition = result.lastPosition;
        return {
          streamId,
          revision: result.nextExpectedRevision,
          position: result.lastPosition,
          state: fold(decider, decided, state),
          appended: decided.length,
          repeated: false,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (retriesLeft > 0) {
          // An internal command simply decides again against the new state (the loop re-reads,
          // and a repeat of our own key is answered with its first result).
          retriesLeft -= 1;
          continue;
        }
        const fresh = await this.readFolded(streamId, decider);
        const winner = this.findRepeat(fresh.events, decider, envelope);
        if (winner) return winner; // the concurrent request was this one, retried by the client
        if (redecisionsLeft > 0 && revision !== null && !changedSince(fresh.events, revision, makesStale)) {
          // Only events the caller does not judge by came in between (a reminder, a moved due
          // date): what they decided on still stands, so decide again on the fresh stream.
          redecisionsLeft -= 1;
          loaded = fresh;
          continue;
        }
        throw new ConcurrentChangeError(streamId, describe(fresh.state));
      }
    }
  }

  /** Reads a stream and folds it: the current state and its revision (for ETags). */
  async load<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
  ): Promise<{ state: S; revision: bigint | null; events: ReadonlyArray<E & DecodedEvent> }> {
    const { events, state } = await this.readFolded(streamId, decider);
    return { state, revision: lastRevision(events), events };
  }

  /**
   * The stream read and folded: from the {@link FoldedStreamCache}, reading only the events from
   * the cached last one on (which must still be there, or the stream is read whole), else whole.
   */
  private async readFolded<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<Folded<E, S>> {
    const cached = this.folded.get<S>(streamId, decider);
    if (cached !== undefined) {
      const last = cached.events[cached.events.length - 1]!;
      const tail = await this.store.readStream(streamId, { fromRevision: last.revision });
      const first = tail[0];
      if (first !== undefined && first.revision === last.revision && first.id === last.id) {
        const known = cached as unknown as Folded<E, S>;
        if (tail.length === 1) return known;
        const added = this.codec.decodeStream<E>(tail.slice(1));
        return this.keep(streamId, decider, known.events.concat(added), fold(decider, added, known.state));
      }
      this.folded.delete(streamId); // not the stream that was cached (a store restored or reset)
    }
    const events = this.codec.decodeStream<E>(await this.store.readStream(streamId));
    return this.keep(streamId, decider, events, fold(decider, events));
  }

  private keep<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>, events: ReadonlyArray<E & DecodedEvent>, state: S): Folded<E, S> {
    this.folded.set(streamId, { decider, events, state });
    this.stateOfLoaded.set(events, { decider, state });
    return { events, state };
  }

  /** What the caller loaded, folded: the state `load()` gave with these very events, or folded now. */
  private foldLoaded<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, loaded: readonly RecordedEvent[]): Folded<E, S> {
    const known = this.stateOfLoaded.get(loaded);
    if (known?.decider === decider) return { events: loaded as ReadonlyArray<E & DecodedEvent>, state: known.state as S };
    const events = this.codec.decodeStream<E>(loaded);
    return { events, state: fold(decider, events) };
  }

  private findRepeat<C, E extends DomainEvent, S>(
    recorded: readonly RecordedEvent[],
    decider: Decider<C, E, S>,
    envelope: CommandEnvelope,
  ): CommandOutcome<S> | undefined {
    const key = envelope.idempotencyKey;
    if (key === undefined) return undefined;
    let lastIndex = -1;
    for (let i = recorded.length - 1; i >= 0; i -= 1) {
      if (recorded[i]!.metadata.idempotencyKey === key) {
        lastIndex = i;
        break;
      }
    }
    if (lastIndex < 0) return undefined;
    const first = recorded[lastIndex]!;
    if (
      envelope.commandDigest !== undefined &&
      first.metadata.commandDigest !== undefined &&
      first.metadata.commandDigest !== envelope.commandDigest
    ) {
      throw new IdempotencyKeyReusedError(key);
    }
    const upTo = recorded.slice(0, lastIndex + 1);
    return {
      streamId: first.streamId,
      revision: first.revision,
      position: first.position,
      state: fold(decider, this.codec.decodeStream<E>(upTo)),
      appended: 0,
      repeated: true,
    };
  }

  private toNewEvent(streamId: string, event: DomainEvent, index: number, envelope: CommandEnvelope): NewEvent {
    const metadata: EventMetadata = {
      actor: envelope.actor,
      correlationId: envelope.correlationId,
      causationId: envelope.causationId,
      recordedAt: envelope.now,
      ...(envelope.idempotencyKey !== undefined ? { idempotencyKey: envelope.idempotencyKey } : {}),
      ...(envelope.commandDigest !== undefined ? { commandDigest: envelope.commandDigest } : {}),
    };
    return {
      // A retried request with the same key produces the same event ids, which stores that
      // deduplicate by id (EventStoreDB) recognise as the same append. Otherwise time-ordered ids,
      // which keep every store's unique index on ids appending at its end (see `newEventId`).
      id: envelope.idempotencyKey !== undefined ? deterministicUuid(`${streamId}\u0000${envelope.idempotencyKey}\u0000${index}`) : newEventId(),
      type: event.type,
      schemaVersion: this.codec.schemaVersionOf(event.type),
      data: event.data,
      metadata,
    };
  }
}

function everyEvent(): boolean {
  return true;
}

/**
 * Whether the stream changed, in a way that matters, after revision `since`: a revision that
 * does not exist (yet) has always changed; otherwise any later event `makesStale` accepts.
 */
function changedSince<E extends RecordedEvent>(events: readonly E[], since: bigint, makesStale: (event: E) => boolean): boolean {
  const revision = lastRevision(events);
  if (revision === null || since > revision) return true;
  for (let i = events.length - 1; i >= 0 && events[i]!.revision > since; i -= 1) {
    if (makesStale(events[i]!)) return true;
  }
  return false;
}

function lastRevision(recorded: readonly RecordedEvent[]): bigint | null {
  return recorded.length === 0 ? null : recorded[recorded.length - 1]!.revision;
}

function lastPosition(recorded: readonly RecordedEvent[]): bigint | null {
  return recorded.length === 0 ? null : recorded[recorded.length - 1]!.position;
}

/** A name-based UUID (version 5 layout over SHA-256), stable for the same input. */
export function deterministicUuid(name: string): string {
  const hash = createHash('sha256').update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
