import { randomUUID } from 'node:crypto';
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
