import { READ_MODEL_TEST_DIALECTS, ReadModelTestDatabase } from '@quarterly/testing/read-model-test-database';
import { Insertable } from 'kysely';
import { HistoryDueDateTable } from './read-model-schema';
import { RowBatchWriter, runRowStatement } from './row-batch.writer';
import { toBigInt, toNumber } from '../shared/column-values';

const DUE_DATES = new RowBatchWriter({
  table: 'history_due_dates',
  columns: { return_id: 'text', position: 'bigint', cycle_id: 'text', due_date: 'text', recorded_at: 'text' },
  key: ['return_id', 'position'],
  onConflict: 'nothing',
});

const CYCLES = new RowBatchWriter({
  table: 'cycles',
  columns: {
    cycle_id: 'text',
    financial_year: 'text',
    quarter: 'integer',
    returns_due: 'text',
    dmt_review_deadline: 'text',
    clt_date: 'text',
    publication_date: 'text',
    state: 'text',
    requested_count: 'integer',
    opened_at: 'text',
    closed_at: 'text',
    last_position: 'bigint',
  },
  key: ['cycle_id'],
  onConflict: 'update',
});

/** Text a SQL or JSON layer could mangle: quotes, backslashes, braces, commas, JSON, line breaks, non-Latin letters, emoji. */
const AWKWARD = [
  `it's "quoted"`,
  'back\\slash \\" and \\\\',
  '{a,b} {"x":[1,"2"]} NULL null',
  'line\nbreak\ttab\r',
  'Ünïcödé — 中文 — 🙂',
  '',
  ' leading and trailing ',
];

function cycleRow(cycleId: string, state: string, position: bigint, closedAt: string | null) {
  return {
    cycle_id: cycleId,
    financial_year: '2025/26',
    quarter: 2,
    returns_due: '2025-10-20',
    dmt_review_deadline: '2025-10-27',
    clt_date: '2025-11-03',
    publication_date: '2025-11-17',
    state,
    requested_count: 412,
    opened_at: '2025-10-01T09:00:00.000Z',
    closed_at: closedAt,
    last_position: position,
  };
}

