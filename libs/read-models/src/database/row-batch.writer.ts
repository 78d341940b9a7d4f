import { CompiledQuery, Insertable, Kysely, PostgresAdapter, SqliteAdapter } from 'kysely';
import { copyTextOf, POSTGRES_COPY_MARK } from './postgres-copy';
import { ReadModelSchema, ReadModelTableName } from './read-model-schema';

/** A column's type as the migrations create it (PostgreSQL needs it to read a column array). */
export type RowColumnType = 'text' | 'bigint' | 'integer';

/**
 * How a projection writes many rows of one table: every column with its type (in this order),
 * the key, and what a row whose key is already there does (`nothing`: keeps the stored row;
 * `update`: replaces every other column).
 */
export interface RowBatchTable<Name extends ReadModelTableName> {
  readonly table: Name;
  readonly columns: { readonly [Column in keyof ReadModelSchema[Name] & string]-?: RowColumnType };
  readonly key: readonly (keyof ReadModelSchema[Name] & string)[];
  readonly onConflict: 'nothing' | 'update';
}

/**
 * Marks a statement text the SQLite connection runs once per row of its parameters: see
 * `read-model-database.ts`. The parameters are every row's values one after another (one flat
 * array, `width` values a row; the mark says the width: `/* row batch of 14 *\/ insert …`). One
 * prepared single-row statement run N times costs SQLite about half what one N-row VALUES list
 * costs, and no SQL is built per batch. One flat array rather than an array per row: a rebuild's
 * worker thread hands these over, and a structured clone of one array costs both threads less
 * than of thousands.
 */
export function sqliteRowBatchMark(width: number): string {
  return `/* row batch of ${width} */ `;
}

/** The width of a row batch statement's rows (its mark's), or undefined for any other text. */
export function sqliteRowBatchWidth(text: string): number | undefined {
  const mark = SQLITE_ROW_BATCH_MARK.exec(text);
  return mark === null ? undefined : Number(mark[1]);
}

const SQLITE_ROW_BATCH_MARK = /^\/\* row batch of (\d+) \*\/ /;

/**
 * Writes rows of one table in ONE statement per batch, whatever their number, without building
 * SQL per batch (the text is made once per table):
 * - SQLite: a prepared single-row `insert … on conflict` run once per row by the connection
 *   (the rows' values in one flat array, see {@link sqliteRowBatchMark});
 * - PostgreSQL: `insert … select (r->>0)::text, (r->>1)::bigint, … from jsonb_array_elements($1)`
 *   with the rows as ONE JSON parameter (JSON.stringify escapes in native code; node-postgres'
 *   array literals escape every element in JavaScript and cost more than the VALUES lists they
 *   replaced), so a batch is one round trip and one parameter (no parameter limit).
 * Rows with the same key in one batch: `nothing` keeps the first; `update` must not be given two.
 */
export class RowBatchWriter<Name extends ReadModelTableName> {
  private readonly columns: readonly string[];
  private readonly sqliteText: string;
  private readonly postgresText: string;
  private readonly postgresCopyText: string;

  constructor(readonly spec: RowBatchTable<Name>) {
    this.columns = Object.keys(spec.columns);
    const names = this.columns.map(quote).join(', ');
    const conflict =
      spec.onConflict === 'nothing'
        ? `on conflict (${spec.key.map(quote).join(', ')}) do nothing`
        : `on conflict (${spec.key.map(quote).join(', ')}) do update set ${this.columns
            .filter((column) => !(spec.key as readonly string[]).includes(column))
            .map((column) => `${quote(column)} = excluded.${quote(column)}`)
            .join(', ')}`;
    this.sqliteText = `${sqliteRowBatchMark(this.columns.length)}insert into ${quote(spec.table)} (${names}) values (${this.columns.map(() => '?').join(', ')}) ${conflict}`;
    const types = spec.columns as Readonly<Record<string, RowColumnType>>;
    const fields = this.columns.map((column, i) => `(r->>${i})::${types[column]}`).join(', ');
    this.postgresCopyText = `${POSTGRES_COPY_MARK}copy ${quote(spec.table)} (${names}) from stdin`;
    this.postgresText = `insert into ${quote(spec.table)} (${names}) select ${fields} from jsonb_array_elements($1::jsonb) as r ${conflict}`;
  }

