import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { STORE_COMMAND_CALLERS, type PeerMessage, type PeerRequest, type StoreCommandKind } from './store-command-protocol';

export interface StoreCommandOptions {
  /** Alternating rounds per side. @defaultValue 4 */
  readonly rounds?: number;
  /** Length of one side's round. @defaultValue 2 */
  readonly roundSeconds?: number;
  /** Streams each side seeds with five events and then visits in turn. @defaultValue 4096 */
  readonly streams?: number;
  /** Which sides; the ratio needs `quarterly` and `emmett`. @defaultValue all four */
  readonly kinds?: readonly StoreCommandKind[];
}

export interface SideFigures {
  readonly setupSeconds: number;
  readonly operations: number;
  readonly seconds: number;
  /** Commands per second over all its rounds. */
  readonly perSecond: number;
  /** Commands per second of each round, in the order run. */
  readonly perSecondByRound: readonly number[];
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  /** CPU time (user + system) of the side's process per command. */
  readonly cpuMsPerOperation: number;
}

export interface StoreCommandFigures {
  readonly callers: number;
  readonly rounds: number;
  readonly roundSeconds: number;
  readonly sides: Partial<Record<StoreCommandKind, SideFigures>>;
  /** This store's commands per second over Emmett's, same run (the goal is ≥ 2). */
  readonly ratioToEmmett?: number;
  /** The same with the hash chain the engine runs with. */
  readonly chainedRatioToEmmett?: number;
  /** This store as before the evening of 30 November (statements unnamed, a NOTIFY per loop turn) over Emmett's: the A/B. */
  readonly previousRatioToEmmett?: number;
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
}

const PEER = join(__dirname, 'store-command-peer.ts');

/**
 * The store-level command, this store against Emmett 0.42's PostgreSQL event store on the same
 * PostgreSQL (`DATABASE_URL`), in the same run: read a stream, append one event with the
 * revision read, 32 callers at once. Each side runs in its own process (see
 * store-command-peer.ts); the sides take turns in short rounds, the order reversed every round,
 * so the machine's drift falls on all of them. Only one side runs at a time.
 */
export async function benchStoreCommand(options: StoreCommandOptions = {}): Promise<StoreCommandFigures> {
  const rounds = options.rounds ?? 4;
  const roundSeconds = options.roundSeconds ?? 2;
  const streams = options.streams ?? 4096;
  const kinds = options.kinds ?? (['quarterly', 'quarterlyChained', 'quarterlyPrevious', 'emmett'] as const);
  const start = loadAverage();
  const peers = new Map<StoreCommandKind, Peer>();
  try {
    // Set up one after the other: seeding is not measured, and must not overlap a round.
    for (const kind of kinds) peers.set(kind, await Peer.start(kind, streams));
    const results = new Map<StoreCommandKind, Array<Extract<PeerMessage, { type: 'round' }>>>(kinds.map((kind) => [kind, []]));
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? [...kinds] : [...kinds].reverse();
      for (const kind of order) {
        const result = await peers.get(kind)!.round(roundSeconds);
        results.get(kind)!.push(result);
        progress(`round ${round + 1}: ${kind} ${round1(result.operations / result.seconds)}/s`);
      }
    }
    const sides: Partial<Record<StoreCommandKind, SideFigures>> = {};
    for (const kind of kinds) sides[kind] = summarise(peers.get(kind)!.setupSeconds, results.get(kind)!);
    const ratio = (kind: StoreCommandKind) =>
      sides[kind] && sides.emmett ? Math.round((sides[kind].perSecond / sides.emmett.perSecond) * 100) / 100 : undefined;
    const ratioToEmmett = ratio('quarterly');
    const chainedRatioToEmmett = ratio('quarterlyChained');
    const previousRatioToEmmett = ratio('quarterlyPrevious');
    progress(
      `ratio to Emmett: ${ratioToEmmett ?? '-'} (with the hash chain ${chainedRatioToEmmett ?? '-'}, ` +
        `as before the evening of 30 November ${previousRatioToEmmett ?? '-'})`,
    );
    return {
      callers: STORE_COMMAND_CALLERS,
      rounds,
      roundSeconds,
      sides,
      ...(ratioToEmmett !== undefined ? { ratioToEmmett } : {}),
      ...(chainedRatioToEmmett !== undefined ? { chainedRatioToEmmett } : {}),
      ...(previousRatioToEmmett !== undefined ? { previousRatioToEmmett } : {}),
      loadAverage: { start, end: loadAverage() },
    };
  } finally {
    for (const peer of peers.values()) await peer.stop();
  }
}

function summarise(setupSeconds: number, rounds: ReadonlyArray<Extract<PeerMessage, { type: 'round' }>>): SideFigures {
  const operations = rounds.reduce((sum, round) => sum + round.operations, 0);
  const seconds = rounds.reduce((sum, round) => sum + round.seconds, 0);
  const cpuMs = rounds.reduce((sum, round) => sum + round.cpuMs, 0);
  const latencies = rounds.flatMap((round) => round.latencyMs).sort((a, b) => a - b);
  const percentile = (p: number) => round1(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0);
  return {
    setupSeconds: round1(setupSeconds),
    operations,
    seconds: round1(seconds),
    perSecond: round1(operations / seconds),
    perSecondByRound: rounds.map((round) => round1(round.operations / round.seconds)),
    latencyMs: { p50: percentile(50), p99: percentile(99) },
    cpuMsPerOperation: Math.round((cpuMs / Math.max(operations, 1)) * 1000) / 1000,
  };
}

/** One side's forked process. */
class Peer {
  private constructor(
    private readonly child: ChildProcess,
    readonly setupSeconds: number,
  ) {}

  static async start(kind: StoreCommandKind, streams: number): Promise<Peer> {
    progress(`${kind}: seeding ${streams} streams`);
    const child = fork(PEER, [], {
      execArgv: ['-r', '@swc-node/register'],
      env: { ...process.env, STORE_COMMAND_KIND: kind, STORE_COMMAND_STREAMS: String(streams) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const ready = await new Promise<Extract<PeerMessage, { type: 'ready' }>>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the ${kind} peer exited with ${code} before it was ready`)));
      child.once('message', (message: PeerMessage) => {
        if (message.type === 'ready') resolve(message);
      });
    });
    child.removeAllListeners('exit');
    return new Peer(child, ready.setupSeconds);
  }

  round(seconds: number): Promise<Extract<PeerMessage, { type: 'round' }>> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`a store-command peer exited with ${code} during a round`));
      this.child.once('exit', onExit);
      this.child.once('message', (message: PeerMessage) => {
        this.child.off('exit', onExit);
        if (message.type === 'round') resolve(message);
      });
      this.child.send({ type: 'round', seconds } satisfies PeerRequest);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies PeerRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

if (require.main === module) {
  benchStoreCommand({
    ...(process.env['BENCH_STORE_COMMAND_ROUNDS'] ? { rounds: Number(process.env['BENCH_STORE_COMMAND_ROUNDS']) } : {}),
    ...(process.env['BENCH_STORE_COMMAND_SECONDS'] ? { roundSeconds: Number(process.env['BENCH_STORE_COMMAND_SECONDS']) } : {}),
    ...(process.env['BENCH_STORE_COMMAND_STREAMS'] ? { streams: Number(process.env['BENCH_STORE_COMMAND_STREAMS']) } : {}),
    ...(process.env['BENCH_STORE_COMMAND_KINDS'] ? { kinds: process.env['BENCH_STORE_COMMAND_KINDS'].split(',') as StoreCommandKind[] } : {}),
  }).then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
