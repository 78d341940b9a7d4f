import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { formatPeriodId, nextQuarter } from '@quarterly/domain';
import { BENCH_SUBMISSION, type HostMessage } from './bench-protocol';
import { ApiHost } from './http-commands.bench';
import { type LoadRequest, percentile, send } from './http-load';
import { summariseCpuProfile } from './summarise-cpu-profile';

export interface SoakOptions {
  /** Length of the soak. @defaultValue 20 */
  readonly minutes?: number;
  /** Requests per second offered, whatever the answers (open loop). @defaultValue 120 */
  readonly ratePerSecond?: number;
  /** KPIs in the register: each cycle requests one return per KPI. @defaultValue 200 */
  readonly kpis?: number;
  /** @defaultValue 'sqlite' */
  readonly store?: 'sqlite' | 'postgres';
  /** The API's pino level; `info` (the production default) logs every request. @defaultValue 'info' */
  readonly logLevel?: string;
  /** Writes CPU profiles of the API's first and last minute to `<dir>/soak-<store>-minute-<n>.cpuprofile`. */
  readonly profileDir?: string;
}

/** What the offered mix sends; cycles are opened and closed besides it, counted as `cycleCommand`. */
type MixKind = 'submission' | 'approval' | 'statusBoard' | 'scorecard' | 'kpiHistory';
type Kind = MixKind | 'cycleCommand';
const KINDS: readonly Kind[] = ['submission', 'approval', 'statusBoard', 'scorecard', 'kpiHistory', 'cycleCommand'];

/**
 * The offered mix, per 20 requests: 2 submissions, 2 approvals, 5 status boards, 3 scorecards,
 * 8 KPI histories. A submission or approval slot with nothing to submit or approve (the new
 * cycle's returns not yet listed) takes the next read of the reads' own rotation instead.
 */
const MIX: readonly MixKind[] = interleave({ submission: 2, approval: 2, statusBoard: 5, scorecard: 3, kpiHistory: 8 });
const READS: readonly MixKind[] = interleave({ statusBoard: 5, scorecard: 3, kpiHistory: 8 });

export interface KindFigures {
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly errors: number;
  /** Mean size of the answers' bodies. */
  readonly meanKiB: number;
}

export interface SoakMinute {
  readonly minute: number;
  /** Answers (any status) received during the minute. */
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly errors: number;
  /** Reads answered before the read models reached the API's last write (waited 3 s in vain). */
  readonly staleReads: number;
  readonly byKind: Partial<Record<Kind, KindFigures>>;
  /** Requests sent and not yet answered at the end of the minute. */
  readonly outstanding: number;
  /** The API process: CPU used in the minute (100 = one core) and memory at its end. */
  readonly apiCpuPercent: number;
  /** The API's CPU time in the minute divided by the answers of the minute. */
  readonly apiCpuMsPerRequest: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  /** Memory outside the JavaScript heap held by JavaScript objects (buffers). */
  readonly externalMiB: number;
  readonly closedCycles: number;
  /** Cycles whose returns were all listed on the status board during the minute, with the seconds it took. */
  readonly listed: ReadonlyArray<{ readonly cycleId: string; readonly seconds: number }>;
  readonly profiled: boolean;
  readonly loadAverage: number;
}

export interface SoakFigures {
  readonly store: 'sqlite' | 'postgres';
  readonly kpis: number;
  readonly ratePerSecond: number;
  readonly setupSeconds: number;
  readonly minutes: readonly SoakMinute[];
  /** Per cycle opened: seconds from the open command being sent to a status board listing all its returns. */
  readonly cycles: ReadonlyArray<{ readonly cycleId: string; readonly listedSeconds: number | null }>;
  readonly summary: {
    readonly requests: number;
    /** Requests sent and still unanswered 30 s after the last minute (a backlog the API never served). */
    readonly unansweredAtEnd: number;
    readonly errors: number;
    readonly firstErrors: Partial<Record<Kind, string>>;
    readonly worstMinuteP99Ms: number;
    readonly minutesOverP99Goal: number;
    readonly worstListedSeconds: number | null;
    readonly cyclesNotListed: number;
    readonly closedCycles: number;
    /** RSS and heap of the last minute against the second (after warm-up), in percent. */
    readonly rssChangePercent: number;
    readonly heapChangePercent: number;
    /** p99 ≤ 100 ms every minute, every new cycle's returns listed ≤ 5 s, no errors. */
    readonly goalMet: boolean;
  };
}

