import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, QuarterlyEngine } from '@quarterly/platform';
import type { ReminderRuntime } from '@quarterly/reminders';
import type { Response } from 'express';

/** The reminder runtime, or null when the API runs without Redis (some tests). */
export const REMINDER_RUNTIME = Symbol('REMINDER_RUNTIME');

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
  constructor(
    private readonly engine: QuarterlyEngine,
    @Inject(REMINDER_RUNTIME) private readonly reminders: ReminderRuntime | null,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Readiness of the event store, the read-model database, Redis, SMTP and the projections' })
  async health(@Res({ passthrough: true }) response: Response) {
    const [eventStore, readModels, queues] = await Promise.all([
      timed(() => this.engine.store.ping()),
      timed(() => this.engine.readModels.ping()),
      this.reminders?.health(),
    ]);
    const projections = this.engine.projectionRunners.map((runner) => ({
      name: runner.projection.name,
      state: runner.state,
      position: runner.position === undefined ? null : String(runner.position),
    }));
    // Commands and queries need the store and the read models. Redis and SMTP carry reminders:
    // while they are down timers wait and mail is retried, so they are reported, not fatal.
    const ready = eventStore.status === 'up' && readModels.status === 'up';
    response.status(ready ? 200 : 503);
    return {
      status: ready ? (queues && (queues.redis === 'down' || queues.smtp === 'down') ? 'degraded' : 'ready') : 'unavailable',
      checks: { eventStore, readModels, ...(queues ? { redis: { status: queues.redis }, smtp: { status: queues.smtp } } : {}) },
      projections,
      following: this.engine.activeRunners,
    };
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
