import { readCheckpoint } from '@quarterly/read-models';
import type { Clock } from '../clock';
import type { QuarterlyEngine } from '../engine/quarterly-engine';
import { LAG_SCAN_LIMIT, type QuarterlyMetrics } from './quarterly-metrics';

/**
 * Reads, at every scrape, how far behind the store each projection and process manager of this
 * engine is: in events (appended after its position) and in seconds (the age of the oldest event
 * it has not applied, by the event's `recordedAt` and the engine's clock). A runner this instance
 * stands by for is read from the checkpoint the active instance stored, so every instance reports
 * the deployment's lag. One read of the store per scrape, from the slowest runner's position.
 */
export function registerProjectionLagCollector(metrics: QuarterlyMetrics, engine: QuarterlyEngine, clock: Clock): void {
  metrics.addCollector('projection-lag', async () => {
    const runners = [
      ...engine.projectionRunners.map((runner) => ({ name: runner.projection.name, position: runner.position })),
      ...engine.processManagerRunners.map((runner) => ({ name: runner.processManager.name, position: runner.position })),
    ];
    const positions = await Promise.all(
      runners.map(async ({ name, position }) => {
        const stored = (await readCheckpoint(engine.readModels.db, name))?.position;
        if (position === undefined) return stored;
        return stored !== undefined && stored > position ? stored : position;
      }),
    );
    if (runners.length === 0) return;
    // A runner that has never stored a checkpoint is behind from the first event.
    const slowest = positions.some((position) => position === undefined)
      ? undefined
      : (positions as bigint[]).reduce((min, position) => (position < min ? position : min));
    const pending = await engine.store.readAll({ ...(slowest !== undefined ? { after: slowest } : {}), limit: LAG_SCAN_LIMIT });
    const now = clock.now().getTime();
    runners.forEach(({ name }, index) => {
      const position = positions[index];
      const behind = position === undefined ? pending : pending.filter((event) => event.position > position);
      metrics.projectionLagEvents.set({ projection: name }, behind.length);
      const oldest = behind[0] ? Date.parse(String(behind[0].metadata.recordedAt)) : NaN;
      metrics.projectionLagSeconds.set({ projection: name }, Number.isNaN(oldest) ? 0 : Math.max(0, (now - oldest) / 1000));
    });
  });
}
