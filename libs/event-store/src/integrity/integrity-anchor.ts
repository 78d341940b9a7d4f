import type { RecordedEvent } from '../event-store.port';

/** The stream the anchors are recorded in. Its events are chained but cover no block themselves. */
export const INTEGRITY_ANCHOR_STREAM = 'integrity-anchors';

/** The type of an anchor event. */
export const INTEGRITY_ANCHOR_RECORDED = 'IntegrityAnchorRecorded';

/** Where one stream stood at the end of an anchored block. */
export interface AnchoredStreamHead {
  readonly streamId: string;
  readonly revision: string;
  readonly hash: string;
}

/**
 * One block of the global order, fixed: every event (outside the anchor stream) with a position
 * after `afterPosition` up to and including `throughPosition`, by the Merkle root over their
 * (position, hash) leaves and the head of every stream they touch.
 */
export interface IntegrityAnchorRecordedData {
  /** 1 for the first anchor, then one more each time. */
  readonly sequence: number;
  /** The previous anchor's `throughPosition`; null for the first anchor (from the start). */
  readonly afterPosition: string | null;
  readonly throughPosition: string;
  readonly eventCount: number;
  readonly merkleRoot: string;
  /** The streams the block touches, each at its last event in the block, by stream id. */
  readonly streamHeads: readonly AnchoredStreamHead[];
  /**
   * Events in the block stored before chaining began, whose hashes were computed from their
   * content when this anchor was recorded: the anchor vouches for them as they stood then,
   * not as they were first written.
   */
  readonly unchainedEventCount: number;
  /** When the anchor was recorded (ISO 8601). */
  readonly anchoredAt: string;
}

export type IntegrityAnchorRecorded = RecordedEvent<typeof INTEGRITY_ANCHOR_RECORDED, IntegrityAnchorRecordedData>;

/** An anchor stream event not shaped like an anchor: the anchor stream was written by something else. */
export class MalformedAnchorError extends Error {
  override readonly name = 'MalformedAnchorError';
  constructor(readonly eventId: string, problem: string) {
    super(`anchor event ${eventId}: ${problem}`);
  }
}

/** The anchor an event of the anchor stream holds, its shape checked rather than assumed. */
export function anchorOf(event: RecordedEvent): IntegrityAnchorRecordedData {
  if (event.type !== INTEGRITY_ANCHOR_RECORDED) throw new MalformedAnchorError(event.id, `type is ${event.type}`);
  const data = event.data as Partial<Record<keyof IntegrityAnchorRecordedData, unknown>> | null;
  const hex64 = (value: unknown) => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
  const position = (value: unknown) => typeof value === 'string' && /^\d+$/.test(value);
  if (
    typeof data !== 'object' || data === null ||
    !Number.isInteger(data.sequence) ||
    !(data.afterPosition === null || position(data.afterPosition)) ||
    !position(data.throughPosition) ||
    !Number.isInteger(data.eventCount) ||
    !hex64(data.merkleRoot) ||
    !Array.isArray(data.streamHeads) ||
    !data.streamHeads.every((head: Partial<AnchoredStreamHead> | null) => typeof head?.streamId === 'string' && position(head.revision) && hex64(head.hash)) ||
    !Number.isInteger(data.unchainedEventCount) ||
    typeof data.anchoredAt !== 'string'
  ) {
    throw new MalformedAnchorError(event.id, 'data is not an IntegrityAnchorRecorded');
  }
  return data as IntegrityAnchorRecordedData;
}

/** The one line per anchor that auditors keep outside the system, and `verify --digest` checks. */
export function anchorDigestLine(anchor: IntegrityAnchorRecordedData, anchorEventHash: string): string {
  return [
    `anchor ${anchor.sequence}`,
    `positions ${anchor.afterPosition ?? 'start'}..${anchor.throughPosition}`,
    `events ${anchor.eventCount}`,
    `root ${anchor.merkleRoot}`,
    `event-hash ${anchorEventHash}`,
    `at ${anchor.anchoredAt}`,
  ].join(' | ');
}

/** Parses the lines {@link anchorDigestLine} writes (other lines are ignored). */
export function parseAnchorDigest(text: string): Map<number, { merkleRoot: string; eventHash: string; throughPosition: string }> {
  const anchors = new Map<number, { merkleRoot: string; eventHash: string; throughPosition: string }>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^anchor (\d+) \| positions \S+\.\.(\d+) \| events \d+ \| root ([0-9a-f]{64}) \| event-hash ([0-9a-f]{64})/.exec(line.trim());
    if (match) anchors.set(Number(match[1]), { throughPosition: match[2]!, merkleRoot: match[3]!, eventHash: match[4]! });
  }
  return anchors;
}
