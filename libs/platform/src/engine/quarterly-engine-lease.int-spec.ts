import { kpiDecider, kpiStreamId } from '@quarterly/domain';
import { PostgresTestDatabase } from '@quarterly/testing/postgres-test-database';
import { readCheckpoint } from '@quarterly/read-models';
import { loadAppConfig } from '../config/app-config';
import type { ProcessManager } from '../workflow/process-manager-runner';
import { QuarterlyEngine } from './quarterly-engine';

const TEAM = { actor: 'p.team', roles: ['performance-team'] as const };

function defineKpi(engine: QuarterlyEngine, kpiId: string) {
  const now = new Date().toISOString();
  return engine.executor.execute({
    streamId: kpiStreamId(kpiId),
    decider: kpiDecider,
    command: {
      type: 'DefineKpi',
      kpiId,
      data: {
        title: `KPI ${kpiId}`,
        definition: 'A test KPI.',
        directorate: 'Place',
        serviceArea: 'Waste',
        planOutcome: '1.1 Test',
        unit: 'count',
        decimalPlaces: 0,
        polarity: 'higher_is_better',
        frequency: 'quarterly',
        measureType: 'in_period',
        dataSource: 'test',
        limitations: '',
        benchmarkSources: [],
        labels: 'green_amber_red',
        owner: 's.lead',
        keyContacts: [],
      },
      context: { actor: TEAM.actor, roles: [...TEAM.roles], now },
    },
    envelope: { actor: TEAM.actor, now, correlationId: `c-${kpiId}`, causationId: `c-${kpiId}` },
  });
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('several instances on one PostgreSQL database', () => {
  let database: PostgresTestDatabase;
  const engines: QuarterlyEngine[] = [];

  beforeEach(async () => {
    database = await PostgresTestDatabase.create('lease');
  });

  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close().catch(() => undefined);
    await database.drop();
  });

  const open = async (processManagers: ProcessManager[] = [], followStore = true) => {
    const config = loadAppConfig({ QUARTERLY_STORE: 'postgres', DATABASE_URL: database.connectionString, LOG_LEVEL: 'silent' });
    const engine = await QuarterlyEngine.open(config, { schema: database.schema, processManagers, followStore });
    engines.push(engine);
    await engine.start();
    return engine;
  };

  it('lets exactly one follow the store; a stand-by takes over when it stops, skipping nothing', async () => {
    const first = await open();
    const second = await open();
    expect(first.isFollowingStore).toBe(true);
    expect(second.isFollowingStore).toBe(false);

    const one = await defineKpi(second, 'LEASE-1');
    // The stand-by answers read-your-writes from the active instance's checkpoints.
    await second.waitForProjections(one.position!);

    await first.close();
    engines.splice(engines.indexOf(first), 1);
    const two = await defineKpi(second, 'LEASE-2');
    await eventually(async () => second.isFollowingStore);
    await second.waitForProjections(two.position!);

    const rows = await second.readModels.db.selectFrom('kpis').select('kpi_id').orderBy('kpi_id').execute();
    expect(rows.map((row) => row.kpi_id)).toEqual(['LEASE-1', 'LEASE-2']);
    const checkpoint = await readCheckpoint(second.readModels.db, 'kpi-register');
    expect(checkpoint?.position).toBeGreaterThanOrEqual(two.position!);
  });

  it('runs a process manager only one instance has (the worker scheduler) there, whoever holds the rest', async () => {
    const seen: string[] = [];
    const scheduler: ProcessManager = { name: 'worker-only', eventTypes: ['KpiDefined'], handle: async (event) => void seen.push(event.streamId) };
    const api = await open();
    const worker = await open([scheduler]);
    expect(api.isFollowingStore).toBe(true);
    expect(worker.activeRunners).toEqual(['worker-only']);

    await defineKpi(api, 'LEASE-3');
    await eventually(async () => seen.includes('kpi-LEASE-3'));
  });

  it('never follows the store when opened not to (QUARTERLY_PROJECTIONS=worker): it waits for the checkpoints the worker stores', async () => {
    const handled: string[] = [];
    const manager = (into: string[]): ProcessManager => ({ name: 'cycle-like', eventTypes: ['KpiDefined'], handle: async (event) => void into.push(event.streamId) });
    // One that ignores these events stores its checkpoint within a second anyway, and is waited for too.
    const ignoring = (): ProcessManager => ({ name: 'ignoring', eventTypes: ['CycleOpened'], handle: async () => undefined });
    const api = await open([manager([]), ignoring()], false);
    expect(api.activeRunners).toEqual([]);

    // Alone, it runs nothing: its own write is not projected until a worker follows the store.
    const one = await defineKpi(api, 'STANDBY-1');
    await expect(api.waitForProjections(one.position!, 300)).rejects.toThrow(/has not reached position/);

    const worker = await open([manager(handled), ignoring()]);
    expect(worker.isFollowingStore).toBe(true);
    const two = await defineKpi(api, 'STANDBY-2');
    await api.waitForProjections(two.position!);
    await api.waitForProcessManagers(two.position!);
    expect(api.activeRunners).toEqual([]);
    expect(handled).toEqual(['kpi-STANDBY-1', 'kpi-STANDBY-2']);
    const rows = await api.readModels.db.selectFrom('kpis').select('kpi_id').orderBy('kpi_id').execute();
    expect(rows.map((row) => row.kpi_id)).toEqual(['STANDBY-1', 'STANDBY-2']);
  });
});
