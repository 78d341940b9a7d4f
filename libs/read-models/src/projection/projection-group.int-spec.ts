import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DecodedEvent, DecodedEventOf } from '@quarterly/event-codec';
import { KpiEventType } from '@quarterly/domain';
import { READ_MODEL_TEST_DIALECTS } from '@quarterly/testing/read-model-test-database';
import { Kysely } from 'kysely';
import { allProjections } from '../all-projections';
import { ReadModelSchema } from '../database/read-model-schema';
import { AuditLogProjection } from '../audit/audit-log.projection';
import { getKpi } from '../kpi-register/kpi-register.queries';
import { KpiRegisterProjection } from '../kpi-register/kpi-register.projection';
import { EventScript } from '../testing/event-script';
import { ReadModelHarness } from '../testing/read-model-harness';
import { sampleCouncilHistory } from '../testing/sample-history';
import { snapshotTables } from '../testing/table-snapshot';
import { readCheckpoint } from './checkpoint.store';
import { Projection } from './projection';
import { rebuildProjectionSet } from './projection-set-rebuild';

/** Records the transaction each batch was applied in (a real projection's rows are not needed). */
class TransactionProbe implements Projection {
  readonly version = 1;
  readonly eventTypes = undefined;
  readonly tables = [] as const;
  readonly transactions: Array<Kysely<ReadModelSchema>> = [];
  constructor(readonly name: string) {}
  async apply(trx: Kysely<ReadModelSchema>, _event: DecodedEvent): Promise<void> {
    if (this.transactions[this.transactions.length - 1] !== trx) this.transactions.push(trx);
  }
}

/** The KPI register, refusing the KPIs listed in `refuse` (a broken deployment). */
class RefusingKpiRegister implements Projection<KpiEventType> {
  readonly inner = new KpiRegisterProjection();
  readonly name = this.inner.name;
  readonly version = this.inner.version;
  readonly eventTypes = this.inner.eventTypes;
  readonly tables = this.inner.tables;
  readonly refuse = new Set<string>();
  async apply(trx: Kysely<ReadModelSchema>, event: DecodedEventOf<KpiEventType>): Promise<void> {
    if (event.type === 'KpiDefined' && this.refuse.has(event.data.kpiId)) throw new Error(`cannot apply ${event.data.kpiId}`);
    await this.inner.apply(trx, event);
  }
}

async function eventually(condition: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  for (let i = 0; i < 1500; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${what} not met within 15 s`);
}

describe.each(READ_MODEL_TEST_DIALECTS)('projections sharing one subscription (ProjectionRunner.group) on %s', (dialect) => {
  let harness: ReadModelHarness;
  afterEach(async () => {
    await harness?.close();
  });

  it('applies each batch to every projection in one transaction, and stores every checkpoint with it', async () => {
    const first = new TransactionProbe('probe-a');
    const second = new TransactionProbe('probe-b');
    harness = await ReadModelHarness.create(dialect, { projections: [first, second] });
    await harness.start();
    const position = await harness.feed(new EventScript().kpi('ASC-01').kpi('ASC-02'));
    await harness.feed(new EventScript().kpi('ASC-03'));
    expect(first.transactions.length).toBeGreaterThanOrEqual(2);
    expect(second.transactions).toEqual(first.transactions);
    expect((await readCheckpoint(harness.db, 'probe-b'))?.position).toBeGreaterThan(position);
  });

  it('holds back only a projection that fails; it retries from its checkpoint while the others carry on', async () => {
    const register = new RefusingKpiRegister();
    harness = await ReadModelHarness.create(dialect, {
      projections: [register, new AuditLogProjection()],
      runner: { retryInitialDelayMs: 20, retryMaxDelayMs: 40 },
    });
    await harness.start();
    const first = await harness.feed(new EventScript().kpi('ASC-01'));
    register.refuse.add('ASC-02');
    const last = await new EventScript().kpi('ASC-02').kpi('ASC-03').appendTo(harness.store);

    await harness.runner('audit-log').waitForPosition(last, { timeoutMs: 10_000 });
    expect((await readCheckpoint(harness.db, 'audit-log'))?.position).toBe(last);
    await eventually(() => harness.logger.errors.length > 0, 'a logged failure');
    expect((await readCheckpoint(harness.db, 'kpi-register'))?.position).toBe(first);
    expect(await getKpi(harness.db, 'ASC-03')).toBeUndefined();

    register.refuse.clear();
    await harness.runner('kpi-register').waitForPosition(last, { timeoutMs: 10_000 });
    expect(await getKpi(harness.db, 'ASC-02')).toBeDefined();
    expect(await getKpi(harness.db, 'ASC-03')).toBeDefined();
  });

  it('lets one projection stop while the others follow, and catches it up from its checkpoint when it starts', async () => {
    harness = await ReadModelHarness.create(dialect);
    await harness.start();
    const before = await harness.feed(new EventScript().kpi('ASC-01'));
    const register = harness.runner('kpi-register');
    await register.stop();
    const script = sampleCouncilHistory();
    const last = await script.appendTo(harness.store);
    script.drain();
    await Promise.all(harness.runners.filter((r) => r !== register).map((r) => r.waitForPosition(last, { timeoutMs: 10_000 })));
    expect((await readCheckpoint(harness.db, 'kpi-register'))?.position).toBe(before);

    await register.start();
    await register.waitForPosition(last, { timeoutMs: 10_000 });
    const live = await snapshotTables(harness.db);
    await harness.group.stop();
    await rebuildProjectionSet(harness.store, harness.testDatabase.database, allProjections());
    expect(await snapshotTables(harness.db)).toEqual(live);
  });
});

describe.each(READ_MODEL_TEST_DIALECTS)('when the process running the projections is killed with SIGKILL (%s)', (dialect) => {
  let harness: ReadModelHarness;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await harness?.close();
  });

  // Starting the child compiles the TypeScript sources on the fly: allow for it.
  it('resumes exactly where the last committed batch left every projection', async () => {
    harness = await ReadModelHarness.create(dialect);
    const script = sampleCouncilHistory();
    for (let i = 1; i <= 300; i += 1) script.kpi(`MORE-${String(i).padStart(3, '0')}`);
    const last = await script.appendTo(harness.store);
    script.drain();

    const database = harness.testDatabase;
    child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '..', 'testing', 'projection-group.child.ts')], {
      cwd: join(__dirname, '..', '..', '..', '..'),
      env: {
        ...process.env,
        BATCH_SIZE: '2',
        ...(database.sqliteFile ? { SQLITE_FILE: database.sqliteFile } : { SCHEMA: database.postgres!.schema, DATABASE_URL: database.postgres!.connectionString }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    // Kill it once it has committed some batches but not all of them.
    await eventually(async () => {
      if (child!.exitCode !== null) throw new Error(`the projections' process ended: ${errors}`);
      const position = (await readCheckpoint(harness.db, 'audit-log'))?.position;
      return position !== undefined && position > 20n;
    }, 'the child committing a batch');
    child.kill('SIGKILL');
    await exited;
    const atKill = await Promise.all(harness.runners.map((r) => readCheckpoint(harness.db, r.projection.name)));
    expect(atKill.every((checkpoint) => checkpoint !== undefined && checkpoint.position < last)).toBe(true);

    // A restart here: every projection goes on from its own checkpoint.
    await harness.start();
    await harness.waitFor(last);
    const resumed = await snapshotTables(harness.db);
    await harness.group.stop();
    await rebuildProjectionSet(harness.store, harness.testDatabase.database, allProjections());
    expect(resumed).toEqual(await snapshotTables(harness.db));
  }, 60_000);
});
