import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { openQuarterlyEngine } from '@quarterly/application';
import { loadAppConfig, SystemClock } from '@quarterly/platform';
import { createReminderRuntime, WorkerModule } from './worker.module';

/**
 * The worker on its own (QUARTERLY_WORKER=off in the API): follows the event store to schedule
 * timers, and runs the timer and mail processors. Stops cleanly on SIGTERM / SIGINT.
 */
async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  if (config.store === 'sqlite') {
    // One SQLite file has one writer process: the worker runs inside the API there.
    process.stderr.write('quarterly worker: the embedded SQLite store is used by one process; run the API with QUARTERLY_WORKER=embedded (the default) instead\n');
    process.exit(78);
  }
  const engine = await openQuarterlyEngine(config);
  try {
    const runtime = createReminderRuntime(engine, config, new SystemClock());
    await engine.start();
    const app = await NestFactory.createApplicationContext(WorkerModule.forRuntime(runtime), {
      logger: config.logLevel === 'silent' ? false : ['log', 'warn', 'error'],
    });
    const health = await runtime.health();
    process.stdout.write(`quarterly worker: Redis ${health.redis}, SMTP ${health.smtp} (${config.smtpUrl})\n`);
    // app.close() runs the shutdown hooks: BullMQ workers finish their current job, queues close.
    const close = async () => {
      await app.close();
      await engine.close();
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
