import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Clock, QuarterlyEngine, SystemClock, type AppConfig, type OpenEngineOptions } from '@quarterly/platform';
import { Logger } from 'nestjs-pino';
import { ApiModule } from '../api.module';
import { configureApiApp } from './configure-api-app';

export interface ApiApplication {
  readonly app: INestApplication;
  readonly engine: QuarterlyEngine;
}

/**
 * Opens the engine, starts its projections and process managers, and builds the Nest
 * application around it (not yet listening). `main.ts` and the end-to-end tests share it.
 */
export async function createApiApplication(
  config: AppConfig,
  options: OpenEngineOptions & { clock?: Clock; beforeStart?: (engine: QuarterlyEngine) => Promise<void> } = {},
): Promise<ApiApplication> {
  const engine = await QuarterlyEngine.open(config, options);
  try {
    await options.beforeStart?.(engine);
    await engine.start();
    const app = await NestFactory.create(ApiModule.forEngine(engine, config, options.clock ?? new SystemClock()), {
      bufferLogs: true,
    });
    app.useLogger(app.get(Logger));
    configureApiApp(app);
    return { app, engine };
  } catch (error) {
    await engine.close();
    throw error;
  }
}
