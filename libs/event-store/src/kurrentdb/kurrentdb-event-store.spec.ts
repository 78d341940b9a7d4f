import { UnavailableError } from '@kurrent/kurrentdb-client';
import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.port';
import { EmptyAppendError } from '../append-rules';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { FakeKurrentDb } from './testing/fake-kurrentdb-client';
import { FakeScheduler, until } from './testing/fake-scheduler';

let counter = 0;
function newEvent(type = 'ReturnSubmitted', data: unknown = { n: counter }): NewEvent {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      actor: 'user:alice',
      correlationId: 'corr-1',
      causationId: 'cmd-1',
      recordedAt: '2025-01-10T09:30:00.000Z',
    },
  };
}

const grpcUnavailable = () =>
  Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });

describe('KurrentDbEventStore (against an in-memory fake of the client)', () => {
  let db: FakeKurrentDb;
  let store: KurrentDbEventStore;

  beforeEach(() => {
    db = new FakeKurrentDb();
    store = new KurrentDbEventStore(db.asClient(), { scheduler: new FakeScheduler() });
  });

  describe('appendToStream', () => {
    it('returns the new stream revision and the commit position of the last event', async () => {
      const result = await store.appendToStream('return-1', [newEvent(), newEvent()], {
        expectedRevision: 'no_stream',
      });
      expect(result.nextExpectedRevision).toBe(1n);
      expect(result.lastPosition).toBe(db.log[1]!.event!.position.commit);
      expect(typeof result.lastPosition).toBe('bigint');
    });

    it('does not write a retried append twice, and still reports where it is', async () => {
      const events = [newEvent(), newEvent()];
      const first = await store.appendToStream('return-1', events, { expectedRevision: 'no_stream' });
      const retry = await store.appendToStream('return-1', events, { expectedRevision: 'no_stream' });
      expect(retry).toEqual(first);
      expect(await store.readStream('return-1')).toHaveLength(2);
    });

    it('rejects a stale expected revision with the actual one, writing nothing', async () => {
      await store.appendToStream('return-1', [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
      const attempt = store.appendToStream('return-1', [newEvent()], { expectedRevision: 0n });
      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(attempt).rejects.toMatchObject({ streamId: 'return-1', expected: 0n, actual: 1n });
      expect(await store.readStream('return-1')).toHaveLength(2);
    });

    it('rejects no_stream for a stream that exists, and a revision for one that does not', async () => {
      await store.appendToStream('return-1', [newEvent()], { expectedRevision: 'no_stream' });
      await expect(
        store.appendToStream('return-1', [newEvent()], { expectedRevision: 'no_stream' }),
      ).rejects.toMatchObject({ actual: 0n });
      await expect(
        store.appendToStream('return-2', [newEvent()], { expectedRevision: 3n }),
      ).rejects.toMatchObject({ actual: 'no_stream' });
    });

    it('appends without a check when the caller expects any revision', async () => {
      await store.appendToStream('counter', [newEvent()], { expectedRevision: 'any' });
      const result = await store.appendToStream('counter', [newEvent()], { expectedRevision: 'any' });
      expect(result.nextExpectedRevision).toBe(1n);
    });

    it('reports a conflict the client returns instead of throwing (throwOnAppendFailure=false)', async () => {
      db.throwOnAppendFailure = false;
      await store.appendToStream('return-1', [newEvent()], { expectedRevision: 'no_stream' });
      await expect(
        store.appendToStream('return-1', [newEvent()], { expectedRevision: 'no_stream' }),
      ).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', actual: 0n });
      await expect(
        store.appendToStream('return-2', [newEvent()], { expectedRevision: 0n }),
      ).rejects.toMatchObject({ actual: 'no_stream' });
    });

    it('answers EventStoreUnavailableError when the server cannot be reached', async () => {
      db.failNext('append', grpcUnavailable());
      await expect(
        store.appendToStream('return-1', [newEvent()], { expectedRevision: 'no_stream' }),
      ).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('refuses an empty append, as every adapter does', async () => {
      await expect(store.appendToStream('return-1', [], { expectedRevision: 'any' })).rejects.toThrow(
        EmptyAppendError,
      );
    });
  });

  describe('readStream', () => {
    it('returns an empty array for a stream that does not exist', async () => {
      await expect(store.readStream('nobody-here')).resolves.toEqual([]);
    });

    it('returns the events in revision order, as they were appended', async () => {
      const events = [newEvent('ReturnSubmitted', { value: '72.5' }), newEvent('ReturnApproved')];
      await store.appendToStream('return-1', events, { expectedRevision: 'no_stream' });
      await store.appendToStream('return-2', [newEvent()], { expectedRevision: 'no_stream' });
      const read = await store.readStream('return-1');
      expect(read.map((e) => e.revision)).toEqual([0n, 1n]);
      expect(read.map(({ streamId, revision, position, ...event }) => event)).toEqual(events);
      expect(read.every((e) => e.streamId === 'return-1')).toBe(true);
    });

    it('answers EventStoreUnavailableError when the server cannot be reached', async () => {
      db.failNext('read', new UnavailableError(undefined, 'UnavailableError'));
      await expect(store.readStream('return-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  describe('readAll', () => {
    async function seed(): Promise<RecordedEvent[]> {
      await store.appendToStream('return-1', [newEvent('A')], { expectedRevision: 'no_stream' });
      db.writeSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
      db.writeSystemEvent('$$return-1', '$metadata');
      await store.appendToStream('return-2', [newEvent('B'), newEvent('C')], {
        expectedRevision: 'no_stream',
      });
      db.writeSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
      await store.appendToStream('return-1', [newEvent('D')], { expectedRevision: 0n });
      return store.readAll({ limit: 100 });
    }

    it('reads the global order without system events, positions strictly increasing', async () => {
      const all = await seed();
      expect(all.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
      for (let i = 1; i < all.length; i += 1) expect(all[i]!.position > all[i - 1]!.position).toBe(true);
    });

    it('reads strictly after the given position, page by page, without gaps or repeats', async () => {
      const all = await seed();
      const pages: string[][] = [];
      let after: bigint | undefined;
      for (;;) {
        const page = await store.readAll({ limit: 2, ...(after !== undefined && { after }) });
        if (page.length === 0) break;
        pages.push(page.map((e) => e.type));
        after = page[page.length - 1]!.position;
      }
      expect(pages).toEqual([['A', 'B'], ['C', 'D']]);
      expect(await store.readAll({ after: all[3]!.position, limit: 10 })).toEqual([]);
    });

    it('answers EventStoreUnavailableError when the server cannot be reached', async () => {
      db.failNext('read', new UnavailableError(undefined, 'UnavailableError'));
      await expect(store.readAll({ limit: 1 })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  describe('with a namespace', () => {
    it('writes prefixed stream names and sees only its own streams', async () => {
      const mine = new KurrentDbEventStore(db.asClient(), { namespace: 'run-1:' });
      const theirs = new KurrentDbEventStore(db.asClient(), { namespace: 'run-2:' });
      await mine.appendToStream('return-1', [newEvent('Mine')], { expectedRevision: 'no_stream' });
      await theirs.appendToStream('return-1', [newEvent('Theirs')], { expectedRevision: 'no_stream' });
      expect(db.log.map((r) => r.event!.streamId)).toEqual(['run-1:return-1', 'run-2:return-1']);
      expect((await mine.readStream('return-1')).map((e) => e.type)).toEqual(['Mine']);
      const all = await mine.readAll({ limit: 10 });
      expect(all.map((e) => [e.streamId, e.type])).toEqual([['return-1', 'Mine']]);
    });
  });

  describe('ping and close', () => {
    it('pings successfully when the server answers, even with no events at all', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('fails the ping with EventStoreUnavailableError when the server is down', async () => {
      db.failNext('read', new UnavailableError(undefined, 'UnavailableError'));
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('stops its subscriptions before closing the connection', async () => {
      const subscription = store.subscribeToAll({}, async () => undefined);
      await until(() => db.subscriptions.length === 1);
      await store.close();
      await expect(subscription.done).resolves.toBeUndefined();
      expect(db.subscriptions[0]!.unsubscribed).toBe(true);
      expect(db.disposed).toBe(true);
    });
  });
});
