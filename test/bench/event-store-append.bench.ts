import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore, type NewEvent, newEventId, PostgresEventStore, SqliteEventStore } from '@quarterly/event-store';
import { PostgresTestDatabase } from '../support/postgres-test-database';

/** One measured figure: how many operations in how long. */
export interface Throughput {
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
}

export interface EventStoreAppendFigures {
  readonly sqlite: AdapterFigures & { readonly appends32WithoutGroupCommit: Throughput };
  readonly postgres: AdapterFigures;
}

interface AdapterFigures {
  /** One-event appends, one caller at a time (latency-bound: one fsync each). */
  readonly appends1: Throughput;
  /** One-event appends, 32 callers at once on 32 streams. */
  readonly appends32: Throughput;
  /** `readAll` in pages of 1,000 over 100,000 events. */
  readonly readAll: Throughput;
}

/** How long each append measurement runs. */
const APPEND_SECONDS = 3;
const READ_EVENTS = 100_000;

/**
 * Appends per second (one-event appends, 1 and 32 concurrent callers) and `readAll` events per
 * second over 100,000 events, for SQLite (a file on disk, `synchronous=FULL`) and PostgreSQL
 * (`DATABASE_URL`, fsync on, a throwaway schema). About 30 s in all.
 */
export async function benchEventStoreAppend(): Promise<EventStoreAppendFigures> {
  const directory = mkdtempSync(join(tmpdir(), 'quarterly-bench-events-'));
  try {
    const sqliteFile = (name: string) => join(directory, `${name}.sqlite`);
    const sqlite = await measure(async () => new SqliteEventStore({ filename: sqliteFile('grouped') }));
    const ungrouped = await openClose(
      async () => new SqliteEventStore({ filename: sqliteFile('ungrouped'), groupCommit: false }),
      (store) => appendThroughput(store, 32),
    );
    const database = await PostgresTestDatabase.create('bench_event_store');
    try {
      const postgres = await measure(() =>
        PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema, maxConnections: 32 }),
      );
      return { sqlite: { ...sqlite, appends32WithoutGroupCommit: ungrouped }, postgres };
    } finally {
      await database.drop();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function measure(open: () => Promise<EventStore>): Promise<AdapterFigures> {
  return openClose(open, async (store) => ({
    appends1: await appendThroughput(store, 1),
    appends32: await appendThroughput(store, 32),
    readAll: await readAllThroughput(store),
  }));
}

async function openClose<T>(open: () => Promise<EventStore>, work: (store: EventStore) => Promise<T>): Promise<T> {
  const store = await open();
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** `callers` loops, each appending one event at a time to its own stream, for APPEND_SECONDS. */
async function appendThroughput(store: EventStore, callers: number): Promise<Throughput> {
  const run = randomUUID();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(APPEND_SECONDS * 1e9);
  let operations = 0;
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      const stream = `bench-${run}-${caller}`;
      let expectedRevision: bigint | 'no_stream' = 'no_stream';
      while (process.hrtime.bigint() < deadline) {
        const result = await store.appendToStream(stream, [benchEvent(operations)], { expectedRevision });
        expectedRevision = result.nextExpectedRevision;
        operations += 1;
      }
    }),
  );
  return throughput(operations, started);
}

/** Writes READ_EVENTS events in large appends, then times reading them all back in pages. */
async function readAllThroughput(store: EventStore): Promise<Throughput> {
  let after = (await lastPosition(store)) ?? undefined;
  const stream = `bench-read-${randomUUID()}`;
  let expectedRevision: bigint | 'no_stream' = 'no_stream';
  for (let written = 0; written < READ_EVENTS; written += 1_000) {
    const events = Array.from({ length: 1_000 }, (_, index) => benchEvent(written + index));
    expectedRevision = (await store.appendToStream(stream, events, { expectedRevision })).nextExpectedRevision;
  }
  const started = process.hrtime.bigint();
  let read = 0;
  for (;;) {
    const page = await store.readAll({ ...(after === undefined ? {} : { after }), limit: 1_000 });
    if (page.length === 0) break;
    read += page.length;
    after = page[page.length - 1]!.position;
  }
  return throughput(read, started);
}

async function lastPosition(store: EventStore): Promise<bigint | undefined> {
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ ...(after === undefined ? {} : { after }), limit: 10_000 });
    if (page.length === 0) return after;
    after = page[page.length - 1]!.position;
  }
}

function throughput(operations: number, started: bigint): Throughput {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { operations, seconds: round(seconds), perSecond: round(operations / seconds) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function benchEvent(index: number): NewEvent {
  return {
    // A time-ordered id, as the command executor makes.
    id: newEventId(),
    type: 'FigureRecorded',
    schemaVersion: 1,
    data: { kpi: 'KPI-042', period: '2025-Q1', value: `${index}.25`, note: 'benchmark' },
    metadata: {
      actor: 'system:bench',
      correlationId: randomUUID(),
      causationId: randomUUID(),
      recordedAt: '2025-04-01T09:00:00.000Z',
    },
  };
}

if (require.main === module) {
  benchEventStoreAppend().then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
