import { READ_MODEL_TEST_DIALECTS } from '@quarterly/testing/read-model-test-database';
import { Kysely, sql } from 'kysely';
import { allProjections } from '../all-projections';
import { ReadModelSchema } from '../database/read-model-schema';
import { EventScript } from '../testing/event-script';
import { ReadModelHarness } from '../testing/read-model-harness';
import { sampleCouncilHistory } from '../testing/sample-history';
import { snapshotTables } from '../testing/table-snapshot';
import { readCheckpoint } from './checkpoint.store';
import { dropIndex, Projection, ReadModelIndex } from './projection';

/** The table and columns (in order) of an index, read from the database's catalog; undefined when it does not exist. */
async function indexInCatalog(db: Kysely<ReadModelSchema>, dialect: string, name: string): Promise<Omit<ReadModelIndex, 'name'> | undefined> {
  if (dialect === 'sqlite') {
    const found = (await sql<{ tbl_name: string }>`select tbl_name from sqlite_master where type = 'index' and name = ${name}`.execute(db)).rows[0];
    if (!found) return undefined;
    const columns = (await sql<{ name: string }>`select name from pragma_index_info(${name}) order by seqno`.execute(db)).rows;
    return { table: found.tbl_name as ReadModelIndex['table'], columns: columns.map((c) => c.name) };
  }
  const found = (
    await sql<{ table: string; columns: string[] }>`
      select t.relname as table, array_agg(a.attname::text order by k.ord) as columns
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = i.relnamespace
      cross join lateral unnest(x.indkey) with ordinality as k(attnum, ord)
      join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
      where n.nspname = current_schema() and i.relname = ${name}
      group by t.relname`.execute(db)
  ).rows[0];
  return found && { table: found.table as ReadModelIndex['table'], columns: found.columns };
}

const DEFERRED = allProjections().flatMap((projection) => projection.deferredIndexes ?? []);
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

  it('declares as deferred indexes exactly the indexes the migrations create', async () => {
    harness = await ReadModelHarness.create(dialect);
    expect(DEFERRED.length).toBeGreaterThan(0);
    for (const index of DEFERRED) {
      expect({ name: index.name, ...(await indexInCatalog(harness.db, dialect, index.name)) }).toEqual({ ...index, columns: [...index.columns] });
    }
  });

  it('creates the deferred indexes again at the end, also after a failure, and at start after a rebuild killed half-way', async () => {
    harness = await ReadModelHarness.create(dialect);
    await sampleCouncilHistory().appendTo(harness.store);
    const failing: Projection = {
      name: 'failing',
      version: 1,
      tables: [],
      async apply() {
        throw new Error('cannot apply');
      },
    };
    const projections = harness.runners.map((r) => r.projection);
    await expect(rebuildProjectionSet(harness.store, harness.testDatabase.database, [...projections, failing])).rejects.toThrow('cannot apply');
    for (const index of DEFERRED) expect(await indexInCatalog(harness.db, dialect, index.name)).toBeDefined();

    // A rebuild killed after dropping them: the projections' start puts them back.
    for (const index of DEFERRED) await dropIndex(harness.db, index);
    await harness.start();
    for (const index of DEFERRED) expect(await indexInCatalog(harness.db, dialect, index.name)).toMatchObject({ table: index.table });
  });
});
