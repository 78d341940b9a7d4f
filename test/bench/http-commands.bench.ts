import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { API_NODE_FLAGS } from '../../apps/api/src/bootstrap/api-node-flags';
import { BENCH_KPI, BENCH_SUBMISSION, type HostMessage, type ParentMessage } from './bench-protocol';
import { runLoad, type LoadFigures, type LoadRequest } from './http-load';

/**
 * Where the API runs: `sqlite` and `postgres` with the projections in the API process, as by
 * default; `postgresWorker` with `QUARTERLY_PROJECTIONS=worker` and the projections and process
 * managers in a process of their own (bench-projection-host.ts), as apps/worker runs them.
 */
export type HttpBenchStore = 'sqlite' | 'postgres' | 'postgresWorker';

export interface HttpCommandOptions {
  /** Which stores to measure. @defaultValue all three */
  readonly stores?: readonly HttpBenchStore[];
  /** Concurrent clients per case. @defaultValue [1, 32] */
  readonly clients?: readonly number[];
  /** Unmeasured start of each case. @defaultValue 1 */
  readonly warmUpSeconds?: number;
  /** Measured window of each case. @defaultValue 8 */
  readonly seconds?: number;
  /**
   * Requested returns prepared per store; a submission case that uses them up ends early (and
   * says so by its shorter `seconds`). @defaultValue 20000
   */
  readonly returns?: number;
  /** The API's pino level; `info` (the production default) logs every request. @defaultValue 'info' */
  readonly logLevel?: string;
  /** Only these cases (by name: `submitReturn`, `defineKpi`). @defaultValue both */
  readonly commands?: ReadonlyArray<'submitReturn' | 'defineKpi'>;
  /**
   * Writes a V8 CPU profile of the API process during the 32-client (largest) case of each
   * command to `<dir>/<store>-<command>.cpuprofile`.
   */
  readonly profileDir?: string;
}

/** One case: the load figures and the API process's CPU time per answered command. */
export type CaseFigures = Omit<LoadFigures, 'completed'> & {
  /**
   * CPU time (user + system) of the API process per 2xx answer over the whole case, warm-up
   * included: the cost of a command, which contention on a shared machine hardly moves.
   */
  readonly apiCpuMsPerOperation: number;
  /** `postgresWorker` only: the projection process's CPU time per 2xx answer (the API's plus this is the total). */
  readonly workerCpuMsPerOperation?: number;
};

export interface StoreHttpFigures {
  /** Time to define the KPIs, open the cycles and request the returns (not measured). */
  readonly setupSeconds: number;
  readonly preparedReturns: number;
  /** POST /returns/:kpi/:period/submission: reads the KPI and return streams, rates, appends. */
  readonly submitReturn: Record<string, CaseFigures>;
  /** POST /kpis: reads one (new) stream, validates, appends. */
  readonly defineKpi: Record<string, CaseFigures>;
}

export type HttpCommandFigures = Partial<Record<HttpBenchStore, StoreHttpFigures>>;

const HOST = join(__dirname, 'bench-api-host.ts');

/**
 * Durable commands per second end to end over HTTP: a real API process (bench-api-host.ts) on
 * SQLite (a file, WAL, synchronous=FULL) and on PostgreSQL (DATABASE_URL, fsync on), loaded by
 * closed-loop keep-alive clients on loopback. Every counted answer is a 2xx sent after the
 * event store committed. Keys of the result are `clients1`, `clients32`, ...
 */
export async function benchHttpCommands(options: HttpCommandOptions = {}): Promise<HttpCommandFigures> {
  const figures: HttpCommandFigures = {};
  for (const store of options.stores ?? (['sqlite', 'postgres', 'postgresWorker'] as const)) {
    figures[store] = await benchStore(store, options);
  }
  return figures;
}

