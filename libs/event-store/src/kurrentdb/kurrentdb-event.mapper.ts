import {
  ANY,
  NO_STREAM,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type JSONEventData,
  type JSONType,
  type Position,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import type {
  EventMetadata,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '../event-store.port';

/**
 * The metadata document stored with every event in EventStoreDB.
 *
 * `$correlationId` and `$causationId` use the server's own names, so its `$by_correlation_id`
 * projection and its UI understand them; the rest are ours. `schemaVersion` lives here rather
 * than in the data so that the data stays exactly the domain's shape.
 */
export interface KurrentDbStoredMetadata {
  readonly $correlationId: string;
  readonly $causationId: string;
  readonly actor: string;
  readonly recordedAt: string;
  readonly schemaVersion: number;
  readonly idempotencyKey?: string;
  readonly commandDigest?: string;
  /** The event's link in its stream's hash chain (see `EventMetadata.integrity`). */
  readonly integrity?: { readonly previousHash: string; readonly hash: string };
}

/** A stored event cannot be turned back into a port event: it was not written by this adapter. */
export class KurrentDbEventDecodeError extends Error {
  override readonly name = 'KurrentDbEventDecodeError';
  constructor(
    readonly streamName: string,
    readonly eventId: string,
    problem: string,
  ) {
    super(`event ${eventId} in stream ${streamName}: ${problem}`);
  }
}

/** The server answered something this adapter cannot reconcile with what it just did. */
export class KurrentDbProtocolError extends Error {
  override readonly name = 'KurrentDbProtocolError';
}

/**
 * EventStoreDB answers `ulong.MaxValue` for a position it does not know (stream reads on servers
 * before 22.6); it must never be taken for a real place in the log.
 */
const UNKNOWN_POSITION = 0xffff_ffff_ffff_ffffn;

/** The port's expected revision as the client's stream state. */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  if (expected < 0n) throw new RangeError(`expected revision must be >= 0, got ${expected}`);
  return expected;
}

/**
 * A global position as the client's `$all` position. Every event written through the gRPC API
 * is its own record in the log, so its prepare position equals its commit position; a single
 * bigint therefore addresses it exactly.
 */
export function toAllPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

export function toEventData(event: NewEvent): JSONEventData {
  if (event.data === undefined) {
    throw new TypeError(`event ${event.id} (${event.type}) has no data`);
  }
  const metadata: KurrentDbStoredMetadata = {
    $correlationId: event.metadata.correlationId,
    $causationId: event.metadata.causationId,
    actor: event.metadata.actor,
    recordedAt: event.metadata.recordedAt,
    schemaVersion: event.schemaVersion,
    ...(event.metadata.idempotencyKey !== undefined && {
      idempotencyKey: event.metadata.idempotencyKey,
    }),
    ...(event.metadata.commandDigest !== undefined && {
      commandDigest: event.metadata.commandDigest,
    }),
    ...(event.metadata.integrity !== undefined && {
      integrity: { previousHash: event.metadata.integrity.previousHash, hash: event.metadata.integrity.hash },
    }),
  };
  // The port's id is deterministic (derived by the command layer), so a retried append sends
  // the same ids and the server recognises it instead of writing the events twice.
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data as JSONType,
    metadata: { ...metadata },
  });
}

/** Stream names as stored: the namespace (when one is configured) followed by the port's id. */
export class StreamNamer {
  constructor(readonly namespace = '') {}

  toStored(streamId: string): string {
    return this.namespace + streamId;
  }

  /** The port's stream id, or `undefined` for a stream outside the namespace. */
  fromStored(streamName: string): string | undefined {
    return streamName.startsWith(this.namespace)
      ? streamName.slice(this.namespace.length)
      : undefined;
  }
}

/** A system event (`$`-prefixed type), which the port never sees. */
export function isSystemEventType(type: string): boolean {
  return type.startsWith('$');
}

/**
 * Turns an event read from a stream or from `$all` into the port's event. Returns `undefined`
 * for what the port does not carry: system events, streams outside the namespace, and links
 * whose target was deleted.
 */
export function fromResolvedEvent(
  resolved: ResolvedEvent | AllStreamResolvedEvent,
  namer: StreamNamer,
): RecordedEvent | undefined {
  const event = resolved.event;
  if (event === undefined || isSystemEventType(event.type)) return undefined;
  const streamId = namer.fromStored(event.streamId);
  if (streamId === undefined) return undefined;

  const fail = (problem: string) => new KurrentDbEventDecodeError(event.streamId, event.id, problem);
  if (!event.isJson) throw fail('data is not JSON');
  const position = event.position?.commit ?? resolved.commitPosition;
  if (position === undefined || position === UNKNOWN_POSITION) {
    throw fail('the server did not report its position (EventStoreDB 22.6 or later is needed)');
  }
  const { metadata, schemaVersion } = decodeMetadata(event.metadata, fail);
  return {
    id: event.id,
    type: event.type,
    schemaVersion,
    data: event.data,
    metadata,
    streamId,
    revision: event.revision,
    position,
  };
}

function decodeMetadata(
  raw: unknown,
  fail: (problem: string) => KurrentDbEventDecodeError,
): { metadata: EventMetadata; schemaVersion: number } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw instanceof Uint8Array) {
    throw fail('metadata is not a JSON object');
  }
  const stored = raw as Record<string, unknown>;
  const text = (key: keyof KurrentDbStoredMetadata): string => {
    const value = stored[key];
    if (typeof value !== 'string') throw fail(`metadata.${key} is not a string`);
    return value;
  };
  const optionalText = (key: keyof KurrentDbStoredMetadata): string | undefined =>
    stored[key] === undefined ? undefined : text(key);
  const schemaVersion = stored.schemaVersion;
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) {
    throw fail('metadata.schemaVersion is not a positive integer');
  }
  const idempotencyKey = optionalText('idempotencyKey');
  const commandDigest = optionalText('commandDigest');
  const integrity = stored.integrity as { previousHash?: unknown; hash?: unknown } | undefined;
  if (integrity !== undefined && (typeof integrity?.previousHash !== 'string' || typeof integrity.hash !== 'string')) {
    throw fail('metadata.integrity is not a pair of hashes');
  }
  return {
    schemaVersion,
    metadata: {
      actor: text('actor'),
      correlationId: text('$correlationId'),
      causationId: text('$causationId'),
      recordedAt: text('recordedAt'),
      ...(idempotencyKey !== undefined && { idempotencyKey }),
      ...(commandDigest !== undefined && { commandDigest }),
      ...(integrity !== undefined && { integrity: { previousHash: integrity.previousHash as string, hash: integrity.hash as string } }),
    },
  };
}

/**
 * The server-side regular expression on event types for `$all` reads and subscriptions: never
 * a system event and, when `eventTypes` is given, only those types. .NET regex syntax.
 */
export function eventTypeRegex(eventTypes?: readonly string[]): string {
  if (eventTypes === undefined) return '^[^$]';
  const wanted = eventTypes.filter((type) => !isSystemEventType(type));
  // `(?!)` never matches: an empty list asks for no events at all, not for every event.
  if (wanted.length === 0) return '(?!)';
  return `^(?:${wanted.map(escapeRegex).join('|')})$`;
}

function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
}
