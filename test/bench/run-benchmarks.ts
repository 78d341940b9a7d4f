/**
 * `npm run bench`: every benchmark, one JSON document on stdout (progress on stderr).
 *
 * Starts the local PostgreSQL and Redis (infra/local) when they are not running and stops them
 * again afterwards if it started them; DATABASE_URL and REDIS_URL, when set, are used as they
 * are. About five minutes on two cores. Environment:
 * - BENCH_SECONDS: measured seconds of each HTTP case (default 6, after a 1 s warm-up).
 * - BENCH_RETURNS: returns prepared per store for the submission cases (default 20000: a quiet machine submits ~1,400/s at 32 clients); a case
 *   that uses them up ends early and reports its shorter window.
 * - BENCH_ONLY: a comma-separated subset of httpCommands, storeCommand, longStreamCommand, eventStoreAppend, integrity,
 *   projectionRebuild, readQueries, reminderScheduling, registerImport, pastFiguresImport, pageRender,
 *   scorecardPage, scorecardExports, soak.
 * - BENCH_REBUILD_WORKER=typescript: the projection rebuild's worker thread from its TypeScript entry
 *   (compiled as it loads) instead of the built CLI's bundle (`nest build cli` first, about 20 s).
 * - BENCH_STORE_COMMAND_ROUNDS / BENCH_STORE_COMMAND_SECONDS: alternating rounds per side of the
 *   store-level command against Emmett's PostgreSQL store, and their length (default 4 of 2 s).
 * - BENCH_LONG_STREAM_PAIRS: restate + approve pairs on one return (default 500: about 1,000 events).
 * - BENCH_SCORECARD_KPIS: KPIs on the scorecard page case (default 500).
 * - BENCH_READ_REQUESTS: scorecards read per read-query case (default 200; histories 5 times as many).
 * - BENCH_VERIFY_EVENTS: events written, anchored and verified by the integrity case (default 1,000,000).
 * - BENCH_IMPORT_KPIS: KPIs in the imported register (default 1000).
 * - BENCH_HISTORY_YEARS: years of quarterly figures per KPI in the past-figures import (default 5).
 * - BENCH_INTEGRITY_ROUNDS: alternating one-second rounds per kind in the integrity append cases (default 8).
 * - BENCH_PROFILE_DIR: also write CPU profiles of the API during the 32-client HTTP cases and
 *   the soak's first and last minute (read them with test/bench/summarise-cpu-profile.ts).
 * - soak (opt-in: only with BENCH_ONLY=soak or BENCH_SOAK=1): the mixed soak of soak.bench.ts,
 *   BENCH_SOAK_MINUTES long (default 20) at BENCH_SOAK_RATE requests/s (default 120) over
 *   BENCH_SOAK_KPIS KPIs (default 200), on BENCH_SOAK_STORES (default sqlite; sqlite,postgres for both).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchEventStoreAppend } from './event-store-append.bench';
import { benchHttpCommands } from './http-commands.bench';
import { benchIntegrity } from './integrity.bench';
import { benchLongStreamCommand } from './long-stream-command.bench';
import { benchPageRender, benchScorecardPage } from './page-render.bench';
import { benchProjectionRebuild } from './projection-rebuild.bench';
import { benchReadQueries } from './read-queries.bench';
import { benchPastFiguresImport } from './past-figures-import.bench';
import { benchRegisterImport } from './register-import.bench';
import { benchScorecardExports } from './scorecard-exports.bench';
import { benchSoak } from './soak.bench';
import { benchStoreCommand } from './store-command.bench';

const REPO = join(__dirname, '..', '..');
const SECTIONS = ['httpCommands', 'storeCommand', 'longStreamCommand', 'eventStoreAppend', 'integrity', 'projectionRebuild', 'readQueries', 'reminderScheduling', 'registerImport', 'pastFiguresImport', 'pageRender', 'scorecardPage', 'scorecardExports', 'soak'] as const;
type Section = (typeof SECTIONS)[number];

async function main(): Promise<void> {
  // The soak takes 20 minutes: it runs only when asked for.
  const only = process.env['BENCH_ONLY']
    ? (process.env['BENCH_ONLY'].split(',') as Section[])
    : SECTIONS.filter((section) => section !== 'soak' || process.env['BENCH_SOAK'] === '1');
  const services = new LocalServices();
  const started = performance.now();
  const report: Record<string, unknown> = { machine: machine(), startedAt: new Date().toISOString() };
  try {
    process.env['DATABASE_URL'] ??= services.ensure('postgres');
    if (only.includes('reminderScheduling') || only.includes('pageRender') || only.includes('scorecardPage')) process.env['REDIS_URL'] ??= services.ensure('redis');

    const run = async (section: Section, work: () => Promise<unknown>) => {
      if (!only.includes(section)) return;
      progress(`== ${section}`);
      const sectionStarted = performance.now();
      // The machine is shared: each section says how busy it was while it ran.
      const loadAverageAtStart = loadAverage();
      const figures = await work();
      report[section] = { loadAverageAtStart, ...(figures as object), loadAverageAtEnd: loadAverage() };
      progress(`== ${section} done in ${((performance.now() - sectionStarted) / 1000).toFixed(0)} s`);
    };
    await run('httpCommands', () =>
      benchHttpCommands({
        seconds: Number(process.env['BENCH_SECONDS'] ?? 6),
        returns: Number(process.env['BENCH_RETURNS'] ?? 20000),
        ...(process.env['BENCH_PROFILE_DIR'] ? { profileDir: process.env['BENCH_PROFILE_DIR'] } : {}),
      }),
    );
    await run('storeCommand', () =>
      benchStoreCommand({
        ...(process.env['BENCH_STORE_COMMAND_ROUNDS'] ? { rounds: Number(process.env['BENCH_STORE_COMMAND_ROUNDS']) } : {}),
        ...(process.env['BENCH_STORE_COMMAND_SECONDS'] ? { roundSeconds: Number(process.env['BENCH_STORE_COMMAND_SECONDS']) } : {}),
      }),
    );
    await run('longStreamCommand', () =>
      benchLongStreamCommand(process.env['BENCH_LONG_STREAM_PAIRS'] ? { pairs: Number(process.env['BENCH_LONG_STREAM_PAIRS']) } : {}),
    );
    await run('eventStoreAppend', () => benchEventStoreAppend());
    await run('integrity', () => benchIntegrity());
    await run('projectionRebuild', () => benchProjectionRebuild());
    await run('readQueries', () =>
      benchReadQueries(process.env['BENCH_READ_REQUESTS'] ? { requests: Number(process.env['BENCH_READ_REQUESTS']) } : {}),
    );
    await run('reminderScheduling', () => reminderScheduling());
    await run('registerImport', () => benchRegisterImport({ kpis: Number(process.env['BENCH_IMPORT_KPIS'] ?? 1000) }));
    await run('pastFiguresImport', () =>
      benchPastFiguresImport({ kpis: Number(process.env['BENCH_IMPORT_KPIS'] ?? 1000), years: Number(process.env['BENCH_HISTORY_YEARS'] ?? 5) }),
    );
    await run('pageRender', () => benchPageRender());
    await run('scorecardPage', () => benchScorecardPage(process.env['BENCH_SCORECARD_KPIS'] ? { kpis: Number(process.env['BENCH_SCORECARD_KPIS']) } : {}));
    await run('scorecardExports', () => benchScorecardExports());
    await run('soak', async () => {
      const stores = (process.env['BENCH_SOAK_STORES'] ?? 'sqlite').split(',') as Array<'sqlite' | 'postgres'>;
      const figures: Record<string, unknown> = {};
      for (const store of stores) {
        figures[store] = await benchSoak({
          store,
          minutes: Number(process.env['BENCH_SOAK_MINUTES'] ?? 20),
          ...(process.env['BENCH_SOAK_RATE'] ? { ratePerSecond: Number(process.env['BENCH_SOAK_RATE']) } : {}),
          ...(process.env['BENCH_SOAK_KPIS'] ? { kpis: Number(process.env['BENCH_SOAK_KPIS']) } : {}),
          ...(process.env['BENCH_PROFILE_DIR'] ? { profileDir: process.env['BENCH_PROFILE_DIR'] } : {}),
        });
      }
      return figures;
    });
  } finally {
    services.stopStarted();
  }
  report['totalSeconds'] = Math.round((performance.now() - started) / 1000);
  report['loadAverageAtEnd'] = loadAverage();
  process.stdout.write(`${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`);
}

/** The reminder benchmark is another helper's; it is run when its file is there. */
async function reminderScheduling(): Promise<unknown> {
  const file = join(__dirname, 'reminder-scheduling.bench.ts');
  if (!existsSync(file)) return { skipped: 'not available' };
  const module = require(file) as { benchReminderScheduling?: () => Promise<unknown> };
  if (typeof module.benchReminderScheduling !== 'function') return { skipped: 'not available' };
  return module.benchReminderScheduling();
}

