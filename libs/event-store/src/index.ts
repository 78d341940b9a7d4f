export * from './event-store.port';
export { EmptyAppendError } from './append-rules';
export { newEventId } from './event-id';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export {
  AppendTooLargeError,
  MAX_EVENTS_PER_APPEND,
  PostgresEventStore,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store';
export * from './kurrentdb';
export * from './integrity';
