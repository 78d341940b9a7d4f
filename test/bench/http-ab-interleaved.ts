/**
 * A/B of the submission over HTTP between two checkouts of this repository, interleaved: both
 * API hosts (each checkout's own bench-api-host.ts, run from its own folder so each loads its
 * own code) are started and prepared, then 32 clients submit to one, then the other, in short
 * slices taking turns (ABBA...), so both meet the same machine. Each slice reports throughput,
 * p99 and the API host's CPU time per submission (its projections' included; with
 * `BENCH_STORE=postgresWorker` also the projection process's).
 *
 *   BENCH_AB_A=/tmp/old-checkout BENCH_AB_B=. BENCH_STORE=sqlite BENCH_AB_SLICES=8 BENCH_AB_SECONDS=2 \
 *     node -r @swc-node/register test/bench/http-ab-interleaved.ts
 *
 * `BENCH_STORE_A` / `BENCH_STORE_B` give the hosts different set-ups of one checkout instead
 * (`postgres` against `postgresWorker`), `BENCH_NODE_FLAGS_A` / `BENCH_NODE_FLAGS_B` Node
 * flags of their own (`--max-semi-space-size=32`), and `BENCH_ENV_A` / `BENCH_ENV_B` environment
 * settings of their own (`LOG_LEVEL=warn`, space-separated `NAME=value` pairs). Neither host gets
 * the API's start flags (apps/api/src/bootstrap/api-node-flags.ts) unless they are given here: to
 * compare code as deployed, give both sides `BENCH_NODE_FLAGS_A=--max-semi-space-size=64` and _B.
 *
 * The older checkout needs the same IPC protocol (bench-protocol.ts) and its own node_modules
 * (a symlink to this one's will do).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { BENCH_SUBMISSION, type HostMessage, type ParentMessage } from './bench-protocol';
import { runLoad } from './http-load';

interface Host {
  readonly label: string;
  readonly child: ChildProcess;
  readonly ready: Extract<HostMessage, { type: 'ready' }>;
  next: number;
}

async function startHost(label: string, checkout: string, store: string, returns: number): Promise<Host> {
  // BENCH_NODE_FLAGS_A / _B: Node flags of one host (a V8 setting against none).
  const flags = (process.env[`BENCH_NODE_FLAGS_${label}`] ?? '').split(' ').filter(Boolean);
  // BENCH_ENV_A / _B: settings of one host (`LOG_LEVEL=warn`), over the shared ones.
  const env = Object.fromEntries(
    (process.env[`BENCH_ENV_${label}`] ?? '')
      .split(' ')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  const child = fork(join(checkout, 'test/bench/bench-api-host.ts'), [], {
    cwd: checkout,
    execArgv: [...flags, '-r', '@swc-node/register'],
    env: {
      ...process.env,
      BENCH_STORE: store === 'sqlite' ? 'sqlite' : 'postgres',
      BENCH_PROJECTIONS: store === 'postgresWorker' ? 'worker' : 'running',
      BENCH_RETURNS: String(returns),
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Extract<HostMessage, { type: 'ready' }>>((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code}`)));
    child.once('message', (message: HostMessage) => {
      if (message.type === 'ready') resolveReady(message);
    });
  });
  child.removeAllListeners('exit');
  return { label, child, ready, next: 0 };
}

function ask<T extends HostMessage['type']>(host: Host, message: ParentMessage, answer: T): Promise<Extract<HostMessage, { type: T }>> {
  return new Promise((resolveAnswer) => {
    const listener = (reply: HostMessage) => {
      if (reply.type !== answer) return;
      host.child.off('message', listener);
      resolveAnswer(reply as Extract<HostMessage, { type: T }>);
    };
    host.child.on('message', listener);
    host.child.send(message);
  });
}

async function slice(host: Host, seconds: number, warmUpSeconds: number) {
  const before = await ask(host, { type: 'cpu' }, 'cpu');
  const load0 = loadavg()[0]!;
  const { completed, ...figures } = await runLoad({
    baseUrl: `http://127.0.0.1:${host.ready.port}`,
    clients: Number(process.env['BENCH_CLIENTS'] ?? 32),
    warmUpSeconds,
    seconds,
    next: () => {
      const path = host.ready.returnPaths[host.next++];
      return path === undefined ? undefined : { method: 'POST', path, token: host.ready.tokens.lead, body: BENCH_SUBMISSION };
    },
  });
  const after = await ask(host, { type: 'cpu' }, 'cpu');
  const apiUs = after.userUs + after.systemUs - before.userUs - before.systemUs;
  const workerUs = after.workerUs !== undefined && before.workerUs !== undefined ? after.workerUs - before.workerUs : undefined;
  return {
    host: host.label,
    perSecond: figures.perSecond,
    p99: figures.latencyMs.p99,
    errors: figures.errors,
    apiCpuMs: Math.round(apiUs / Math.max(completed, 1)) / 1000,
    /** Of it, the kernel's (system time: sockets, fsync). */
    apiSystemMs: Math.round((after.systemUs - before.systemUs) / Math.max(completed, 1)) / 1000,
    ...(workerUs !== undefined ? { workerCpuMs: Math.round(workerUs / Math.max(completed, 1)) / 1000 } : {}),
    load: `${load0.toFixed(2)}->${loadavg()[0]!.toFixed(2)}`,
  };
}

