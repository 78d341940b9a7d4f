import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kpiDecider, kpiStreamId, type KpiCommand } from '@quarterly/domain';
import { ascDescription, performanceTeam } from '@quarterly/domain/testing/domain-fixtures';
import { SqliteEventStore, type EventStore, type ReadStreamOptions } from '@quarterly/event-store';
import { eventCodec } from '@quarterly/event-codec';
import { EventSourcedCommandExecutor, type CommandEnvelope } from './event-sourced-command-executor';

const STREAM = kpiStreamId('ASC-01');
const envelope: CommandEnvelope = { actor: 'p.officer', now: performanceTeam.now, correlationId: 'c-1', causationId: 'r-1' };
const define: KpiCommand = {
  type: 'DefineKpi',
  kpiId: 'ASC-01',
  data: { ...ascDescription, owner: 's.lead', keyContacts: [] },
  context: performanceTeam,
};
/** A target policy for a year; `green` varies so that every call appends an event. */
const target = (financialYear: string, green = '45.00'): KpiCommand => ({
  type: 'SetKpiTargetPolicy',
  kpiId: 'ASC-01',
  data: { financialYear, policy: { kind: 'thresholds', green, amber: '40.00' } },
  context: performanceTeam,
});

/** A real SQLite store behind a door that records each stream read and can be pointed at another store. */
class RecordingDoor {
  readonly reads: Array<{ streamId: string; fromRevision: bigint | undefined; events: number }> = [];
  constructor(public inner: EventStore) {}
  asEventStore(): EventStore {
    return {
      appendToStream: (streamId, events, options) => this.inner.appendToStream(streamId, events, options),
      readStream: async (streamId: string, options?: ReadStreamOptions) => {
        const events = await this.inner.readStream(streamId, options);
        this.reads.push({ streamId, fromRevision: options?.fromRevision, events: events.length });
        return events;
      },
      readAll: (options) => this.inner.readAll(options),
      subscribeToAll: (options, handler) => this.inner.subscribeToAll(options, handler),
      ping: () => this.inner.ping(),
      close: () => this.inner.close(),
    };
  }
}

describe('EventSourcedCommandExecutor folding a stream it has folded before', () => {
  let directory: string;
  let store: SqliteEventStore;
  let door: RecordingDoor;
  let executor: EventSourcedCommandExecutor;
  /** Another process's executor on the same store. */
  let elsewhere: EventSourcedCommandExecutor;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'quarterly-folded-'));
    store = new SqliteEventStore({ filename: join(directory, 'events.sqlite') });
    door = new RecordingDoor(store);
    executor = new EventSourcedCommandExecutor(door.asEventStore());
    elsewhere = new EventSourcedCommandExecutor(store);
    await executor.execute({ streamId: STREAM, decider: kpiDecider, command: define, envelope });
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** The stream folded by an executor that has never seen it. */
  async function foldedAfresh() {
    return new EventSourcedCommandExecutor(store, eventCodec, { cachedEvents: 0 }).load(STREAM, kpiDecider);
  }

  it('reads only the events from its last one on, and folds them onto what it held', async () => {
    await executor.load(STREAM, kpiDecider);
    await elsewhere.execute({ streamId: STREAM, decider: kpiDecider, command: target('2024/25'), envelope });
    await elsewhere.execute({ streamId: STREAM, decider: kpiDecider, command: target('2025/26'), envelope });
    door.reads.length = 0;

    const loaded = await executor.load(STREAM, kpiDecider);

    expect(door.reads).toEqual([{ streamId: STREAM, fromRevision: 0n, events: 3 }]);
    const fresh = await foldedAfresh();
    expect(loaded.state).toEqual(fresh.state);
    expect(loaded.revision).toBe(2n);
    expect(loaded.events).toEqual(fresh.events);
  });

  it('decides on what another process appended since, with no conflict', async () => {
    await executor.load(STREAM, kpiDecider);
    await elsewhere.execute({ streamId: STREAM, decider: kpiDecider, command: target('2024/25'), envelope });

    const outcome = await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2025/26'), envelope });

    expect(outcome).toMatchObject({ revision: 2n, appended: 1 });
    expect(outcome.state.status === 'active' && Object.keys(outcome.state.kpi.policies)).toEqual(['2024/25', '2025/26']);
  });

  it('keeps a long stream to reads of its new events: one event each after the first', async () => {
    for (let i = 0; i < 60; i += 1) {
      await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2024/25', `${50 + i / 10}`), envelope });
    }

    expect(door.reads.slice(1).every((read) => read.events <= 2)).toBe(true);
    const loaded = await executor.load(STREAM, kpiDecider);
    expect(loaded.revision).toBe(60n);
    expect(loaded.state).toEqual((await foldedAfresh()).state);
  });

  it('answers a repeat of an idempotency key used long before, from the events it holds', async () => {
    const keyed = { ...envelope, idempotencyKey: 'early-target-0001' };
    await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2024/25'), envelope: keyed });
    for (let i = 0; i < 20; i += 1) {
      await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2025/26', `${50 + i / 10}`), envelope });
    }

    const repeat = await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2024/25'), envelope: keyed });

    expect(repeat).toMatchObject({ repeated: true, appended: 0, revision: 1n });
    expect(repeat.state.status === 'active' && Object.keys(repeat.state.kpi.policies)).toEqual(['2024/25']);
    expect(await store.readStream(STREAM)).toHaveLength(22);
  });

  it('reads the stream whole when the event it held last is no longer there (a store restored from elsewhere)', async () => {
    await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2024/25'), envelope });
    await executor.load(STREAM, kpiDecider);
    const other = new SqliteEventStore({ filename: join(directory, 'restored.sqlite') });
    try {
      const restored = new EventSourcedCommandExecutor(other);
      await restored.execute({ streamId: STREAM, decider: kpiDecider, command: define, envelope });
      await restored.execute({ streamId: STREAM, decider: kpiDecider, command: target('2030/31'), envelope });
      door.inner = other;
      door.reads.length = 0;

      const loaded = await executor.load(STREAM, kpiDecider);

      expect(door.reads.map((read) => read.fromRevision)).toEqual([1n, undefined]);
      expect(loaded.state.status === 'active' && Object.keys(loaded.state.kpi.policies)).toEqual(['2030/31']);
    } finally {
      door.inner = store;
      await other.close();
    }
  });

  it('with the cache turned off, reads every stream whole', async () => {
    const uncached = new EventSourcedCommandExecutor(door.asEventStore(), eventCodec, { cachedEvents: 0 });
    await uncached.load(STREAM, kpiDecider);
    await uncached.execute({ streamId: STREAM, decider: kpiDecider, command: target('2024/25'), envelope });
    door.reads.length = 0;

    await uncached.load(STREAM, kpiDecider);

    expect(door.reads).toEqual([{ streamId: STREAM, fromRevision: undefined, events: 2 }]);
  });
});
