import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { READ_MODEL_TEST_DIALECTS } from '@quarterly/testing/read-model-test-database';
import { Kysely, sql } from 'kysely';
import { allProjections } from '../all-projections';
import { ReadModelSchema } from '../database/read-model-schema';
import { EventScript } from '../testing/event-script';
import { ReadModelHarness } from '../testing/read-model-harness';
import { GREEN_95, sampleCouncilHistory } from '../testing/sample-history';
import { ratingOf } from '../testing/event-script';
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
import { RebuildLogSource } from './rebuild-log-source';

/** The harness's log as a worker thread opens it. */
function logSourceOf(harness: ReadModelHarness): RebuildLogSource {
  const { testDatabase } = harness;
  return testDatabase.sqliteFile !== undefined
    ? { kind: 'sqlite', filename: testDatabase.sqliteFile }
    : { kind: 'postgres', connectionString: testDatabase.postgres!.connectionString, schema: testDatabase.postgres!.schema };
}

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

    // In this thread, and with the log read, decoded and folded in a worker thread.
    for (const [batchSize, worker] of [[1, false], [13, false], [1000, false], [1, true], [13, true], [1000, true]] as const) {
      const result = await rebuildProjectionSet(harness.store, harness.testDatabase.database, projections, {
        batchSize,
        ...(worker ? { worker: { source: logSourceOf(harness) } } : {}),
      });
      expect(result).toMatchObject({ eventsRead: total, projections: projections.map((p) => p.name) });
      expect(result.foldedInWorker).toEqual(worker ? ['kpi-register', 'status-board', 'value-history', 'audit-log'] : []);
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

  it('folds register changes into the open cycle\'s returns in the worker\'s memory as the live run does, wherever pages split', async () => {
    harness = await ReadModelHarness.create(dialect, { runner: { batchSize: 3 } });
    await harness.start();
    // 2025/26 Q1 is open at the end of the sample: a new owner and title reach its returns, not
    // the closed cycles'; a return requested after the change carries it from its request.
    const script = sampleCouncilHistory()
      .at('2025-07-20T09:00:00Z')
      .changeOwner('ASC-01', 'n.owner', ['n.owner'])
      .amendKpi('ENV-01', { title: 'Hotline calls' }, 'Renamed.')
      .at('2025-07-21T09:00:00Z')
      .submit('ASC-01', '2025/26-Q1', '97.0', ratingOf('amber', '2025/26', GREEN_95))
      // The register's own rows (folded in the worker too): a plan outcome moved under quality
      // assurance, a period's target over the year's, a year's target set again, a retirement.
      .at('2025-07-22T09:00:00Z')
      .amendKpi('ASC-02', { planOutcome: 'Living well at home' }, 'Moved.', '2025-09-30')
      .target('ASC-01', '2025/26', { kind: 'thresholds', green: '99', amber: '97' }, { period: 'Q2' })
      .target('ASC-01', '2025/26', GREEN_95)
      .retire('ENV-01', '2025-10-01');
    const last = await harness.feed(script);
    const live = await snapshotTables(harness.db);
    const owners = live['returns']!.map((row) => [row['kpi_id'], row['cycle_id'], row['owner'], row['kpi_title']]);
    expect(owners).toContainEqual(['ASC-01', '2025/26-Q1', 'n.owner', expect.anything()]);
    expect(owners).toContainEqual(['ENV-01', '2025/26-Q1', 'e.lead', 'Hotline calls']);
    expect(owners).toContainEqual(['ASC-01', '2024/25-Q4', 's.lead', expect.anything()]);
    for (const runner of harness.runners) await runner.stop();
    const projections = harness.runners.map((r) => r.projection);
    for (const batchSize of [1, 5, 1000]) {
      await rebuildProjectionSet(harness.store, harness.testDatabase.database, projections, { batchSize, worker: { source: logSourceOf(harness) } });
      expect(await snapshotTables(harness.db)).toEqual(live);
      expect((await readCheckpoint(harness.db, 'status-board'))?.position).toBe(last);
    }
  });

  it.each([false, true])('rolls back the page that fails for one projection, for all of them, and says how far each got (worker thread: %s)', async (worker) => {
    harness = await ReadModelHarness.create(dialect);
    const script = sampleCouncilHistory();
    const all = await harness.readLog(await script.appendTo(harness.store));
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

    await expect(
      rebuildProjectionSet(harness.store, harness.testDatabase.database, [...projections, failing], {
        batchSize: 10,
        ...(worker ? { worker: { source: logSourceOf(harness) } } : {}),
      }),
    ).rejects.toThrow(
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

  it.each([false, true])('stops at an event it cannot decode, with the pages before it committed (worker thread: %s)', async (worker) => {
    harness = await ReadModelHarness.create(dialect);
    await sampleCouncilHistory().appendTo(harness.store);
    const { lastPosition: bad } = await harness.store.appendToStream(
      'kpi-ZZ-99',
      [{ id: '00000000-0000-4000-8000-000000000099', type: 'NoSuchEvent', schemaVersion: 1, data: {}, metadata: { actor: 'x', recordedAt: '2025-01-01T00:00:00Z', correlationId: 'c', causationId: 'c' } }],
      { expectedRevision: 'any' },
    );
    const all = await harness.readLog(await new EventScript().kpi('LATE-01').appendTo(harness.store));
    const projections = harness.runners.map((r) => r.projection);
    await expect(
      rebuildProjectionSet(harness.store, harness.testDatabase.database, projections, {
        batchSize: 10,
        ...(worker ? { worker: { source: logSourceOf(harness) } } : {}),
      }),
    ).rejects.toThrow(/NoSuchEvent/);
    const reached = (await readCheckpoint(harness.db, 'audit-log'))!.position;
    expect(reached).toBeLessThan(bad);
    expect(all.filter((e) => e.position > reached && e.position <= bad).length).toBeLessThanOrEqual(10);
    for (const projection of projections) expect((await readCheckpoint(harness.db, projection.name))?.position).toBe(reached);
    const audit = await harness.db.selectFrom('audit_log').select('position').execute();
    expect(audit.length).toBe(all.filter((e) => e.position <= reached).length);
    for (const index of DEFERRED) expect(await indexInCatalog(harness.db, dialect, index.name)).toBeDefined();
  });

  it('leaves the read models as they were when the worker thread cannot open the log', async () => {
    harness = await ReadModelHarness.create(dialect);
    await harness.start();
    const last = await harness.feed(sampleCouncilHistory());
    const before = await snapshotTables(harness.db);
    for (const runner of harness.runners) await runner.stop();
    const projections = harness.runners.map((r) => r.projection);
    // A "directory" that is a file: the store cannot be opened there.
    const notADirectory = join(mkdtempSync(join(tmpdir(), 'quarterly-rebuild-')), 'file');
    writeFileSync(notADirectory, '');
    await expect(
      rebuildProjectionSet(harness.store, harness.testDatabase.database, projections, {
        worker: { source: { kind: 'sqlite', filename: join(notADirectory, 'quarterly.sqlite') } },
      }),
    ).rejects.toThrow(/EEXIST|ENOTDIR/);
    rmSync(dirname(notADirectory), { recursive: true, force: true });
    expect(await snapshotTables(harness.db)).toEqual(before);
    for (const projection of projections) expect((await readCheckpoint(harness.db, projection.name))?.position).toBe(last);
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
    await harness.readLog(await sampleCouncilHistory().appendTo(harness.store));
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