async function main(): Promise<void> {
  const store = process.env['BENCH_STORE'] ?? 'sqlite';
  const slices = Number(process.env['BENCH_AB_SLICES'] ?? 8);
  const seconds = Number(process.env['BENCH_AB_SECONDS'] ?? 2);
  const returns = Number(process.env['BENCH_RETURNS'] ?? Math.ceil((slices / 2 + 1) * seconds * 3_000));
  // BENCH_STORE_A / BENCH_STORE_B: one checkout in two set-ups (postgres against postgresWorker).
  const a = await startHost('A', resolve(process.env['BENCH_AB_A'] ?? '.'), process.env['BENCH_STORE_A'] ?? store, returns);
  const b = await startHost('B', resolve(process.env['BENCH_AB_B'] ?? '.'), process.env['BENCH_STORE_B'] ?? store, returns);
  try {
    // Warm both (JIT, connections) unmeasured.
    await slice(a, 0.5, 1);
    await slice(b, 0.5, 1);
    const rows: Array<Awaited<ReturnType<typeof slice>>> = [];
    for (let i = 0; i < slices; i += 1) {
      const host = [a, b, b, a][i % 4]!;
      const row = await slice(host, seconds, 0.25);
      rows.push(row);
      process.stderr.write(`${JSON.stringify(row)}\n`);
    }
    const summary = (label: string) => {
      const mine = rows.filter((row) => row.host === label);
      const mean = (values: number[]) => Math.round((values.reduce((s, v) => s + v, 0) / values.length) * 1000) / 1000;
      return {
        perSecond: mean(mine.map((row) => row.perSecond)),
        p99: mean(mine.map((row) => row.p99)),
        apiCpuMs: mean(mine.map((row) => row.apiCpuMs)),
        apiSystemMs: mean(mine.map((row) => row.apiSystemMs)),
        ...(mine[0]?.workerCpuMs !== undefined ? { workerCpuMs: mean(mine.map((row) => row.workerCpuMs!)) } : {}),
        errors: mine.reduce((s, row) => s + row.errors, 0),
      };
    };
    console.log(JSON.stringify({ store, A: summary('A'), B: summary('B'), slices: rows }));
  } finally {
    for (const host of [a, b]) {
      const exited = new Promise<void>((resolveExit) => host.child.once('exit', () => resolveExit()));
      host.child.send({ type: 'stop' } satisfies ParentMessage);
      // As ApiHost.stop: a host that has not exited within 30 s is killed (its schema then stays).
      const timer = setTimeout(() => host.child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
