import { READ_MODEL_TEST_DIALECTS } from '@quarterly/testing/read-model-test-database';
import { Kysely } from 'kysely';
import { ReadModelSchema } from '../database/read-model-schema';
import { EventScript } from '../testing/event-script';
import { ReadModelHarness } from '../testing/read-model-harness';
import { sampleCouncilHistory } from '../testing/sample-history';
import { snapshotTables } from '../testing/table-snapshot';
import { readCheckpoint } from './checkpoint.store';
import { Projection } from './projection';
import { rebuildProjectionSet } from './projection-set-rebuild';

describe.each(READ_MODEL_TEST_DIALECTS)('rebuilding every projection in one pass on %s', (dialect) => {
  let harness: ReadModelHarness;
  afterEach(async () => {
    await harness?.close();
  });

  it('gives exactly the rows of the live run, whatever the page size, with every checkpoint at the end of the log', async () => {
    harness = await ReadModelHarness.create(dialect, { runner: { batchSize: 7 } });
    await harness.start();
    const last = await harness.feed(sampleCouncilHistory());
    const live = await snapshotTables(harness.db);
    const total = (await harness.store.readAll({ limit: 10_000 })).length;
    for (const runner of harness.runners) await runner.stop();
    const projections = harness.runners.map((r) => r.projection);

    for (const batchSize of [1, 13, 1000]) {
      const result = await rebuildProjectionSet(harness.store, harness.testDatabase.database, projections, { batchSize });
      expect(result).toMatchObject({ eventsRead: total, projections: projections.map((p) => p.name) });
      expect(await snapshotTables(harness.db)).toEqual(live);
      for (const projection of projections) {
        expect(await readCheckpoint(harness.db, projection.name)).toEqual({ version: projection.version, position: last });
      }
    }

    // The runners carry on from the checkpoints the rebuild left.
    await harness.start();
    await harness.feed(new EventScript().kpi('NEW-01'));
    expect((await snapshotTables(harness.db))['kpis']!.map((row) => row['kpi_id'])).toContain('NEW-01');
  });

  it('rolls back the page that fails for one projection, for all of them, and says how far each got', async () => {
    harness = await ReadModelHarness.create(dialect);
    const script = sampleCouncilHistory();
    await script.appendTo(harness.store);
    const all = await harness.store.readAll({ limit: 10_000 });
    const failAt = all[Math.floor(all.length / 2)]!.position;
    const projections = harness.runners.map((r) => r.projection);
    const failing: Projection = {
      name: 'failing',
      version: 1,
      tables: [],
      async apply(_trx: Kysely<ReadModelSchema>, event) {
        if (event.position === failAt) throw new Error(`cannot apply ${String(failAt)}`);
      },
    };

    await expect(rebuildProjectionSet(harness.store, harness.testDatabase.database, [...projections, failing], { batchSize: 10 })).rejects.toThrow(
      `cannot apply ${String(failAt)}`,
    );
    // Every checkpoint stopped at the last page committed before the failing one.
    const checkpoints = await Promise.all([...projections, failing].map((p) => readCheckpoint(harness.db, p.name)));
    const positions = new Set(checkpoints.map((c) => c?.position));
    expect(positions.size).toBe(1);
    const reached = [...positions][0]!;
    expect(reached).toBeLessThan(failAt);
    expect(all.filter((e) => e.position > reached && e.position <= failAt).length).toBeLessThanOrEqual(10);
    // Nothing of the failed page was written: no audit row beyond the checkpoint.
    const audit = await harness.db.selectFrom('audit_log').select('position').execute();
    expect(audit.every((row) => BigInt(row.position) <= reached)).toBe(true);
    expect(audit.length).toBe(all.filter((e) => e.position <= reached).length);
  });
});
