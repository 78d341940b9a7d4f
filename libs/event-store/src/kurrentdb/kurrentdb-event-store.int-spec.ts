import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { EventStoreUnavailableError, type NewEvent } from '../event-store.port';
import { describeEventStoreContract } from '../testing/event-store.contract';
import type { ResubscribeNotice } from './kurrentdb-all.subscription';
import { KurrentDbEventStore } from './kurrentdb-event-store';

const EVENTSTORE_URL = process.env.EVENTSTORE_URL;

if (!EVENTSTORE_URL) {
  console.warn('EventStoreDB contract suite SKIPPED: EVENTSTORE_URL not set');
}

(EVENTSTORE_URL ? describe : describe.skip)('KurrentDbEventStore against EventStoreDB', () => {
  // Each store gets its own namespace, so tests on one shared server do not see each other's
  // streams, in $all either.
  describeEventStoreContract('KurrentDbEventStore', async () => {
    const store = KurrentDbEventStore.fromConnectionString(EVENTSTORE_URL!, {
      namespace: `contract-${randomUUID()}:`,
    });
    return { store, cleanup: () => store.close() };
  });
});

/** A loopback port on which nothing listens (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

// Runs everywhere: the real client against a port where no server listens.
describe('KurrentDbEventStore with no server listening', () => {
  let store: KurrentDbEventStore;
  const notices: ResubscribeNotice[] = [];
  let noticed: (notice: ResubscribeNotice) => void = () => undefined;

  beforeAll(async () => {
    const port = await closedPort();
    store = KurrentDbEventStore.fromConnectionString(
      `kurrentdb://127.0.0.1:${port}?tls=false&maxDiscoverAttempts=1`,
      {
        resubscription: { initialDelayMs: 10, maxDelayMs: 20 },
        onResubscribe: (notice) => {
          notices.push(notice);
          noticed(notice);
        },
      },
    );
  });

  afterAll(() => store.close());

  const event: NewEvent = {
    id: randomUUID(),
    type: 'ReturnSubmitted',
    schemaVersion: 1,
    data: { value: '1' },
    metadata: {
      actor: 'user:alice',
      correlationId: 'c',
      causationId: 'c',
      recordedAt: '2025-01-10T09:30:00.000Z',
    },
  };

  it('answers EventStoreUnavailableError to an append (the API turns it into 503)', async () => {
    await expect(
      store.appendToStream('return-1', [event], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('answers EventStoreUnavailableError to reads and to the health ping', async () => {
    await expect(store.readStream('return-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll({ limit: 10 })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('keeps its $all subscription retrying instead of failing', async () => {
    const twoNotices = new Promise<void>((resolve) => {
      noticed = () => {
        if (notices.length >= 2) resolve();
      };
    });
    const subscription = store.subscribeToAll({}, async () => undefined);
    await twoNotices;
    await subscription.stop();
    await expect(subscription.done).resolves.toBeUndefined();
    expect(notices.slice(0, 2).map((n) => n.reason)).toEqual(['error', 'error']);
    expect(notices[1]!.consecutiveFailures).toBe(2);
  });
});
