/**
 * The API under load, in a process of its own (forked by http-commands.bench.ts) so that the
 * load generator does not share its event loop and its pino request log does not mix with the
 * benchmark's JSON on stdout.
 *
 * Environment (set by the parent):
 * - BENCH_STORE: `sqlite` (a fresh temporary folder) or `postgres` (DATABASE_URL, a fresh schema).
 * - BENCH_RETURNS: how many requested returns to prepare for submission.
 * - BENCH_KPIS, BENCH_CYCLES: the KPIs to define and the cycles to open for those returns (by
 *   default the returns spread over 12 cycles, one per KPI each). The soak (soak.bench.ts) asks
 *   for its KPIs and no cycle, and opens the cycles itself over HTTP.
 * - BENCH_TARGET_YEARS: financial years from 2023/24 given a target policy per KPI (default 3).
 * - LOG_LEVEL: the API's pino level, as in production (`info` logs every request).
 * - BENCH_PROJECTIONS: `stopped` stops the projections once set up, to measure the command path
 *   alone (queries then no longer see new writes); `worker` (PostgreSQL) runs the API with
 *   `QUARTERLY_PROJECTIONS=worker` and the projections and process managers in a process of their
 *   own (bench-projection-host.ts), as apps/worker would; anything else runs them in the API.
 *
 * Protocol (IPC): the host sends `{ type: 'ready', ... }` once set up and listening on
 * 127.0.0.1; it answers `{ type: 'profile', action: 'start' | 'stop', file? }` by starting or
 * stopping a V8 CPU profile of itself (written to `file`), `{ type: 'cpu' }` with its CPU time
 * so far (and the projection process's, with `worker`), and `{ type: 'stop' }` by closing
 * the API, dropping what it created, and exiting.
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cycleDecider,
  cycleStreamId,
  kpiDecider,
  kpiSnapshotOf,
  kpiStreamId,
  quarterEndDate,
  type CommandContext,
  type CycleOpenedData,
  type KpiSnapshot,
} from '@quarterly/domain';
import type { RecordedEvent } from '@quarterly/event-store';
import { CycleReturnsProcessManager, useCaseBusFor } from '@quarterly/application';
import {
  LocalTokenIssuer,
  loadAppConfig,
  SystemClock,
  type CommandEnvelope,
  type QuarterlyEngine,
} from '@quarterly/platform';
import { Client } from 'pg';
import { createApiApplication } from '../../apps/api/src/bootstrap/create-api-application';
import { ensureInDirectory } from '../support/directory-fixtures';
import { BENCH_KPI, BENCH_PRINCIPALS, BENCH_SECRET, type HostMessage, type ParentMessage } from './bench-protocol';

/** Returns per cycle: one per KPI, so the KPI count is the returns divided by the cycles. */
const CYCLES = [
  '2023/24-Q1', '2023/24-Q2', '2023/24-Q3', '2023/24-Q4',
  '2024/25-Q1', '2024/25-Q2', '2024/25-Q3', '2024/25-Q4',
  '2025/26-Q1', '2025/26-Q2', '2025/26-Q3', '2025/26-Q4',
];
const SETUP_CONCURRENCY = 32;
const ACTOR = 'p.team';

