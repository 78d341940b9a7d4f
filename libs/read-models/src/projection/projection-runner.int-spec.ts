import { DecodedEventOf, eventCodec } from '@quarterly/event-codec';
import { KpiEventType } from '@quarterly/domain';
import { READ_MODEL_TEST_DIALECTS } from '@quarterly/testing/read-model-test-database';
import { Kysely } from 'kysely';
import { ReadModelSchema } from '../database/read-model-schema';
import { getKpi } from '../kpi-register/kpi-register.queries';
import { KpiRegisterProjection } from '../kpi-register/kpi-register.projection';
import { EventScript } from '../testing/event-script';
import { ReadModelHarness } from '../testing/read-model-harness';
import { sampleCouncilHistory } from '../testing/sample-history';
import { snapshotTables } from '../testing/table-snapshot';
import { readCheckpoint } from './checkpoint.store';
import { Projection, projectionAccepts } from './projection';
import { ProjectionRunner, ProjectionTimeoutError, RebuildProgress } from './projection-runner';

/** The KPI register, refusing to apply KPIs listed in `refuse` (a broken deployment). */
class FlakyKpiRegisterProjection implements Projection<KpiEventType> {
  readonly inner = new KpiRegisterProjection();
  readonly name = this.inner.name;
  readonly eventTypes = this.inner.eventTypes;
  readonly tables = this.inner.tables;
  readonly refuse = new Set<string>();
  constructor(readonly version = 1) {}
  async apply(trx: Kysely<ReadModelSchema>, event: DecodedEventOf<KpiEventType>): Promise<void> {
    const kpiId = event.type === 'KpiDefined' ? event.data.kpiId : undefined;
    if (kpiId !== undefined && this.refuse.has(kpiId)) throw new Error(`cannot apply ${kpiId}`);
    await this.inner.apply(trx, event);
  }
}

/** Polls a condition that another task makes true (no fixed sleeps). */
async function eventually(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met within 5 s');
}

