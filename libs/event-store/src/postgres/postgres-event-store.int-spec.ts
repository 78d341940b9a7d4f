import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PostgresTestDatabase } from '@quarterly/testing/postgres-test-database';
import { EventStoreUnavailableError, type NewEvent } from '../event-store.port';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

describeEventStoreContract('PostgresEventStore', async ({ beforeCommit }) => {
  const database = await PostgresTestDatabase.create('event_store_contract');
  const store = await PostgresEventStore.open({
    connectionString: database.connectionString,
    schema: database.schema,
    maxConnections: 20,
    ...(beforeCommit ? { beforeCommit } : {}),
  });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await database.drop();
    },
  };
});

// Without the test seam every append is one statement in an implicit transaction: the path a
// deployment runs. The contract's pauses before COMMIT then do not apply; its races still do.
describeEventStoreContract('PostgresEventStore without the beforeCommit seam', async () => {
  const database = await PostgresTestDatabase.create('event_store_contract_autocommit');
  const store = await PostgresEventStore.open({
    connectionString: database.connectionString,
    schema: database.schema,
    maxConnections: 20,
  });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await database.drop();
    },
  };
});

describe('PostgresEventStore', () => {
  let database: PostgresTestDatabase;

  beforeAll(async () => {
    database = await PostgresTestDatabase.create('event_store');
  });

  afterAll(async () => {
    await database?.drop();
  });

  describe('when a transaction that started earlier is still open', () => {
    it('hides a later commit from readAll until the earlier one commits, then shows both in order', async () => {
      const entered = deferred();
      const release = deferred();
      const slowStream = `slow-${randomUUID()}`;
      const store = await PostgresEventStore.open({
        connectionString: database.connectionString,
        schema: database.schema,
        beforeCommit: async (streamId) => {
          if (streamId !== slowStream) return;
          entered.resolve();
          await release.promise;
        },
      });
      try {
        const slow = store.appendToStream(slowStream, [newEvent('Slow')], { expectedRevision: 'no_stream' });
        await entered.promise;
        const fastStream = `fast-${randomUUID()}`;
        const fast = await store.appendToStream(fastStream, [newEvent('Fast')], { expectedRevision: 'no_stream' });

        // Committed, so a command reading the stream sees it; only the global order waits.
        expect(await store.readStream(fastStream)).toHaveLength(1);
        const whileOpen = await store.readAll({ limit: 1000 });
        expect(whileOpen.map((event) => event.type)).not.toContain('Fast');
        expect(whileOpen.map((event) => event.type)).not.toContain('Slow');

        release.resolve();
        const slowResult = await slow;
        // Other suites' transactions on the same cluster may hold the horizon back for a while:
        // until it passes, readAll may show nothing or Slow alone, but never Fast without Slow.
        let afterCommit = await store.readAll({ limit: 1000 });
        for (let attempt = 0; afterCommit.length < 2 && attempt < 200; attempt++) {
          expect(['Slow', 'Fast'].slice(0, afterCommit.length)).toEqual(afterCommit.map((event) => event.type));
          await new Promise((resolve) => setTimeout(resolve, 50));
          afterCommit = await store.readAll({ limit: 1000 });
        }

        expect(afterCommit.map((event) => event.type)).toEqual(['Slow', 'Fast']);
        expect(afterCommit.map((event) => event.position)).toEqual([slowResult.lastPosition, fast.lastPosition]);
      } finally {
        release.resolve();
        await store.close();
      }
    });
  });

  describe('when many stream reads are asked for at once', () => {
    it('answers each from its own revision, as reads one by one would, sharing queries', async () => {
      // One query in flight: every read asked for while it runs goes into the next one.
      const batched = await PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema, streamReadQueries: 1 });
      const oneByOne = await PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema, streamReadQueries: 0 });
      try {
        const streams = Array.from({ length: 12 }, (_, i) => `batched-${i}-${randomUUID()}`);
        for (const [i, stream] of streams.entries()) {
          await batched.appendToStream(stream, Array.from({ length: i + 1 }, (_, k) => newEvent(`E${k}`)), { expectedRevision: 'no_stream' });
        }
        const missing = `missing-${randomUUID()}`;
        const asks = [
          ...streams.map((stream, i) => ({ stream, fromRevision: BigInt(i % 3) })),
          { stream: missing, fromRevision: 0n },
          { stream: streams[5]!, fromRevision: 0n }, // the same stream twice, from two revisions
          { stream: streams[5]!, fromRevision: 4n },
          { stream: streams[0]!, fromRevision: 7n }, // beyond its last event
        ];
        const together = await Promise.all(asks.map(({ stream, fromRevision }) => batched.readStream(stream, { fromRevision })));
        const alone = [];
        for (const { stream, fromRevision } of asks) alone.push(await oneByOne.readStream(stream, { fromRevision }));

        expect(together).toEqual(alone);
        expect(together[asks.length - 4]).toEqual([]);
        expect(together[asks.length - 1]).toEqual([]);
        expect(together[7]!.map((event) => event.revision)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
        expect(together[7]!.every((event) => event.streamId === streams[7])).toBe(true);
      } finally {
        await batched.close();
        await oneByOne.close();
      }
    });

    it('sees an append that completed before the read was asked for, and rejects waiting reads once closed', async () => {
      const store = await PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema, streamReadQueries: 1 });
      const stream = `fresh-${randomUUID()}`;
      // Asked for while the append is under way: it may see it or not, but never part of it.
      const during = store.readStream(stream);
      await store.appendToStream(stream, [newEvent('First')], { expectedRevision: 'no_stream' });
      const after = await Promise.all([store.readStream(stream), store.readStream(stream, { fromRevision: 0n })]);
      expect((await during).length).toBeLessThanOrEqual(1);
      expect(after.map((events) => events.map((event) => event.type))).toEqual([['First'], ['First']]);
      await store.close();
      await expect(store.readStream(stream)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  describe('when many appends are asked for at once (group appends)', () => {
    it('stores each event’s JSON text as written, byte for byte, in a group as alone', async () => {
      const store = await PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema });
      const alone = await PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema, groupAppends: false });
      try {
        // Text as an adapter is handed it (`storedJson`): quotes, backslashes, escapes, characters
        // beyond the BMP, spacing and key order all kept, as the hash chain needs.
        const written = (index: number): NewEvent => {
          const event = newEvent('Written');
          const data = { note: `"quoted" \\ back\\slash ${index}`, emoji: 'é 😀', n: 1.5 };
          return { ...event, data, storedJson: { data: `{"note": ${JSON.stringify(data.note)},  "emoji":"\\u00e9 😀","n":1.50}`, metadata: JSON.stringify(event.metadata) } };
        };
        const streams = Array.from({ length: 8 }, (_, i) => `text-${i}-${randomUUID()}`);
        const appended = streams.map((_, i) => [written(i), written(i + 100)]);
        const results = await Promise.all([
          ...streams.slice(0, 7).map((stream, i) => store.appendToStream(stream, appended[i]!, { expectedRevision: 'no_stream' })),
          alone.appendToStream(streams[7]!, appended[7]!, { expectedRevision: 'no_stream' }),
        ]);
        const grouped = new Set(results.slice(0, 7).map((result) => result.lastPosition / 65_536n));
        expect(grouped.size).toBeLessThan(7); // some of them shared a statement
        const first = results.reduce((low, result) => (result.lastPosition < low ? result.lastPosition : low), results[0]!.lastPosition);
        // Other suites' transactions on the same cluster may hold the horizon back for a while.
        const ids = appended.flat().map((event) => event.id);
        let stored = await store.readAllStored({ after: first - 2n, limit: 10_000 });
        for (let attempt = 0; !ids.every((id) => stored.some((row) => row[3] === id)) && attempt < 400; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          stored = await store.readAllStored({ after: first - 2n, limit: 10_000 });
        }
        for (const events of appended) {
          for (const event of events) {
            const row = stored.find((candidate) => candidate[3] === event.id);
            expect(row?.slice(6, 8)).toEqual([event.storedJson!.data, event.storedJson!.metadata]);
          }
        }
      } finally {
        await store.close();
        await alone.close();
      }
    });

    it('gives each append its own outcome: conflicts and a faulty append refuse only themselves', async () => {
      const store = await PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema });
      const alone = await PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema, groupAppends: false });
      try {
        const streams = Array.from({ length: 10 }, (_, i) => `group-${i}-${randomUUID()}`);
        // All asked for in one run: they go together.
        const created = await Promise.all(streams.map((stream) => store.appendToStream(stream, [newEvent('Created'), newEvent('Named')], { expectedRevision: 'no_stream' })));
        expect(created.map((result) => result.nextExpectedRevision)).toEqual(streams.map(() => 1n));
        expect(new Set(created.map((result) => result.lastPosition)).size).toBe(streams.length);
        // One transaction wrote them all (a position is its transaction id * 65536 + n).
        expect(new Set(created.map((result) => result.lastPosition / 65_536n)).size).toBe(1);

        const used = newEvent('Used');
        await alone.appendToStream(`used-${randomUUID()}`, [used], { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled([
          ...streams.slice(0, 5).map((stream) => store.appendToStream(stream, [newEvent('Moved')], { expectedRevision: 1n })),
          store.appendToStream(streams[5]!, [newEvent('Stale')], { expectedRevision: 0n }),
          store.appendToStream(streams[6]!, [newEvent('Again')], { expectedRevision: 'no_stream' }),
          store.appendToStream(streams[7]!, [newEvent('First')], { expectedRevision: 1n }),
          store.appendToStream(streams[7]!, [newEvent('Second')], { expectedRevision: 1n }),
          store.appendToStream(streams[8]!, [{ ...newEvent('Duplicate'), id: used.id }], { expectedRevision: 1n }),
          store.appendToStream(streams[9]!, [newEvent('Last'), newEvent('Later')], { expectedRevision: 1n }),
        ]);
        const status = outcomes.map((outcome) => outcome.status);
        expect(status).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
        const reasons = outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.reason : undefined));
        expect(reasons[5]).toMatchObject({ name: 'WrongExpectedRevisionError', actual: 1n });
        expect(reasons[6]).toMatchObject({ name: 'WrongExpectedRevisionError', actual: 1n });
        expect(reasons[8]).toMatchObject({ name: 'WrongExpectedRevisionError', actual: 2n });
        expect(reasons[9]).not.toMatchObject({ name: 'WrongExpectedRevisionError' });
        const last = outcomes[10] as PromiseFulfilledResult<{ nextExpectedRevision: bigint; lastPosition: bigint }>;
        expect(last.value.nextExpectedRevision).toBe(3n);

        // What the stores hold is what was answered, read one by one.
        const read = async (stream: string) => (await alone.readStream(stream)).map((event) => `${event.revision}:${event.type}`);
        expect(await read(streams[0]!)).toEqual(['0:Created', '1:Named', '2:Moved']);
        expect(await read(streams[5]!)).toEqual(['0:Created', '1:Named']);
        expect(await read(streams[7]!)).toEqual(['0:Created', '1:Named', '2:First']);
        expect(await read(streams[8]!)).toEqual(['0:Created', '1:Named']);
        expect(await read(streams[9]!)).toEqual(['0:Created', '1:Named', '2:Last', '3:Later']);
        const lastEvents = await alone.readStream(streams[9]!, { fromRevision: 3n });
        expect(lastEvents[0]!.position).toBe(last.value.lastPosition);
      } finally {
        await store.close();
        await alone.close();
      }
    });
  });

  describe('when the schema already exists', () => {
    it('opens concurrently on the same schema without error and shares the events', async () => {
      const shared = await PostgresTestDatabase.create('event_store_shared');
      const options = { connectionString: shared.connectionString, schema: shared.schema };
      const [first, second] = await Promise.all([PostgresEventStore.open(options), PostgresEventStore.open(options)]);
      try {
        const stream = `shared-${randomUUID()}`;
        await first.appendToStream(stream, [newEvent('Shared')], { expectedRevision: 'no_stream' });
        expect((await second.readStream(stream)).map((event) => event.type)).toEqual(['Shared']);
      } finally {
        await first.close();
        await second.close();
        await shared.drop();
      }
    });
  });

  describe('on a new schema, before PostgreSQL has analysed its tables', () => {
    it('finds streams through the indexes, never scanning the events or the streams table, once its plans are generic', async () => {
      const fresh = await PostgresTestDatabase.create('event_store_plans');
      const options = { connectionString: fresh.connectionString, schema: fresh.schema, maxConnections: 2 };
      try {
        // Creating the tables scans them once per index built: counted before the appends and reads.
        await (await PostgresEventStore.open(options)).close();
        const created = await tableScansOnceReported(fresh, (scans) => scans.events.sequentialScans > 0 && scans.event_streams.sequentialScans > 0);
        const store = await PostgresEventStore.open(options);
        try {
          const streams = Array.from({ length: 30 }, (_, i) => `plan-${i}-${randomUUID()}`);
          await Promise.all(streams.map((stream) => store.appendToStream(stream, [newEvent('First'), newEvent('Second')], { expectedRevision: 'no_stream' })));
          // PostgreSQL plans a prepared statement for its values 5 times, then keeps a generic
          // plan: on a table of a page or two (as a new schema's is) that was a sequential scan.
          for (let round = 0; round < 10; round += 1) {
            const read = await Promise.all(streams.map((stream) => store.readStream(stream)));
            expect(read.map((events) => events.length)).toEqual(streams.map(() => 2 + Math.max(0, round - 1)));
            if (round > 0) await Promise.all(streams.map((stream) => store.appendToStream(stream, [newEvent('More')], { expectedRevision: BigInt(round) })));
          }
        } finally {
          await store.close();
        }
        // A server process reports its table statistics when it exits, i.e. once the store has
        // closed its connections: wait until they are in.
        const used = await tableScansOnceReported(fresh, (scans) => scans.events.indexScans > 0 && scans.event_streams.indexScans > 0);
        expect(used.events.indexScans).toBeGreaterThan(0);
        expect(used.event_streams.indexScans).toBeGreaterThan(0);
        expect(used.events.sequentialScans).toBe(created.events.sequentialScans);
        expect(used.event_streams.sequentialScans).toBe(created.event_streams.sequentialScans);
      } finally {
        await fresh.drop();
      }
    });
  });

  describe('when the server cannot be reached', () => {
    it('fails to open with EventStoreUnavailableError', async () => {
      await expect(
        PostgresEventStore.open({ connectionString: 'postgres://postgres@127.0.0.1:9/quarterly' }),
      ).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('reports EventStoreUnavailableError from ping() after close()', async () => {
      const store = await PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema });
      await store.close();
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });
});

