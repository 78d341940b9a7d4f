import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  BearerAuthenticator,
  Public,
  QuarterlyEngine,
  runDependencyChecks,
  withoutRawErrors,
  type DependencyCheck,
} from '@quarterly/platform';
import type { ReminderRuntime } from '@quarterly/reminders';
import type { Request, Response } from 'express';

/** The reminder runtime, or null when the API runs without Redis (some tests). */
export const REMINDER_RUNTIME = Symbol('REMINDER_RUNTIME');

/**
 * Liveness and readiness, for a load balancer or an orchestrator.
 *
 * - `GET /health/live`: the process answers (no dependency is consulted): restart it only when
 *   this fails.
 * - `GET /health/ready` (and `GET /health`, its older name): each dependency checked in parallel,
 *   each bounded by 1 s. 200 `ready`, or 200 `degraded` when Redis or SMTP is down (timers wait,
 *   mail is retried); 503 `unavailable` when the event store or the read models are down.
 *   Reasons are short; the raw errors are added only for a caller with a performance-team token.
 */
@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly authenticator: BearerAuthenticator,
    @Inject(REMINDER_RUNTIME) private readonly reminders: ReminderRuntime | null,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process is up and its event loop answers' })
  live() {
    return { status: 'alive' };
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Readiness (the same as /health/ready)' })
  health(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.ready(request, response);
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness of the event store, the read-model database, Redis, SMTP, and the projections' })
  async ready(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const checks: DependencyCheck[] = [
      { name: 'eventStore', critical: true, probe: () => this.engine.store.ping() },
      { name: 'readModels', critical: true, probe: () => this.engine.readModels.ping() },
      ...(this.reminders?.dependencyChecks() ?? []),
    ];
    const [report, operator] = await Promise.all([runDependencyChecks(checks), this.isOperator(request)]);
    response.status(report.status === 'unavailable' ? 503 : 200);
    const projections = this.engine.projectionRunners.map((runner) => ({
      name: runner.projection.name,
      state: runner.state,
      position: runner.position === undefined ? null : String(runner.position),
    }));
    return { ...(operator ? report : withoutRawErrors(report)), projections, following: this.engine.activeRunners };
  }

  /** A valid bearer token of a performance-team member in the directory (the operators of Quarterly) sees raw errors. */
  private async isOperator(request: Request): Promise<boolean> {
    const match = /^Bearer\s+(\S+)$/i.exec(request.header('authorization') ?? '');
    if (!match?.[1]) return false;
    try {
      // Roles as the directory holds them, whatever the token claims.
      const principal = await this.authenticator.authenticate(match[1]);
      return principal.roles.includes('performance-team');
    } catch {
      return false;
    }
  }
}
