import { Agent, type IncomingHttpHeaders, request } from 'node:http';

/** One HTTP request of a load run; the body, if any, is sent as JSON. */
export interface LoadRequest {
  readonly method: string;
  readonly path: string;
  readonly token: string;
  readonly body?: unknown;
  /** Sent as `If-Match` (an approval carries the submission's ETag). */
  readonly ifMatch?: string;
}

/** An answer as read back: status, body text and headers. */
export interface LoadAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

export interface LoadOptions {
  /** Base URL of the API, e.g. `http://127.0.0.1:41234` (loopback only). */
  readonly baseUrl: string;
  /** Concurrent clients, each sending its next request when the previous one is answered. */
  readonly clients: number;
  /** Requests before this are sent but not counted (connections, JIT, caches). */
  readonly warmUpSeconds: number;
  /** Length of the measured window after the warm-up. */
  readonly seconds: number;
  /** The next request to send; `undefined` when there is no more work (the run then ends early). */
  readonly next: () => LoadRequest | undefined;
}

export interface LoadFigures {
  readonly clients: number;
  /** 2xx answers completed inside the measured window. */
  readonly operations: number;
  /** Length of the measured window (shorter than asked if the work ran out). */
  readonly seconds: number;
  readonly perSecond: number;
  /** Latency of the counted requests, in milliseconds. */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Non-2xx answers and transport errors in the window (a correct run has none). */
  readonly errors: number;
  readonly firstError?: string;
  /** 2xx answers over the whole run, warm-up included. */
  readonly completed: number;
}

/**
 * A closed-loop load: `clients` loops over keep-alive connections, each waiting for its answer
 * before sending again, so the figure is the throughput at that concurrency, not an offered rate.
 */
export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const base = new URL(options.baseUrl);
  const start = process.hrtime.bigint();
  const measureFrom = start + BigInt(Math.round(options.warmUpSeconds * 1e9));
  const measureUntil = measureFrom + BigInt(Math.round(options.seconds * 1e9));
  const latencies: number[] = [];
  let errors = 0;
  let completed = 0;
  let firstError: string | undefined;
  let ranOutAt: bigint | undefined;

  const client = async () => {
    for (;;) {
      if (process.hrtime.bigint() >= measureUntil) return;
      const next = options.next();
      if (!next) {
        ranOutAt ??= process.hrtime.bigint();
        return;
      }
      const sent = process.hrtime.bigint();
      let outcome: { status: number; body: string } | Error;
      try {
        outcome = await send(agent, base, next);
      } catch (error) {
        outcome = error instanceof Error ? error : new Error(String(error));
      }
      const answered = process.hrtime.bigint();
      if (!(outcome instanceof Error) && outcome.status >= 200 && outcome.status < 300) completed += 1;
      if (sent < measureFrom || answered > measureUntil) continue;
      if (outcome instanceof Error || outcome.status < 200 || outcome.status >= 300) {
        errors += 1;
        firstError ??= outcome instanceof Error ? outcome.message : `${outcome.status} ${outcome.body.slice(0, 300)}`;
        continue;
      }
      latencies.push(Number(answered - sent) / 1e6);
    }
  };

  try {
    await Promise.all(Array.from({ length: options.clients }, client));
  } finally {
    agent.destroy();
  }
  const end = ranOutAt !== undefined && ranOutAt < measureUntil ? ranOutAt : measureUntil;
  const seconds = Math.max(Number(end - measureFrom) / 1e9, 1e-9);
  latencies.sort((a, b) => a - b);
  return {
    clients: options.clients,
    operations: latencies.length,
    seconds: round(seconds, 2),
    perSecond: round(latencies.length / seconds, 1),
    latencyMs: {
      p50: round(percentile(latencies, 0.5), 2),
      p99: round(percentile(latencies, 0.99), 2),
      max: round(latencies[latencies.length - 1] ?? 0, 2),
    },
    errors,
    completed,
    ...(firstError !== undefined ? { firstError } : {}),
  };
}

/** One request over `agent`; rejects on a transport error. */
export function send(agent: Agent, base: URL, load: LoadRequest): Promise<LoadAnswer> {
  const payload = load.body === undefined ? undefined : Buffer.from(JSON.stringify(load.body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: load.method,
        path: load.path,
        headers: {
          authorization: `Bearer ${load.token}`,
          ...(load.ifMatch !== undefined ? { 'if-match': load.ifMatch } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: response.headers }));
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
