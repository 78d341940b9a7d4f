import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { BearerAuthGuard, BearerTokenVerifier, Clock, EventSourcedCommandExecutor, QuarterlyEngine, RegisterChecks, type AppConfig } from '@quarterly/platform';
import { ReminderRuntime } from '@quarterly/reminders';
import { LoggerModule } from 'nestjs-pino';
import { WorkerModule } from '../../worker/src/worker.module';
import { REMINDER_RUNTIME } from './health/health.controller';
import { OpenCycleHandler } from './cycles/commands/open-cycle.handler';
import { ExecuteCycleCommandHandler } from './cycles/commands/execute-cycle-command.handler';
import { CycleStatusReader } from './cycles/cycle-status.reader';
import { CyclesController } from './cycles/cycles.controller';
import { HealthController } from './health/health.controller';
import { ExecuteKpiCommandHandler } from './kpis/commands/execute-kpi-command.handler';
import { KpiRegisterReader } from './kpis/kpi-register.reader';
import { KpisController } from './kpis/kpis.controller';
import { ExecutePersonCommandHandler } from './people/commands/execute-person-command.handler';
import { PeopleController } from './people/people.controller';
import { ExecuteReturnCommandHandler } from './returns/commands/execute-return-command.handler';
import { PreviousFigureFinder } from './returns/previous-figure.finder';
import { ReturnsController } from './returns/returns.controller';
import { CycleQueriesController } from './cycles/cycle-queries.controller';
import { KpiQueriesController } from './kpis/kpi-queries.controller';
import { PeopleQueriesController } from './people/people-queries.controller';
import { ReturnQueriesController } from './returns/return-queries.controller';
import { ScorecardsController } from './scorecards/scorecards.controller';
import { ReadModelsGateway } from './shared/read-models.gateway';
import { RegisterImportsController } from './register-imports/register-imports.controller';
import { RegisterImporter, RegisterImportJobs } from '@quarterly/register-import';
import { QueuedRegisterImports } from './register-imports/queued-register-imports';

/** Stops the engine's projections and timers when Nest shuts down (SIGTERM, app.close()). */
class EngineLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly queuesOnly: ReminderRuntime | undefined,
    private readonly importJobs: RegisterImportJobs | undefined,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.importJobs?.close();
    await this.queuesOnly?.close();
    await this.engine.close();
  }
}

/**
 * The HTTP API. It is built around an already-open engine (event store, read models,
 * projections), so that `main.ts`, the CLI and the tests compose the same parts.
 */
@Module({})
export class ApiModule {
  static forEngine(
    engine: QuarterlyEngine,
    config: AppConfig,
    clock: Clock,
    reminders: { reminders?: ReminderRuntime; embeddedWorker: boolean; importJobs?: RegisterImportJobs | undefined } = { embeddedWorker: false },
  ): DynamicModule {
    const runtime = reminders.reminders;
    return {
      module: ApiModule,
      imports: [
        // Embedded mode: the timer and mail processors run in this process (their module closes
        // the runtime on shutdown); otherwise apps/worker runs them and the API only reads queues.
        ...(runtime && reminders.embeddedWorker ? [WorkerModule.forRuntime(runtime)] : []),
        CqrsModule.forRoot(),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // The bearer token is a credential: never log it.
            redact: ['req.headers.authorization'],
            customProps: (request) => ({ correlationId: request.headers['x-correlation-id'] }),
          },
        }),
      ],
      controllers: [
        // Query controllers first: `GET /kpis` must not be taken for `GET /kpis/:kpiId`.
        KpiQueriesController,
        KpisController,
        CycleQueriesController,
        CyclesController,
        ReturnQueriesController,
        ReturnsController,
        PeopleQueriesController,
        PeopleController,
        ScorecardsController,
        RegisterImportsController,
        HealthController,
      ],
      providers: [
        { provide: QuarterlyEngine, useValue: engine },
        { provide: EventSourcedCommandExecutor, useValue: engine.executor },
        { provide: RegisterChecks, useValue: new RegisterChecks(engine) },
        { provide: RegisterImporter, useValue: new RegisterImporter(engine) },
        { provide: Clock, useValue: clock },
        { provide: BearerTokenVerifier, useValue: new BearerTokenVerifier(config.auth) },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: EngineLifecycle, useFactory: () => new EngineLifecycle(engine, runtime && !reminders.embeddedWorker ? runtime : undefined, reminders.importJobs) },
        { provide: QueuedRegisterImports, useValue: new QueuedRegisterImports(reminders.importJobs) },
        { provide: REMINDER_RUNTIME, useValue: runtime ?? null },
        ExecuteKpiCommandHandler,
        ExecuteCycleCommandHandler,
        OpenCycleHandler,
        ExecuteReturnCommandHandler,
        ExecutePersonCommandHandler,
        KpiRegisterReader,
        CycleStatusReader,
        PreviousFigureFinder,
        ReadModelsGateway,
      ],
    };
  }
}