async function main(): Promise<void> {
  const store = process.env['BENCH_STORE'] === 'postgres' ? 'postgres' : 'sqlite';
  const returns = Number(process.env['BENCH_RETURNS'] ?? '4000');
  const dataDir = mkdtempSync(join(tmpdir(), 'quarterly-bench-api-'));
  const schema = store === 'postgres' ? `bench_api_${randomUUID().slice(0, 8)}` : undefined;
  const projectionsInWorker = store === 'postgres' && process.env['BENCH_PROJECTIONS'] === 'worker';
  const config = loadAppConfig({
    QUARTERLY_STORE: store,
    QUARTERLY_DATA_DIR: dataDir,
    JWT_SECRET: BENCH_SECRET,
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
    QUARTERLY_WORKER: 'off',
    // Measures the command path, not the rate limit (which would refuse a benchmark's pace).
    RATE_LIMIT_API_WRITES_PER_MINUTE: '0',
    ...(store === 'postgres' ? { DATABASE_URL: process.env['DATABASE_URL'] } : {}),
    ...(projectionsInWorker ? { QUARTERLY_PROJECTIONS: 'worker' } : {}),
    ...(process.env['REDIS_URL'] ? { REDIS_URL: process.env['REDIS_URL'] } : {}),
  });
  // The reminder queues only with a Redis to reach (REDIS_URL): without one, their connection
  // retried for the whole run and `app.close()` waited for it for ever, so the host never dropped
  // its schema (the benchmark killed it after 30 s; the A/B waited without end).
  const { app, engine } = await createApiApplication(config, {
    clock: new SystemClock(),
    withReminders: process.env['REDIS_URL'] !== undefined,
    ...(schema ? { schema } : {}),
  });
  const worker = projectionsInWorker ? await startProjectionHost(schema!) : undefined;
  let profiler: Session | undefined;
  const cleanUp = async () => {
    if (worker) await stopProjectionHost(worker);
    await app.close();
    if (schema) await dropSchema(config.databaseUrl!, schema);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const setupStarted = performance.now();
    // The API authorises people of its directory only.
    for (const principal of Object.values(BENCH_PRINCIPALS)) await ensureInDirectory(engine.executor, principal, new Date().toISOString());
    const prepared = await prepareReturns(engine, returns);
    if (process.env['BENCH_PROJECTIONS'] === 'stopped') {
      for (const runner of engine.projectionRunners) await runner.stop();
    }
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const issuer = new LocalTokenIssuer(config.auth);
    const tokens = {
      team: await issuer.issue(BENCH_PRINCIPALS.team),
      lead: await issuer.issue(BENCH_PRINCIPALS.lead),
    };
    send({ type: 'ready', port, tokens, ...prepared, setupSeconds: (performance.now() - setupStarted) / 1000 });
  } catch (error) {
    await cleanUp();
    throw error;
  }

  process.on('message', (message: ParentMessage) => {
    void (async () => {
      if (message.type === 'profile' && message.action === 'start') {
        profiler = new Session();
        profiler.connect();
        await post(profiler, 'Profiler.enable');
        await post(profiler, 'Profiler.start');
        send({ type: 'profiling' });
      } else if (message.type === 'profile' && message.action === 'stop' && profiler) {
        const { profile } = (await post(profiler, 'Profiler.stop')) as { profile: unknown };
        writeFileSync(message.file, JSON.stringify(profile));
        profiler.disconnect();
        profiler = undefined;
        send({ type: 'profiled', file: message.file });
      } else if (message.type === 'cpu') {
        const usage = process.cpuUsage();
        const workerUsage = worker ? await projectionHostCpu(worker) : undefined;
        const memory = process.memoryUsage();
        send({
          type: 'cpu',
          userUs: usage.user,
          systemUs: usage.system,
          ...(workerUsage ? { workerUs: workerUsage.userUs + workerUsage.systemUs } : {}),
          rssBytes: memory.rss,
          heapUsedBytes: memory.heapUsed,
          externalBytes: memory.external,
        });
      } else if (message.type === 'stop') {
        await cleanUp();
        process.disconnect();
      }
    })().catch((error: unknown) => {
      process.stderr.write(`bench host: ${String(error)}\n`);
      process.exit(1);
    });
  });
}

/**
 * Defines the KPIs (with a target for every year), opens the cycles and requests every return,
 * through the engine's executor, then waits for the projections and process managers to catch
 * up so that nothing from the setup runs during the measurement. Returns the KPI ids and the URL
 * paths of the returns, ready to be submitted once each.
 */
