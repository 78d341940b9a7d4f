import { QuarterlyEngine, type OpenEngineOptions } from '@quarterly/platform/engine/quarterly-engine';
import type { AppConfig } from '@quarterly/platform/config/app-config';
import { CycleReturnsProcessManager } from './cycles/cycle-returns.process-manager';
import { KPI_REGISTER_PROJECTIONS, ownWritesOf, ProjectedKpiRegister, ProjectedPeopleDirectory } from './directory/projected-read-side';
import { UseCaseBus } from './use-case-bus';
import { UseCaseDependencies } from './use-case-dependencies';

/**
 * The use cases over an engine's executor and read models, for work that runs outside Nest's
 * container (process managers, the worker's services). The directory and register wait for this
 * instance's own writes, as the API's do.
 */
export function useCaseBusFor(engine: QuarterlyEngine): UseCaseBus {
  return new UseCaseBus(
    new UseCaseDependencies({
      executor: engine.executor,
      directory: new ProjectedPeopleDirectory(engine.readModels, ownWritesOf(engine)),
      kpiRegister: new ProjectedKpiRegister(engine.readModels, ownWritesOf(engine, 5_000, KPI_REGISTER_PROJECTIONS)),
    }),
  );
}

/**
 * Opens the engine (see `QuarterlyEngine.open`) with the application's process managers added —
 * the cycle's returns requested and their due dates moved through the use cases — before it is
 * started. Every long-running composition (the API, the worker, the tests that follow the store)
 * opens it this way.
 */
export async function openQuarterlyEngine(config: AppConfig, options: OpenEngineOptions = {}): Promise<QuarterlyEngine> {
  const engine = await QuarterlyEngine.open(config, options);
  engine.addProcessManager(new CycleReturnsProcessManager(useCaseBusFor(engine)));
  return engine;
}
