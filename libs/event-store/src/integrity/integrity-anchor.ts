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
