import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import {
  HashChainingEventStore,
  IntegrityAnchorRecorder,
  KurrentDbEventStore,
  PostgresEventStore,
  SqliteEventStore,
  type EventStore,
} from '@quarterly/event-store';
import {
  allProjections,
  openReadModelDatabase,
  ProjectionGroup,
  ProjectionRunner,
  type ProjectionLogger,
  type ReadModelDatabase,
} from '@quarterly/read-models';
import { eventCodec, type EventCodec } from '@quarterly/event-codec';
import type { AppConfig } from '../config/app-config';
import { EventSourcedCommandExecutor, type CommandExecutorOptions } from '../commands/event-sourced-command-executor';
import { ProcessManagerRunner, type ProcessManager } from '../workflow/process-manager-runner';
import { measuredEventStore } from '../observability/measured-event-store';
import { QuarterlyMetrics } from '../observability/quarterly-metrics';
import { PostgresAdvisoryLease } from './postgres-advisory-lease';
import { StoredCheckpointWatcher } from './stored-checkpoint.watcher';

export interface EngineLogger extends ProjectionLogger {
  warn(details: object, message: string): void;
}

export interface OpenEngineOptions {
  /** PostgreSQL schema for events and read models (tests isolate themselves with one each). */
  readonly schema?: string;
  readonly logger?: EngineLogger;
  /**
   * Process managers to run (the reminder scheduler). The engine has none of its own: the
   * application layer's (the cycle's returns) are added by `openQuarterlyEngine` in
   * `@quarterly/application`, which every long-running composition uses.
   */
  readonly processManagers?: readonly ProcessManager[];
  /** The process's metrics (`/metrics`). @defaultValue a registry of the engine's own */
  readonly metrics?: QuarterlyMetrics;
  /**
   * Decodes and upcasts every event the engine reads: command executor, projections, process
   * managers (and, through the executor, timers and mail). @defaultValue the engine's `eventCodec`
   */
  readonly codec?: EventCodec;
  /** The command executor's settings (how many events of folded streams it keeps). @defaultValue its own defaults */
  readonly executor?: CommandExecutorOptions;
  /**
   * `false`: this instance never runs the projections, process managers or anchoring, even when
   * no other instance does: it executes commands and reads, and waits for the checkpoints another
   * instance (apps/worker) stores (`QUARTERLY_PROJECTIONS=worker`; a shared database only).
   * @defaultValue true
   */
  readonly followStore?: boolean;
}

/** The name under which the periodic anchoring runs (and holds its lease). */
export const INTEGRITY_ANCHORING = 'integrity-anchors';

/** The name under which the projections run together (and hold one lease). */
export const PROJECTIONS = 'projections';

/** The embedded SQLite file inside the data directory. */
export const SQLITE_FILE_NAME = 'quarterly.sqlite';

/**
 * The engine without its HTTP face: the event store chosen by configuration, the read-model
 * database beside it, the command executor, and the runners that feed projections and process
 * managers from the store's ordered subscription. The API, the worker and the tests open it through
 * the application layer's `openQuarterlyEngine`, which adds its process managers; the CLI, which
 * does not follow the store, opens it directly.
 */
export class QuarterlyEngine {
  readonly executor: EventSourcedCommandExecutor;
  /** One per projection; they share one subscription and one transaction per batch (`projections`). */
  readonly projectionRunners: readonly ProjectionRunner[];
  private readonly projections: ProjectionGroup;
  readonly processManagerRunners: ProcessManagerRunner[];
  /** Records the integrity anchors; the engine runs it every `anchorIntervalSeconds`. */
  readonly anchors: IntegrityAnchorRecorder;
  private anchorTimer: NodeJS.Timeout | undefined;
  private started = false;
  /** One per runner when several instances share a database; none in the embedded mode. */
  private readonly leases = new Map<string, PostgresAdvisoryLease>();
  private readonly active = new Set<string>();
  private readonly storedCheckpoints: StoredCheckpointWatcher;

