// The adapters' own files, not the package's index: the worker thread loads what it uses only
// (the index also loads the EventStoreDB client and gRPC).
import { PostgresEventStore } from '@quarterly/event-store/postgres/postgres-event-store';
import { SqliteEventStore } from '@quarterly/event-store/sqlite/sqlite-event-store';
import type { EventStore } from '@quarterly/event-store/event-store.port';

/**
 * Where a rebuild's worker thread reads the log, on a connection of its own: the same log as the
 * store handed to `rebuildProjectionSet` (plain data, since a store cannot cross to a thread).
 * Reading only, so the hash-chaining wrapper the engine appends through is not needed.
 */
export type RebuildLogSource =
  | { readonly kind: 'sqlite'; readonly filename: string }
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly schema?: string };

/** Opens the store a worker reads the log from. */
export async function openRebuildLogSource(source: RebuildLogSource): Promise<EventStore> {
  if (source.kind === 'sqlite') return new SqliteEventStore({ filename: source.filename });
  return PostgresEventStore.open({
    connectionString: source.connectionString,
    maxConnections: 2,
    ...(source.schema !== undefined ? { schema: source.schema } : {}),
  });
}
