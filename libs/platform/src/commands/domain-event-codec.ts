import type { DomainEvent } from '@quarterly/domain';
import type { RecordedEvent } from '@quarterly/event-store';

/**
 * Stored event types and their data shapes are a public contract. When a shape changes, its
 * type's version goes up here and an upcaster turns the previous version into the new one on
 * read; stored events are never rewritten. An optional field added in a way both older and newer
 * readers can live with (absent on old events, ignored by old code) keeps the version:
 * `ReturnEscalated.notified` was added so. Every type is at version 1 so far.
 */
const CURRENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = {};

type Upcaster = (data: unknown) => unknown;
/** `UPCASTERS[type][n]` turns version n of `type` into version n + 1. */
const UPCASTERS: Readonly<Record<string, Readonly<Record<number, Upcaster>>>> = {};

/** An event was written by a newer version of the engine than this one. */
export class UnknownSchemaVersionError extends Error {
  override readonly name = 'UnknownSchemaVersionError';
  constructor(
    readonly type: string,
    readonly schemaVersion: number,
  ) {
    super(`${type} v${schemaVersion} is newer than this engine understands (v${schemaVersionOf(type)})`);
  }
}

export function schemaVersionOf(type: string): number {
  return CURRENT_SCHEMA_VERSIONS[type] ?? 1;
}

/** The domain's view of a stored event: upcast to the current version of its type. */
export function toDomainEvent<E extends DomainEvent>(recorded: RecordedEvent): E {
  const current = schemaVersionOf(recorded.type);
  if (recorded.schemaVersion > current) throw new UnknownSchemaVersionError(recorded.type, recorded.schemaVersion);
  let data = recorded.data;
  for (let version = recorded.schemaVersion; version < current; version += 1) {
    const upcast = UPCASTERS[recorded.type]?.[version];
    if (!upcast) throw new UnknownSchemaVersionError(recorded.type, recorded.schemaVersion);
    data = upcast(data);
  }
  return { type: recorded.type, data } as E;
}
