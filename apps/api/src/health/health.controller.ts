import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, QuarterlyEngine } from '@quarterly/platform';
import type { Response } from 'express';

interface Check {
  readonly status: 'up' | 'down';
  readonly latencyMs?: number;
  readonly error?: string;
}

/**
 * Readiness of each dependency: 200 when all are up, 503 otherwise (a load balancer takes the
 * instance out). Projections report how far they have read; their lag is not a failure.
 */
@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(private readonly engine: QuarterlyEngine) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Readiness of the event store, the read-model database and the projections' })
  async health(@Res({ passthrough: true }) response: Response) {
    const [eventStore, readModels] = await Promise.all([
      timed(() => this.engine.store.ping()),
      timed(() => this.engine.readModels.ping()),
    ]);
    const projections = this.engine.projectionRunners.map((runner) => ({
      name: runner.projection.name,
      state: runner.state,
      position: runner.position === undefined ? null : String(runner.position),
    }));
    const ready = eventStore.status === 'up' && readModels.status === 'up';
    response.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'unavailable', checks: { eventStore, readModels }, projections };
  }
}

async function timed(probe: () => Promise<void>): Promise<Check> {
  const started = process.hrtime.bigint();
  try {
    await probe();
    return { status: 'up', latencyMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000 };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  }
}