const P99_GOAL_MS = 100;
const LISTED_GOAL_SECONDS = 5;

/**
 * The 20-minute mixed soak: the real API in its own process (bench-api-host.ts) with a register
 * of `kpis` KPIs, loaded open-loop at a fixed rate (requests are sent on schedule whether or not
 * earlier ones were answered, and each latency runs from its scheduled instant, so a stalled API
 * shows as latency, not as a lower rate). The soak opens a cycle over HTTP, learns its returns
 * from the status board, submits each once (as the KPIs' service lead) and approves each with
 * the submission's ETag (as the performance team); when every return is approved it closes the
 * cycle and opens the next quarter's, so closed cycles accumulate. Reads: the newest cycle's
 * status board, the scorecard of the newest cycle or of a random closed one (alternately), and
 * the value history of a random KPI. Prints a row per minute; a minute's figures are those of
 * the answers received in it.
 */
export async function benchSoak(options: SoakOptions = {}): Promise<SoakFigures> {
  const minutes = options.minutes ?? 20;
  const rate = options.ratePerSecond ?? 120;
  const kpis = options.kpis ?? 200;
  const store = options.store ?? 'sqlite';
  // Targets for 25 financial years: more quarters than a 20-minute soak opens, so every return
  // is rated against a target.
  const host = await ApiHost.start(store, 0, options.logLevel ?? 'info', { BENCH_KPIS: String(kpis), BENCH_CYCLES: '0', BENCH_TARGET_YEARS: '25' });
  const soak = new Soak(host, { minutes, rate, kpis, store, ...(options.profileDir !== undefined ? { profileDir: options.profileDir } : {}) });
  try {
    return await soak.run();
  } finally {
    await host.stop();
  }
}

interface CycleRun {
  readonly cycleId: string;
  readonly path: string;
  readonly openSentAt: number;
  listedAt?: number;
  readonly seen: Set<string>;
  approved: number;
  failed: number;
  closing: boolean;
}

class Soak {
  // FIFO: every socket of the pool stays in use, so none idles past the server's keep-alive
  // timeout (5 s) and is closed under a request being sent on it.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64, scheduling: 'fifo' });
  private readonly baseUrl: URL;
  private readonly cycles: CycleRun[] = [];
  private readonly toSubmit: string[] = [];
  private readonly toApprove: Array<{ path: string; etag: string }> = [];
  private closedCycles = 0;
  private nextCycleId = formatPeriodId('2023/24', 1);
  private slot = 0;
  private readSlot = 0;
  private outstanding = 0;
  private window: Array<{ kind: Kind; ms: number; ok: boolean; stale: boolean; bytes: number }> = [];
  private listedInWindow: Array<{ cycleId: string; seconds: number }> = [];
  private readonly firstErrors: Partial<Record<Kind, string>> = {};
  private totalRequests = 0;
  private totalErrors = 0;
  /** Set when the soak's time is up: answers after it (or failures as the pool is closed) are not counted. */
  private finished = false;

  constructor(
    private readonly host: ApiHost,
    private readonly options: { minutes: number; rate: number; kpis: number; store: 'sqlite' | 'postgres'; profileDir?: string },
  ) {
    this.baseUrl = new URL(`http://127.0.0.1:${host.ready.port}`);
  }

