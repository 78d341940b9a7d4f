import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { KPI_REGISTER_PROJECTIONS, ownWritesOf, ProjectedKpiRegister, ProjectedPeopleDirectory, USE_CASE_HANDLERS, UseCaseDependencies } from '@quarterly/application';
import { BearerAuthenticator, BearerAuthGuard, Clock, DirectoryPrincipalResolver, EventSourcedCommandExecutor, QuarterlyEngine, type AppConfig } from '@quarterly/platform';
import { ReminderRuntime } from '@quarterly/reminders';
import { WorkerModule } from '../../worker/src/worker.module';
import { REMINDER_RUNTIME } from './health/health.controller';
import { CyclesController } from './cycles/cycles.controller';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { IntegrityController } from './audit/integrity.controller';
import { IntegrityVerifications } from './audit/integrity-verifications.service';
import { KpisController } from './kpis/kpis.controller';
import { PeopleController } from './people/people.controller';
import { ReturnsController } from './returns/returns.controller';
import { CycleQueriesController } from './cycles/cycle-queries.controller';
import { KpiQueriesController } from './kpis/kpi-queries.controller';
import { PeopleQueriesController } from './people/people-queries.controller';
import { ReturnQueriesController } from './returns/return-queries.controller';
import { ScorecardsController } from './scorecards/scorecards.controller';
import { ReadModelsGateway } from './shared/read-models.gateway';
import { WebModule, type WebModuleOptions } from './web/web.module';
import { RegisterImportsController } from './register-imports/register-imports.controller';
import { RegisterImporter, RegisterImportJobs } from '@quarterly/register-import';
import { QueuedPastFiguresImports, QueuedRegisterImports } from './register-imports/queued-register-imports';
import { PastFiguresImportsController } from './past-figures-imports/past-figures-imports.controller';
import { PastFiguresImporter, PastFiguresImportJobs } from '@quarterly/past-figures-import';

/** Stops the engine's projections and timers when Nest shuts down (SIGTERM, app.close()). */
class EngineLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly queuesOnly: ReminderRuntime | undefined,
    private readonly importJobs: RegisterImportJobs | undefined,
    private readonly pastFiguresJobs: PastFiguresImportJobs | undefined,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.importJobs?.close();
    await this.pastFiguresJobs?.close();
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
    reminders: {
      reminders?: ReminderRuntime;
      embeddedWorker: boolean;
      importJobs?: RegisterImportJobs | undefined;
      pastFiguresJobs?: PastFiguresImportJobs | undefined;
    } = { embeddedWorker: false },
    web: Omit<WebModuleOptions, 'integrityVerifications'> = {},
  ): DynamicModule {
    const runtime = reminders.reminders;
    // One per API instance, for the JSON API and the audit page alike: at most one pass at a time.
    const integrityVerifications = new IntegrityVerifications(engine.store, () => clock.now());
    return {
      module: ApiModule,
      imports: [
        // Embedded mode: the timer and mail processors run in this process (their module closes
        // the runtime on shutdown); otherwise apps/worker runs them and the API only reads queues.
        ...(runtime && reminders.embeddedWorker ? [WorkerModule.forRuntime(runtime)] : []),
        CqrsModule.forRoot(),
        // The pages for people: their own module, calling the same use cases as the API.
        WebModule.forEngine(engine, config, clock, { ...web, integrityVerifications }),
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
        IntegrityController,
        RegisterImportsController,
        PastFiguresImportsController,
        HealthController,
        MetricsController,
      ],
      providers: [
        { provide: QuarterlyEngine, useValue: engine },
        { provide: EventSourcedCommandExecutor, useValue: engine.executor },
        { provide: RegisterImporter, useValue: new RegisterImporter(engine) },
        { provide: PastFiguresImporter, useValue: new PastFiguresImporter(engine) },
        { provide: Clock, useValue: clock },
        { provide: DirectoryPrincipalResolver, useValue: new DirectoryPrincipalResolver(engine.executor, engine.readModels) },
        {
          provide: BearerAuthenticator,
          useFactory: (directory: DirectoryPrincipalResolver) => new BearerAuthenticator(config.auth, directory),
          inject: [DirectoryPrincipalResolver],
        },
        { provide: IntegrityVerifications, useValue: integrityVerifications },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: EngineLifecycle, useFactory: () => new EngineLifecycle(engine, runtime && !reminders.embeddedWorker ? runtime : undefined, reminders.importJobs, reminders.pastFiguresJobs) },
        { provide: QueuedRegisterImports, useValue: new QueuedRegisterImports(reminders.importJobs) },
        { provide: QueuedPastFiguresImports, useValue: new QueuedPastFiguresImports(reminders.pastFiguresJobs) },
        { provide: REMINDER_RUNTIME, useValue: runtime ?? null },
        // The application layer: one @nestjs/cqrs handler per use case, found by the CommandBus.
        {
          provide: UseCaseDependencies,
          useFactory: () =>
            new UseCaseDependencies({
              executor: engine.executor,
              // Both wait for this instance's own writes: someone registered or a KPI defined a
              // moment ago is told of an escalation, or asked for by the cycle opened next.
              directory: new ProjectedPeopleDirectory(engine.readModels, ownWritesOf(engine)),
              kpiRegister: new ProjectedKpiRegister(engine.readModels, ownWritesOf(engine, 5_000, KPI_REGISTER_PROJECTIONS)),
            }),
        },
        ...USE_CASE_HANDLERS,
        ReadModelsGateway,
      ],
    };
  }
}
