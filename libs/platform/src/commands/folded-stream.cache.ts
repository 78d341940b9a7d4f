import type { DecodedEvent } from '@quarterly/event-codec';

/** A stream as the executor last read and folded it. */
export interface FoldedStream<S = unknown> {
  /** The decider that folded `state`; another decider on the same stream folds on its own. */
  readonly decider: object;
  /** Every event of the stream up to its last one read, decoded, in revision order (never empty). */
  readonly events: readonly DecodedEvent[];
  readonly state: S;
}

/**
 * The streams the executor folded last, so that a command on a long stream reads and folds only
 * what was appended since (`readStream(id, { fromRevision })`), not the whole stream again.
 *
 * A cache, never the truth: every use reads the stream's tail from the store, starting at the
 * cached last revision, and an entry whose last event is not there any more (same revision,
 * same id) is dropped and the stream read whole. Events appended by any process are therefore
 * seen by the next read, as without the cache. It lives in memory with the code that folded it,
 * so a new decider or upcaster (a new release) starts from an empty cache: nothing to version.
 * Least recently used streams leave first once the events held exceed `maxEvents`.
 */
export class FoldedStreamCache {
  private readonly entries = new Map<string, FoldedStream>();
  private heldEvents = 0;

  constructor(
    /** Most events held over all streams; 0 turns the cache off. */
    readonly maxEvents: number,
  ) {}

  get<S>(streamId: string, decider: object): FoldedStream<S> | undefined {
    const entry = this.entries.get(streamId);
    if (entry === undefined || entry.decider !== decider) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry as FoldedStream<S>;
  }

  /** Keeps `entry` unless a later read of the same stream has already been kept. */
  set(streamId: string, entry: FoldedStream<unknown>): void {
    if (entry.events.length === 0 || entry.events.length > this.maxEvents) return;
    const existing = this.entries.get(streamId);
    if (existing !== undefined) {
      if (existing.decider === entry.decider && lastRevisionOf(existing) > lastRevisionOf(entry)) return;
      this.remove(streamId);
    }
    this.entries.set(streamId, entry);
    this.heldEvents += entry.events.length;
    for (const [oldest] of this.entries) {
      if (this.heldEvents <= this.maxEvents) break;
      this.remove(oldest);
    }
  }

  delete(streamId: string): void {
    this.remove(streamId);
  }

  /** Streams held, for tests and metrics. */
  get size(): number {
    return this.entries.size;
  }

  private remove(streamId: string): void {
    const entry = this.entries.get(streamId);
    if (entry === undefined) return;
    this.entries.delete(streamId);
    this.heldEvents -= entry.events.length;
  }
}

function lastRevisionOf(entry: FoldedStream): bigint {
  return entry.events[entry.events.length - 1]!.revision;
}
