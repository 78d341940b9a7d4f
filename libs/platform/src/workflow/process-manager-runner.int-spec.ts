import { randomUUID } from 'node:crypto';
import type { DecodedEventOf } from '@quarterly/event-codec';
import type { NewEvent } from '@quarterly/event-store';
import { SqliteEventStore } from '@quarterly/event-store';
import { ReadModelTestDatabase } from '@quarterly/testing/read-model-test-database';
import { type ProcessManager, ProcessManagerRunner } from './process-manager-runner';

/** Records what it is handed (people registered); `failOnce` makes the next batch call throw once. */
class RecordingManager implements ProcessManager<'PersonRegistered'> {
  readonly name = 'recording';
  readonly eventTypes = ['PersonRegistered'] as const;
  readonly calls: string[][] = [];
  failOnce = false;

  async handle(event: DecodedEventOf<'PersonRegistered'>): Promise<void> {
    this.calls.push([`one:${event.data.personId}`]);
  }
}

class BatchingManager extends RecordingManager {
  async handleBatch(events: readonly DecodedEventOf<'PersonRegistered'>[]): Promise<void> {
    if (this.failOnce) {
      this.failOnce = false;
      throw new Error('Redis went away');
    }
    this.calls.push(events.map((event) => `batch:${event.data.personId}`));
  }
}

/** A person registered (wanted) or deactivated (not), as the n-th event. */
function event(type: 'PersonRegistered' | 'PersonDeactivated', n: number): NewEvent {
  const id = randomUUID();
  return {
    id,
    type,
    schemaVersion: 1,
    data: type === 'PersonRegistered' ? { personId: String(n), name: `Person ${n}`, email: `p${n}@council.example`, roles: ['member'] } : { reason: 'left' },
    metadata: { actor: 'system:test', correlationId: id, causationId: id, recordedAt: '2025-04-01T09:00:00.000Z' },
  };
}

describe('ProcessManagerRunner', () => {
  let database: ReadModelTestDatabase;
  let store: SqliteEventStore;
  let last: bigint;
  beforeEach(async () => {
    database = await ReadModelTestDatabase.create('sqlite', 'pm-runner');
    store = new SqliteEventStore({ filename: database.sqliteFile!, pollIntervalMs: 20 });
    const types = ['PersonRegistered', 'PersonDeactivated', 'PersonRegistered', 'PersonDeactivated', 'PersonRegistered'] as const;
    const result = await store.appendToStream('s-1', types.map((type, n) => event(type, n)), { expectedRevision: 'no_stream' });
    last = result.lastPosition;
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('hands a manager that can batch only the events it wants, in order, once per batch', async () => {
    const manager = new BatchingManager();
    const runner = new ProcessManagerRunner(store, database.database, manager, { batchSize: 10 });
    await runner.start();
    await runner.waitForPosition(last);
    await runner.stop();
    expect(manager.calls).toEqual([['batch:0', 'batch:2', 'batch:4']]);
  });

  it('hands the others one event at a time', async () => {
    const manager = new RecordingManager();
    const runner = new ProcessManagerRunner(store, database.database, manager, { batchSize: 10 });
    await runner.start();
    await runner.waitForPosition(last);
    await runner.stop();
    expect(manager.calls).toEqual([['one:0'], ['one:2'], ['one:4']]);
  });

  it('hands a failed batch over again from the checkpoint, skipping nothing', async () => {
    const manager = new BatchingManager();
    manager.failOnce = true;
    const errors: object[] = [];
    const runner = new ProcessManagerRunner(store, database.database, manager, {
      batchSize: 10,
      retryInitialDelayMs: 10,
      logger: { info: () => undefined, error: (details) => errors.push(details) },
    });
    await runner.start();
    await runner.waitForPosition(last);
    await runner.stop();
    expect(errors).toHaveLength(1);
    expect(manager.calls).toEqual([['batch:0', 'batch:2', 'batch:4']]);
  });
});