  private constructor(
    readonly store: EventStore,
    readonly readModels: ReadModelDatabase,
    private readonly logger: EngineLogger | undefined,
    processManagers: readonly ProcessManager[],
    private readonly leaseScope: { connectionString: string; scope: string } | undefined,
    /** Append latency, projection lag, and whatever the apps add (HTTP, queues, mail). */
    readonly metrics: QuarterlyMetrics,
    private readonly anchorIntervalSeconds: number,
    readonly codec: EventCodec,
    executorOptions: CommandExecutorOptions = {},
    private readonly followStore = true,
  ) {
    this.storedCheckpoints = new StoredCheckpointWatcher(readModels.db);
    this.executor = new EventSourcedCommandExecutor(store, codec, executorOptions);
    this.anchors = new IntegrityAnchorRecorder(store, logger ? { logger } : {});
    this.projections = ProjectionRunner.group(store, readModels, allProjections(), { codec, ...(logger ? { logger } : {}) });
    this.projectionRunners = this.projections.runners;
    this.processManagerRunners = processManagers.map(
      (manager) => new ProcessManagerRunner(store, readModels, manager, { codec, ...(logger ? { logger } : {}) }),
    );
  }

  static async open(config: AppConfig, options: OpenEngineOptions = {}): Promise<QuarterlyEngine> {
    // A dropped connection is replaced by the pool; it is logged, never fatal.
    const onConnectionError = (error: Error) =>
      options.logger?.warn({ err: { message: error.message, code: (error as { code?: unknown }).code } }, 'database connection lost; the pool reconnects');
    const metrics = options.metrics ?? new QuarterlyMetrics();
    const store = measuredEventStore(await openEventStore(config, options.schema, onConnectionError), metrics);
    let readModels: ReadModelDatabase;
    try {
      readModels =
        config.store === 'sqlite'
          ? await openReadModelDatabase({ dialect: 'sqlite', filename: join(config.dataDir, SQLITE_FILE_NAME) })
          : await openReadModelDatabase({
              dialect: 'postgres',
              connectionString: config.databaseUrl!,
              ...(options.schema ? { schema: options.schema } : {}),
              onConnectionError,
            });
    } catch (error) {
      await store.close();
      throw error;
    }
    // With a shared database several instances (API replicas, workers) may run: each runner is
    // held by one instance at a time, the others stand by (see docs/deployment.md).
    const leaseScope =
      config.store === 'sqlite' ? undefined : { connectionString: config.databaseUrl!, scope: options.schema ?? 'default' };
    return new QuarterlyEngine(
      store,
      readModels,
      options.logger,
      options.processManagers ?? [],
      leaseScope,
      metrics,
      config.anchorIntervalSeconds,
      options.codec ?? eventCodec,
      options.executor,
      options.followStore ?? true,
    );
  }

  /** Adds a process manager before `start()` (the worker module adds its timer scheduler). */
  addProcessManager(manager: ProcessManager): void {
    if (this.started) throw new Error('process managers must be added before the engine starts');
    this.processManagerRunners.push(
      new ProcessManagerRunner(this.store, this.readModels, manager, { codec: this.codec, ...(this.logger ? { logger: this.logger } : {}) }),
    );
  }

  /**
   * Starts following the store: projections first, then process managers. In the embedded mode
   * at once; with a shared database each runner once this instance holds its lease; never when
   * opened with `followStore: false`.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (!this.followStore) return;
    for (const runner of this.allRunners()) {
      if (!this.leaseScope) {
        await this.startRunner(runner);
        continue;
      }
      const lease = new PostgresAdvisoryLease({
        connectionString: this.leaseScope.connectionString,
        name: `runner:${this.leaseScope.scope}:${runner.name}`,
        onAcquired: () => this.startRunner(runner),
        onLost: () => this.stopRunner(runner),
        ...(this.logger ? { logger: this.logger } : {}),
      });
      this.leases.set(runner.name, lease);
      await lease.start();
    }
  }

  /** True while this instance runs every projection and process manager it has (none standing by). */
  get isFollowingStore(): boolean {
    return this.allRunners().every((runner) => this.active.has(runner.name));
  }

  /** The names of the runners this instance is running now. */
  get activeRunners(): readonly string[] {
    return [...this.active];
  }

  private allRunners(): Array<{ name: string; start(): Promise<void>; stop(): Promise<void> }> {
    return [
      // The projections follow the store together: one subscription, one lease.
      { name: PROJECTIONS, start: () => this.projections.start(), stop: () => this.projections.stop() },
      ...this.processManagerRunners.map((runner) => ({ name: runner.processManager.name, start: () => runner.start(), stop: () => runner.stop() })),
      ...(this.anchorIntervalSeconds > 0
        ? [{ name: INTEGRITY_ANCHORING, start: async () => this.scheduleAnchoring(), stop: async () => this.stopAnchoring() }]
        : []),
    ];
  }

