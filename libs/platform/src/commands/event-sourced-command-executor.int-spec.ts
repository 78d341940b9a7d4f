import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kpiDecider, kpiStreamId, type KpiCommand } from '@quarterly/domain';
import { ascDescription, performanceTeam } from '@quarterly/domain/testing/domain-fixtures';
import { SqliteEventStore, type EventStore, type ReadStreamOptions } from '@quarterly/event-store';
import { ConcurrentChangeError, deterministicUuid, EventSourcedCommandExecutor, type CommandEnvelope } from './event-sourced-command-executor';

const STREAM = kpiStreamId('ASC-01');
const envelope: CommandEnvelope = { actor: 'p.officer', now: performanceTeam.now, correlationId: 'c-1', causationId: 'r-1' };
const define: KpiCommand = {
  type: 'DefineKpi',
  kpiId: 'ASC-01',
  data: { ...ascDescription, owner: 's.lead', keyContacts: [] },
  context: performanceTeam,
};
const target = (financialYear: string): KpiCommand => ({
  type: 'SetKpiTargetPolicy',
  kpiId: 'ASC-01',
  data: { financialYear, policy: { kind: 'thresholds', green: '45.00', amber: '40.00' } },
  context: performanceTeam,
});

/** The real SQLite store, counting the stream reads that go through it. */
class ReadCountingStore {
  readonly reads: string[] = [];
  constructor(readonly inner: EventStore) {}
  asEventStore(): EventStore {
    return Object.assign(Object.create(this.inner) as EventStore, {
      readStream: (streamId: string, options?: ReadStreamOptions) => {
        this.reads.push(streamId);
        return this.inner.readStream(streamId, options);
      },
    });
  }
}

describe('EventSourcedCommandExecutor given the stream as the caller read it', () => {
  let directory: string;
  let store: SqliteEventStore;
  let counting: ReadCountingStore;
  let executor: EventSourcedCommandExecutor;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'quarterly-executor-'));
    store = new SqliteEventStore({ filename: join(directory, 'events.sqlite') });
    counting = new ReadCountingStore(store);
    executor = new EventSourcedCommandExecutor(counting.asEventStore());
    await executor.execute({ streamId: STREAM, decider: kpiDecider, command: define, envelope });
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('decides on those events without reading the stream again', async () => {
    const { events } = await executor.load(STREAM, kpiDecider);
    counting.reads.length = 0;

    const outcome = await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2024/25'), envelope, loaded: events });

    expect(counting.reads).toEqual([]);
    expect(outcome).toMatchObject({ revision: 1n, appended: 1 });
    expect((await store.readStream(STREAM)).map((event) => event.type)).toEqual(['KpiDefined', 'KpiTargetPolicySet']);
  });

  it("refuses a user's command decided on a stale read, appending nothing", async () => {
    const { events: stale } = await executor.load(STREAM, kpiDecider);
    await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2024/25'), envelope });

    await expect(
      executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2025/26'), envelope, loaded: stale }),
    ).rejects.toBeInstanceOf(ConcurrentChangeError);
    expect(await store.readStream(STREAM)).toHaveLength(2);
  });

  it('decides an internal command again on a fresh read when its read was stale', async () => {
    const { events: stale } = await executor.load(STREAM, kpiDecider);
    await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2024/25'), envelope });

    const outcome = await executor.execute({
      streamId: STREAM,
      decider: kpiDecider,
      command: target('2025/26'),
      envelope,
      loaded: stale,
      retriesOnConflict: 1,
    });

    expect(outcome).toMatchObject({ revision: 2n, appended: 1 });
    const state = outcome.state;
    expect(state.status === 'active' && Object.keys(state.kpi.policies)).toEqual(['2024/25', '2025/26']);
  });

  it('answers a repeat of an idempotency key found in the given events without appending', async () => {
    const keyed = { ...envelope, idempotencyKey: 'target-2024-25-0001' };
    await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2024/25'), envelope: keyed });
    const { events } = await executor.load(STREAM, kpiDecider);

    const repeat = await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2024/25'), envelope: keyed, loaded: events });

    expect(repeat).toMatchObject({ repeated: true, appended: 0, revision: 1n });
    expect(await store.readStream(STREAM)).toHaveLength(2);
  });

  it('gives events of a command without an idempotency key time-ordered ids, and those of a keyed command ids derived from the key', async () => {
    await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2024/25'), envelope });
    await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2025/26'), envelope: { ...envelope, idempotencyKey: 'target-2025-26' } });
    await executor.execute({ streamId: STREAM, decider: kpiDecider, command: target('2026/27'), envelope });

    const [defined, first, keyed, last] = (await store.readStream(STREAM)).map((event) => event.id);
    const timeOrdered = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect([defined, first, last]).toEqual([expect.stringMatching(timeOrdered), expect.stringMatching(timeOrdered), expect.stringMatching(timeOrdered)]);
    expect(defined! < first! && first! < last!).toBe(true);
    expect(keyed).toBe(deterministicUuid(`${STREAM}\u0000target-2025-26\u00000`));
  });
});