describe.each(READ_MODEL_TEST_DIALECTS)('RowBatchWriter on %s', (dialect) => {
  let database: ReadModelTestDatabase;
  beforeEach(async () => {
    database = await ReadModelTestDatabase.create(dialect, 'row_batch');
  });
  afterEach(async () => {
    await database?.drop();
  });

  it('stores every value as given (awkward text, nulls, 64-bit positions) and keeps the first row of a key seen twice', async () => {
    const big = 2n ** 62n + 7n;
    const rows: Array<Insertable<HistoryDueDateTable>> = AWKWARD.map((text, i) => ({
      return_id: `return-${i}`,
      position: big + BigInt(i),
      cycle_id: text,
      due_date: '2025-10-20',
      recorded_at: text,
    }));
    await database.db.transaction().execute((trx) =>
      DUE_DATES.write(trx, [...rows, { ...rows[0]!, cycle_id: 'second of the same key' }]),
    );
    const stored = await database.db.selectFrom('history_due_dates').selectAll().orderBy('position').execute();
    expect(stored.map((row) => ({ ...row, position: toBigInt(row.position) }))).toEqual(rows);
  });

  it('writes nothing for no rows, and rolls back with the transaction', async () => {
    await database.db.transaction().execute((trx) => DUE_DATES.write(trx, []));
    await expect(
      database.db.transaction().execute(async (trx) => {
        await DUE_DATES.write(trx, [{ return_id: 'r', position: 1n, cycle_id: 'c', due_date: 'd', recorded_at: 'a' }]);
        throw new Error('the page failed');
      }),
    ).rejects.toThrow('the page failed');
    expect(await database.db.selectFrom('history_due_dates').selectAll().execute()).toEqual([]);
  });

  it('upserts: a row whose key is there replaces every other column, a new key is inserted', async () => {
    await database.db.transaction().execute((trx) => CYCLES.write(trx, [cycleRow('2025-26-Q2', 'open', 10n, null)]));
    await database.db
      .transaction()
      .execute((trx) => CYCLES.write(trx, [cycleRow('2025-26-Q2', 'closed', 99n, '2025-12-01T10:00:00.000Z'), cycleRow('2025-26-Q3', 'open', 100n, null)]));
    const stored = await database.db.selectFrom('cycles').selectAll().orderBy('cycle_id').execute();
    expect(stored.map((row) => ({ ...row, quarter: toNumber(row.quarter), requested_count: toNumber(row.requested_count), last_position: toBigInt(row.last_position) }))).toEqual([
      cycleRow('2025-26-Q2', 'closed', 99n, '2025-12-01T10:00:00.000Z'),
      cycleRow('2025-26-Q3', 'open', 100n, null),
    ]);
  });

  it('runs a statement handed over as plain data (a rebuild worker\'s, through a structured clone) to the same rows', async () => {
    const rows = AWKWARD.map((text, i) => ({ return_id: `return-${i}`, position: BigInt(i + 1), cycle_id: text, due_date: '2025-10-20', recorded_at: text }));
    const statement = structuredClone(DUE_DATES.statementOf(rows, dialect));
    await database.db.transaction().execute((trx) => runRowStatement(trx, statement));
    const stored = await database.db.selectFrom('history_due_dates').selectAll().orderBy('position').execute();
    expect(stored.map((row) => ({ ...row, position: toBigInt(row.position) }))).toEqual(rows);
  });

  it('copies rows handed over as plain data (COPY on PostgreSQL) to the same rows, awkward text (a literal \\N too) and 64-bit positions included, in the transaction', async () => {
    const big = 2n ** 62n + 7n;
    const rows = AWKWARD.map((text, i) => ({ return_id: `return-${i}`, position: big + BigInt(i), cycle_id: text, due_date: i === 0 ? '\\N' : '2025-10-20', recorded_at: text }));
    const statement = structuredClone(DUE_DATES.copyStatementOf(rows, dialect));
    if (dialect === 'postgres') expect(statement.sql).toMatch(/^\/\* copy rows \*\/ copy "history_due_dates"/);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await runRowStatement(trx, statement);
        throw new Error('the page failed');
      }),
    ).rejects.toThrow('the page failed');
    expect(await database.db.selectFrom('history_due_dates').selectAll().execute()).toEqual([]);
    await database.db.transaction().execute((trx) => runRowStatement(trx, statement));
    const stored = await database.db.selectFrom('history_due_dates').selectAll().orderBy('position').execute();
    expect(stored.map((row) => ({ ...row, position: toBigInt(row.position) }))).toEqual(rows);
  });

  if (dialect === 'postgres') {
    it('fails a copy whose rows meet a stored key, writing none of them, and the connection serves the next statement', async () => {
      const row = { return_id: 'r', position: 1n, cycle_id: 'c', due_date: 'd', recorded_at: 'a' };
      await database.db.transaction().execute((trx) => DUE_DATES.write(trx, [row]));
      const statement = DUE_DATES.copyStatementOf([{ ...row, position: 2n }, row], dialect);
      await expect(database.db.transaction().execute((trx) => runRowStatement(trx, statement))).rejects.toThrow(/duplicate key/);
      await database.db.transaction().execute((trx) => DUE_DATES.write(trx, [{ ...row, position: 3n }]));
      const stored = await database.db.selectFrom('history_due_dates').select('position').orderBy('position').execute();
      expect(stored.map((r) => toBigInt(r.position))).toEqual([1n, 3n]);
    });
  }

  if (dialect === 'sqlite') {
    it('refuses a SQLite row batch whose values are not whole rows, and writes none of them', async () => {
      const statement = DUE_DATES.statementOf([{ return_id: 'r', position: 1n, cycle_id: 'c', due_date: 'd', recorded_at: 'a' }], 'sqlite');
      const truncated = { sql: statement.sql, parameters: [...statement.parameters, 'r2', 2n] };
      await expect(database.db.transaction().execute((trx) => runRowStatement(trx, truncated))).rejects.toThrow('a row batch of 5 values a row was given 7 values');
      expect(await database.db.selectFrom('history_due_dates').selectAll().execute()).toEqual([]);
    });
  }

  it('writes a batch far past both dialects\' parameter limits in one call', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => ({
      return_id: `return-${i % 3000}`,
      position: BigInt(i + 1),
      cycle_id: '2025-26-Q2',
      due_date: '2025-10-20',
      recorded_at: '2025-10-01T09:00:00.000Z',
    }));
    await database.db.transaction().execute((trx) => DUE_DATES.write(trx, rows));
    const { count } = await database.db.selectFrom('history_due_dates').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
    expect(Number(count)).toBe(12_000);
  });
});