  /**
   * Anchors what was stored since the last anchor, every `anchorIntervalSeconds`, on the one
   * instance holding the lease. A failure is logged and tried again at the next tick: the
   * events stay chained meanwhile, only their anchor waits.
   */
  private scheduleAnchoring(): void {
    this.stopAnchoring();
    this.anchorTimer = setTimeout(() => {
      this.anchors
        .anchorPending()
        .catch((error: unknown) => this.logger?.error({ err: error }, 'recording an integrity anchor failed; retrying at the next interval'))
        .finally(() => {
          if (this.anchorTimer !== undefined) this.scheduleAnchoring();
        });
    }, this.anchorIntervalSeconds * 1000);
    this.anchorTimer.unref();
  }

  private stopAnchoring(): void {
    if (this.anchorTimer !== undefined) clearTimeout(this.anchorTimer);
    this.anchorTimer = undefined;
  }

  private async startRunner(runner: { name: string; start(): Promise<void> }): Promise<void> {
    this.active.add(runner.name);
    await runner.start();
  }

  private async stopRunner(runner: { name: string; stop(): Promise<void> }): Promise<void> {
    this.active.delete(runner.name);
    await runner.stop();
  }

  /** True when the store holds no event at all (a first start, before the demo is loaded). */
  async isEmpty(): Promise<boolean> {
    return (await this.store.readAll({ limit: 1 })).length === 0;
  }

  /**
   * Resolves when every projection has applied the events up to `position`; rejects after
   * `timeoutMs`. A stand-by instance watches the checkpoints the active one stores (one query
   * every 10 ms however many wait).
   */
  async waitForProjections(position: bigint, timeoutMs = 5_000, only?: readonly string[]): Promise<void> {
    const runners = only ? this.projectionRunners.filter((runner) => only.includes(runner.projection.name)) : this.projectionRunners;
    await Promise.all(
      runners.map((runner) =>
        this.active.has(PROJECTIONS)
          ? runner.waitForPosition(position, { timeoutMs })
          : this.waitForStoredCheckpoint(runner.projection.name, position, timeoutMs),
      ),
    );
  }

  private waitForStoredCheckpoint(name: string, position: bigint, timeoutMs: number): Promise<void> {
    return this.storedCheckpoints.waitFor(name, position, timeoutMs);
  }

  /**
   * Resolves when every process manager has handled the events up to `position`; on a stand-by
   * instance, when the active one has stored that it has (a process manager stores its
   * checkpoint with a batch it handles, or at most once a second with one it ignores: wait there
   * for positions it handles).
   */
  async waitForProcessManagers(position: bigint): Promise<void> {
    await Promise.all(
      this.processManagerRunners.map((runner) =>
        this.active.has(runner.processManager.name) ? runner.waitForPosition(position) : this.storedCheckpoints.waitFor(runner.processManager.name, position),
      ),
    );
  }

  async close(): Promise<void> {
    for (const lease of [...this.leases.values()].reverse()) await lease.stop();
    for (const runner of this.allRunners().reverse()) if (this.active.has(runner.name)) await this.stopRunner(runner);
    await this.readModels.close();
    await this.store.close();
  }
}

async function openEventStore(config: AppConfig, schema: string | undefined, onConnectionError: (error: Error) => void): Promise<EventStore> {
  // Every append through the engine is hash-chained, whichever store keeps it.
  switch (config.store) {
    case 'sqlite':
      mkdirSync(config.dataDir, { recursive: true });
      return new HashChainingEventStore(new SqliteEventStore({ filename: join(config.dataDir, SQLITE_FILE_NAME) }));
    case 'postgres':
      // Enough connections for a burst of concurrent commands (each holds one for its append).
      return new HashChainingEventStore(
        await PostgresEventStore.open({ connectionString: config.databaseUrl!, maxConnections: 24, onConnectionError, ...(schema ? { schema } : {}) }),
      );
    case 'eventstoredb':
      return new HashChainingEventStore(KurrentDbEventStore.fromConnectionString(config.eventStoreUrl!));
  }
}
