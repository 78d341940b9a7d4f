import 'reflect-metadata';
import { tracing } from './tracing';
import { seedDemoCouncil } from '@quarterly/demo';
import { createLogger, InvalidConfigurationError, loadAppConfig } from '@quarterly/platform';
import { createApiApplication } from './bootstrap/create-api-application';

async function main(): Promise<void> {
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
  const logger = createLogger(config.logLevel);
  if (config.auth.mode === 'shared-secret' && config.auth.usingDevelopmentSecret) {
    logger.warn('JWT_SECRET is not set: tokens are signed with the development secret. Never run like this in production.');
  }

  const { app } = await createApiApplication(config, {
    logger,
    beforeStart: async (engine) => {
      if (!config.demoData || !(await engine.isEmpty())) return;
      const summary = await seedDemoCouncil({ executor: engine.executor, store: engine.store, now: new Date() });
      logger.info({ kpis: summary.kpis, cycles: summary.cycles, returnsByState: summary.returnsByState }, 'demo council loaded');
    },
  });
  // Spans still buffered go out while Nest's shutdown hooks close the rest.
  const activeTracing = tracing;
  if (activeTracing) for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void activeTracing.shutdown());
  await app.listen(config.port, config.host);
  const url = `http://${config.host}:${config.port}`;
  logger.info({ url, store: config.store, docs: `${url}/docs` }, `Quarterly API listening on ${url} (OpenAPI at ${url}/docs)`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Quarterly API failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
