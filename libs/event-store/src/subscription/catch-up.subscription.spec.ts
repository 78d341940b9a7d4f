import { EventStoreUnavailableError, type ReadAllOptions, type RecordedEvent } from '../event-store.port';
import { AppendSignal } from './append-signal';
import { CatchUpSubscription } from './catch-up.subscription';

/** An in-memory global order standing in for a table, with scripted read failures. */
class FakeSource {
  readonly signal = new AppendSignal();
  readonly events: RecordedEvent[] = [];
  readonly failures: unknown[] = [];
  reads = 0;

  constructor(readonly pollIntervalMs: number) {}

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.reads += 1;
    const failure = this.failures.shift();
    if (failure) throw failure;
    return this.events.filter((event) => options.after === undefined || event.position > options.after).slice(0, options.limit);
  }

  append(type: string): void {
    const position = BigInt(this.events.length + 1) * 10n;
    this.events.push({
      id: `id-${position}`,
      type,
      schemaVersion: 1,
      data: {},
      metadata: { actor: 'system:test', correlationId: 'c', causationId: 'c', recordedAt: '2025-04-01T09:00:00.000Z' },
      streamId: 's',
      revision: BigInt(this.events.length),
      position,
    });
    this.signal.notify();
  }
}

const AN_HOUR = 3_600_000;

describe('CatchUpSubscription', () => {
  it('wakes on the signal without waiting for the poll interval', async () => {
    const source = new FakeSource(AN_HOUR);
    const received: string[] = [];
    const subscription = new CatchUpSubscription(source, {}, async (batch) => {
      received.push(...batch.map((event) => event.type));
    });
    await until(() => source.reads >= 1);

    source.append('A');
    await until(() => received.length === 1);

    expect(received).toEqual(['A']);
    await subscription.stop();
  });

  it('keeps following through an unavailable store, from where it was', async () => {
    const source = new FakeSource(1);
    source.append('A');
    source.failures.push(new EventStoreUnavailableError('down'), new EventStoreUnavailableError('still down'));
    const received: string[] = [];
    const subscription = new CatchUpSubscription(source, {}, async (batch) => {
      received.push(...batch.map((event) => event.type));
    });
    await until(() => received.length === 1);

    source.append('B');
    await until(() => received.length === 2);

    expect(received).toEqual(['A', 'B']);
    await subscription.stop();
  });

  it('after a page shorter than its batch size, waits for the signal instead of reading an empty page', async () => {
    const source = new FakeSource(AN_HOUR);
    const received: string[] = [];
    const subscription = new CatchUpSubscription(source, { batchSize: 10 }, async (batch) => {
      received.push(...batch.map((event) => event.type));
    });
    try {
      await until(() => source.reads >= 1);

      source.append('A');
      await until(() => received.length === 1);
      for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));

      expect(source.reads).toBe(2); // the first (empty) read and A's, not a third finding nothing
      source.append('B');
      await until(() => received.length === 2);
      expect(received).toEqual(['A', 'B']);
    } finally {
      await subscription.stop();
    }
  });

  it('reads on at once after a full page, and after a page whose handler saw a signal', async () => {
    const source = new FakeSource(AN_HOUR);
    for (const type of ['A', 'B', 'C']) source.append(type);
    const received: string[] = [];
    const subscription = new CatchUpSubscription(source, { batchSize: 2 }, async (batch) => {
      received.push(...batch.map((event) => event.type));
      // Appended while the handler runs: its signal comes after the read that found C.
      if (batch.some((event) => event.type === 'C')) source.append('D');
    });

    await until(() => received.length === 4);

    expect(received).toEqual(['A', 'B', 'C', 'D']);
    await subscription.stop();
  });

  it('rejects done with any other read error', async () => {
    const source = new FakeSource(1);
    const broken = new Error('relation "events" does not exist');
    source.failures.push(broken);

    const subscription = new CatchUpSubscription(source, {}, async () => undefined);

    await expect(subscription.done).rejects.toBe(broken);
    await expect(subscription.stop()).resolves.toBeUndefined();
  });

  it('stops while waiting without waiting for the poll interval', async () => {
    const source = new FakeSource(AN_HOUR);
    const subscription = new CatchUpSubscription(source, {}, async () => undefined);
    await until(() => source.reads >= 1);

    await subscription.stop();

    await expect(subscription.done).resolves.toBeUndefined();
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
