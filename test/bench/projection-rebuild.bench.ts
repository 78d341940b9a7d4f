import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatPeriodId, nextQuarter, type RatingStatus } from '@quarterly/domain';
import { type EventStore, type NewEvent, PostgresEventStore, SqliteEventStore } from '@quarterly/event-store';
import {
  allProjections,
  openReadModelDatabase,
  ProjectionRunner,
  type ReadModelDatabase,
  type RebuildLogSource,
  rebuildProjectionSet,
} from '@quarterly/read-models';
import { EventScript, ratingOf, type ScriptedEvent } from '@quarterly/read-models/testing/event-script';
import { PostgresTestDatabase } from '../support/postgres-test-database';

export interface ProjectionRebuildFigure {
  readonly projection: string;
  /** Events the projection applied (the rest it read and skipped). */
  readonly eventsApplied: number;
  readonly seconds: number;
  /** Events read from the store per second, i.e. replay speed over the whole store. */
  readonly eventsPerSecond: number;
}

export interface DialectRebuildFigures {
  readonly events: number;
  /** Time to write the generated history to the store (not part of the rebuild). */
  readonly appendSeconds: number;
  readonly projections: readonly ProjectionRebuildFigure[];
  /**
   * Rebuilding every projection one after the other; `eventsPerSecond` counts events of the
   * log (each event once, however many projections read it).
   */
  readonly total: { readonly seconds: number; readonly eventsPerSecond: number };
  /**
   * Every projection rebuilt in one pass (`rebuildProjectionSet`: each page read and decoded
   * once, applied to all projections in one transaction), right after `total` on the same data,
   * twice, with the log read, decoded and folded in a worker thread (`worker`, as the CLI does);
   * each round follows one of `onePassInThread`.
   */
  readonly onePass: readonly OnePassFigure[];
  /** The same one pass with everything in the calling thread, alternating with `onePass`. */
  readonly onePassInThread: readonly OnePassFigure[];
  /**
   * The file the worker thread of `onePass` ran: the built CLI's bundle (`bundle`, built from
   * these sources before the rounds, as `rebuild-projections` runs it) or the TypeScript entry
   * compiled as it loads (`typescript`, with BENCH_REBUILD_WORKER=typescript).
   */
  readonly workerEntry: 'bundle' | 'typescript';
}

export interface OnePassFigure {
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** CPU time of this process (reading the log, folding, writing; every thread) per event of the log. */
  readonly cpuUsPerEvent: number;
  /** CPU time of the main thread alone (the one writing) per event of the log (Linux; else absent). */
  readonly mainThreadCpuUsPerEvent?: number;
  readonly loadAverage: readonly number[];
}

export interface LiveFollowFigure {
  /** Events appended one at a time (each its own commit, as one command after another). */
  readonly events: number;
  /** From the first append until every projection has applied the last event. */
  readonly seconds: number;
  /** CPU time of this process (appends and projections) per event. */
  readonly cpuMsPerEvent: number;
}

/**
 * The live path: the same single-event appends followed by five runners each with its own
 * subscription (each reads, begins and commits per batch) and by the five sharing one
 * (`ProjectionRunner.group`: one read, one transaction per batch), alternating, each on a fresh
 * SQLite file.
 */
export interface LiveFollowFigures {
  readonly separateRunners: readonly LiveFollowFigure[];
  readonly oneSubscription: readonly LiveFollowFigure[];
}

export interface ProjectionRebuildFigures {
  readonly sqlite: DialectRebuildFigures;
  readonly postgres: DialectRebuildFigures;
  readonly liveSqlite: LiveFollowFigures;
}

/** How many events the generated history holds, at least. */
const TARGET_EVENTS = 100_000;
const KPIS = 400;

/**
 * Rebuild speed of every projection over a generated history of at least 100,000 events
 * (400 KPIs over enough quarters; each return requested, reminded, submitted, sometimes
 * challenged and resubmitted or chased and escalated, approved, occasionally restated), for
 * SQLite (event store and read models in one file, as in the embedded mode) and PostgreSQL
 * (`DATABASE_URL`, one throwaway schema). Rebuilds use the runner's default batch size.
 */
