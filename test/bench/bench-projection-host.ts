/**
 * The worker's share of the HTTP benchmark with `BENCH_PROJECTIONS=worker` (PostgreSQL): an
 * engine in a process of its own, opened as apps/worker opens it (`openQuarterlyEngine`, the same
 * schema), following the store — projections, process managers — while the API process
 * (bench-api-host.ts, `QUARTERLY_PROJECTIONS=worker`) does commands only. Forked by the API host.
 *
 * Environment (set by the API host): DATABASE_URL, BENCH_SCHEMA.
 * Protocol (IPC): sends `{ type: 'following' }` once started; answers `{ type: 'cpu' }` with
 * `{ type: 'cpu', userUs, systemUs }` and `{ type: 'stop' }` by closing and exiting.
 */
import 'reflect-metadata';
import { openQuarterlyEngine } from '@quarterly/application';
import { loadAppConfig } from '@quarterly/platform';

async function main(): Promise<void> {
  const config = loadAppConfig({ QUARTERLY_STORE: 'postgres', DATABASE_URL: process.env['DATABASE_URL'], LOG_LEVEL: 'silent', QUARTERLY_WORKER: 'off' });
  const engine = await openQuarterlyEngine(config, { schema: process.env['BENCH_SCHEMA']! });
  await engine.start();
  process.send!({ type: 'following' });
  process.on('message', (message: { type: 'cpu' | 'stop' }) => {
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      process.send!({ type: 'cpu', userUs: usage.user, systemUs: usage.system });
    } else {
      void engine.close().finally(() => process.disconnect());
    }
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench projection host failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
