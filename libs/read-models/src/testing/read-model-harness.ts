import { PostgresEventStore, SqliteEventStore } from '@quarterly/event-store';
import { EventStore, RecordedEvent } from '@quarterly/event-store/event-store.port';
import { ReadModelTestDatabase, ReadModelTestDialect } from '@quarterly/testing/read-model-test-database';
import { allProjections } from '../all-projections';
import { Projection } from '../projection/projection';
import { ProjectionGroup, ProjectionLogger, ProjectionRunner, ProjectionRunnerOptions } from '../projection/projection-runner';
import { EventScript } from './event-script';

/** Records what a runner logs, so tests can assert on failures instead of printing them. */
export class RecordingLogger implements ProjectionLogger {
  readonly errors: Array<{ details: object; message: string }> = [];
  readonly infos: Array<{ details: object; message: string }> = [];
  info(details: object, message: string): void {
    this.infos.push({ details, message });
  }
  error(details: object, message: string): void {
    this.errors.push({ details, message });
  }
}

/**
 * A real event store and a read-model database of the same kind (SQLite: one file, as in the
 * embedded mode; PostgreSQL: one random schema), with the projections' runners sharing one
 * subscription, as the engine runs them (`ProjectionRunner.group`).
 */
export class ReadModelHarness {
  readonly logger = new RecordingLogger();
  readonly runners: readonly ProjectionRunner[];
  readonly group: ProjectionGroup;

  private constructor(
    readonly testDatabase: ReadModelTestDatabase,
    readonly store: EventStore,
    projections: readonly Projection[],
    options: ProjectionRunnerOptions,
  ) {
    this.group = ProjectionRunner.group(store, testDatabase.database, projections, { logger: this.logger, ...options });
    this.runners = this.group.runners;
  }

  static async create(
    dialect: ReadModelTestDialect,
    options: { projections?: readonly Projection[]; runner?: ProjectionRunnerOptions } = {},
  ): Promise<ReadModelHarness> {
    const testDatabase = await ReadModelTestDatabase.create(dialect, 'rm');
    const store: EventStore =
      dialect === 'sqlite'
        ? new SqliteEventStore({ filename: testDatabase.sqliteFile!, pollIntervalMs: 50 })
        : await PostgresEventStore.open({
            connectionString: testDatabase.postgres!.connectionString,
            schema: testDatabase.postgres!.schema,
            pollIntervalMs: 50,
          });
    return new ReadModelHarness(testDatabase, store, options.projections ?? allProjections(), options.runner ?? {});
  }

  get db(): ReadModelTestDatabase['db'] {
    return this.testDatabase.db;
  }

  runner(name: string): ProjectionRunner {
    const runner = this.runners.find((r) => r.projection.name === name);
    if (!runner) throw new Error(`no runner for ${name}`);
    return runner;
  }

  async start(): Promise<void> {
    await this.group.start();
  }

  /** Appends the script's events (then forgets them) and waits until every runner has projected them. */
  async feed(script: EventScript): Promise<bigint> {
    const position = await script.appendTo(this.store);
    script.drain();
    await this.waitFor(position);
    return position;
  }

  /**
   * The log up to `last` as a reader of the global order sees it, once it sees all of it: on
   * PostgreSQL an append shows there only when the cluster's transaction horizon has passed it,
   * which another test file's open transaction can hold back for a moment.
   */
  async readLog(last: bigint): Promise<RecordedEvent[]> {
    for (let attempt = 0; ; attempt += 1) {
      const events = await this.store.readAll({ limit: 100_000 });
      if ((events[events.length - 1]?.position ?? 0n) >= last) return events;
      if (attempt >= 200) throw new Error(`the log did not show position ${String(last)} within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async waitFor(position: bigint): Promise<void> {
    await Promise.all(this.runners.map((r) => r.waitForPosition(position, { timeoutMs: 10_000 })));
  }

  async close(): Promise<void> {
    for (const runner of this.runners) await runner.stop();
    await this.store.close();
    await this.testDatabase.drop();
  }
}
