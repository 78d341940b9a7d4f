import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { SmtpMailerAdapter } from '@quarterly/notifications';
import { redisConnectionOptions, type AppConfig, type Clock, type QuarterlyEngine } from '@quarterly/platform';
import { bullmqTelemetryFor, MAIL_QUEUE, ReminderRuntime, TIMERS_QUEUE } from '@quarterly/reminders';
import { MailProcessor } from './mail.processor';
import { TimersProcessor } from './timers.processor';

/**
 * The reminder worker's parts for an engine, before it starts: the runtime (queues, services)
 * whose scheduler is added to the engine's process managers. Call before `engine.start()`, then
 * import `WorkerModule.forRuntime(runtime)`: the API does this in embedded mode, apps/worker alone.
 */
export function createReminderRuntime(
  engine: QuarterlyEngine,
  config: AppConfig,
  clock: Clock,
  options: { readonly queuePrefix?: string } = {},
): ReminderRuntime {
  const runtime = new ReminderRuntime({
    executor: engine.executor,
    readModels: engine.readModels,
    redis: config.redis,
    ...(options.queuePrefix !== undefined ? { queuePrefix: options.queuePrefix } : {}),
    mailer: new SmtpMailerAdapter({ smtpUrl: config.smtpUrl, from: config.mailFrom }),
    clock,
    publicBaseUrl: config.publicBaseUrl,
    metrics: engine.metrics,
    ...(config.tracing === 'otlp' ? { telemetry: bullmqTelemetryFor(config.tracing)! } : {}),
  });
  engine.addProcessManager(runtime.scheduler);
  return runtime;
}

class RuntimeLifecycle implements OnApplicationShutdown {
  constructor(private readonly runtime: ReminderRuntime) {}
  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
  }
}

/**
 * BullMQ processors for `quarterly-timers` and `quarterly-mail` (@nestjs/bullmq), on the
 * runtime's Redis and key prefix. Runs in apps/worker (`main.ts`, several replicas are fine: each
 * job runs once at a time, and every effect is idempotent) or inside the API (QUARTERLY_WORKER=embedded).
 */
@Module({})
export class WorkerModule {
  static forRuntime(runtime: ReminderRuntime): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        BullModule.forRoot({
          connection: redisConnectionOptions(runtime.options.redis),
          prefix: runtime.prefix,
          ...(runtime.options.telemetry ? { telemetry: runtime.options.telemetry } : {}),
        }),
        BullModule.registerQueue({ name: TIMERS_QUEUE }, { name: MAIL_QUEUE }),
      ],
      providers: [
        { provide: ReminderRuntime, useValue: runtime },
        { provide: RuntimeLifecycle, useFactory: () => new RuntimeLifecycle(runtime) },
        TimersProcessor,
        MailProcessor,
      ],
      exports: [ReminderRuntime],
    };
  }
}
