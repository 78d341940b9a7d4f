import { newEventId } from '../event-id';
import { type EventStore, type RecordedEvent, WrongExpectedRevisionError } from '../event-store.port';
import { chainHashOf, GENESIS_HASH } from './event-hash';
import {
  type AnchoredStreamHead,
  INTEGRITY_ANCHOR_RECORDED,
  INTEGRITY_ANCHOR_STREAM,
  type IntegrityAnchorRecordedData,
  anchorDigestLine,
  anchorOf,
} from './integrity-anchor';
import { merkleLeaf, merkleRoot } from './merkle-root';

export interface AnchorLogger {
  info(details: object, message: string): void;
}

export interface IntegrityAnchorRecorderOptions {
  /**
   * Most events one anchor covers. Smaller blocks name a rewritten stretch more precisely;
   * larger ones make fewer anchor events.
   * @defaultValue 10000
   */
  readonly blockSize?: number;
  /** Stamps `anchoredAt`. @defaultValue the system clock */
  readonly clock?: () => Date;
  /** Every anchor is written to it (the log is one of the copies outside the database). */
  readonly logger?: AnchorLogger;
}

/** What one `anchorPending` call recorded. */
export interface AnchoringReport {
  readonly anchors: readonly IntegrityAnchorRecordedData[];
  /** The digest lines of those anchors, for the auditors' copy. */
  readonly digestLines: readonly string[];
}

/**
 * Records anchors: for every block of up to `blockSize` events not yet anchored (global order,
 * outside the anchor stream), an `IntegrityAnchorRecorded` event in stream `integrity-anchors`
 * holding the block's Merkle root and the streams' heads. A stream rewritten with recomputed
 * hashes then no longer matches the anchor; the anchor stream itself is chained, and each
 * anchor's line goes to the log (and to the auditors' digest), so rewriting the anchors too is
 * seen by whoever kept a copy.
 *
 * The first run over events stored before chaining began is the documented one-off step: it
 * computes their hashes from their content as it stands, and says so (`unchainedEventCount`).
 *
 * Appends with the anchor stream's expected revision: two instances anchoring at once write
 * one anchor, the other stops.
 */
export class IntegrityAnchorRecorder {
  private readonly blockSize: number;
  private readonly clock: () => Date;

  constructor(
    private readonly store: EventStore,
    private readonly options: IntegrityAnchorRecorderOptions = {},
  ) {
    this.blockSize = options.blockSize ?? 10_000;
    this.clock = options.clock ?? (() => new Date());
  }

  async anchorPending(): Promise<AnchoringReport> {
    const anchors: IntegrityAnchorRecordedData[] = [];
    const digestLines: string[] = [];
    const existing = await this.store.readStream(INTEGRITY_ANCHOR_STREAM);
    const lastEvent = existing[existing.length - 1];
    const last = lastEvent === undefined ? undefined : anchorOf(lastEvent);
    let revision = lastEvent?.revision;
    let sequence = last?.sequence ?? 0;
    let after = last === undefined ? undefined : BigInt(last.throughPosition);
    /** Chain hashes of streams met so far (for events stored before chaining began). */
    const heads = new Map<string, string>();
    for (;;) {
      const block = await this.nextBlock(after, heads);
      if (block.events.length === 0) return { anchors, digestLines };
      sequence += 1;
      const data: IntegrityAnchorRecordedData = {
        sequence,
        afterPosition: after === undefined ? null : after.toString(),
        throughPosition: block.through.toString(),
        eventCount: block.events.length,
        merkleRoot: merkleRoot(block.events.map((event) => merkleLeaf(event.position, event.hash))),
        streamHeads: [...block.streamHeads.values()].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0)),
        unchainedEventCount: block.unchained,
        anchoredAt: this.clock().toISOString(),
      };
      const id = newEventId();
      try {
        const result = await this.store.appendToStream(
          INTEGRITY_ANCHOR_STREAM,
          [
            {
              id,
              type: INTEGRITY_ANCHOR_RECORDED,
              schemaVersion: 1,
              data,
              metadata: { actor: 'system:integrity', correlationId: id, causationId: id, recordedAt: data.anchoredAt },
            },
          ],
          { expectedRevision: revision ?? 'no_stream' },
        );
        revision = result.nextExpectedRevision;
      } catch (error) {
        // Another instance anchored the same block first: its anchor stands.
        if (error instanceof WrongExpectedRevisionError) return { anchors, digestLines };
        throw error;
      }
      const recorded = (await this.store.readStream(INTEGRITY_ANCHOR_STREAM)).find((event) => event.id === id);
      const line = anchorDigestLine(data, recorded?.metadata.integrity?.hash ?? GENESIS_HASH);
      this.options.logger?.info({ anchor: data.sequence, merkleRoot: data.merkleRoot, throughPosition: data.throughPosition }, line);
      anchors.push(data);
      digestLines.push(line);
      after = block.through;
    }
  }

  private async nextBlock(
    after: bigint | undefined,
    heads: Map<string, string>,
  ): Promise<{ events: Array<{ position: bigint; hash: string }>; through: bigint; streamHeads: Map<string, AnchoredStreamHead>; unchained: number }> {
    const events: Array<{ position: bigint; hash: string }> = [];
    const streamHeads = new Map<string, AnchoredStreamHead>();
    let unchained = 0;
    let through = after ?? 0n;
    let cursor = after;
    while (events.length < this.blockSize) {
      const page = await this.store.readAll({ ...(cursor !== undefined ? { after: cursor } : {}), limit: Math.min(1000, this.blockSize - events.length + 1) });
      if (page.length === 0) break;
      for (const event of page) {
        if (events.length >= this.blockSize) break;
        cursor = event.position;
        if (event.streamId === INTEGRITY_ANCHOR_STREAM) continue;
        const previous = heads.get(event.streamId) ?? (await this.previousHashOf(event));
        const hash = chainHashOf(event, previous);
        if (event.metadata.integrity === undefined) unchained += 1;
        heads.set(event.streamId, hash);
        events.push({ position: event.position, hash });
        streamHeads.set(event.streamId, { streamId: event.streamId, revision: event.revision.toString(), hash });
        through = event.position;
      }
      if (events.length >= this.blockSize) break;
    }
    return { events, through, streamHeads, unchained };
  }

  /** The chain hash before `event` in its stream, when the stream has not been met in this run. */
  private async previousHashOf(event: RecordedEvent): Promise<string> {
    if (event.metadata.integrity !== undefined) return event.metadata.integrity.previousHash;
    if (event.revision === 0n) return GENESIS_HASH;
    let hash = GENESIS_HASH;
    for (const earlier of await this.store.readStream(event.streamId)) {
      if (earlier.revision >= event.revision) break;
      hash = chainHashOf(earlier, hash);
    }
    return hash;
  }
}
