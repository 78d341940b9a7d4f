import { hash as digest } from 'node:crypto';
import type { EventIntegrity, EventMetadata, NewEvent, RecordedEvent } from '../event-store.port';
import { canonicalJson, canonicalObject, jsonString } from './canonical-json';

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
  return hashCanonicalText(
    content.streamId,
    content.revision,
    content.id,
    content.type,
    content.schemaVersion,
    canonicalJson(content.data),
    canonicalMetadata(content.metadata),
    previousHash,
  );
}

/**
 * {@link hashEvent} over data and metadata already written as canonical JSON (metadata without
 * `integrity`): the canonical JSON of [layout, previousHash, streamId, revision, id, type,
 * schemaVersion, data, metadata], written out directly, since `verify` runs it on every event.
 */
export function hashCanonicalText(
  streamId: string,
  revision: bigint,
  id: string,
  type: string,
  schemaVersion: number,
  dataJson: string,
  metadataJson: string,
  previousHash: string,
): string {
  return digest('sha256', `${hashedTextHead(streamId, revision, id, type, schemaVersion, previousHash)}${dataJson},${metadataJson}]`, 'hex');
}

/** The hashed text up to the data: layout, previous hash, stream, revision, id, type, schema version. */
function hashedTextHead(streamId: string, revision: bigint, id: string, type: string, schemaVersion: number, previousHash: string): string {
  return (
    `${LAYOUT_PREFIX}${jsonString(previousHash)},${jsonString(streamId)},"${revision}",` +
    `${jsonString(id)},${jsonString(type)},${Number.isSafeInteger(schemaVersion) ? schemaVersion : canonicalJson(schemaVersion)},`
  );
}

function canonicalMetadata(metadata: EventMetadata): string {
  return canonicalObject(metadata as unknown as Record<string, unknown>, 'integrity');
}

/** The text between an event's canonical metadata (its closing brace removed) and the end of its stored metadata. */
const INTEGRITY_OPENING = ',"integrity":{"previousHash":"';
const INTEGRITY_MIDDLE = '","hash":"';
const INTEGRITY_CLOSING = '"}}';
const HASH_LENGTH = 64;
const INTEGRITY_MEMBER_LENGTH = INTEGRITY_OPENING.length + HASH_LENGTH + INTEGRITY_MIDDLE.length + HASH_LENGTH + INTEGRITY_CLOSING.length;

/**
 * The event with its place in the chain written into its metadata, and the JSON text to store:
 * the canonical data that was hashed, and the canonical metadata that was hashed with the
 * `integrity` member added last. Stored as is, `verify` can hash the stored text directly
 * ({@link storedChainLink}) instead of parsing and re-serialising it.
 */
export function withIntegrity(event: NewEvent, streamId: string, revision: bigint, previousHash: string): NewEvent {
  const head = hashedTextHead(streamId, revision, event.id, event.type, event.schemaVersion, previousHash);
  const canonicalData = canonicalJson(event.data);
  const canonicalMeta = canonicalMetadata(event.metadata);
  const text = `${head}${canonicalData},${canonicalMeta}]`;
  const hash = digest('sha256', text, 'hex');
  // Hashing flattened `text` into one string; the stored data and metadata are cut from it rather
  // than kept as the pieces they were built from, which the store would flatten a second time.
  const data = text.slice(head.length, head.length + canonicalData.length);
  const metadata = text.slice(head.length + canonicalData.length + 1, text.length - 1);
  const integrity: EventIntegrity = { previousHash, hash };
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    // Object.assign, not a spread: V8 copies and extends this way several times faster.
    metadata: Object.assign({}, event.metadata, { integrity }),
    storedJson: {
      data,
      metadata: `${metadata.slice(0, -1)}${metadata.length > 2 ? INTEGRITY_OPENING : INTEGRITY_OPENING.slice(1)}${previousHash}${INTEGRITY_MIDDLE}${hash}${INTEGRITY_CLOSING}`,
    },
  };
}

/**
 * The chain link of a stored event whose stored text is what {@link withIntegrity} wrote, when
 * that text still gives its stored hash: its previous hash and hash. Undefined otherwise — text
 * written another way (before this layout of stored text, by another store, re-ordered keys) or
 * changed since; the caller then checks the parsed event (`hashEvent`), which tells the two apart.
 *
 * Sound without parsing: the stored hash matches only if the text before the `integrity` member
 * is, byte for byte, the canonical text hashed at append (SHA-256 being collision resistant), so
 * parsing the stored text gives the appended values; and the member after it is matched exactly,
 * so no key can be smuggled in behind it.
 */
export function storedChainLink(
  streamId: string,
  revision: bigint,
  id: string,
  type: string,
  schemaVersion: number,
  dataJson: string,
  metadataJson: string,
): EventIntegrity | undefined {
  const start = metadataJson.length - INTEGRITY_MEMBER_LENGTH;
  const hashAt = start + INTEGRITY_OPENING.length + HASH_LENGTH + INTEGRITY_MIDDLE.length;
  if (
    start < 2 ||
    !metadataJson.startsWith(INTEGRITY_OPENING, start) ||
    !metadataJson.startsWith(INTEGRITY_MIDDLE, hashAt - INTEGRITY_MIDDLE.length) ||
    !metadataJson.endsWith(INTEGRITY_CLOSING)
  ) {
    return undefined;
  }
  const previousHash = metadataJson.slice(start + INTEGRITY_OPENING.length, start + INTEGRITY_OPENING.length + HASH_LENGTH);
  const hash = metadataJson.slice(hashAt, hashAt + HASH_LENGTH);
  const metadata = `${metadataJson.slice(0, start)}}`;
  if (hashCanonicalText(streamId, revision, id, type, schemaVersion, dataJson, metadata, previousHash) !== hash) return undefined;
  return { previousHash, hash };
}

/**
 * The hash an event has in its stream's chain: the stored one, or, for an event stored before
 * chaining began (no `integrity`), the one computed from its content and the previous hash.
 */
export function chainHashOf(event: RecordedEvent, previousHash: string): string {
  return event.metadata.integrity?.hash ?? hashEvent(event, previousHash);
}
