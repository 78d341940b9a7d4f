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
 * Streams not used since they last came up for eviction leave first once the events held exceed
 * `maxEvents` (second chance, an approximation of least recently used): a use only marks the
 * entry, and the eviction walk moves a marked entry to the back instead of dropping it. So a hit
 * costs one map look-up, not the delete and insert that keeping the map in exact use order took
 * (1–1.5 % of the API's time at 32 clients, three hits per submission in a map of ~10,000 streams).
 */
export class FoldedStreamCache {
  private readonly entries = new Map<string, Held>();
  private heldEvents = 0;

  constructor(
    /** Most events held over all streams; 0 turns the cache off. */
    readonly maxEvents: number,
  ) {}

  get<S>(streamId: string, decider: object): FoldedStream<S> | undefined {
    const held = this.entries.get(streamId);
    if (held === undefined || held.entry.decider !== decider) return undefined;
    held.used = true;
    return held.entry as FoldedStream<S>;
  }

  /** Keeps `entry` unless a later read of the same stream has already been kept. */
  set(streamId: string, entry: FoldedStream<unknown>): void {
    if (entry.events.length === 0 || entry.events.length > this.maxEvents) return;
    const existing = this.entries.get(streamId);
    if (existing !== undefined) {
      if (existing.entry.decider === entry.decider && lastRevisionOf(existing.entry) > lastRevisionOf(entry)) return;
      this.remove(streamId);
    }
    this.entries.set(streamId, { entry, used: false });
    this.heldEvents += entry.events.length;
    while (this.heldEvents > this.maxEvents) {
      const [oldest, held] = this.entries.entries().next().value as [string, Held];
      if (held.used || oldest === streamId) {
        // Used since it last came up (or just kept): it goes to the back, unmarked.
        held.used = false;
        this.entries.delete(oldest);
        this.entries.set(oldest, held);
      } else {
        this.remove(oldest);
      }
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
    const held = this.entries.get(streamId);
    if (held === undefined) return;
    this.entries.delete(streamId);
    this.heldEvents -= held.entry.events.length;
  }
}

/** An entry and whether it was used since it last came up for eviction. */
interface Held {
  readonly entry: FoldedStream;
  used: boolean;
}

function lastRevisionOf(entry: FoldedStream): bigint {
  return entry.events[entry.events.length - 1]!.revision;
}
