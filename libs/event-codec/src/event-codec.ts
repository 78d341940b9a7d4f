import type { DomainEvent } from '@quarterly/domain';
import type { RecordedEvent } from '@quarterly/event-store';
import { isQuarterlyEventType, type DecodedEvent, type DecodedEventOf, type QuarterlyEventType } from './quarterly-event';

/** Turns the data of version n of a type into version n + 1. */
export type Upcaster = (data: unknown) => unknown;

/**
 * The versions of the stored shapes and the upcasters between them. A type absent from
 * `currentVersions` is at version 1.
 */
export interface EventSchemas {
  readonly currentVersions: Readonly<Partial<Record<QuarterlyEventType, number>>>;
  /** `upcasters[type][n]` turns version n of `type` into version n + 1. */
  readonly upcasters: Readonly<Partial<Record<QuarterlyEventType, Readonly<Record<number, Upcaster>>>>>;
}

/**
 * Stored event types and their data shapes are a public contract. When a shape changes, its
 * type's version goes up here and an upcaster turns the previous version into the new one on
 * read; stored events are never rewritten. An optional field added in a way both older and newer
 * readers can live with (absent on old events, ignored by old code) keeps the version:
 * `ReturnEscalated.notified` and `CycleOpened.policy` were added so. Every type is at version 1
 * so far.
 */
export const QUARTERLY_EVENT_SCHEMAS: EventSchemas = { currentVersions: {}, upcasters: {} };

/** An event was written by a newer version of the engine than this one. */
export class UnknownSchemaVersionError extends Error {
  override readonly name = 'UnknownSchemaVersionError';
  constructor(
    readonly type: string,
    readonly schemaVersion: number,
    readonly currentVersion: number,
  ) {
    super(`${type} v${schemaVersion} is newer than this engine understands (v${currentVersion})`);
  }
}

/** An event of a type this engine does not know (written by a newer engine, or not by one at all). */
export class UnknownEventTypeError extends Error {
  override readonly name = 'UnknownEventTypeError';
  constructor(
    readonly type: string,
    readonly streamId: string,
  ) {
    super(`${streamId} holds an event of type ${type}, which this engine does not know`);
  }
}

/**
 * The one place stored events become typed: every reader — the command executor, projections,
 * process managers, timers, history — decodes through it, so an upcaster added here reaches all
 * of them. Decoding upcasts the data to the current version and tags the event with it.
 */
export class EventCodec {
  constructor(readonly schemas: EventSchemas = QUARTERLY_EVENT_SCHEMAS) {}

  /** The version new events of `type` are written at. */
  schemaVersionOf(type: string): number {
    return (isQuarterlyEventType(type) ? this.schemas.currentVersions[type] : undefined) ?? 1;
  }

  decode(recorded: RecordedEvent): DecodedEvent {
    if (!isQuarterlyEventType(recorded.type)) throw new UnknownEventTypeError(recorded.type, recorded.streamId);
    const current = this.schemaVersionOf(recorded.type);
    if (recorded.schemaVersion > current) throw new UnknownSchemaVersionError(recorded.type, recorded.schemaVersion, current);
    if (recorded.schemaVersion === current) return recorded as DecodedEvent;
    let data = recorded.data;
    for (let version = recorded.schemaVersion; version < current; version += 1) {
      const upcast = this.schemas.upcasters[recorded.type]?.[version];
      if (!upcast) throw new UnknownSchemaVersionError(recorded.type, recorded.schemaVersion, current);
      data = upcast(data);
    }
    // The upcasters' chain ends at the current shape of `type`: the one unchecked step.
    return { ...recorded, schemaVersion: current, data } as DecodedEvent;
  }

  decodeAll(recorded: readonly RecordedEvent[]): DecodedEvent[] {
    return recorded.map((event) => this.decode(event));
  }

  /**
   * The events of the given types, in order, decoded (the others are left out, not decoded): what
   * a projection or process manager listing `types` is handed.
   */
  decodeOnly<T extends QuarterlyEventType>(types: readonly T[], recorded: readonly RecordedEvent[]): Array<DecodedEventOf<T>> {
    const wanted = new Set<string>(types);
    // An event of a wanted type decodes to that type's shape: the cast says no more than that.
    return recorded.filter((event) => wanted.has(event.type)).map((event) => this.decode(event) as DecodedEventOf<T>);
  }

  /**
   * The events of one stream as its decider's events. A stream holds only its own type's events
   * (its id says which decider folds it), which is what the cast states.
   */
  decodeStream<E extends DomainEvent>(recorded: readonly RecordedEvent[]): Array<E & DecodedEvent> {
    return recorded.map((event) => this.decode(event) as E & DecodedEvent);
  }
}

/** The engine's codec: the schemas above. Tests make their own with further upcasters. */
export const eventCodec = new EventCodec();

