import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cycleStreamId, returnStreamId } from '@quarterly/domain';
import { eventCodec, type DecodedEventOf } from '@quarterly/event-codec';
import { SqliteEventStore } from '@quarterly/event-store';
import { EventSourcedCommandExecutor } from '@quarterly/platform/commands/event-sourced-command-executor';
import { EventScript } from '@quarterly/read-models/testing/event-script';
import { KpiRegister, PeopleDirectory } from '../shared/directory.port';
import type { Caller } from '../shared/caller';
import { UseCaseBus } from '../use-case-bus';
import { UseCaseDependencies } from '../use-case-dependencies';
import { CycleReturnsProcessManager } from './cycle-returns.process-manager';
import { OpenCycleCommand } from './open-cycle.command';

const CYCLE = '2025/26-Q2';
const KPIS = Array.from({ length: 240 }, (_, i) => `PM-${String(i).padStart(3, '0')}`);

/** The register as the script wrote it. */
class ScriptRegister extends KpiRegister {
  allKpiIds(): Promise<string[]> {
    return Promise.resolve([...KPIS]);
  }
  facts(): never {
    throw new Error('not read when a cycle opens');
  }
}
/** Requesting a return asks nobody. */
class UnusedDirectory extends PeopleDirectory {
  everyone(): never {
    throw new Error('not read when returns are requested');
  }
  holderOfSignInId(): never {
    throw new Error('not read when returns are requested');
  }
}

/** Stands for a process that dies part-way: the real bus, until `after` commands have run. */
class BusDyingAfter extends UseCaseBus {
  private executed = 0;
  constructor(
    dependencies: UseCaseDependencies,
    private readonly after: number,
  ) {
    super(dependencies);
  }
  override async execute<T>(command: Parameters<UseCaseBus['execute']>[0]): Promise<T> {
    this.executed += 1;
    if (this.executed > this.after) throw new Error('process killed');
    return super.execute(command) as Promise<T>;
  }
}

const caller: Caller = {
  principal: { id: 'p.officer', roles: ['performance-team'] },
  envelope: { actor: 'p.officer', now: '2025-10-01T09:00:00Z', correlationId: 'open', causationId: 'open' },
  internal: true,
};

// The cycle process manager requests a cycle's returns many at a time, against a real SQLite store.
describe('the cycle process manager requesting a cycle’s returns', () => {
  let directory: string;
  let store: SqliteEventStore;
  let dependencies: UseCaseDependencies;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'quarterly-cycle-returns-'));
    store = new SqliteEventStore({ filename: join(directory, 'events.sqlite') });
    const script = new EventScript().at('2025-09-01T08:00:00Z').person('o.owner', 'Olive Owner', ['service-lead'], 'Adult Social Care');
    for (const kpiId of KPIS) script.kpi(kpiId, { title: kpiId }, 'o.owner', []);
    await script.appendTo(store);
    dependencies = new UseCaseDependencies({ executor: new EventSourcedCommandExecutor(store), directory: new UnusedDirectory(), kpiRegister: new ScriptRegister() });
    await new UseCaseBus(dependencies).execute(new OpenCycleCommand({ cycleId: CYCLE }, caller));
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const cycleOpened = async () => {
    const [opened] = eventCodec.decodeOnly(['CycleOpened'], await store.readStream(cycleStreamId(CYCLE)));
    return opened as DecodedEventOf<'CycleOpened'>;
  };
  /** Every return stream's events, by KPI. */
  const returnStreams = async () => new Map(await Promise.all(KPIS.map(async (kpiId) => [kpiId, await store.readStream(returnStreamId(kpiId, CYCLE))] as const)));

  it('requests every return the cycle lists, once each, in its stream of its own', async () => {
    const opened = await cycleOpened();
    expect(opened.data.requestedReturns).toHaveLength(KPIS.length);
    await new CycleReturnsProcessManager(new UseCaseBus(dependencies), 16).handle(opened);
    for (const [kpiId, events] of await returnStreams()) {
      expect({ kpiId, types: events.map((event) => event.type) }).toEqual({ kpiId, types: ['ReturnRequested'] });
      expect(events[0]!.metadata.causationId).toBe(opened.id);
    }
  });

  it('killed part-way, then run again on the same event, requests the missing returns and none twice', async () => {
    const opened = await cycleOpened();
    const dying = new CycleReturnsProcessManager(new BusDyingAfter(dependencies, 100), 16);
    await expect(dying.handle(opened)).rejects.toThrow('process killed');
    const partway = [...(await returnStreams()).values()].filter((events) => events.length > 0).length;
    // The commands in flight when the first one failed finished; none was started after it.
    expect(partway).toBe(100);

    await new CycleReturnsProcessManager(new UseCaseBus(dependencies), 16).handle(opened);
    await new CycleReturnsProcessManager(new UseCaseBus(dependencies), 16).handle(opened); // a replay after the checkpoint was lost
    const streams = await returnStreams();
    for (const [kpiId, events] of streams) expect({ kpiId, types: events.map((event) => event.type) }).toEqual({ kpiId, types: ['ReturnRequested'] });
    const ids = [...streams.values()].map((events) => events[0]!.id);
    expect(new Set(ids).size).toBe(KPIS.length);
  });
});
