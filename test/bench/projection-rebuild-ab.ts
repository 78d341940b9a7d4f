/**
 * A/B of the one-pass rebuild (`rebuildProjectionSet`) against an older version of the read
 * models, in ONE process, rounds alternating (baseline first), so both sides see the same machine
 * load; each side rebuilds its own copy of the same history (its read-model schema may differ):
 *
 *   git archive <commit> libs | tar -x -C .data/baseline      # .data is git-ignored
 *   DATABASE_URL=… node -r @swc-node/register test/bench/projection-rebuild-ab.ts sqlite|postgres .data/baseline [rounds=4]
 *
 * The baseline's `libs/read-models/src` is loaded beside the current one (the other libraries are
 * the current ones) and opens its own read models. Prints, per round: events of the
 * log per second, CPU µs per event of this process, and the load average. With
 * BENCH_PROFILE_DIR set, each current round also writes a CPU profile of the rebuild alone
 * (`rebuild-<dialect>-<round>.cpuprofile`, for summarise-cpu-profile.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type EventStore, PostgresEventStore, SqliteEventStore } from '@quarterly/event-store';
import * as current from '@quarterly/read-models';
import { PostgresTestDatabase } from '../support/postgres-test-database';
import { generateHistory, threadCpuUs } from './projection-rebuild.bench';

type ReadModels = typeof current;

async function main(): Promise<void> {
  const [dialect = 'sqlite', baselineDir, rounds = '4'] = process.argv.slice(2);
  if (baselineDir === undefined) throw new Error('usage: projection-rebuild-ab.ts sqlite|postgres <baseline dir holding libs/> [rounds]');
  const baseline = require(resolve(baselineDir, 'libs/read-models/src/index.ts')) as ReadModels;
  const history = generateHistory(Number(process.env['BENCH_EVENTS'] ?? 100_000));
  const directory = mkdtempSync(join(tmpdir(), 'quarterly-rebuild-ab-'));
  // Each side has its own store and read models (the same history), migrated by its own code:
  // the two versions' read-model schemas may differ.
  const sides: Array<{
    name: 'baseline' | 'current';
    lib: ReadModels;
    store: EventStore;
    readModels: current.ReadModelDatabase;
    source: current.RebuildLogSource;
    drop?: () => Promise<void>;
  }> = [];
  try {
    for (const [name, lib] of [['baseline', baseline], ['current', current]] as const) {
      if (dialect === 'postgres') {
        const database = await PostgresTestDatabase.create(`rebuild_ab_${name}`);
        const store = await PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema, maxConnections: 16 });
        const readModels = await lib.openReadModelDatabase({ dialect: 'postgres', connectionString: database.connectionString, schema: database.schema });
        const source = { kind: 'postgres', connectionString: database.connectionString, schema: database.schema } as const;
        sides.push({ name, lib, store, readModels, source, drop: () => database.drop() });
      } else {
        const filename = join(directory, `${name}.sqlite`);
        const store = new SqliteEventStore({ filename });
        sides.push({ name, lib, store, readModels: await lib.openReadModelDatabase({ dialect: 'sqlite', filename }), source: { kind: 'sqlite', filename } });
      }
      const { store } = sides[sides.length - 1]!;
      for (const phase of history) {
        for (const { streamId, events } of phase) await store.appendToStream(streamId, events, { expectedRevision: 'any' });
      }
    }
    for (let round = 0; round < Number(rounds); round += 1) {
      const { name: side, lib, store, readModels, source } = sides[round % 2]!;
      const loadAtStart = loadavg()[0]!;
      const profileDir = side === 'current' ? process.env['BENCH_PROFILE_DIR'] : undefined;
      const profiler = profileDir ? await startProfile() : undefined;
      const threads = threadCpuUs();
      const cpu = process.cpuUsage();
      // The current code reads, decodes and folds in a worker thread unless BENCH_REBUILD_WORKER=0
      // (an older baseline ignores the option).
      const worker = process.env['BENCH_REBUILD_WORKER'] === '0' ? {} : { worker: { source } };
      const result = await lib.rebuildProjectionSet(store, readModels, lib.allProjections(), worker);
      const used = process.cpuUsage(cpu);
      const perThread = threadCpuSince(threads, result.eventsRead);
      if (profiler && profileDir) writeFileSync(join(profileDir, `rebuild-${dialect}-${round}.cpuprofile`), JSON.stringify(await stopProfile(profiler)));
      console.log(
        JSON.stringify({
          dialect,
          side,
          events: result.eventsRead,
          eventsPerSecond: Math.round(result.eventsPerSecond),
          cpuUsPerEvent: Math.round(((used.user + used.system) / result.eventsRead) * 10) / 10,
          userUsPerEvent: Math.round((used.user / result.eventsRead) * 10) / 10,
          threadCpuUsPerEvent: perThread,
          loadAverage: [loadAtStart, loadavg()[0]!].map((value) => Math.round(value * 10) / 10),
        }),
      );
    }
  } finally {
    for (const { readModels, store, drop } of sides) {
      await readModels.close();
      await store.close();
      await drop?.();
    }
    rmSync(directory, { recursive: true, force: true });
  }
}

/** µs of CPU per event by thread name since `before` (threads of one name summed; the main thread is `main`; a thread that has ended is not counted). */
function threadCpuSince(before: ReturnType<typeof threadCpuUs>, events: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [tid, { name, us }] of threadCpuUs()) {
    const label = tid === String(process.pid) ? 'main' : name;
    const used = us - (before.get(tid)?.us ?? 0);
    if (used > 0) out[label] = Math.round(((out[label] ?? 0) + used / events) * 10) / 10;
  }
  return out;
}

async function startProfile(): Promise<Session> {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.start');
  return session;
}

async function stopProfile(session: Session): Promise<unknown> {
  const { profile } = (await post(session, 'Profiler.stop')) as { profile: unknown };
  session.disconnect();
  return profile;
}

function post(session: Session, method: string): Promise<unknown> {
  return new Promise((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result))));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
