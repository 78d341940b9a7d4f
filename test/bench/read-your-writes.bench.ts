/**
 * What read-your-writes costs where the projections run: one client submits a return, then
 * reads its KPI from the read models with `?after=` the submission's position (the query waits
 * until every projection has applied it), in turn, for the API with its projections
 * (`postgres`) and with `QUARTERLY_PROJECTIONS=worker` (`postgresWorker`, the projections in a
 * process of their own). Prints the read's latency (p50, p99) per set-up.
 *
 *   BENCH_RYW_PAIRS=300 node -r @swc-node/register test/bench/read-your-writes.bench.ts
 */
import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { BENCH_SUBMISSION } from './bench-protocol';
import { ApiHost, type HttpBenchStore } from './http-commands.bench';
import { percentile, send } from './http-load';

async function measure(store: HttpBenchStore, pairs: number) {
  const host = await ApiHost.start(store, pairs + 10, 'info');
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const base = new URL(`http://127.0.0.1:${host.ready.port}`);
  const reads: number[] = [];
  const load0 = loadavg()[0]!;
  try {
    for (let i = 0; i < pairs; i += 1) {
      const path = host.ready.returnPaths[i]!;
      const submitted = await send(agent, base, { method: 'POST', path, token: host.ready.tokens.lead, body: BENCH_SUBMISSION });
      if (submitted.status !== 200) throw new Error(`submission answered ${submitted.status}`);
      const position = submitted.headers['x-event-position'] as string;
      const started = performance.now();
      const read = await send(agent, base, { method: 'GET', path: `${path.replace(/\/submission$/, '/history')}?after=${position}`, token: host.ready.tokens.team });
      const ms = performance.now() - started;
      if (read.status !== 200 || read.headers['x-read-model-stale'] !== undefined) throw new Error(`read answered ${read.status} ${String(read.headers['x-read-model-stale'])}`);
      if (i >= 20) reads.push(ms); // the first ones warm up
    }
  } finally {
    agent.destroy();
    await host.stop();
  }
  reads.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return { store, reads: reads.length, p50: round(percentile(reads, 0.5)), p99: round(percentile(reads, 0.99)), load: `${load0.toFixed(2)}->${loadavg()[0]!.toFixed(2)}` };
}

async function main(): Promise<void> {
  const pairs = Number(process.env['BENCH_RYW_PAIRS'] ?? 300);
  for (const store of ['postgres', 'postgresWorker', 'postgres', 'postgresWorker'] as const) {
    console.log(JSON.stringify(await measure(store, pairs)));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