  async write(trx: Kysely<ReadModelSchema>, rows: readonly Insertable<ReadModelSchema[Name]>[]): Promise<void> {
    if (rows.length === 0) return;
    const adapter = trx.getExecutor().adapter;
    const dialect = adapter instanceof SqliteAdapter ? 'sqlite' : adapter instanceof PostgresAdapter ? 'postgres' : undefined;
    if (dialect === undefined) throw new Error(`RowBatchWriter: no batch form for ${adapter.constructor.name}`);
    const statement = this.statementOf(rows, dialect);
    await trx.executeQuery(CompiledQuery.raw(statement.sql, statement.parameters as unknown[]));
  }

  /**
   * The statement `write` runs for these rows, as plain data: a rebuild's worker thread builds it
   * (`Projection.rebuildFold`) and the thread holding the connection runs it (`runRowStatement`).
   */
  statementOf(rows: readonly Insertable<ReadModelSchema[Name]>[], dialect: 'sqlite' | 'postgres'): RowStatement {
    const columns = this.columns;
    if (dialect === 'sqlite') {
      const width = columns.length;
      const values = new Array<unknown>(rows.length * width);
      let at = 0;
      for (const row of rows) {
        const record = row as Readonly<Record<string, unknown>>;
        for (let i = 0; i < width; i += 1) values[at++] = record[columns[i]!] ?? null;
      }
      return { sql: this.sqliteText, parameters: values };
    }
    const values = rows.map((row) => {
      const record = row as Readonly<Record<string, unknown>>;
      const out = new Array<unknown>(columns.length);
      for (let i = 0; i < columns.length; i += 1) {
        const value = record[columns[i]!] ?? null;
        out[i] = typeof value === 'bigint' ? value.toString() : value;
      }
      return out;
    });
    return { sql: this.postgresText, parameters: [JSON.stringify(values)] };
  }

  /**
   * The statement that writes these rows with nothing else in their way: on PostgreSQL,
   * `COPY … FROM STDIN` with the rows in COPY's text format as its one parameter (the server
   * spends about 40 % of what the `insert … select` of `statementOf` costs it), elsewhere
   * `statementOf`'s. COPY has no `on conflict`: only for rows none of which can meet a stored row
   * or another of the batch on the key — a rebuild from zero of rows keyed by their own event
   * (a duplicate fails the statement, and with it the page).
   */
  copyStatementOf(rows: readonly Insertable<ReadModelSchema[Name]>[], dialect: 'sqlite' | 'postgres'): RowStatement {
    if (dialect === 'sqlite') return this.statementOf(rows, dialect);
    const columns = this.columns;
    const width = columns.length;
    // Cells and lines joined rather than one string grown by `+=`: `join` makes one flat string
    // at once, where `+=` leaves a rope of thousands of pieces to the collector (20 % dearer).
    const lines = new Array<string>(rows.length + 1);
    const cells = new Array<string>(width);
    let at = 0;
    for (const row of rows) {
      const record = row as Readonly<Record<string, unknown>>;
      for (let i = 0; i < width; i += 1) cells[i] = copyTextOf(record[columns[i]!]);
      lines[at++] = cells.join('\t');
    }
    lines[at] = '';
    return { sql: this.postgresCopyText, parameters: [lines.join('\n')] };
  }
}

/** A statement with its parameters, as plain data that can cross to another thread. */
export interface RowStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/** Runs a statement built by `RowBatchWriter.statementOf` (in another thread, maybe) in `trx`. */
export async function runRowStatement(trx: Kysely<ReadModelSchema>, statement: RowStatement): Promise<void> {
  await trx.executeQuery(CompiledQuery.raw(statement.sql, statement.parameters as unknown[]));
}

function quote(identifier: string): string {
  return `"${identifier}"`;
}
