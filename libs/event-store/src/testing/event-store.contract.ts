import { randomUUID } from 'node:crypto';
import {
  type AppendResult,
  type EventStore,
  type EventSubscription,
  type NewEvent,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store.port';

/**
 * Options the contract suite passes to an adapter's factory. An adapter honours what it can and
 * ignores the rest.
 */
export interface EventStoreContractFactoryOptions {
  /**
   * Awaited inside an append's transaction, after its rows are written and before it commits.
   * The suite uses it to hold some transactions open while later ones commit, which is how a
   * global position can be skipped by a reader. Adapters whose appends are not client-side
   * transactions (SQLite's synchronous writer, KurrentDB) ignore it.
   */
  readonly beforeCommit?: (streamId: string) => Promise<void>;
}

export interface EventStoreContractSubject {
  readonly store: EventStore;
  /** Closes the store and removes whatever the factory created (file, schema). */
  readonly cleanup: () => Promise<void>;
}

export type EventStoreContractFactory = (
  options: EventStoreContractFactoryOptions,
) => Promise<EventStoreContractSubject>;

/**
 * The behaviour every {@link EventStore} adapter must show. Call it from an adapter's
 * `*.int-spec.ts` with a factory that opens a real, empty-or-shared store; the suite opens one
 * store for the whole describe block and isolates tests by unique stream ids, so a store that
 * already holds events (a shared server) is fine.
 */
export function describeEventStoreContract(name: string, factory: EventStoreContractFactory): void {
  describe(`${name} (event-store contract)`, () => {
    let subject: EventStoreContractSubject;
    let store: EventStore;
    // The factory's beforeCommit forwards here, so each test can install its own delay.
    let beforeCommit: ((streamId: string) => Promise<void>) | undefined;
    const subscriptions: EventSubscription[] = [];

    beforeAll(async () => {
      subject = await factory({ beforeCommit: (streamId) => beforeCommit?.(streamId) ?? Promise.resolve() });
      store = subject.store;
    });

    afterEach(async () => {
      beforeCommit = undefined;
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
    });

    afterAll(async () => {
      await subject?.cleanup();
    });

    const subscribe = (...args: Parameters<EventStore['subscribeToAll']>): EventSubscription => {
      const subscription = store.subscribeToAll(...args);
      subscriptions.push(subscription);
      // `done` is asserted where it matters; elsewhere a rejection must not go unhandled.
      subscription.done.catch(() => undefined);
      return subscription;
    };

    describe('appending', () => {
      it("creates a stream with 'no_stream' and numbers events from revision 0", async () => {
        const stream = streamName('new');
        const events = [newEvent('ItemAdded'), newEvent('ItemAdded'), newEvent('ItemRemoved')];

        const result = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });

        expect(result.nextExpectedRevision).toBe(2n);
        const stored = await store.readStream(stream);
        expect(stored.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
        expect(stored.map((event) => event.id)).toEqual(events.map((event) => event.id));
        expect(stored.every((event) => event.streamId === stream)).toBe(true);
        expect(result.lastPosition).toBe(stored[2]!.position);
      });

      it('appends after the revision the appender expected', async () => {
        const stream = streamName('next');
        const first = await store.appendToStream(stream, [newEvent('A')], { expectedRevision: 'no_stream' });

        const second = await store.appendToStream(stream, [newEvent('B'), newEvent('C')], {
          expectedRevision: first.nextExpectedRevision,
        });

        expect(second.nextExpectedRevision).toBe(2n);
        expect(second.lastPosition > first.lastPosition).toBe(true);
        expect((await store.readStream(stream)).map((event) => event.type)).toEqual(['A', 'B', 'C']);
      });

      it("rejects 'no_stream' on an existing stream with the actual revision and writes nothing", async () => {
        const stream = streamName('exists');
        await store.appendToStream(stream, [newEvent('A'), newEvent('B')], { expectedRevision: 'no_stream' });

        const error = await rejectionOf(
          store.appendToStream(stream, [newEvent('C')], { expectedRevision: 'no_stream' }),
        );

        expectWrongRevision(error, stream, 'no_stream', 1n);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('rejects a stale expected revision with the actual revision and writes nothing', async () => {
        const stream = streamName('stale');
        await store.appendToStream(stream, [newEvent('A'), newEvent('B')], { expectedRevision: 'no_stream' });

        const error = await rejectionOf(
          store.appendToStream(stream, [newEvent('C'), newEvent('D')], { expectedRevision: 0n }),
        );

        expectWrongRevision(error, stream, 0n, 1n);
        expect((await store.readStream(stream)).map((event) => event.type)).toEqual(['A', 'B']);
      });

      it('rejects an expected revision ahead of the stream', async () => {
        const stream = streamName('ahead');
        await store.appendToStream(stream, [newEvent('A')], { expectedRevision: 'no_stream' });

        const error = await rejectionOf(store.appendToStream(stream, [newEvent('B')], { expectedRevision: 5n }));

        expectWrongRevision(error, stream, 5n, 0n);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it("rejects a revision for a stream that does not exist, reporting 'no_stream'", async () => {
        const stream = streamName('missing');

        const error = await rejectionOf(store.appendToStream(stream, [newEvent('A')], { expectedRevision: 0n }));

        expectWrongRevision(error, stream, 0n, 'no_stream');
        expect(await store.readStream(stream)).toEqual([]);
      });

      it("appends with 'any' to a new and to an existing stream", async () => {
        const stream = streamName('any');

        const first = await store.appendToStream(stream, [newEvent('A')], { expectedRevision: 'any' });
        const second = await store.appendToStream(stream, [newEvent('B'), newEvent('C')], { expectedRevision: 'any' });

        expect(first.nextExpectedRevision).toBe(0n);
        expect(second.nextExpectedRevision).toBe(2n);
        expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0n, 1n, 2n]);
      });

      it('gives the events of one append consecutive revisions and increasing positions', async () => {
        const stream = streamName('atomic');
        await store.appendToStream(stream, [newEvent('A')], { expectedRevision: 'no_stream' });

        const result = await store.appendToStream(stream, [newEvent('B'), newEvent('C'), newEvent('D')], {
          expectedRevision: 0n,
        });

        const stored = await store.readStream(stream);
        expect(stored.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n]);
        expectStrictlyIncreasing(stored.map((event) => event.position));
        expect(result).toEqual<AppendResult>({ nextExpectedRevision: 3n, lastPosition: stored[3]!.position });
      });

      it('lets exactly one of many concurrent appends at the same revision win', async () => {
        const stream = streamName('race');
        await store.appendToStream(stream, [newEvent('Created')], { expectedRevision: 'no_stream' });
        beforeCommit = () => pause(Math.random() * 10);

        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, index) =>
            store.appendToStream(stream, [newEvent('Raced', { index }), newEvent('Raced', { index })], {
              expectedRevision: 0n,
            }),
          ),
        );

        const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(9);
        for (const loser of losers) expectWrongRevision(loser, stream, 0n, 2n);
        const stored = await store.readStream(stream);
        expect(stored).toHaveLength(3);
        expect(new Set(stored.slice(1).map((event) => (event.data as { index: number }).index)).size).toBe(1);
      });

      it("lets exactly one of many concurrent 'no_stream' appends create the stream", async () => {
        const stream = streamName('create-race');
        beforeCommit = () => pause(Math.random() * 10);

        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.appendToStream(stream, [newEvent('Created')], { expectedRevision: 'no_stream' })),
        );

        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expectWrongRevision(outcome.reason, stream, 'no_stream', 0n);
        }
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('reading a stream', () => {
      it('returns an empty array for a stream that does not exist', async () => {
        expect(await store.readStream(streamName('nothing'))).toEqual([]);
      });

      it('does not mix in events of other streams', async () => {
        const one = streamName('one');
        const other = `${one}-other`;
        await store.appendToStream(one, [newEvent('A')], { expectedRevision: 'no_stream' });
        await store.appendToStream(other, [newEvent('B')], { expectedRevision: 'no_stream' });

        expect((await store.readStream(one)).map((event) => event.type)).toEqual(['A']);
      });

      it('reads from a revision on: that event and the later ones, as a whole read has them', async () => {
        const stream = streamName('from-revision');
        await store.appendToStream(stream, [newEvent('A'), newEvent('B')], { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, [newEvent('C'), newEvent('D')], { expectedRevision: 1n });
        const whole = await store.readStream(stream);

        const tail = await store.readStream(stream, { fromRevision: 2n });

        expect(tail.map((event) => event.type)).toEqual(['C', 'D']);
        expect(tail).toEqual(whole.slice(2));
        expect(await store.readStream(stream, { fromRevision: 0n })).toEqual(whole);
        expect(await store.readStream(stream, { fromRevision: 3n })).toEqual(whole.slice(3));
      });

      it('reads nothing from beyond the last revision, or from a stream that does not exist', async () => {
        const stream = streamName('from-beyond');
        await store.appendToStream(stream, [newEvent('A')], { expectedRevision: 'no_stream' });

        expect(await store.readStream(stream, { fromRevision: 1n })).toEqual([]);
        expect(await store.readStream(streamName('nothing-from'), { fromRevision: 4n })).toEqual([]);
      });

      it('round-trips data and metadata exactly: unicode, nesting, decimal strings', async () => {
        const stream = streamName('round-trip');
        const data = {
          title: 'Café — Ōtautahi 東京 🎉 "quoted" \\ back\u2028slash',
          value: '12345678901234567890.1234567890',
          smallValue: '0.10',
          negative: '-0.000',
          count: 42,
          ratio: 0.5,
          flag: false,
          nothing: null,
          nested: { deeper: { list: [1, 'two', { three: ['3.00'] }], empty: {} }, emptyList: [] },
        };
        const event: NewEvent = {
          id: randomUUID(),
          type: 'FiguresSubmitted',
          schemaVersion: 3,
          data,
          metadata: {
            actor: 'user:ana.o’neill@example.gov.uk',
            correlationId: randomUUID(),
            causationId: randomUUID(),
            idempotencyKey: 'key-Ω-1',
            commandDigest: 'sha256:abc123',
            recordedAt: '2025-03-31T23:59:59.999Z',
          },
        };

        await store.appendToStream(stream, [event, newEvent('Plain')], { expectedRevision: 'no_stream' });

        const [stored, plain] = await store.readStream(stream);
        expect(stored).toEqual({ ...event, streamId: stream, revision: 0n, position: expect.any(BigInt) });
        expect(typeof (stored!.data as typeof data).value).toBe('string');
        expect(plain!.metadata).toEqual(metadata());
        expect(Object.keys(plain!.metadata)).not.toContain('idempotencyKey');
      });
    });

    describe('reading all', () => {
      it('returns events in strictly increasing positions, matching the append results', async () => {
        const before = await headPosition(store);
        const stream = streamName('all');
        const first = await store.appendToStream(stream, [newEvent('A'), newEvent('B')], { expectedRevision: 'no_stream' });
        const second = await store.appendToStream(`${stream}-2`, [newEvent('C')], { expectedRevision: 'no_stream' });

        // In PostgreSQL a commit becomes readable once every older transaction in the cluster has
        // ended (never skipped, sometimes a moment late), so wait for it rather than race it.
        await eventuallyReadable(store, before, (events) => events.filter((event) => event.streamId.startsWith(stream)).length >= 3);
        const page = (await store.readAll({ ...afterCheckpoint(before), limit: 1000 })).filter((event) =>
          event.streamId.startsWith(stream),
        );

        expect(page.map((event) => event.type)).toEqual(['A', 'B', 'C']);
        expectStrictlyIncreasing(page.map((event) => event.position));
        expect(page[1]!.position).toBe(first.lastPosition);
        expect(page[2]!.position).toBe(second.lastPosition);
      });

      it('pages with `after`: small pages add up to one large read', async () => {
        const before = await headPosition(store);
        const stream = streamName('pages');
        await store.appendToStream(stream, Array.from({ length: 7 }, () => newEvent('Paged')), {
          expectedRevision: 'no_stream',
        });

        await eventuallyReadable(store, before, (events) => events.filter((event) => event.streamId === stream).length >= 7);
        const oneRead = await store.readAll({ ...afterCheckpoint(before), limit: 1000 });
        const paged: RecordedEvent[] = [];
        let checkpoint = before;
        for (;;) {
          const page = await store.readAll({ ...afterCheckpoint(checkpoint), limit: 3 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(3);
          paged.push(...page);
          checkpoint = page[page.length - 1]!.position;
        }

        expect(paged.map((event) => event.id)).toEqual(oneRead.map((event) => event.id));
        expect(paged.filter((event) => event.streamId === stream)).toHaveLength(7);
      });

      it('starts at the beginning when `after` is omitted', async () => {
        const stream = streamName('start');
        await store.appendToStream(stream, [newEvent('A')], { expectedRevision: 'no_stream' });
        await eventuallyReadable(store, undefined, (events) => events.some((event) => event.streamId === stream));

        const first = await store.readAll({ limit: 1 });
        const second = await store.readAll({ after: first[0]!.position, limit: 1 });

        expect(first).toHaveLength(1);
        expect(second[0]!.position > first[0]!.position).toBe(true);
      });
    });

    describe('subscribing to all', () => {
      it('catches up, then delivers new events live, one batch at a time in order', async () => {
        const before = await headPosition(store);
        const stream = streamName('live');
        await store.appendToStream(stream, [newEvent('A'), newEvent('B'), newEvent('C')], { expectedRevision: 'no_stream' });
        const received: RecordedEvent[] = [];
        let running = 0;
        let overlapped = false;
        subscribe({ ...afterCheckpoint(before), batchSize: 2 }, async (batch) => {
          overlapped ||= running > 0;
          running += 1;
          expect(batch.length).toBeLessThanOrEqual(2);
          await pause(1);
          // An earlier test's last commit may become readable only now (PostgreSQL's horizon):
          // it is delivered too, correctly, but is not this test's concern.
          received.push(...batch.filter((event) => event.streamId === stream));
          running -= 1;
        });
        await waitUntil(() => received.length >= 3, 'catch-up');

        await store.appendToStream(stream, [newEvent('D')], { expectedRevision: 2n });
        await store.appendToStream(stream, [newEvent('E')], { expectedRevision: 3n });
        await waitUntil(() => received.length >= 5, 'live events');

        expect(received.map((event) => event.type)).toEqual(['A', 'B', 'C', 'D', 'E']);
        expectStrictlyIncreasing(received.map((event) => event.position));
        expect(overlapped).toBe(false);
      });

      it('delivers only the requested types and moves on past the others', async () => {
        const before = await headPosition(store);
        const stream = streamName('filter');
        const received: RecordedEvent[] = [];
        subscribe({ ...afterCheckpoint(before), batchSize: 3, eventTypes: ['Wanted', 'AlsoWanted'] }, async (batch) => {
          received.push(...batch);
        });

        await store.appendToStream(
          stream,
          [newEvent('Unwanted'), newEvent('Wanted', { n: 1 }), newEvent('Unwanted'), newEvent('AlsoWanted', { n: 2 })],
          { expectedRevision: 'no_stream' },
        );
        // More unwanted events than a batch holds, so only progress past them reaches the last one.
        await store.appendToStream(stream, Array.from({ length: 10 }, () => newEvent('Unwanted')), {
          expectedRevision: 3n,
        });
        await store.appendToStream(stream, [newEvent('Wanted', { n: 3 })], { expectedRevision: 13n });
        await waitUntil(() => received.length >= 3, 'filtered events');

        expect(received.map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
        expect(received.every((event) => event.streamId === stream)).toBe(true);
      });

      it('stop() waits for the running handler, then nothing more is delivered', async () => {
        const before = await headPosition(store);
        const stream = streamName('stop');
        const release = deferred<void>();
        const received: RecordedEvent[] = [];
        let handlerFinished = false;
        const subscription = subscribe(afterCheckpoint(before), async (batch) => {
          received.push(...batch);
          await release.promise;
          handlerFinished = true;
        });
        await store.appendToStream(stream, [newEvent('A')], { expectedRevision: 'no_stream' });
        await waitUntil(() => received.length >= 1, 'first delivery');

        let stopped = false;
        const stopping = subscription.stop().then(() => {
          stopped = true;
        });
        await pause(20);
        expect(stopped).toBe(false);
        release.resolve();
        await stopping;

        expect(handlerFinished).toBe(true);
        await expect(subscription.done).resolves.toBeUndefined();
        await store.appendToStream(stream, [newEvent('B')], { expectedRevision: 0n });
        await pause(50);
        expect(received.map((event) => event.type)).toEqual(['A']);
      });

      it('stops on a handler error, rejects done, and redelivers the failed batch from the checkpoint', async () => {
        const before = await headPosition(store);
        const stream = streamName('fail');
        await store.appendToStream(stream, [newEvent('A'), newEvent('B'), newEvent('Poison'), newEvent('D')], {
          expectedRevision: 'no_stream',
        });
        const failure = new Error('projection failed');
        let checkpoint = before;
        const handled: string[] = [];
        let batchesAfterFailure = 0;
        let failed = false;
        const first = subscribe({ ...afterCheckpoint(before), batchSize: 2 }, async (batch) => {
          if (failed) batchesAfterFailure += 1;
          if (batch.some((event) => event.type === 'Poison')) {
            failed = true;
            throw failure;
          }
          handled.push(...batch.map((event) => event.type));
          checkpoint = batch[batch.length - 1]!.position;
        });

        await expect(first.done).rejects.toBe(failure);
        await store.appendToStream(stream, [newEvent('E')], { expectedRevision: 3n });
        await pause(50);
        expect(batchesAfterFailure).toBe(0);
        expect(handled).toEqual(['A', 'B']);

        const redelivered: RecordedEvent[] = [];
        subscribe({ ...afterCheckpoint(checkpoint), batchSize: 2 }, async (batch) => {
          redelivered.push(...batch);
        });
        await waitUntil(() => redelivered.length >= 3, 'redelivery');
        expect(redelivered.map((event) => event.type)).toEqual(['Poison', 'D', 'E']);
      });
    });

    describe('under concurrency', () => {
      it(
        'lets a follower reading from checkpoints see every event exactly once, in one consistent order',
        async () => {
          const before = await headPosition(store);
          const prefix = streamName('gap-free');
          // Some transactions stay open while later ones commit: the situation in which a
          // sequence-based position would be skipped by a reader that had already moved past it.
          beforeCommit = async (streamId) => {
            if (streamId.startsWith(prefix) && Math.random() < 0.3) await pause(2 + Math.random() * 20);
          };
          const writers = 8;
          const appendsPerWriter = 30;
          const streamsPerWriter = 3;
          let head: bigint | undefined;

          const pageFollower = followWithReadAll(store, before, 17, () => head);
          const subscribed: RecordedEvent[] = [];
          subscribe({ ...afterCheckpoint(before), batchSize: 13 }, async (batch) => {
            subscribed.push(...batch);
          });

          const appended: string[] = [];
          const results: AppendResult[] = [];
          await Promise.all(
            Array.from({ length: writers }, async (_, writer) => {
              const revisions = new Map<string, bigint>();
              for (let index = 0; index < appendsPerWriter; index += 1) {
                const stream = `${prefix}-w${writer}-s${index % streamsPerWriter}`;
                const events = Array.from({ length: 1 + (index % 3) }, () => newEvent('Written', { writer, index }));
                const expectedRevision = revisions.get(stream) ?? 'no_stream';
                const result = await store.appendToStream(stream, events, { expectedRevision });
                revisions.set(stream, result.nextExpectedRevision);
                results.push(result);
                appended.push(...events.map((event) => event.id));
              }
            }),
          );
          head = results.reduce((max, result) => (result.lastPosition > max ? result.lastPosition : max), results[0]!.lastPosition);
          const target = head;
          const ours = (events: readonly RecordedEvent[]) => events.filter((event) => event.streamId.startsWith(prefix));

          await waitUntil(() => (lastPositionOf(subscribed) ?? -1n) >= target, 'the subscription to reach the head');
          const paged = await pageFollower;

          const everyRead = ours(await readAllAfter(store, before));
          for (const followed of [ours(paged), ours(subscribed), everyRead]) {
            const ids = followed.map((event) => event.id);
            expect(new Set(ids).size).toBe(ids.length);
            expect([...ids].sort()).toEqual([...appended].sort());
            expectStrictlyIncreasing(followed.map((event) => event.position));
            expectStreamsInRevisionOrder(followed);
            expect(ids).toEqual(everyRead.map((event) => event.id));
          }
        },
        60_000,
      );
    });
  });
}

let streamCounter = 0;
const runId = randomUUID().slice(0, 8);

/** A stream id no other test (or earlier run against a shared server) has used. */
function streamName(label: string): string {
  streamCounter += 1;
  return `contract-${runId}-${streamCounter}-${label}`;
}

function metadata(): NewEvent['metadata'] {
  return {
    actor: 'system:contract',
    correlationId: '8f9b6a2e-9d4b-4c53-8d0a-2f8d7c9b1e01',
    causationId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
    recordedAt: '2025-04-01T09:00:00.000Z',
  };
}

function newEvent(type: string, data: unknown = { at: type }): NewEvent {
  return { id: randomUUID(), type, schemaVersion: 1, data, metadata: metadata() };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the append to be rejected');
}

function expectWrongRevision(
  error: unknown,
  streamId: string,
  expected: WrongExpectedRevisionError['expected'],
  actual: WrongExpectedRevisionError['actual'],
): void {
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  const wrong = error as WrongExpectedRevisionError;
  expect({ streamId: wrong.streamId, expected: wrong.expected, actual: wrong.actual }).toEqual({
    streamId,
    expected,
    actual,
  });
}

function expectStrictlyIncreasing(positions: readonly bigint[]): void {
  const offenders = positions.flatMap((position, index) =>
    index > 0 && position <= positions[index - 1]! ? [`${positions[index - 1]} then ${position}`] : [],
  );
  expect(offenders).toEqual([]);
}

function expectStreamsInRevisionOrder(events: readonly RecordedEvent[]): void {
  const next = new Map<string, bigint>();
  const offenders: string[] = [];
  for (const event of events) {
    const expected = next.get(event.streamId) ?? 0n;
    if (event.revision !== expected) offenders.push(`${event.streamId}@${event.revision}, expected ${expected}`);
    next.set(event.streamId, event.revision + 1n);
  }
  expect(offenders).toEqual([]);
}

function lastPositionOf(events: readonly RecordedEvent[]): bigint | undefined {
  return events[events.length - 1]?.position;
}

let markers = 0;

/**
 * A checkpoint after everything appended so far: appends a marker event and waits until it is
 * readable. In PostgreSQL a commit is readable only once every older transaction has ended, so
 * "the last readable event" could still be followed by an earlier test's late commit; once a
 * later marker is readable, everything committed before it is too, and sits before it.
 */
async function headPosition(store: EventStore): Promise<bigint | undefined> {
  const stream = `contract-marker-${process.pid}-${Date.now().toString(36)}-${(markers += 1)}`;
  const { lastPosition } = await store.appendToStream(stream, [newEvent('ContractMarker')], { expectedRevision: 'no_stream' });
  await eventuallyReadable(store, undefined, (events) => events.some((event) => event.position === lastPosition));
  return lastPosition;
}

/** The `after` option for a checkpoint that may not exist yet. */
function afterCheckpoint(checkpoint: bigint | undefined): { after?: bigint } {
  return checkpoint === undefined ? {} : { after: checkpoint };
}

async function readAllAfter(store: EventStore, start: bigint | undefined): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let checkpoint = start;
  for (;;) {
    const page = await store.readAll({ ...afterCheckpoint(checkpoint), limit: 1000 });
    if (page.length === 0) return all;
    all.push(...page);
    checkpoint = page[page.length - 1]!.position;
  }
}

/**
 * A reader that keeps only a checkpoint, as a projection does: it polls `readAll` from it until
 * it has passed `target()`, which is unknown until the writers are done.
 */
async function followWithReadAll(
  store: EventStore,
  start: bigint | undefined,
  limit: number,
  target: () => bigint | undefined,
): Promise<RecordedEvent[]> {
  const followed: RecordedEvent[] = [];
  let checkpoint = start;
  for (;;) {
    const end = target();
    if (end !== undefined && checkpoint !== undefined && checkpoint >= end) return followed;
    const page = await store.readAll({ ...afterCheckpoint(checkpoint), limit });
    followed.push(...page);
    if (page.length > 0) checkpoint = page[page.length - 1]!.position;
    else await pause(2);
  }
}

/** Polls the global order from `start` until `complete` holds for what is readable. */
async function eventuallyReadable(
  store: EventStore,
  start: bigint | undefined,
  complete: (events: readonly RecordedEvent[]) => boolean,
): Promise<void> {
  for (let attempt = 0; attempt < 2_000; attempt += 1) {
    if (complete(await readAllAfter(store, start))) return;
    await pause(10);
  }
  throw new Error('gave up waiting for appended events to become readable');
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for something the store does in the background; the test's timeout bounds it. */
async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 2_000; attempt += 1) {
    if (condition()) return;
    await pause(10);
  }
  throw new Error(`gave up waiting for ${what}`);
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