type TableScans = Record<'events' | 'event_streams', { sequentialScans: number; indexScans: number }>;

/** The store's tables' scan counts, read until `reported` holds (or 5 s have passed). */
async function tableScansOnceReported(database: PostgresTestDatabase, reported: (scans: TableScans) => boolean): Promise<TableScans> {
  const client = new Client({ connectionString: database.connectionString });
  await client.connect();
  try {
    for (let attempt = 0; ; attempt += 1) {
      const { rows } = await client.query<{ relname: 'events' | 'event_streams'; seq_scan: string; idx_scan: string | null }>(
        `SELECT relname, seq_scan, idx_scan FROM pg_stat_user_tables WHERE schemaname = $1 AND relname IN ('events', 'event_streams')`,
        [database.schema],
      );
      const scans: TableScans = { events: { sequentialScans: 0, indexScans: 0 }, event_streams: { sequentialScans: 0, indexScans: 0 } };
      for (const row of rows) scans[row.relname] = { sequentialScans: Number(row.seq_scan), indexScans: Number(row.idx_scan ?? 0) };
      if (reported(scans) || attempt === 100) return scans;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}

function newEvent(type: string): NewEvent {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data: { type },
    metadata: {
      actor: 'system:test',
      correlationId: randomUUID(),
      causationId: randomUUID(),
      recordedAt: '2025-04-01T09:00:00.000Z',
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