  async run(): Promise<SoakFigures> {
    const { minutes, rate, kpis, store, profileDir } = this.options;
    progress(`soak ${store}: ${minutes} min at ${rate} requests/s, ${kpis} KPIs`);
    await this.openNextCycle();
    const rows: SoakMinute[] = [];
    const started = performance.now();
    let sent = 0;
    const ticker = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      while (sent < due) {
        // Each request's latency runs from its scheduled instant.
        this.sendNext(started + (sent * 1000) / rate);
        sent += 1;
      }
    }, 5);
    let cpuBefore = await this.host.request({ type: 'cpu' }, 'cpu');
    try {
      for (let minute = 1; minute <= minutes; minute += 1) {
        const profiled = profileDir !== undefined && (minute === 1 || minute === minutes);
        if (profiled) await this.host.request({ type: 'profile', action: 'start' }, 'profiling');
        await sleepUntil(started + minute * 60_000);
        if (profiled) {
          const file = join(profileDir!, `soak-${store}-minute-${minute}.cpuprofile`);
          await this.host.request({ type: 'profile', action: 'stop', file }, 'profiled');
          printProfile(file);
        }
        const cpuAfter = await this.host.request({ type: 'cpu' }, 'cpu');
        const row = this.minuteRow(minute, cpuBefore, cpuAfter, profiled);
        cpuBefore = cpuAfter;
        rows.push(row);
        progress(formatRow(row));
      }
    } finally {
      clearInterval(ticker);
    }
    await this.drain(30_000);
    this.finished = true;
    const figures = this.figures(rows);
    this.agent.destroy();
    return figures;
  }

  private minuteRow(minute: number, before: CpuAnswer, after: CpuAnswer, profiled: boolean): SoakMinute {
    const answers = this.window;
    this.window = [];
    const listed = this.listedInWindow;
    this.listedInWindow = [];
    const byKind: Partial<Record<Kind, KindFigures>> = {};
    for (const kind of KINDS) {
      const ofKind = answers.filter((answer) => answer.kind === kind);
      if (ofKind.length > 0) byKind[kind] = figuresOf(ofKind);
    }
    const all = figuresOf(answers);
    const cpuUs = after.userUs + after.systemUs - before.userUs - before.systemUs;
    return {
      minute,
      requests: all.requests,
      p50Ms: all.p50Ms,
      p99Ms: all.p99Ms,
      maxMs: all.maxMs,
      errors: all.errors,
      staleReads: answers.filter((answer) => answer.stale).length,
      byKind,
      outstanding: this.outstanding,
      apiCpuPercent: Math.round(cpuUs / 600_000),
      apiCpuMsPerRequest: round(cpuUs / 1000 / Math.max(all.requests, 1), 2),
      rssMiB: Math.round(after.rssBytes / 2 ** 20),
      heapUsedMiB: Math.round(after.heapUsedBytes / 2 ** 20),
      externalMiB: Math.round(after.externalBytes / 2 ** 20),
      closedCycles: this.closedCycles,
      listed,
      profiled,
      loadAverage: Math.round(loadavg()[0]! * 100) / 100,
    };
  }

  private figures(rows: readonly SoakMinute[]): SoakFigures {
    const listedSeconds = this.cycles.map((cycle) => ({
      cycleId: cycle.cycleId,
      listedSeconds: cycle.listedAt === undefined ? null : round((cycle.listedAt - cycle.openSentAt) / 1000, 2),
    }));
    const listed = listedSeconds.flatMap((cycle) => (cycle.listedSeconds === null ? [] : [cycle.listedSeconds]));
    // A cycle opened in the last seconds may not be listed yet: only earlier ones count as missing.
    const end = performance.now();
    const cyclesNotListed = this.cycles.filter((cycle) => cycle.listedAt === undefined && end - cycle.openSentAt > LISTED_GOAL_SECONDS * 1000).length;
    const worstP99 = Math.max(...rows.map((row) => row.p99Ms));
    const worstListed = listed.length > 0 ? Math.max(...listed) : null;
    const warm = rows[Math.min(1, rows.length - 1)]!;
    const last = rows[rows.length - 1]!;
    return {
      store: this.options.store,
      kpis: this.options.kpis,
      ratePerSecond: this.options.rate,
      setupSeconds: round(this.host.ready.setupSeconds, 1),
      minutes: rows,
      cycles: listedSeconds,
      summary: {
        requests: this.totalRequests,
        unansweredAtEnd: this.outstanding,
        errors: this.totalErrors,
        firstErrors: { ...this.firstErrors },
        worstMinuteP99Ms: worstP99,
        minutesOverP99Goal: rows.filter((row) => row.p99Ms > P99_GOAL_MS).length,
        worstListedSeconds: worstListed,
        cyclesNotListed,
        closedCycles: this.closedCycles,
        rssChangePercent: round(((last.rssMiB - warm.rssMiB) / warm.rssMiB) * 100, 1),
        heapChangePercent: round(((last.heapUsedMiB - warm.heapUsedMiB) / warm.heapUsedMiB) * 100, 1),
        goalMet: worstP99 <= P99_GOAL_MS && cyclesNotListed === 0 && (worstListed ?? Infinity) <= LISTED_GOAL_SECONDS && this.totalErrors === 0,
      },
    };
  }

  private get newest(): CycleRun | undefined {
    return this.cycles[this.cycles.length - 1];
  }

  /** The request of the next slot of the mix, sent now; `scheduledAt` starts its latency. */
  private sendNext(scheduledAt: number): void {
    let kind = MIX[this.slot++ % MIX.length]!;
    if (kind === 'submission' && this.toSubmit.length === 0) kind = 'approval';
    if (kind === 'approval' && this.toApprove.length === 0) kind = READS[this.readSlot++ % READS.length]!;
    const team = this.host.ready.tokens.team;
    const newest = this.newest!;
    switch (kind) {
      case 'submission': {
        const kpiId = this.toSubmit.shift()!;
        const path = `/returns/${kpiId}/${newest.path}`;
        this.send(kind, scheduledAt, { method: 'POST', path: `${path}/submission`, token: this.host.ready.tokens.lead, body: BENCH_SUBMISSION }, (answer) => {
          if (answer.ok) this.toApprove.push({ path, etag: answer.etag! });
          else this.returnFailed(newest);
        });
        return;
      }
      case 'approval': {
        const { path, etag } = this.toApprove.shift()!;
        this.send(kind, scheduledAt, { method: 'POST', path: `${path}/approval`, token: team, body: {}, ifMatch: etag }, (answer) => {
          if (answer.ok) newest.approved += 1;
          else newest.failed += 1;
          this.closeWhenDone(newest);
        });
        return;
      }
      case 'statusBoard': {
        const cycle = newest;
        this.send(kind, scheduledAt, { method: 'GET', path: `/cycles/${cycle.path}/status-board`, token: team }, (answer) => {
          if (answer.ok && cycle.listedAt === undefined) this.learnReturns(cycle, answer.body);
        });
        return;
      }
      case 'scorecard': {
        const closed = this.cycles.slice(0, this.closedCycles);
        const pickClosed = this.slot % 2 === 0 && closed.length > 0;
        const cycle = pickClosed ? closed[Math.floor(Math.random() * closed.length)]! : newest;
        this.send(kind, scheduledAt, { method: 'GET', path: `/scorecards/${cycle.path}`, token: team });
        return;
      }
      case 'kpiHistory': {
        const kpiId = this.host.ready.kpiIds[Math.floor(Math.random() * this.host.ready.kpiIds.length)]!;
        this.send(kind, scheduledAt, { method: 'GET', path: `/kpis/${kpiId}/history`, token: team });
        return;
      }
    }
  }

  /** Returns newly listed on the board become submittable; all listed stops the cycle's clock. */
  private learnReturns(cycle: CycleRun, body: string): void {
    const board = JSON.parse(body) as { returns: Array<{ kpiId: string; state: string }> };
    for (const row of board.returns) {
      if (cycle.seen.has(row.kpiId)) continue;
      cycle.seen.add(row.kpiId);
      if (row.state === 'requested') this.toSubmit.push(row.kpiId);
      else cycle.failed += 1;
    }
    if (cycle.seen.size >= this.options.kpis) {
      cycle.listedAt = performance.now();
      this.listedInWindow.push({ cycleId: cycle.cycleId, seconds: round((cycle.listedAt - cycle.openSentAt) / 1000, 2) });
    }
  }

  private returnFailed(cycle: CycleRun): void {
    cycle.failed += 1;
    this.closeWhenDone(cycle);
  }

  /** Once every return of the cycle is approved (or failed), closes it and opens the next quarter's. */
  private closeWhenDone(cycle: CycleRun): void {
    if (cycle.closing || cycle.approved + cycle.failed < this.options.kpis) return;
    cycle.closing = true;
    this.send('cycleCommand', performance.now(), { method: 'POST', path: `/cycles/${cycle.path}/closure`, token: this.host.ready.tokens.team, body: {} }, (answer) => {
      if (answer.ok) this.closedCycles += 1;
      this.openNextCycle().catch((error: unknown) => progress(String(error)));
    });
  }

  /** Opens the next quarter's cycle; it becomes the newest (the one read and worked on) once the API answers. */
  private openNextCycle(): Promise<void> {
    const cycleId = this.nextCycleId;
    this.nextCycleId = nextQuarter(cycleId);
    const cycle: CycleRun = { cycleId, path: cycleId.replace('/', '-'), openSentAt: performance.now(), seen: new Set(), approved: 0, failed: 0, closing: false };
    return new Promise((resolve, reject) =>
      this.send('cycleCommand', cycle.openSentAt, { method: 'POST', path: '/cycles', token: this.host.ready.tokens.team, body: { cycleId } }, (answer) => {
        if (!answer.ok) return reject(new Error(`opening ${cycleId}: ${answer.status} ${answer.body.slice(0, 300)}`));
        this.cycles.push(cycle);
        resolve();
      }),
    );
  }

  private send(kind: Kind, scheduledAt: number, load: LoadRequest, then?: (answer: Answer) => void): void {
    this.outstanding += 1;
    void sendSoak(this.agent, this.baseUrl, load).then((answer) => {
      if (this.finished) return;
      this.outstanding -= 1;
      const ms = performance.now() - scheduledAt;
      this.window.push({ kind, ms, ok: answer.ok, stale: answer.stale, bytes: answer.body.length });
      this.totalRequests += 1;
      if (!answer.ok) {
        this.totalErrors += 1;
        this.firstErrors[kind] ??= `${load.method} ${load.path}: ${answer.status} ${answer.body.slice(0, 300)}`;
      }
      then?.(answer);
    });
  }

  private async drain(timeoutMs: number): Promise<void> {
    const until = performance.now() + timeoutMs;
    while (this.outstanding > 0 && performance.now() < until) await sleepUntil(performance.now() + 50);
  }
}

