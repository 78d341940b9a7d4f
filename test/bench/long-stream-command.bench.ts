/**
 * A command's cost as its stream grows: one return restated and approved again and again (the
 * issue's case, a return reaching 1,000 events), through the application's use cases on the
 * embedded store (SQLite file), with the projections and the cycle process manager running as in
 * the API. Two engines side by side in one process, taking turns pair by pair: the executor as
 * configured (its folded-stream cache) and the executor reading and folding every stream whole
 * (`cachedEvents: 0`, the behaviour before). Each pair's time is its own, one caller.
 *
 * Reported per engine: the mean and p50 of a restate + approve pair while the stream is fresh
 * (`window` pairs after ten of warm-up) and while it is long (its last `window` pairs), and the ratio.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { returnStreamId, type PeriodId, type Role } from '@quarterly/domain';
import {
  ApproveReturnCommand,
  DefineKpiCommand,
  OpenCycleCommand,
  openQuarterlyEngine,
  RestateFigureCommand,
  SetKpiTargetPolicyCommand,
  SubmitFigureCommand,
  useCaseBusFor,
  type Caller,
  type UseCaseBus,
} from '@quarterly/application';
import { loadAppConfig, type QuarterlyEngine } from '@quarterly/platform';
import { ensureInDirectory } from '../support/directory-fixtures';
import { BENCH_KPI, BENCH_SECRET, BENCH_SUBMISSION } from './bench-protocol';

export interface LongStreamOptions {
  /** Restate + approve pairs (two events each). @defaultValue 500 (a stream of about 1,000 events) */
  readonly pairs?: number;
  /** Pairs averaged at each end. @defaultValue 50 */
  readonly window?: number;
}

interface EndFigures {
  readonly streamEvents: string;
  readonly meanMs: number;
  readonly p50Ms: number;
}

export interface EngineFigures {
  readonly fresh: EndFigures;
  readonly long: EndFigures;
  /** Mean pair time on the long stream over the fresh one (the goal: ≤ 1.2). */
  readonly longOverFresh: number;
}

export interface LongStreamFigures {
  readonly pairs: number;
  readonly finalStreamEvents: number;
  /** The executor as the engine runs it: reads and folds only what a stream gained. */
  readonly foldedStreamCache: EngineFigures;
  /** Every stream read and folded whole (`cachedEvents: 0`), as before. */
  readonly wholeStreamReads: EngineFigures;
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
}

const KPI_ID = 'LONG-00001';
const WARM_UP_PAIRS = 10;
const CYCLE: PeriodId = '2025/26-Q1' as PeriodId;
const LEAD = { id: 's.lead', roles: ['service-lead'] as Role[], directorate: 'Place' };
const REVIEWER = { id: 'd.place', roles: ['dmt'] as Role[], directorate: 'Place' };
const TEAM = { id: 'p.team', roles: ['performance-team'] as Role[] };

export async function benchLongStreamCommand(options: LongStreamOptions = {}): Promise<LongStreamFigures> {
  const pairs = options.pairs ?? 500;
  const window = Math.min(options.window ?? 50, Math.floor(pairs / 2));
  const start = loadAverage();
  const cached = await LongReturn.open({});
  const whole = await LongReturn.open({ cachedEvents: 0 });
  try {
    const times = { cached: [] as number[], whole: [] as number[] };
    for (let pair = 0; pair < pairs; pair += 1) {
      // Alternate which engine goes first, so neither always follows the other's work.
      const order: Array<['cached' | 'whole', LongReturn]> = pair % 2 === 0 ? [['cached', cached], ['whole', whole]] : [['whole', whole], ['cached', cached]];
      for (const [name, subject] of order) times[name].push(await subject.restateAndApprove(pair));
      if ((pair + 1) % 100 === 0) progress(`${pair + 1} pairs`);
    }
    const finalStreamEvents = await cached.streamLength();
    return {
      pairs,
      finalStreamEvents,
      foldedStreamCache: summarise(times.cached, window),
      wholeStreamReads: summarise(times.whole, window),
      loadAverage: { start, end: loadAverage() },
    };
  } finally {
    await cached.close();
    await whole.close();
  }
}

/** One engine with one KPI and one approved return, ready to be restated. */
class LongReturn {
  private constructor(
    private readonly engine: QuarterlyEngine,
    private readonly bus: UseCaseBus,
    private readonly dataDir: string,
  ) {}