async function prepareReturns(engine: QuarterlyEngine, count: number): Promise<{ kpiIds: string[]; returnPaths: string[] }> {
  const kpiCount = process.env['BENCH_KPIS'] ? Number(process.env['BENCH_KPIS']) : Math.ceil(count / CYCLES.length);
  const cycleCount = process.env['BENCH_CYCLES'] ? Number(process.env['BENCH_CYCLES']) : Math.ceil(count / kpiCount);
  const cycles = CYCLES.slice(0, cycleCount);
  const financialYears = Array.from({ length: Number(process.env['BENCH_TARGET_YEARS'] ?? 3) }, (_, index) => {
    const start = 2023 + index;
    return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
  });
  const kpiIds = Array.from({ length: kpiCount }, (_, index) => `BEN-${String(index).padStart(5, '0')}`);
  const now = new Date().toISOString();
  const context: CommandContext = { actor: ACTOR, roles: ['performance-team'], now };
  const envelope = (): CommandEnvelope => ({ actor: ACTOR, now, correlationId: randomUUID(), causationId: randomUUID() });

  const snapshots = await mapConcurrently(kpiIds, async (kpiId) => {
    const { kpiId: _sample, ...data } = { ...BENCH_KPI, kpiId };
    let outcome = await engine.executor.execute({
      streamId: kpiStreamId(kpiId),
      decider: kpiDecider,
      command: { type: 'DefineKpi', kpiId, data, context },
      envelope: envelope(),
    });
    for (const financialYear of financialYears) {
      outcome = await engine.executor.execute({
        streamId: kpiStreamId(kpiId),
        decider: kpiDecider,
        command: { type: 'SetKpiTargetPolicy', kpiId, data: { financialYear, policy: { kind: 'thresholds', green: '45.0', amber: '40.0' } }, context },
        envelope: envelope(),
      });
    }
    return kpiSnapshotOf(outcome.state)!;
  });

  // The cycle process manager requests a cycle's returns one after another; here the same
  // manager handles slices of the CycleOpened event side by side. The commands and their
  // idempotency keys are the ones it would send, so the running manager then finds them done.
  const manager = new CycleReturnsProcessManager(useCaseBusFor(engine));
  for (const cycleId of cycles) {
    const opened = await openCycle(engine, cycleId, snapshots, context, envelope());
    const slices = slice(opened.data.requestedReturns, SETUP_CONCURRENCY);
    await Promise.all(slices.map((requestedReturns) => manager.handle({ ...opened, data: { ...opened.data, requestedReturns } })));
  }
  const last = engine.executor.lastAppendedPosition!;
  await engine.waitForProcessManagers(last);
  await engine.waitForProjections(last, 600_000);

  const paths: string[] = [];
  for (const cycleId of cycles) {
    for (const kpiId of kpiIds) paths.push(`/returns/${kpiId}/${cycleId.replace('/', '-')}/submission`);
  }
  return { kpiIds, returnPaths: paths.slice(0, count) };
}

async function openCycle(
  engine: QuarterlyEngine,
  cycleId: string,
  liveKpis: KpiSnapshot[],
  context: CommandContext,
  envelope: CommandEnvelope,
): Promise<RecordedEvent<'CycleOpened', CycleOpenedData>> {
  const quarterEnd = new Date(`${quarterEndDate(cycleId)}T00:00:00Z`);
  const day = (days: number) => new Date(quarterEnd.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  const timetable = { returnsDue: day(14), dmtReviewDeadline: day(21), cltDate: day(28), publicationDate: day(42) };
  await engine.executor.execute({
    streamId: cycleStreamId(cycleId),
    decider: cycleDecider,
    command: { type: 'OpenCycle', cycleId, data: { timetable, liveKpis }, context },
    envelope,
  });
  const [opened] = await engine.store.readStream(cycleStreamId(cycleId));
  return opened as RecordedEvent<'CycleOpened', CycleOpenedData>;
}

async function mapConcurrently<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: SETUP_CONCURRENCY }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

function slice<T>(items: readonly T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) slices.push(items.slice(start, start + size));
  return slices;
}

function send(message: HostMessage): void {
  process.send!(message);
}

function post(session: Session, method: string): Promise<unknown> {
  return new Promise((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result))));
}

/** The projections and process managers in a process of their own, as apps/worker runs them. */
function startProjectionHost(schema: string): Promise<ChildProcess> {
  const child = fork(join(__dirname, 'bench-projection-host.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, BENCH_SCHEMA: schema },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the projection host exited with ${code} before it followed the store`)));
    child.once('message', () => resolve(child));
  });
}

function projectionHostCpu(child: ChildProcess): Promise<{ userUs: number; systemUs: number }> {
  return new Promise((resolve) => {
    child.once('message', (message: { userUs: number; systemUs: number }) => resolve(message));
    child.send({ type: 'cpu' });
  });
}

function stopProjectionHost(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.send({ type: 'stop' });
  });
}

async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench host failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