interface Answer {
  readonly ok: boolean;
  readonly status: number;
  readonly body: string;
  readonly etag?: string;
  /** The API answered before its read models reached its last write (`X-Read-Model-Stale`). */
  readonly stale: boolean;
}

type CpuAnswer = Extract<HostMessage, { type: 'cpu' }>;

/** One request; a transport error is an answer with status 0. */
function sendSoak(agent: Agent, base: URL, load: LoadRequest): Promise<Answer> {
  return send(agent, base, load).then(
    ({ status, body, headers }) => ({
      ok: status >= 200 && status < 300,
      status,
      body,
      stale: headers['x-read-model-stale'] === 'true',
      ...(headers.etag !== undefined ? { etag: headers.etag } : {}),
    }),
    (error: Error) => ({ ok: false, status: 0, body: error.message, stale: false }),
  );
}

function figuresOf(answers: ReadonlyArray<{ ms: number; ok: boolean; bytes: number }>): KindFigures {
  const latencies = answers.map((answer) => answer.ms).sort((a, b) => a - b);
  const at = (fraction: number) => round(percentile(latencies, fraction), 1);
  return {
    requests: answers.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: at(1),
    errors: answers.filter((answer) => !answer.ok).length,
    meanKiB: answers.length === 0 ? 0 : round(answers.reduce((sum, answer) => sum + answer.bytes, 0) / answers.length / 1024, 1),
  };
}

