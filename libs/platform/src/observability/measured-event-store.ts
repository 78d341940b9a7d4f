import { EventStoreUnavailableError, WrongExpectedRevisionError, type EventStore } from '@quarterly/event-store';
import { QuarterlyMetrics } from './quarterly-metrics';

/**
 * The store with every `appendToStream` timed into `quarterly_event_store_append_duration_seconds`,
 * labelled by outcome. Everything else passes through untouched (a proxy, so a method added to
 * the port needs no change here).
 */
export function measuredEventStore<S extends EventStore>(store: S, metrics: QuarterlyMetrics): S {
  const append: EventStore['appendToStream'] = (streamId, events, options) =>
    QuarterlyMetrics.time(metrics.eventStoreAppendDuration, () => store.appendToStream(streamId, events, options), appendOutcome);
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStream') return append;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function appendOutcome(error: unknown): string {
  if (error instanceof WrongExpectedRevisionError) return 'conflict';
  if (error instanceof EventStoreUnavailableError) return 'unavailable';
  return 'error';
}