  static async open(executor: { cachedEvents?: number }): Promise<LongReturn> {
    const dataDir = mkdtempSync(join(tmpdir(), 'quarterly-bench-long-'));
    const config = loadAppConfig({ QUARTERLY_STORE: 'sqlite', QUARTERLY_DATA_DIR: dataDir, JWT_SECRET: BENCH_SECRET, QUARTERLY_WORKER: 'off' });
    const engine = await openQuarterlyEngine(config, { executor });
    await engine.start();
    const subject = new LongReturn(engine, useCaseBusFor(engine), dataDir);
    await subject.prepare();
    return subject;
  }

  private async prepare(): Promise<void> {
    const now = new Date().toISOString();
    for (const person of [LEAD, REVIEWER, TEAM]) await ensureInDirectory(this.engine.executor, person, now);
    const description = { ...BENCH_KPI };
    await this.bus.execute(new DefineKpiCommand({ kpiId: KPI_ID }, description, this.caller(TEAM)));
    await this.bus.execute(
      new SetKpiTargetPolicyCommand({ kpiId: KPI_ID }, { financialYear: '2025/26', policy: { kind: 'thresholds', green: '45.0', amber: '40.0' } }, this.caller(TEAM)),
    );
    await this.caughtUp();
    await this.bus.execute(new OpenCycleCommand({ cycleId: CYCLE }, this.caller(TEAM)));
    await this.caughtUp(); // the cycle process manager requests the return
    await this.bus.execute(new SubmitFigureCommand(this.ref(), BENCH_SUBMISSION, this.caller(LEAD)));
    await this.bus.execute(new ApproveReturnCommand(this.ref(), this.caller(REVIEWER)));
  }

  /** One restatement (a new green figure each time) and its approval; the time of both. */
  async restateAndApprove(pair: number): Promise<number> {
    const started = performance.now();
    // Green either way, and always a change from the figure approved before.
    const value = pair % 2 === 0 ? '46.0' : '48.0';
    await this.bus.execute(new RestateFigureCommand(this.ref(), { value, reason: 'Late records from the contractor' }, this.caller(LEAD)));
    await this.bus.execute(new ApproveReturnCommand(this.ref(), this.caller(REVIEWER)));
    return performance.now() - started;
  }

  async streamLength(): Promise<number> {
    return (await this.engine.store.readStream(returnStreamId(KPI_ID, CYCLE))).length;
  }

  async close(): Promise<void> {
    await this.engine.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async caughtUp(): Promise<void> {
    const last = this.engine.executor.lastAppendedPosition!;
    await this.engine.waitForProcessManagers(last);
    await this.engine.waitForProjections(last, 60_000);
  }

  private ref() {
    return { kpiId: KPI_ID, periodId: CYCLE };
  }

  private caller(person: { id: string; roles: Role[]; directorate?: string }): Caller {
    const id = randomUUID();
    return {
      principal: { id: person.id, roles: person.roles, ...(person.directorate ? { directorate: person.directorate } : {}) },
      envelope: { actor: person.id, now: new Date().toISOString(), correlationId: id, causationId: id },
    };
  }
}

function summarise(times: readonly number[], window: number): EngineFigures {
  const end = (from: number): EndFigures => {
    const slice = times.slice(from, from + window);
    const sorted = [...slice].sort((a, b) => a - b);
    return {
      // Each pair adds two events to the return's stream (which starts at 3: requested, submitted, approved).
      streamEvents: `${3 + 2 * from}–${3 + 2 * (from + window)}`,
      meanMs: round2(slice.reduce((sum, time) => sum + time, 0) / slice.length),
      p50Ms: round2(sorted[Math.floor(sorted.length / 2)]!),
    };
  };
  // The first pairs also warm the code up (JIT, statement caches): the fresh end starts after them.
  const fresh = end(Math.min(WARM_UP_PAIRS, times.length - 2 * window));
  const long = end(times.length - window);
  return { fresh, long, longOverFresh: round2(long.meanMs / fresh.meanMs) };
}

function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function progress(message: string): void {
  process.stderr.write(`[bench] long stream: ${message}\n`);
}

if (require.main === module) {
  benchLongStreamCommand({
    ...(process.env['BENCH_LONG_STREAM_PAIRS'] ? { pairs: Number(process.env['BENCH_LONG_STREAM_PAIRS']) } : {}),
  }).then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