function formatRow(row: SoakMinute): string {
  const kinds = KINDS.filter((kind) => row.byKind[kind] !== undefined)
    .map((kind) => `${kind} ${row.byKind[kind]!.requests} p50 ${row.byKind[kind]!.p50Ms} p99 ${row.byKind[kind]!.p99Ms} (${row.byKind[kind]!.meanKiB} KiB)`)
    .join('; ');
  const listed = row.listed.map((cycle) => `${cycle.cycleId} ${cycle.seconds} s`).join(', ');
  return (
    `minute ${row.minute}: ${row.requests} answers, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, max ${row.maxMs} ms, errors ${row.errors}, stale ${row.staleReads}, ` +
    `outstanding ${row.outstanding}, API CPU ${row.apiCpuPercent} % (${row.apiCpuMsPerRequest} ms/request), RSS ${row.rssMiB} MiB, heap ${row.heapUsedMiB} MiB, external ${row.externalMiB} MiB, ` +
    `closed cycles ${row.closedCycles}, listed [${listed}], load ${row.loadAverage}${row.profiled ? ' (profiled)' : ''}\n    ${kinds}`
  );
}

function printProfile(file: string): void {
  const summary = summariseCpuProfile(JSON.parse(readFileSync(file, 'utf8')), 12);
  progress(`profile ${file}: ${Math.round(summary.totalMs)} ms`);
  for (const fn of summary.functions) progress(`  ${fn.percent.toFixed(1).padStart(5)} % ${fn.name}`);
}

