import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecodedEventOf } from '@quarterly/event-codec';
import type { NewEvent } from '@quarterly/event-store';
import { SqliteEventStore } from '@quarterly/event-store';
import { openReadModelDatabase, type ReadModelDatabase } from '@quarterly/read-models';
import { PostgresTestCluster } from '@quarterly/testing/postgres-test-cluster';
import { type ProcessManager, ProcessManagerRunner } from './process-manager-runner';

/** Records the n of every person registered it is handed. */
class RecordingManager implements ProcessManager<'PersonRegistered'> {
  readonly name = 'outage-recorder';
  readonly eventTypes = ['PersonRegistered'] as const;
  readonly handled: number[] = [];
  async handle(event: DecodedEventOf<'PersonRegistered'>): Promise<void> {
    this.handled.push(Number(event.data.personId));
  }
}

function wanted(n: number): NewEvent {
  const id = randomUUID();
  const data = { personId: String(n), name: `Person ${n}`, email: `p${n}@council.example`, roles: ['member'] };
  return { id, type: 'PersonRegistered', schemaVersion: 1, data, metadata: { actor: 'system:test', correlationId: id, causationId: id, recordedAt: '2025-04-01T09:00:00.000Z' } };
}

// A process manager keeps its checkpoint in the read-model database. When that database goes away
// the runner fails, and resuming means reading the checkpoint from the database that is still
// away: that failure must be retried like the first (it once escaped as an unhandled rejection,
// which ends a Node process), and the runner must go on from its checkpoint once it is back.
describe('ProcessManagerRunner when its checkpoint database goes away', () => {
  let cluster: PostgresTestCluster;
  let readModels: ReadModelDatabase;
  let store: SqliteEventStore;
  let dir: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    cluster = await PostgresTestCluster.create();
    readModels = await openReadModelDatabase({ dialect: 'postgres', connectionString: cluster.url });
    dir = mkdtempSync(join(tmpdir(), 'quarterly-pm-outage-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
    process.on('unhandledRejection', onUnhandled);
  }, 60_000);

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await store?.close();
    await readModels?.close();
    await cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('retries while the database is down and resumes from its checkpoint, skipping no event', async () => {
    const manager = new RecordingManager();
    const runner = new ProcessManagerRunner(store, readModels, manager, { retryInitialDelayMs: 50, retryMaxDelayMs: 200 });
    await runner.start();
    const first = await store.appendToStream('s-1', [wanted(1), wanted(2)], { expectedRevision: 'no_stream' });
    await runner.waitForPosition(first.lastPosition);

    await cluster.stop();
    // Events arrive while the checkpoint cannot be written: handled (effects are idempotent), but
    // the checkpoint write fails and the runner restarts — several times, while PostgreSQL is down.
    const during = await store.appendToStream('s-1', [wanted(3)], { expectedRevision: first.nextExpectedRevision });
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // several restart attempts (50 → 200 ms)
    expect(runner.position).toBeLessThan(during.lastPosition);

    await cluster.start();
    const after = await store.appendToStream('s-1', [wanted(4)], { expectedRevision: during.nextExpectedRevision });
    await runner.waitForPosition(after.lastPosition);
    await runner.stop();

    expect(unhandled).toEqual([]);
    // Every event handled, in order; 3 may be handled more than once (at least once), never skipped.
    expect([...new Set(manager.handled)]).toEqual([1, 2, 3, 4]);
  }, 60_000);
});
