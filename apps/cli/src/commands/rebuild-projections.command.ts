import type { QuarterlyEngine } from '@quarterly/platform';
import type { RebuildProgress } from '@quarterly/read-models';

export interface RebuildReport {
  readonly projection: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

/**
 * Rebuilds read models from zero (all, or the ones named), one after another. Progress goes to
 * `out`: a single self-updating line on a terminal, one line per 10% otherwise (logs, CI).
 */
export async function rebuildProjections(
  engine: QuarterlyEngine,
  names: readonly string[],
  out: NodeJS.WriteStream = process.stderr,
): Promise<RebuildReport[]> {
  const runners = engine.projectionRunners.filter((runner) => names.length === 0 || names.includes(runner.projection.name));
  const unknown = names.filter((name) => !engine.projectionRunners.some((runner) => runner.projection.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown projection(s): ${unknown.join(', ')}; known: ${engine.projectionRunners.map((r) => r.projection.name).join(', ')}`);
  }
  const totalEvents = await countEvents(engine);
  const reports: RebuildReport[] = [];
  for (const runner of runners) {
    let lastTenth = -1;
    const progress = await runner.rebuild({
      totalEvents,
      onProgress: (p: RebuildProgress) => {
        const fraction = totalEvents === 0 ? 1 : Math.min(1, p.eventsRead / totalEvents);
        const line = `${p.projection.padEnd(20)} ${bar(fraction)} ${String(p.eventsRead).padStart(9)}/${totalEvents} events  ${Math.round(p.eventsPerSecond)} ev/s`;
        if (out.isTTY) out.write(`\r${line}`);
        else if (Math.floor(fraction * 10) > lastTenth) {
          lastTenth = Math.floor(fraction * 10);
          out.write(`${line}\n`);
        }
      },
    });
    if (out.isTTY) out.write('\n');
    reports.push({
      projection: progress.projection,
      events: progress.eventsRead,
      seconds: progress.elapsedMs / 1000,
      eventsPerSecond: Math.round(progress.eventsPerSecond),
    });
  }
  return reports;
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