function machine() {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    // The machine is shared: a load average above the core count means the figures are low.
    loadAverageAtStart: loadAverage(),
  };
}

/** The 1, 5 and 15 minute load averages, to two decimals. */
function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

/** PostgreSQL and Redis from infra/local, started here only when they were not running. */
class LocalServices {
  private readonly started: string[] = [];

  constructor() {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        this.stopStarted();
        process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
      });
    }
  }

  /** Starts the service if its status says it is not running, and returns its URL. */
  ensure(service: 'postgres' | 'redis'): string {
    if (!this.isRunning(service)) {
      progress(`starting ${service} (infra/local/${service}.sh)`);
      execFileSync('bash', [this.script(service), 'start'], { stdio: ['ignore', 'ignore', 'inherit'] });
      this.started.push(service);
    }
    return execFileSync('bash', [this.script(service), 'url'], { encoding: 'utf8' }).trim();
  }

  /** Stops what `ensure` started, and nothing else. */
  stopStarted(): void {
    for (const service of this.started.splice(0).reverse()) {
      progress(`stopping ${service}`);
      try {
        execFileSync('bash', [this.script(service), 'stop'], { stdio: ['ignore', 'ignore', 'inherit'] });
      } catch (error) {
        progress(`could not stop ${service}: ${String(error)}`);
      }
    }
  }

  private isRunning(service: string): boolean {
    try {
      execFileSync('bash', [this.script(service), 'status'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  private script(service: string): string {
    return join(REPO, 'infra', 'local', `${service}.sh`);
  }
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
