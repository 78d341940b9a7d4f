import { hash as digest } from 'node:crypto';
import type { EventIntegrity, EventMetadata, NewEvent, RecordedEvent } from '../event-store.port';
import { canonicalJson, canonicalObject } from './canonical-json';

/** The "previous hash" of the first event of every stream: 32 zero bytes, hex. */
export const GENESIS_HASH = '0'.repeat(64);

/** The version of the hashed content's layout, first in it, so a later layout can coexist. */
const CONTENT_LAYOUT = 'quarterly-event-v1';
const LAYOUT_PREFIX = `[${JSON.stringify(CONTENT_LAYOUT)},`;

/** What an event's hash covers: everything stored about it except its global position. */
export interface HashedContent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

/**
 * SHA-256 (hex) over the previous event's hash in the stream and the event's canonical content:
 * stream, revision, id, type, schema version, data and metadata (without its `integrity`
 * member, which holds the hash). Changing any of them, or the event before it, changes it.
 *
 * The global position is left out on purpose: PostgreSQL assigns it at commit, after the hash
 * is computed. Global order is covered by the anchors instead (see `merkle-root.ts`).
 */
export function hashEvent(content: HashedContent, previousHash: string): string {
  // The canonical JSON of [layout, previousHash, streamId, revision, id, type, schemaVersion,
  // data, metadata without integrity], written out directly: verify runs it on every event.
  const text =
    `${LAYOUT_PREFIX}${JSON.stringify(previousHash)},${JSON.stringify(content.streamId)},"${content.revision}",` +
    `${JSON.stringify(content.id)},${JSON.stringify(content.type)},${canonicalJson(content.schemaVersion)},` +
    `${canonicalJson(content.data)},${canonicalObject(content.metadata as unknown as Record<string, unknown>, 'integrity')}]`;
  return digest('sha256', text, 'hex');
}

/** The event with its place in the chain written into its metadata. */
export function withIntegrity(event: NewEvent, streamId: string, revision: bigint, previousHash: string): NewEvent {
  const hash = hashEvent(
    { streamId, revision, id: event.id, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata },
    previousHash,
  );
  const integrity: EventIntegrity = { previousHash, hash };
  return { ...event, metadata: { ...event.metadata, integrity } };
}

/**
 * The hash an event has in its stream's chain: the stored one, or, for an event stored before
 * chaining began (no `integrity`), the one computed from its content and the previous hash.
 */
export function chainHashOf(event: RecordedEvent, previousHash: string): string {
  return event.metadata.integrity?.hash ?? hashEvent(event, previousHash);
}
