import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { openQuarterlyEngine } from '@quarterly/application';
import { SmtpMailerAdapter } from '@quarterly/notifications';
import {
  BearerAuthenticator,
  Clock,
  createLogger,
  DirectoryPrincipalResolver,
  nestLoggerOver,
  QuarterlyEngine,
  registerProjectionLagCollector,
  requestLogMiddleware,
  SystemClock,
  type AppConfig,
  type OpenEngineOptions,
} from '@quarterly/platform';
import { PastFiguresImporter, PastFiguresImportJobs } from '@quarterly/past-figures-import';
import { RegisterImporter, RegisterImportJobs } from '@quarterly/register-import';
import { bullmqTelemetryFor, ReminderRuntime } from '@quarterly/reminders';
import { createReminderRuntime } from '../../../worker/src/worker.module';
import { mountQueueDashboard } from '../admin/queue-dashboard';
import { ApiModule } from '../api.module';
import { configureApiApp } from './configure-api-app';
import { configureWebPages } from '../web/configure-web-pages';
import { WebSessionStore } from '../web/shared/web-session.store';
import { WebSessionCookie } from '../web/shared/web-session-cookie';
import { signedInPersonFrom } from '../web/shared/signed-in-person';

export interface ApiApplication {
  readonly app: INestApplication;
  readonly engine: QuarterlyEngine;
  /** The reminder queues (and, when embedded, their workers); absent when `withReminders` is false. */
  readonly reminders?: ReminderRuntime;
}

export interface CreateApiOptions extends OpenEngineOptions {
  readonly clock?: Clock;
  /** Runs after the engine opens and before it follows the store (the demo loader). */
  readonly beforeStart?: (engine: QuarterlyEngine) => Promise<void>;
  /**
   * Connect to Redis for the reminder queues: the timers and their workers run here when
   * `QUARTERLY_WORKER=embedded`; otherwise only the queue dashboard and health use them.
   * @defaultValue true
   */
  readonly withReminders?: boolean;
  /** Key prefix of the reminder queues in Redis (tests isolate themselves with one each). @defaultValue 'quarterly' */
  readonly queuePrefix?: string;
  /** Key prefix of the web pages' sessions and rate limits in Redis. @defaultValue 'quarterly:web:' */
  readonly webKeyPrefix?: string;
}

/**
 * Opens the engine, starts its projections and process managers, and builds the Nest
 * application around it (not yet listening). `main.ts` and the end-to-end tests share it.
 */
export async function createApiApplication(config: AppConfig, options: CreateApiOptions = {}): Promise<ApiApplication> {
  const clock = options.clock ?? new SystemClock();
  // QUARTERLY_PROJECTIONS=worker: apps/worker runs the projections and process managers, so this
  // process's one thread does commands and queries only (queries wait for the worker's checkpoints).
  const engine = await openQuarterlyEngine(config, { ...options, followStore: options.followStore ?? config.projections === 'api' });
  registerProjectionLagCollector(engine.metrics, engine, clock);
  let reminders: ReminderRuntime | undefined;
  let importJobs: RegisterImportJobs | undefined;
  let pastFiguresJobs: PastFiguresImportJobs | undefined;
  try {
    await options.beforeStart?.(engine);
    if (options.withReminders !== false) {
      reminders =
        config.worker === 'embedded'
          ? createReminderRuntime(engine, config, clock, options.queuePrefix !== undefined ? { queuePrefix: options.queuePrefix } : {})
          : new ReminderRuntime({
              executor: engine.executor,
              readModels: engine.readModels,
              redis: config.redis,
              mailer: new SmtpMailerAdapter({ smtpUrl: config.smtpUrl, from: config.mailFrom }),
              clock,
              publicBaseUrl: config.publicBaseUrl,
              metrics: engine.metrics,
              ...(config.tracing === 'otlp' ? { telemetry: bullmqTelemetryFor(config.tracing)! } : {}),
              ...(options.queuePrefix !== undefined ? { queuePrefix: options.queuePrefix } : {}),
            });
    }
    // Queued register imports share the reminders' Redis and key prefix; this process runs them.
    importJobs = reminders
      ? new RegisterImportJobs({ redis: config.redis, prefix: reminders.prefix, importer: new RegisterImporter(engine) })
      : undefined;
    pastFiguresJobs = reminders
      ? new PastFiguresImportJobs({ redis: config.redis, prefix: reminders.prefix, importer: new PastFiguresImporter(engine) })
      : undefined;
    importJobs?.start();
    pastFiguresJobs?.start();
    await engine.start();
    const app = await NestFactory.create(
      ApiModule.forEngine(engine, config, clock, { reminders, embeddedWorker: config.worker === 'embedded', importJobs, pastFiguresJobs }, options.webKeyPrefix !== undefined ? { redisKeyPrefix: options.webKeyPrefix } : {}),
      { bufferLogs: true },
    );
    // One pino logger for Nest's own lines and the request log, in the JSON shape the worker's
    // lines have too. Nest's lines carry no request's bindings: nothing here keeps a per-request
    // logger in an AsyncLocalStorage (whose promise hooks cost every request's promises), so a
    // line about a request names its correlation id itself (the problem-details filter does).
    const logger = createLogger(config.logLevel);
    app.useLogger(nestLoggerOver(logger));
    // configureApiApp first: its correlation-id and metrics middleware then see the pages' and the dashboard's requests too.
    configureApiApp(app);
    configureWebPages(app, config, config.web.signIn ? new URL(config.web.signIn.discoveryUrl).origin : undefined);
    if (reminders) {
      const signedIn = signedInPersonFrom(app.get(WebSessionStore, { strict: false }), app.get(WebSessionCookie, { strict: false }), app.get(DirectoryPrincipalResolver, { strict: false }));
      mountQueueDashboard(app, reminders, app.get(BearerAuthenticator), signedIn);
    }
    // The request log: one line per request that reaches the routes (where Nest's middleware
    // put it before), with its correlation id (see requestLogMiddleware).
    app.use(requestLogMiddleware(logger));
    return { app, engine, ...(reminders ? { reminders } : {}) };
  } catch (error) {
    await importJobs?.close();
    await pastFiguresJobs?.close();
    await reminders?.close();
    await engine.close();
    throw error;
  }
}
