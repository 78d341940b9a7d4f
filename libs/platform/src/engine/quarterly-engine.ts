import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { KurrentDbEventStore, PostgresEventStore, SqliteEventStore, type EventStore } from '@quarterly/event-store';
import {
  allProjections,
  openReadModelDatabase,
  ProjectionRunner,
  readCheckpoint,
  type ProjectionLogger,
  type ReadModelDatabase,
} from '@quarterly/read-models';
import type { AppConfig } from '../config/app-config';
import { EventSourcedCommandExecutor } from '../commands/event-sourced-command-executor';
import { CycleReturnsProcessManager } from '../workflow/cycle-returns.process-manager';
import { ProcessManagerRunner, type ProcessManager } from '../workflow/process-manager-runner';
import { PostgresAdvisoryLease } from './postgres-advisory-lease';

export interface EngineLogger extends ProjectionLogger {
  warn(details: object, message: string): void;
}

export interface OpenEngineOptions {
  /** PostgreSQL schema for events and read models (tests isolate themselves with one each). */
  readonly schema?: string;
  readonly logger?: EngineLogger;
  /** Further process managers to run beside the built-in ones (the reminder scheduler). */
  readonly processManagers?: readonly ProcessManager[];
}

/** The embedded SQLite file inside the data directory. */
export const SQLITE_FILE_NAME = 'quarterly.sqlite';

/**
 * The engine without its HTTP face: the event store chosen by configuration, the read-model
 * database beside it, the command executor, and the runners that feed projections and process
 * managers from the store's ordered subscription. The API, the worker, the CLI, the benchmarks
 * and the tests all open it the same way.
 */
export class QuarterlyEngine {
  readonly executor: EventSourcedCommandExecutor;
  readonly projectionRunners: readonly ProjectionRunner[];
  readonly processManagerRunners: ProcessManagerRunner[];
  private started = false;
  private runnersActive = false;
  private readonly lease: PostgresAdvisoryLease | undefined;

  private constructor(
    readonly store: EventStore,
    readonly readModels: ReadModelDatabase,
    private readonly logger: EngineLogger | undefined,
    processManagers: readonly ProcessManager[],
    lease: { connectionString: string; name: string } | undefined,
  ) {
    this.lease = lease
      ? new PostgresAdvisoryLease({
          ...lease,
          onAcquired: () => this.startRunners(),
          onLost: () => this.stopRunners(),
          ...(logger ? { logger } : {}),
        })
      : undefined;
    this.executor = new EventSourcedCommandExecutor(store);
    this.projectionRunners = allProjections().map(
      (projection) => new ProjectionRunner(store, readModels, projection, logger ? { logger } : {}),
    );
    this.processManagerRunners = [new CycleReturnsProcessManager(this.executor), ...processManagers].map(
      (manager) => new ProcessManagerRunner(store, readModels, manager, logger ? { logger } : {}),
    );
  }

  static async open(config: AppConfig, options: OpenEngineOptions = {}): Promise<QuarterlyEngine> {
    const store = await openEventStore(config, options.schema);
    let readModels: ReadModelDatabase;
    try {
      readModels =
        config.store === 'sqlite'
          ? await openReadModelDatabase({ dialect: 'sqlite', filename: join(config.dataDir, SQLITE_FILE_NAME) })
          : await openReadModelDatabase({
              dialect: 'postgres',
              connectionString: config.databaseUrl!,
              ...(options.schema ? { schema: options.schema } : {}),
            });
    } catch (error) {
      await store.close();
      throw error;
    }
    // With a shared database several instances may run: one at a time follows the store for
    // projections and process managers, the others stand by (see docs/deployment.md).
    const lease =
      config.store === 'sqlite'
        ? undefined
        : { connectionString: config.databaseUrl!, name: `downstream:${options.schema ?? 'default'}` };
    return new QuarterlyEngine(store, readModels, options.logger, options.processManagers ?? [], lease);
  }

  /** Adds a process manager before `start()` (the worker module adds its timer scheduler). */
  addProcessManager(manager: ProcessManager): void {
    if (this.started) throw new Error('process managers must be added before the engine starts');
    this.processManagerRunners.push(new ProcessManagerRunner(this.store, this.readModels, manager, this.logger ? { logger: this.logger } : {}));
  }

  /**
   * Starts following the store: projections first, then process managers — at once in the
   * embedded mode, and once this instance holds the lease with a shared database.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.lease) await this.lease.start();
    else await this.startRunners();
  }

  /** True while this instance runs the projections and process managers (not standing by). */
  get isFollowingStore(): boolean {
    return this.runnersActive;
  }

  private async startRunners(): Promise<void> {
    this.runnersActive = true;
    for (const runner of this.projectionRunners) await runner.start();
    for (const runner of this.processManagerRunners) await runner.start();
  }

  private async stopRunners(): Promise<void> {
    this.runnersActive = false;
    for (const runner of this.processManagerRunners) await runner.stop();
    for (const runner of this.projectionRunners) await runner.stop();
  }

  /** True when the store holds no event at all (a first start, before the demo is loaded). */
  async isEmpty(): Promise<boolean> {
    return (await this.store.readAll({ limit: 1 })).length === 0;
  }

  /**
   * Resolves when every projection has applied the events up to `position`; rejects after
   * `timeoutMs`. A stand-by instance watches the checkpoints the active one stores.
   */
  async waitForProjections(position: bigint, timeoutMs = 5_000): Promise<void> {
    if (this.runnersActive) {
      await Promise.all(this.projectionRunners.map((runner) => runner.waitForPosition(position, { timeoutMs })));
      return;
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const checkpoints = await Promise.all(this.projectionRunners.map((r) => readCheckpoint(this.readModels.db, r.projection.name)));
      if (checkpoints.every((checkpoint) => checkpoint !== undefined && checkpoint.position >= position)) return;
      if (Date.now() >= deadline) throw new Error(`projections have not reached position ${String(position)} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves when every process manager has handled the events up to `position`. */
  async waitForProcessManagers(position: bigint): Promise<void> {
    await Promise.all(this.processManagerRunners.map((runner) => runner.waitForPosition(position)));
  }

  async close(): Promise<void> {
    if (this.lease) await this.lease.stop();
    else await this.stopRunners();
    await this.readModels.close();
    await this.store.close();
  }
}

async function openEventStore(config: AppConfig, schema: string | undefined): Promise<EventStore> {
  switch (config.store) {
    case 'sqlite':
      mkdirSync(config.dataDir, { recursive: true });
      return new SqliteEventStore({ filename: join(config.dataDir, SQLITE_FILE_NAME) });
    case 'postgres':
      return PostgresEventStore.open({ connectionString: config.databaseUrl!, ...(schema ? { schema } : {}) });
    case 'eventstoredb':
      return KurrentDbEventStore.fromConnectionString(config.eventStoreUrl!);
  }
}
