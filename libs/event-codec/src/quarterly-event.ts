import type { CycleEvent, DomainEvent, KpiEvent, PersonEvent, ReturnEvent } from '@quarterly/domain';
import type { INTEGRITY_ANCHOR_RECORDED, IntegrityAnchorRecordedData, RecordedEvent } from '@quarterly/event-store';

/** The integrity anchors the engine records beside the domain's events (libs/event-store/integrity). */
export type IntegrityAnchorRecorded = DomainEvent<typeof INTEGRITY_ANCHOR_RECORDED, IntegrityAnchorRecordedData>;

/** Every event type the engine stores, in its current shape. */
export type QuarterlyEvent = KpiEvent | CycleEvent | ReturnEvent | PersonEvent | IntegrityAnchorRecorded;

export type QuarterlyEventType = QuarterlyEvent['type'];

/**
 * A stored event decoded and upcast to the current shape of its type: a union discriminated by
 * `type`, so `switch (event.type)` narrows `event.data` without a cast and a `never` default
 * makes the switch exhaustive.
 */
export type DecodedEvent<E extends QuarterlyEvent = QuarterlyEvent> = E extends QuarterlyEvent ? RecordedEvent<E['type'], E['data']> : never;

/** The decoded event of one type. */
export type DecodedEventOf<T extends QuarterlyEventType> = DecodedEvent<Extract<QuarterlyEvent, { type: T }>>;

/**
 * Every type, once; a `Record` over the union so that a type added to the domain and not here
 * fails to compile.
 */
const KNOWN: Readonly<Record<QuarterlyEventType, true>> = {
  KpiDefined: true,
  KpiDefinitionAmended: true,
  KpiOwnershipChanged: true,
  KpiTargetPolicySet: true,
  KpiRetired: true,
  CycleOpened: true,
  CycleDeadlineExtended: true,
  CycleClosed: true,
  CycleImported: true,
  ReturnRequested: true,
  ReturnSubmitted: true,
  ReturnResubmitted: true,
  ReturnFigureMarkedNotAvailable: true,
  ReturnChallenged: true,
  ReturnApproved: true,
  ReturnEscalated: true,
  ReturnRestated: true,
  ReturnDueDateChanged: true,
  ReturnReminderSent: true,
  ReturnChased: true,
  ReturnFigureImported: true,
  PersonRegistered: true,
  PersonDetailsChanged: true,
  PersonDeactivated: true,
  IntegrityAnchorRecorded: true,
};

export const QUARTERLY_EVENT_TYPES = Object.keys(KNOWN) as readonly QuarterlyEventType[];

export function isQuarterlyEventType(type: string): type is QuarterlyEventType {
  return Object.prototype.hasOwnProperty.call(KNOWN, type);
}

/** Ends an exhaustive `switch (event.type)`: adding a type the switch does not handle fails to compile. */
export function unhandledEvent(event: never): never {
  throw new Error(`unhandled event type ${(event as { type?: unknown }).type as string}`);
}
