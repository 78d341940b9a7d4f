import {
  AccessDeniedError,
  START,
  UnavailableError,
  type AllStreamResolvedEvent,
} from '@kurrent/kurrentdb-client';
import type { NewEvent, RecordedEvent, SubscribeToAllOptions } from '../event-store.port';
import {
  KurrentDbAllSubscription,
  type KurrentDbSubscriptionSettings,
  type ResubscribeNotice,
} from './kurrentdb-all.subscription';
import { KurrentDbEventDecodeError, StreamNamer, toEventData } from './kurrentdb-event.mapper';
import { FakeKurrentDb, matchesFilter, type FakeAllSubscription } from './testing/fake-kurrentdb-client';
import { FakeScheduler, settle, until } from './testing/fake-scheduler';

function newEvent(n: number, type = 'ReturnSubmitted'): NewEvent {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type,
    schemaVersion: 1,
    data: { n },
    metadata: {
      actor: 'user:alice',
      correlationId: `corr-${n}`,
      causationId: `cmd-${n}`,
      recordedAt: '2025-01-10T09:30:00.000Z',
    },
  };
}

describe('KurrentDbAllSubscription', () => {
  let db: FakeKurrentDb;
  let scheduler: FakeScheduler;
  let notices: ResubscribeNotice[];
  let batches: RecordedEvent[][];
  let subscriptions: KurrentDbAllSubscription[];

  beforeEach(() => {
    db = new FakeKurrentDb();
    scheduler = new FakeScheduler();
    notices = [];
    batches = [];
    subscriptions = [];
  });

  afterEach(async () => {
    await Promise.all(subscriptions.map((s) => s.stop()));
  });

  /** Appends events to the fake server and returns the records the server would stream. */
  async function written(types: string[], stream = 'return-1'): Promise<AllStreamResolvedEvent[]> {
    const before = db.log.length;
    for (const [i, type] of types.entries()) {
      await db.appendToStream(stream, [toEventData(newEvent(before + i, type))]);
    }
    return db.log.slice(before);
  }

  function subscribe(
    options: SubscribeToAllOptions = {},
    handler: (events: readonly RecordedEvent[]) => Promise<void> = async (events) => {
      batches.push([...events]);
    },
    settings: Partial<KurrentDbSubscriptionSettings> = {},
  ): KurrentDbAllSubscription {
    const subscription = new KurrentDbAllSubscription(db, options, handler, {
      scheduler,
      namer: new StreamNamer(),
      resubscription: { initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0, silenceTimeoutMs: 60_000 },
      onResubscribe: (notice) => notices.push(notice),
      ...settings,
    });
    subscriptions.push(subscription);
    return subscription;
  }

  const server = (n = 0): FakeAllSubscription => db.subscriptions[n]!;
  const positions = (events: readonly RecordedEvent[]) => events.map((e) => e.position);

  describe('when it starts', () => {
    it('reads $all from the start with a server-side filter that drops system events', () => {
      subscribe();
      expect(server().options.fromPosition).toBe(START);
      expect(server().options.filter).toMatchObject({ filterOn: 'eventType', regex: '^[^$]' });
    });

    it('starts at the checkpoint and skips the event at it', async () => {
      const records = await written(['A', 'B', 'C']);
      const checkpoint = records[0]!.event!.position.commit;
      subscribe({ after: checkpoint });
      expect(server().options.fromPosition).toEqual({ commit: checkpoint, prepare: checkpoint });
      // A server that started inclusively would send the checkpoint's own event first.
      server().deliver(...records);
      await until(() => batches.flat().length === 2);
      expect(batches.flat().map((e) => e.type)).toEqual(['B', 'C']);
    });

    it('filters on the requested event types at the server and again on arrival', async () => {
      subscribe({ eventTypes: ['ReturnApproved'] });
      const filter = server().options.filter!;
      expect(filter).toMatchObject({ filterOn: 'eventType', regex: '^(?:ReturnApproved)$' });
      const records = await written(['ReturnSubmitted', 'ReturnApproved']);
      expect(records.map((r) => matchesFilter(r, filter))).toEqual([false, true]);
      // Even if the server let one through, the handler would not see it.
      server().deliver(...records);
      await until(() => batches.length === 1);
      await settle();
      expect(batches.flat().map((e) => e.type)).toEqual(['ReturnApproved']);
    });

    it('within a namespace, filters on the stream prefix and checks types itself', async () => {
      const spaced = subscribe(
        { eventTypes: ['B'] },
        async (events) => void batches.push([...events]),
        { namer: new StreamNamer('run-7:') },
      );
      expect(server().options.filter).toMatchObject({ filterOn: 'streamName', prefixes: ['run-7:'] });
      const records = await written(['A', 'B'], 'run-7:return-1');
      server().deliver(...records);
      await until(() => batches.length === 1);
      expect(batches[0]!.map((e) => [e.streamId, e.type])).toEqual([['return-1', 'B']]);
      await spaced.stop();
    });
  });

  describe('while delivering', () => {
    it('hands over what has arrived in order, in batches of at most batchSize', async () => {
      const records = await written(['A', 'B', 'C', 'D', 'E']);
      subscribe({ batchSize: 2 });
      server().deliver(...records);
      await until(() => batches.flat().length === 5);
      expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
      expect(batches.flat().map((e) => e.type)).toEqual(['A', 'B', 'C', 'D', 'E']);
      const all = positions(batches.flat());
      expect([...all].sort((a, b) => (a < b ? -1 : 1))).toEqual(all);
    });

    it('delivers nothing more until the handler has settled', async () => {
      let release!: () => void;
      let calls = 0;
      subscribe({ batchSize: 1 }, async (events) => {
        calls += 1;
        batches.push([...events]);
        await new Promise<void>((resolve) => (release = resolve));
      });
      server().deliver(...(await written(['A', 'B', 'C'])));
      await until(() => calls === 1);
      await settle();
      expect(calls).toBe(1);
      release();
      await until(() => calls === 2);
      release();
      await until(() => calls === 3);
      release();
      expect(batches.flat().map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    it('asks the client to buffer no more than one batch', () => {
      subscribe({ batchSize: 7 });
      expect(server().readableHighWaterMark).toBe(7);
    });

    it('rejects a batch size that is not a positive integer', () => {
      expect(() => subscribe({ batchSize: 0 })).toThrow(RangeError);
    });
  });

  describe('when the subscription fails', () => {
    it('resubscribes after a growing backoff, from the last delivered event', async () => {
      const records = await written(['A', 'B']);
      subscribe();
      server(0).deliver(...records);
      await until(() => batches.flat().length === 2);
      server(0).fail(new UnavailableError(undefined, 'connection lost'));
      await until(() => notices.length === 1);
      expect(notices[0]).toMatchObject({ reason: 'error', delayMs: 100, consecutiveFailures: 1 });
      expect(notices[0]!.error).toBeInstanceOf(UnavailableError);
      expect(server(0).unsubscribed).toBe(true);

      scheduler.advance(99);
      await settle();
      expect(db.subscriptions).toHaveLength(1);
      scheduler.advance(1);
      await until(() => db.subscriptions.length === 2);
      const last = records[1]!.event!.position.commit;
      expect(server(1).options.fromPosition).toEqual({ commit: last, prepare: last });
      expect(notices[0]!.resumeAfter).toBe(last);

      server(1).fail(new UnavailableError(undefined, 'still down'));
      await until(() => notices.length === 2);
      expect(notices[1]).toMatchObject({ delayMs: 200, consecutiveFailures: 2 });
    });

    it('starts the backoff afresh once a new subscription delivers', async () => {
      subscribe();
      server(0).fail(new UnavailableError(undefined, 'down'));
      await until(() => notices.length === 1);
      scheduler.advance(100);
      await until(() => db.subscriptions.length === 2);
      server(1).deliver(...(await written(['A'])));
      await until(() => batches.length === 1);
      server(1).fail(new UnavailableError(undefined, 'down again'));
      await until(() => notices.length === 2);
      expect(notices[1]).toMatchObject({ delayMs: 100, consecutiveFailures: 1 });
    });

    it('does not deliver again an event replayed by the new subscription', async () => {
      const records = await written(['A', 'B']);
      subscribe();
      server(0).deliver(records[0]!);
      await until(() => batches.length === 1);
      server(0).fail(new UnavailableError(undefined, 'down'));
      await until(() => notices.length === 1);
      scheduler.advance(100);
      await until(() => db.subscriptions.length === 2);
      server(1).deliver(...records);
      await until(() => batches.length === 2);
      expect(batches.flat().map((e) => e.type)).toEqual(['A', 'B']);
    });

    it('resubscribes when the server ends the subscription', async () => {
      subscribe();
      server(0).end();
      await until(() => notices.length === 1);
      expect(notices[0]).toMatchObject({ reason: 'ended', delayMs: 100 });
      scheduler.advance(100);
      await until(() => db.subscriptions.length === 2);
    });

    it('gives up for good on an authorisation error', async () => {
      const subscription = subscribe();
      const denied = new AccessDeniedError(undefined, 'Access denied');
      server(0).fail(denied);
      await expect(subscription.done).rejects.toBe(denied);
      expect(notices).toEqual([]);
    });

    it('can be stopped during the backoff wait without subscribing again', async () => {
      const subscription = subscribe();
      server(0).fail(new UnavailableError(undefined, 'down'));
      await until(() => notices.length === 1);
      await subscription.stop();
      await expect(subscription.done).resolves.toBeUndefined();
      scheduler.advance(10_000);
      await settle();
      expect(db.subscriptions).toHaveLength(1);
    });
  });

  describe('watchdog', () => {
    it('replaces a subscription that stays silent past the timeout', async () => {
      subscribe();
      scheduler.advance(59_999);
      await settle();
      expect(notices).toEqual([]);
      scheduler.advance(1);
      await until(() => notices.length === 1);
      expect(notices[0]).toMatchObject({ reason: 'silent', delayMs: 100 });
      expect(server(0).unsubscribed).toBe(true);
      scheduler.advance(100);
      await until(() => db.subscriptions.length === 2);
    });

    it('is kept quiet by checkpoints while every event is filtered out', async () => {
      subscribe();
      scheduler.advance(50_000);
      await server(0).checkpoint(123_456n);
      scheduler.advance(50_000);
      await settle();
      expect(notices).toEqual([]);
      scheduler.advance(10_000);
      await until(() => notices.length === 1);
      expect(notices[0]!.reason).toBe('silent');
    });

    it('is kept quiet by the caught-up notice', async () => {
      subscribe();
      scheduler.advance(50_000);
      server(0).emit('caughtUp', {});
      scheduler.advance(50_000);
      await settle();
      expect(notices).toEqual([]);
    });

    it('does not count time spent in the handler as silence', async () => {
      let release!: () => void;
      subscribe({}, async (events) => {
        batches.push([...events]);
        await new Promise<void>((resolve) => (release = resolve));
      });
      server(0).deliver(...(await written(['A'])));
      await until(() => batches.length === 1);
      scheduler.advance(300_000);
      release();
      await settle();
      scheduler.advance(59_000);
      await settle();
      expect(notices).toEqual([]);
      expect(db.subscriptions).toHaveLength(1);
    });
  });

  describe('when it stops', () => {
    it('rejects done with the handler error and delivers nothing more', async () => {
      const failure = new Error('projection failed');
      const subscription = subscribe({ batchSize: 1 }, async (events) => {
        batches.push([...events]);
        throw failure;
      });
      server(0).deliver(...(await written(['A', 'B'])));
      await expect(subscription.done).rejects.toBe(failure);
      expect(batches).toHaveLength(1);
      expect(server(0).unsubscribed).toBe(true);
      expect(db.subscriptions).toHaveLength(1);
    });

    it('rejects done on an event it cannot decode, rather than skipping it', async () => {
      const subscription = subscribe();
      const [record] = await written(['A']);
      server(0).deliver({ ...record!, event: { ...record!.event!, metadata: {} } } as AllStreamResolvedEvent);
      await expect(subscription.done).rejects.toBeInstanceOf(KurrentDbEventDecodeError);
      expect(batches).toEqual([]);
    });

    it('waits for the running handler, then resolves done', async () => {
      let release!: () => void;
      let finished = false;
      const subscription = subscribe({}, async () => {
        await new Promise<void>((resolve) => (release = resolve));
        finished = true;
      });
      server(0).deliver(...(await written(['A'])));
      await until(() => release !== undefined);
      let stopped = false;
      const stopping = subscription.stop().then(() => (stopped = true));
      await settle();
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect(finished).toBe(true);
      await expect(subscription.done).resolves.toBeUndefined();
      expect(server(0).unsubscribed).toBe(true);
    });
  });
});