/** A smooth weighted round robin of the kinds, so that no kind comes in bursts. */
function interleave(weights: Partial<Record<MixKind, number>>): MixKind[] {
  const entries = Object.entries(weights) as Array<[MixKind, number]>;
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  const current = new Map<MixKind, number>(entries.map(([kind]) => [kind, 0]));
  const order: MixKind[] = [];
  for (let index = 0; index < total; index += 1) {
    for (const [kind, weight] of entries) current.set(kind, current.get(kind)! + weight);
    const [chosen] = [...current.entries()].sort((a, b) => b[1] - a[1])[0]!;
    current.set(chosen, current.get(chosen)! - total);
    order.push(chosen);
  }
  return order;
}

function sleepUntil(instant: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, instant - performance.now())));
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

if (require.main === module) {
  benchSoak({
    ...(process.env['BENCH_SOAK_MINUTES'] ? { minutes: Number(process.env['BENCH_SOAK_MINUTES']) } : {}),
    ...(process.env['BENCH_SOAK_RATE'] ? { ratePerSecond: Number(process.env['BENCH_SOAK_RATE']) } : {}),
    ...(process.env['BENCH_SOAK_KPIS'] ? { kpis: Number(process.env['BENCH_SOAK_KPIS']) } : {}),
    ...(process.env['BENCH_SOAK_STORE'] ? { store: process.env['BENCH_SOAK_STORE'] as 'sqlite' | 'postgres' } : {}),
    ...(process.env['BENCH_PROFILE_DIR'] ? { profileDir: process.env['BENCH_PROFILE_DIR'] } : {}),
  }).then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
