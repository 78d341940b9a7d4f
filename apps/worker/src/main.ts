import 'reflect-metadata';
import { tracing } from './tracing';
import { NestFactory } from '@nestjs/core';
import { openQuarterlyEngine } from '@quarterly/application';
import { createLogger, InvalidConfigurationError, loadAppConfig, nestLoggerOver, registerProjectionLagCollector, SystemClock } from '@quarterly/platform';
import { WorkerHealthServer } from './worker-health.server';
import { createReminderRuntime, WorkerModule } from './worker.module';

/**
 * The worker on its own (QUARTERLY_WORKER=off in the API): follows the event store to schedule
 * timers, runs the timer and mail processors, and answers health and metrics on
 * WORKER_HEALTH_PORT. Logs JSON lines through the API's pino set-up. Stops cleanly on SIGTERM / SIGINT.
 */
async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (error instanceof InvalidConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  if (config.store === 'sqlite') {
    // One SQLite file has one writer process: the worker runs inside the API there.
    process.stderr.write('quarterly worker: the embedded SQLite store is used by one process; run the API with QUARTERLY_WORKER=embedded (the default) instead\n');
    process.exit(78);
  }
  const logger = createLogger(config.logLevel).child({ process: 'worker' });
  const clock = new SystemClock();
  const engine = await openQuarterlyEngine(config, { logger });
  try {
    const runtime = createReminderRuntime(engine, config, clock);
    registerProjectionLagCollector(engine.metrics, engine, clock);
    await engine.start();
    const app = await NestFactory.createApplicationContext(WorkerModule.forRuntime(runtime), {
      logger: config.logLevel === 'silent' ? false : nestLoggerOver(logger),
    });
    const health = await WorkerHealthServer.start({ engine, runtime, auth: config.auth, host: config.host, port: config.workerHealthPort });
    const dependencies = await runtime.health();
    logger.info({ redis: dependencies.redis, smtp: dependencies.smtp, health: `http://${config.host}:${health.port}/health/ready` }, 'quarterly worker started');
    // app.close() runs the shutdown hooks: BullMQ workers finish their current job, queues close.
    const close = async () => {
      await health.close();
      await app.close();
      await engine.close();
      await tracing?.shutdown();
    };
    process.once('SIGTERM', () => void close());
    process.once('SIGINT', () => void close());
  } catch (error) {
    await engine.close();
    throw error;
  }
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`quarterly worker failed to start: ${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