export async function benchProjectionRebuild(
  options: { /** @defaultValue 100000 */ readonly events?: number } = {},
): Promise<ProjectionRebuildFigures> {
  const history = generateHistory(options.events ?? TARGET_EVENTS);
  const workerEntry = process.env['BENCH_REBUILD_WORKER'] === 'typescript' ? undefined : builtWorkerEntry();
  const directory = mkdtempSync(join(tmpdir(), 'quarterly-bench-rebuild-'));
  try {
    const filename = join(directory, 'quarterly.sqlite');
    const sqlite = await measure(
      history,
      async () => new SqliteEventStore({ filename }),
      () => openReadModelDatabase({ dialect: 'sqlite', filename }),
      { kind: 'sqlite', filename },
      workerEntry,
    );
    const database = await PostgresTestDatabase.create('bench_rebuild');
    try {
      const postgres = await measure(
        history,
        () => PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema, maxConnections: 16 }),
        () => openReadModelDatabase({ dialect: 'postgres', connectionString: database.connectionString, schema: database.schema }),
        { kind: 'postgres', connectionString: database.connectionString, schema: database.schema },
        workerEntry,
      );
      return { sqlite, postgres, liveSqlite: await measureLive(history, directory) };
    } finally {
      await database.drop();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The history as appends: one append per stream per cycle, cycles in order. */
export type History = Array<Array<{ streamId: string; events: NewEvent[] }>>;

async function measure(
  history: History,
  openStore: () => Promise<EventStore>,
  openReadModels: () => Promise<ReadModelDatabase>,
  source: RebuildLogSource,
  workerEntry: string | undefined,
): Promise<DialectRebuildFigures> {
  const store = await openStore();
  const readModels = await openReadModels();
  try {
    const appendStarted = performance.now();
    for (const phase of history) {
      await inParallel(phase, 16, ({ streamId, events }) => store.appendToStream(streamId, events, { expectedRevision: 'any' }));
    }
    const appendSeconds = (performance.now() - appendStarted) / 1000;
    const events = history.flat().reduce((n, a) => n + a.events.length, 0);

    const projections: ProjectionRebuildFigure[] = [];
    const started = performance.now();
    for (const projection of allProjections()) {
      const runner = new ProjectionRunner(store, readModels, projection, { logger: { info: () => undefined, error: () => undefined } });
      const result = await runner.rebuild({ totalEvents: events });
      projections.push({
        projection: projection.name,
        eventsApplied: result.eventsApplied,
        seconds: round(result.elapsedMs / 1000),
        eventsPerSecond: Math.round(result.eventsPerSecond),
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const onePass: OnePassFigure[] = [];
    const onePassInThread: OnePassFigure[] = [];
    for (let turn = 0; turn < 4; turn += 1) {
      const inWorker = turn % 2 === 1;
      const load = loadavg()[0]!;
      const main = mainThreadCpuUs();
      const cpu = process.cpuUsage();
      const result = await rebuildProjectionSet(store, readModels, allProjections(), inWorker ? { worker: { source, ...(workerEntry ? { entry: workerEntry } : {}) } } : {});
      const used = process.cpuUsage(cpu);
      const mainUsed = main === undefined ? undefined : mainThreadCpuUs()! - main;
      (inWorker ? onePass : onePassInThread).push({
        seconds: round(result.elapsedMs / 1000),
        eventsPerSecond: Math.round(result.eventsPerSecond),
        cpuUsPerEvent: round((used.user + used.system) / result.eventsRead),
        ...(mainUsed === undefined ? {} : { mainThreadCpuUsPerEvent: round(mainUsed / result.eventsRead) }),
        loadAverage: [round(load), round(loadavg()[0]!)],
      });
    }
    return {
      events,
      appendSeconds: round(appendSeconds),
      projections,
      total: { seconds: round(seconds), eventsPerSecond: Math.round(events / seconds) },
      onePass,
      onePassInThread,
      workerEntry: workerEntry ? 'bundle' : 'typescript',
    };
  } finally {
    await readModels.close();
    await store.close();
  }
}

/**
 * The worker thread's file as a council's `rebuild-projections` runs it: the built CLI's bundle
 * (apps/cli/webpack.config.js), built here from these sources (`nest build cli`, about 20 s, not
 * timed). Under `@swc-node/register` the worker compiles its modules as they load and is ready
 * after 0.25-0.3 s instead of 0.1 s, a cost the built CLI does not have.
 */
function builtWorkerEntry(): string {
  const root = resolve(__dirname, '../..');
  execFileSync('npx', ['nest', 'build', 'cli'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const entry = join(root, 'dist/apps/cli/projection-rebuild.worker.js');
  if (!existsSync(entry)) throw new Error(`nest build cli did not write ${entry}`);
  return entry;
}

/** CPU time (user + system, µs) of each thread of this process by thread id, from /proc (Linux); empty elsewhere. */
export function threadCpuUs(): Map<string, { name: string; us: number }> {
  const threads = new Map<string, { name: string; us: number }>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, in clock ticks (100 a second on Linux).
      threads.set(tid, { name, us: (Number(fields[11]) + Number(fields[12])) * 10_000 });
    }
  } catch {
    // not Linux: no figures per thread
  }
  return threads;
}

/** CPU time of the main thread (the process's first, whose id is the pid), µs; undefined off Linux. */
export function mainThreadCpuUs(): number | undefined {
  return threadCpuUs().get(String(process.pid))?.us;
}

const LIVE_EVENTS = 1_500;

async function measureLive(history: History, directory: string): Promise<LiveFollowFigures> {
  // The register first (as one append), then a cycle's events one at a time, as commands come.
  const [register, ...cycles] = history;
  const singles = cycles.flat().flatMap(({ streamId, events }) => events.map((event) => ({ streamId, event }))).slice(0, LIVE_EVENTS);
  const figures: { separateRunners: LiveFollowFigure[]; oneSubscription: LiveFollowFigure[] } = { separateRunners: [], oneSubscription: [] };
  const quiet = { logger: { info: () => undefined, error: () => undefined } };
  for (let round = 0; round < 4; round += 1) {
    const grouped = round % 2 === 1;
    const filename = join(directory, `live-${round}.sqlite`);
    const store = new SqliteEventStore({ filename });
    const readModels = await openReadModelDatabase({ dialect: 'sqlite', filename });
    const group = grouped ? ProjectionRunner.group(store, readModels, allProjections(), quiet) : undefined;
    const runners = group ? group.runners : allProjections().map((projection) => new ProjectionRunner(store, readModels, projection, quiet));
    try {
      for (const { streamId, events } of register!) await store.appendToStream(streamId, events, { expectedRevision: 'any' });
      if (group) await group.start();
      else for (const runner of runners) await runner.start();
      const started = performance.now();
      const cpu = process.cpuUsage();
      let last = 0n;
      for (const { streamId, event } of singles) last = (await store.appendToStream(streamId, [event], { expectedRevision: 'any' })).lastPosition;
      for (const runner of runners) await runner.waitForPosition(last, { timeoutMs: 120_000 });
      const used = process.cpuUsage(cpu);
      const figure = {
        events: singles.length,
        seconds: round2((performance.now() - started) / 1000),
        cpuMsPerEvent: round2((used.user + used.system) / 1000 / singles.length),
      };
      (grouped ? figures.oneSubscription : figures.separateRunners).push(figure);
    } finally {
      for (const runner of runners) await runner.stop();
      await readModels.close();
      await store.close();
    }
  }
  return figures;
}

/** Deterministic: the same history every run (a linear congruential generator, not Math.random). */
export function generateHistory(targetEvents: number): History {
  let seed = 20240401;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const kpiIds = Array.from({ length: KPIS }, (_, i) => `KPI-${String(i + 1).padStart(3, '0')}`);
  const directorates = ['Adults', 'Children', 'Place', 'Resources', 'Public Health'];
  const script = new EventScript().at('2015-04-01T09:00:00Z');
  kpiIds.forEach((kpiId, i) =>
    script
      .kpi(kpiId, { directorate: directorates[i % directorates.length]!, title: `Indicator ${kpiId}` })
      .target(kpiId, '2015/16', { kind: 'thresholds', green: '90', amber: '80' }),
  );
  const history: History = [grouped(script.drain())];
  let events = history[0]!.reduce((n, a) => n + a.events.length, 0);
  let cycle = formatPeriodId('2015/16', 1);
  const day = (offset: number, base: Date) => new Date(base.getTime() + offset * 86_400_000).toISOString();
  while (events < targetEvents) {
    const fy = cycle.slice(0, 7);
    const phase = script;
    const opened = new Date(Date.UTC(2015, 6, 1) + history.length * 91 * 86_400_000);
    phase.at(opened.toISOString()).openCycle(cycle, kpiIds);
    for (const kpiId of kpiIds) {
      const value = (70 + random() * 30).toFixed(1);
      const status: RatingStatus = Number(value) >= 90 ? 'green' : Number(value) >= 80 ? 'amber' : 'red';
      const rating = ratingOf(status, fy, { kind: 'thresholds', green: '90', amber: '80' });
      phase.at(day(10, opened)).remind(kpiId, cycle, day(20, opened).slice(0, 10));
      const late = random() < 0.15;
      if (late) phase.at(day(22, opened)).chase(kpiId, cycle, 2).escalate(kpiId, cycle, 'dmt');
      phase.at(day(late ? 25 : 18, opened)).submit(kpiId, cycle, value, rating, 's.lead', 'Commentary on the quarter.');
      if (random() < 0.2) {
        phase.at(day(27, opened)).challenge(kpiId, cycle, 'Please check the denominator').resubmit(kpiId, cycle, value, rating);
      }
      phase.at(day(30, opened)).approve(kpiId, cycle, value, rating);
      if (random() < 0.03) {
        phase.at(day(60, opened)).restate(kpiId, cycle, value, value, rating, 'Late records').approve(kpiId, cycle, value, rating);
      }
    }
    phase.at(day(60, opened)).closeCycle(cycle);
    const appends = grouped(phase.drain());
    events += appends.reduce((n, a) => n + a.events.length, 0);
    history.push(appends);
    cycle = nextQuarter(cycle);
  }
  return history;
}

function grouped(scripted: readonly ScriptedEvent[]): Array<{ streamId: string; events: NewEvent[] }> {
  const byStream = new Map<string, NewEvent[]>();
  for (const { streamId, event } of scripted) byStream.set(streamId, [...(byStream.get(streamId) ?? []), event]);
  return [...byStream.entries()].map(([streamId, events]) => ({ streamId, events }));
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

if (require.main === module) {
  benchProjectionRebuild(process.env['BENCH_EVENTS'] ? { events: Number(process.env['BENCH_EVENTS']) } : {}).then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