describe.each(READ_MODEL_TEST_DIALECTS)('ProjectionRunner on %s', (dialect) => {
  let harness: ReadModelHarness;
  afterEach(async () => {
    await harness?.close();
  });

  describe('when following the store', () => {
    it('projects appended events and waits for a position (read-your-writes)', async () => {
      harness = await ReadModelHarness.create(dialect);
      await harness.start();
      const position = await harness.feed(new EventScript().kpi('ASC-01'));
      expect((await getKpi(harness.db, 'ASC-01'))?.title).toMatch(/direct payments/);
      const checkpoint = await readCheckpoint(harness.db, 'kpi-register');
      expect(checkpoint).toEqual({ version: new KpiRegisterProjection().version, position });
    });

    it('advances past events a projection ignores, so waiting for their position resolves', async () => {
      harness = await ReadModelHarness.create(dialect);
      await harness.start();
      // A person event means nothing to the KPI register, yet its runner reaches the position.
      const position = await harness.feed(new EventScript().person('j.smith', 'J Smith', ['member']));
      expect(harness.runner('kpi-register').position).toBe(position);
    });

    it('rejects a wait for a position the store has not reached with ProjectionTimeoutError', async () => {
      harness = await ReadModelHarness.create(dialect);
      await harness.start();
      await expect(harness.runner('audit-log').waitForPosition(1_000n, { timeoutMs: 50 })).rejects.toBeInstanceOf(
        ProjectionTimeoutError,
      );
    });
  });

  describe('when apply fails in the middle of a batch', () => {
    it('commits neither the rows nor the checkpoint, then restarts from the checkpoint', async () => {
      const flaky = new FlakyKpiRegisterProjection();
      harness = await ReadModelHarness.create(dialect, {
        projections: [flaky],
        runner: { retryInitialDelayMs: 20, retryMaxDelayMs: 40 },
      });
      await harness.start();
      const first = await harness.feed(new EventScript().kpi('ASC-01'));
      const runner = harness.runner('kpi-register');
      await runner.stop();

      // B then C in one batch; C fails after B was applied inside the same transaction.
      flaky.refuse.add('ASC-03');
      const last = await new EventScript().kpi('ASC-02').kpi('ASC-03').appendTo(harness.store);
      // On PostgreSQL the two streams' commits become visible as the cluster's horizon passes
      // them; start once both are, so that the runner's first batch holds both.
      await eventually(async () => (await harness.store.readAll({ after: first, limit: 100 })).some((event) => event.position === last));
      await runner.start();
      await eventually(() => harness.logger.errors.length > 0);

      expect(await getKpi(harness.db, 'ASC-02')).toBeUndefined();
      expect((await readCheckpoint(harness.db, 'kpi-register'))?.position).toBe(first);
      // Between retries the runner is restarting; it shows the error again as each one fails.
      await eventually(() => runner.lastError instanceof Error);

      flaky.refuse.clear();
      await runner.waitForPosition(last, { timeoutMs: 5_000 });
      expect(await getKpi(harness.db, 'ASC-02')).toBeDefined();
      expect(await getKpi(harness.db, 'ASC-03')).toBeDefined();
      expect((await readCheckpoint(harness.db, 'kpi-register'))?.position).toBe(last);
    });
  });

  describe('when events are applied again', () => {
    it('changes nothing (every projection is idempotent)', async () => {
      harness = await ReadModelHarness.create(dialect);
      await harness.start();
      await harness.feed(sampleCouncilHistory());
      const before = await snapshotTables(harness.db);
      const events = eventCodec.decodeAll(await harness.store.readAll({ limit: 10_000 }));
      for (const runner of harness.runners) await runner.stop();
      await harness.db.transaction().execute(async (trx) => {
        for (const runner of harness.runners) {
          for (const event of events) {
            if (projectionAccepts(runner.projection, event)) {
              await runner.projection.apply(trx, event);
            }
          }
        }
      });
      expect(await snapshotTables(harness.db)).toEqual(before);
    });
  });

  describe('when rebuilt', () => {
    it('produces exactly the rows of the live run and reports progress', async () => {
      harness = await ReadModelHarness.create(dialect, { runner: { batchSize: 7 } });
      await harness.start();
      const last = await harness.feed(sampleCouncilHistory());
      const live = await snapshotTables(harness.db);
      const total = (await harness.store.readAll({ limit: 10_000 })).length;

      for (const runner of harness.runners) {
        const progress: RebuildProgress[] = [];
        const result = await runner.rebuild({ onProgress: (p) => progress.push(p), totalEvents: total });
        expect(result.eventsRead).toBe(total);
        expect(result.position).toBe(last);
        expect(progress.length).toBe(Math.ceil(total / 7));
        expect(progress[progress.length - 1]).toMatchObject({ eventsRead: total, totalEvents: total });
      }
      expect(await snapshotTables(harness.db)).toEqual(live);

      // Still live after the rebuild.
      await harness.feed(new EventScript().kpi('NEW-01'));
      expect(await getKpi(harness.db, 'NEW-01')).toBeDefined();
    });

    it('gives every projection the same rows wherever the batches split', async () => {
      harness = await ReadModelHarness.create(dialect);
      await harness.start();
      // A KPI changing hands and being renamed just after a cycle opens touches rows made in
      // earlier batches; a small batch size puts those in different transactions.
      await harness.feed(
        sampleCouncilHistory()
          .at('2025-10-01T08:00:00Z')
          .openCycle('2025/26-Q2', ['ASC-01', 'ASC-02', 'ENV-01'], '2025-10-17')
          .changeOwner('ASC-02', 'n.lead', ['n.contact'])
          .amendKpi('ENV-01', { title: 'Household waste collected (tonnes)' }, 'clearer title'),
      );
      const live = await snapshotTables(harness.db);
      for (const runner of harness.runners) await runner.stop();
      for (const batchSize of [1, 2, 3, 5, 8]) {
        for (const { projection } of harness.runners) {
          await new ProjectionRunner(harness.store, harness.testDatabase.database, projection, {
            batchSize,
            logger: harness.logger,
          }).rebuild();
        }
        expect({ batchSize, tables: await snapshotTables(harness.db) }).toEqual({ batchSize, tables: live });
      }
    });

    it('rebuilds at start when the projection version changed', async () => {
      harness = await ReadModelHarness.create(dialect, { projections: [new FlakyKpiRegisterProjection(1)] });
      await harness.start();
      const position = await harness.feed(new EventScript().kpi('ASC-01').kpi('ASC-02'));
      await harness.runners[0]!.stop();
      // Tamper with a row: a rebuild must recreate it from the events.
      await harness.db.updateTable('kpis').set({ title: 'tampered' }).where('kpi_id', '=', 'ASC-01').execute();

      const v2 = new ProjectionRunner(harness.store, harness.testDatabase.database, new FlakyKpiRegisterProjection(2), {
        logger: harness.logger,
      });
      await v2.start();
      try {
        await v2.waitForPosition(position);
        expect((await getKpi(harness.db, 'ASC-01'))?.title).toMatch(/direct payments/);
        expect(await readCheckpoint(harness.db, 'kpi-register')).toEqual({ version: 2, position });
        expect(harness.logger.infos.some((i) => i.message.includes('version changed'))).toBe(true);
      } finally {
        await v2.stop();
      }
    });
  });
});
