import { join } from 'node:path';
import { type AppConfig, type QuarterlyEngine, SQLITE_FILE_NAME } from '@quarterly/platform';
import { rebuildProjectionSet, type RebuildLogSource, type RebuildWorkerOptions } from '@quarterly/read-models';

export interface RebuildReport {
  readonly projection: string;
  /** Events of the log read: the projections are rebuilt together, in one pass. */
  readonly events: number;
  /** The whole pass, shared by the projections rebuilt in it. */
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Folded in the worker thread (the others are applied in the CLI's thread). */
  readonly foldedInWorker: boolean;
}

/**
 * Rebuilds read models from zero (all, or the ones named) in one pass over the log (each page
 * read once and applied to every projection in one transaction, `rebuildProjectionSet`). Their
 * runners are stopped meanwhile and started again if they were running. Progress goes to
 * `out`: a single self-updating line on a terminal, one line per 10% otherwise (logs, CI).
 */
export async function rebuildProjections(
  engine: QuarterlyEngine,
  names: readonly string[],
  out: NodeJS.WriteStream = process.stderr,
  /** Read, decode and fold the log in a worker thread (`rebuildProjectionSet`'s `worker`). */
  worker?: RebuildWorkerOptions,
): Promise<RebuildReport[]> {
  const runners = engine.projectionRunners.filter((runner) => names.length === 0 || names.includes(runner.projection.name));
  const unknown = names.filter((name) => !engine.projectionRunners.some((runner) => runner.projection.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown projection(s): ${unknown.join(', ')}; known: ${engine.projectionRunners.map((r) => r.projection.name).join(', ')}`);
  }
  const totalEvents = await countEvents(engine);
  const label = runners.length === engine.projectionRunners.length ? 'all projections' : runners.map((r) => r.projection.name).join(', ');
  const running = runners.filter((runner) => runner.state !== 'stopped');
  for (const runner of running) await runner.stop();
  try {
    let lastTenth = -1;
    const result = await rebuildProjectionSet(
      engine.store,
      engine.readModels,
      runners.map((runner) => runner.projection),
      {
        ...(worker ? { worker } : {}),
        onProgress: (p) => {
          const fraction = totalEvents === 0 ? 1 : Math.min(1, p.eventsRead / totalEvents);
          const line = `${label} ${bar(fraction)} ${String(p.eventsRead).padStart(9)}/${totalEvents} events  ${Math.round(p.eventsPerSecond)} ev/s`;
          if (out.isTTY) out.write(`\r${line}`);
          else if (Math.floor(fraction * 10) > lastTenth) {
            lastTenth = Math.floor(fraction * 10);
            out.write(`${line}\n`);
          }
        },
      },
    );
    if (out.isTTY) out.write('\n');
    return runners.map((runner) => ({
      projection: runner.projection.name,
      events: result.eventsRead,
      seconds: result.elapsedMs / 1000,
      eventsPerSecond: Math.round(result.eventsPerSecond),
      foldedInWorker: result.foldedInWorker.includes(runner.projection.name),
    }));
  } finally {
    for (const runner of running) await runner.start();
  }
}

/**
 * Where a rebuild's worker thread reads the log the engine of `config` appends to; undefined for
 * EventStoreDB (the rebuild then reads in its own thread).
 */
export function rebuildLogSourceOf(config: AppConfig, schema?: string): RebuildLogSource | undefined {
  switch (config.store) {
    case 'sqlite':
      return { kind: 'sqlite', filename: join(config.dataDir, SQLITE_FILE_NAME) };
    case 'postgres':
      return { kind: 'postgres', connectionString: config.databaseUrl!, ...(schema !== undefined ? { schema } : {}) };
    case 'eventstoredb':
      return undefined;
  }
}

async function countEvents(engine: QuarterlyEngine): Promise<number> {
  let count = 0;
  let after: bigint | undefined;
  for (;;) {
    const page = await engine.store.readAll({ ...(after === undefined ? {} : { after }), limit: 5000 });
    count += page.length;
    if (page.length < 5000) return count;
    after = page[page.length - 1]!.position;
  }
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%`;
}