async function benchStore(store: HttpBenchStore, options: HttpCommandOptions): Promise<StoreHttpFigures> {
  const clients = options.clients ?? [1, 32];
  const commands = options.commands ?? ['submitReturn', 'defineKpi'];
  const host = await ApiHost.start(store, options.returns ?? 20_000, options.logLevel ?? 'info');
  try {
    const { ready } = host;
    const baseUrl = `http://127.0.0.1:${ready.port}`;
    const load = async (name: string, concurrency: number, next: () => LoadRequest | undefined) => {
      const profile = options.profileDir !== undefined && concurrency === Math.max(...clients);
      if (profile) await host.request({ type: 'profile', action: 'start' }, 'profiling');
      progress(`${store} ${name} with ${concurrency} client(s)`);
      const cpuBefore = await host.request({ type: 'cpu' }, 'cpu');
      const { completed, ...result } = await runLoad({ baseUrl, clients: concurrency, warmUpSeconds: options.warmUpSeconds ?? 1, seconds: options.seconds ?? 8, next });
      if (profile) {
        const file = join(options.profileDir!, `${store}-${name}.cpuprofile`);
        await host.request({ type: 'profile', action: 'stop', file }, 'profiled');
        progress(`profile written to ${file}`);
      }
      const cpuAfter = await host.request({ type: 'cpu' }, 'cpu');
      const cpuUs = cpuAfter.userUs + cpuAfter.systemUs - cpuBefore.userUs - cpuBefore.systemUs;
      const perOperation = (us: number) => Math.round(us / Math.max(completed, 1)) / 1000;
      const workerUs = cpuAfter.workerUs !== undefined && cpuBefore.workerUs !== undefined ? cpuAfter.workerUs - cpuBefore.workerUs : undefined;
      const figures: CaseFigures = {
        ...result,
        apiCpuMsPerOperation: perOperation(cpuUs),
        ...(workerUs !== undefined ? { workerCpuMsPerOperation: perOperation(workerUs) } : {}),
      };
      progress(
        `  ${figures.perSecond}/s, p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms, ` +
          `API CPU ${figures.apiCpuMsPerOperation} ms/op${workerUs !== undefined ? ` (+ ${figures.workerCpuMsPerOperation} ms/op in the projection process)` : ''}, errors ${figures.errors}`,
      );
      return figures;
    };

    const submitReturn: Record<string, CaseFigures> = {};
    const defineKpi: Record<string, CaseFigures> = {};
    let nextReturn = 0;
    let nextKpi = 0;
    for (const concurrency of clients) {
      if (commands.includes('submitReturn')) {
        submitReturn[`clients${concurrency}`] = await load('submitReturn', concurrency, () => {
          const path = ready.returnPaths[nextReturn++];
          return path === undefined ? undefined : { method: 'POST', path, token: ready.tokens.lead, body: BENCH_SUBMISSION };
        });
      }
      if (commands.includes('defineKpi')) {
        defineKpi[`clients${concurrency}`] = await load('defineKpi', concurrency, () => ({
          method: 'POST',
          path: '/kpis',
          token: ready.tokens.team,
          body: { ...BENCH_KPI, kpiId: `NEW-${String(nextKpi++).padStart(7, '0')}` },
        }));
      }
    }
    return { setupSeconds: Math.round(ready.setupSeconds * 10) / 10, preparedReturns: ready.returnPaths.length, submitReturn, defineKpi };
  } finally {
    await host.stop();
  }
}

/** The forked API process (bench-api-host.ts) and its IPC channel; the soak uses it too. */
export class ApiHost {
  private constructor(
    private readonly child: ChildProcess,
    readonly ready: Extract<HostMessage, { type: 'ready' }>,
  ) {}

  /** `hostEnv`: more of the host's settings (BENCH_KPIS, BENCH_CYCLES, BENCH_TARGET_YEARS). */
  static async start(store: HttpBenchStore, returns: number, logLevel: string, hostEnv: Record<string, string> = {}): Promise<ApiHost> {
    if (store !== 'sqlite' && !process.env['DATABASE_URL']) throw new Error('DATABASE_URL is not set');
    progress(`${store}: starting the API and preparing ${returns} returns`);
    const child = fork(HOST, [], {
      // Started as the API is deployed: its start commands' Node flags.
      execArgv: [...API_NODE_FLAGS, '-r', '@swc-node/register'],
      env: {
        ...process.env,
        ...hostEnv,
        BENCH_STORE: store === 'sqlite' ? 'sqlite' : 'postgres',
        // `stopped` (the command path alone) may come from the caller; `worker` only from the store's name.
        BENCH_PROJECTIONS: store === 'postgresWorker' ? 'worker' : process.env['BENCH_PROJECTIONS'] === 'stopped' ? 'stopped' : 'running',
        BENCH_RETURNS: String(returns),
        LOG_LEVEL: logLevel,
      },
      // The API's request log goes to its stdout: discarded, as a log shipper would take it away.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const ready = await new Promise<Extract<HostMessage, { type: 'ready' }>>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the API host exited with ${code} before it was ready`)));
      child.once('message', (message: HostMessage) => {
        if (message.type === 'ready') resolve(message);
      });
    });
    child.removeAllListeners('exit');
    progress(`${store}: ready in ${ready.setupSeconds.toFixed(1)} s`);
    return new ApiHost(child, ready);
  }

  request<T extends HostMessage['type']>(message: ParentMessage, answer: T): Promise<Extract<HostMessage, { type: T }>> {
    return new Promise((resolve) => {
      const listener = (reply: HostMessage) => {
        if (reply.type !== answer) return;
        this.child.off('message', listener);
        resolve(reply as Extract<HostMessage, { type: T }>);
      };
      this.child.on('message', listener);
      this.child.send(message);
    });
  }

  /** Asks the host to close and clean up, and kills it if it has not exited within 30 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ParentMessage);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

if (require.main === module) {
  benchHttpCommands({
    ...(process.env['BENCH_STORES'] ? { stores: process.env['BENCH_STORES'].split(',') as HttpBenchStore[] } : {}),
    ...(process.env['BENCH_SECONDS'] ? { seconds: Number(process.env['BENCH_SECONDS']) } : {}),
    ...(process.env['BENCH_RETURNS'] ? { returns: Number(process.env['BENCH_RETURNS']) } : {}),
    ...(process.env['BENCH_CLIENTS'] ? { clients: process.env['BENCH_CLIENTS'].split(',').map(Number) } : {}),
    ...(process.env['BENCH_COMMANDS'] ? { commands: process.env['BENCH_COMMANDS'].split(',') as Array<'submitReturn' | 'defineKpi'> } : {}),
    ...(process.env['BENCH_PROFILE_DIR'] ? { profileDir: process.env['BENCH_PROFILE_DIR'] } : {}),
    ...(process.env['LOG_LEVEL'] ? { logLevel: process.env['LOG_LEVEL'] } : {}),
  }).then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
