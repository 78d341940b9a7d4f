import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPeriodId, nextQuarter, type RatingStatus } from '@quarterly/domain';
import { type NewEvent, SqliteEventStore } from '@quarterly/event-store';
import {
  allProjections,
  getScorecard,
  type ProjectionGroup,
  getScorecardChanges,
  getValueHistory,
  openReadModelDatabase,
  ProjectionRunner,
} from '@quarterly/read-models';
import { EventScript, ratingOf, type ScriptedEvent } from '@quarterly/read-models/testing/event-script';

export interface LatencyFigure {
  readonly requests: number;
  readonly clients: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** This process's CPU time (user + system) over the calls, per call: moves less than wall time on a shared machine. */
  readonly cpuMsPerCall: number;
}

export interface ReadQueryFigures {
  readonly kpis: number;
  readonly closedCycles: number;
  readonly revisionsOfOneKpi: number;
  readonly events: number;
  /** The closed quarter's scorecard as at now: kept between requests while its rows do not change. */
  readonly scorecard: { readonly oneClient: LatencyFigure; readonly eightClients: LatencyFigure };
  /**
   * The same scorecard as at an instant before the last restatement (what Cabinet saw then):
   * never kept, since rows were recorded after it, so every request computes it afresh.
   */
  readonly scorecardAsAtBeforeChange: { readonly oneClient: LatencyFigure; readonly eightClients: LatencyFigure };
  /**
   * The scorecard as at now, read once right after each write into its quarter (a restatement
   * and its approval, appended and projected before the clock starts): the first read after a
   * write, which finds its kept scorecard stale. 8 clients: 8 such reads at once after each write.
   */
  readonly scorecardFirstReadAfterWrite: { readonly oneClient: LatencyFigure; readonly eightClients: LatencyFigure };
  readonly scorecardChanges: LatencyFigure;
  /** `getValueHistory` of the restated KPI as at an instant before its last restatement. */
  readonly historyAsAt: LatencyFigure & { readonly rows: number };
}

const KPIS = 500;
const CYCLES = 12;
/** Restatement + approval pairs on one KPI's return: 1,000 rows of value history. */
const RESTATEMENTS = 500;
const RATING_POLICY = { kind: 'thresholds', green: '90', amber: '80' } as const;

/**
 * Reads at the scale of a large council, in the embedded mode (SQLite event store and read
 * models in one file): 500 KPIs, 12 closed quarters, one KPI with 1,000 revisions. Times the
 * read-model queries behind `GET /cycles/:id/scorecard`, `/scorecard/changes` and
 * `GET /kpis/:id/history?asAt=` in this process (no HTTP): one caller after another, and 8
 * callers at once (the queries share this thread, as they share the API's).
 */
export async function benchReadQueries(options: { readonly requests?: number } = {}): Promise<ReadQueryFigures> {
  const requests = options.requests ?? 200;
  const directory = mkdtempSync(join(tmpdir(), 'quarterly-bench-reads-'));
  const filename = join(directory, 'quarterly.sqlite');
  const store = new SqliteEventStore({ filename });
  const readModels = await openReadModelDatabase({ dialect: 'sqlite', filename });
  try {
    const { appends, closedCycles, restatedKpi, secondKpi, restatedCycle, middleOfRestatements, beforeLastRestatement, lastClosedCycle } = generateHistory();
    for (const { streamId, events } of appends) await store.appendToStream(streamId, events, { expectedRevision: 'any' });
    const events = appends.reduce((n, a) => n + a.events.length, 0);
    for (const projection of allProjections()) {
      const runner = new ProjectionRunner(store, readModels, projection, { logger: { info: () => undefined, error: () => undefined } });
      await runner.rebuild({ totalEvents: events });
    }
    const db = readModels.db;
    const scorecard = () => getScorecard(db, lastClosedCycle);
    // Sanity: the scorecard holds every KPI and the history every revision, or the figures mean nothing.
    const card = await scorecard();
    if (card.entries.length !== KPIS) throw new Error(`scorecard of ${lastClosedCycle} holds ${card.entries.length} KPIs, not ${KPIS}`);
    const history = await getValueHistory(db, { kpiId: restatedKpi, periodCovered: restatedCycle });
    if (history.length < 2 * RESTATEMENTS) throw new Error(`history of ${restatedKpi} holds ${history.length} rows`);

    await timed(scorecard, 20, 1); // warm-up
    const group = ProjectionRunner.group(store, readModels, allProjections(), { logger: { info: () => undefined, error: () => undefined } });
    await group.start();
    let writes = 0;
    // One restatement and approval of another KPI of the quarter per round, projected before the reads.
    const write = async () => {
      writes += 1;
      const value = (80 + (writes % 20)).toFixed(1);
      const rating = ratingOf(statusOf(value), lastClosedCycle.slice(0, 7), RATING_POLICY);
      const previous = writes === 1 ? null : (80 + ((writes - 1) % 20)).toFixed(1);
      const script = new EventScript().at(new Date().toISOString()).restate(secondKpi, lastClosedCycle, previous, value, rating, 'Late records').approve(secondKpi, lastClosedCycle, value, rating);
      let position = 0n;
      for (const { streamId, events: appended } of grouped(script.drain())) {
        position = (await store.appendToStream(streamId, appended, { expectedRevision: 'any' })).lastPosition;
      }
      await waitForProjections(group, position);
    };
    const afterWrite = async (clients: number, rounds: number) => {
      const figures: Array<LatencyFigure & { readonly latencies?: number[] }> = [];
      for (let round = 0; round < rounds; round += 1) {
        await write();
        figures.push(await timed(scorecard, clients, clients));
      }
      return merged(figures);
    };
    const scorecardFirstReadAfterWrite = {
      oneClient: await afterWrite(1, Math.max(20, requests / 4)),
      eightClients: await afterWrite(8, Math.max(5, requests / 40)),
    };
    await group.stop();
    return {
      kpis: KPIS,
      closedCycles,
      revisionsOfOneKpi: history.length,
      events,
      scorecard: { oneClient: await timed(scorecard, requests, 1), eightClients: await timed(scorecard, requests, 8) },
      scorecardAsAtBeforeChange: {
        oneClient: await timed(() => getScorecard(db, lastClosedCycle, { asAt: middleOfRestatements }), Math.max(20, requests / 4), 1),
        eightClients: await timed(() => getScorecard(db, lastClosedCycle, { asAt: middleOfRestatements }), Math.max(40, requests / 4), 8),
      },
      scorecardFirstReadAfterWrite,
      scorecardChanges: await timed(
        () => getScorecardChanges(db, lastClosedCycle, { since: middleOfRestatements }),
        Math.max(20, requests / 2),
        1,
      ),
      // As at an instant before the last restatement: the query filters, and ~1,000 revisions remain.
      historyAsAt: {
        rows: (await getValueHistory(db, { kpiId: restatedKpi, asAt: beforeLastRestatement })).length,
        ...(await timed(() => getValueHistory(db, { kpiId: restatedKpi, asAt: beforeLastRestatement }), requests * 5, 1)),
      },
    };
  } finally {
    await readModels.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Resolves once every projection of `group` has applied `position`. */
async function waitForProjections(group: ProjectionGroup, position: bigint): Promise<void> {
  for (const runner of group.runners) await runner.waitForPosition(position, { timeoutMs: 30_000 });
}

/** Several rounds' figures as one: percentiles over all their calls. */
function merged(figures: ReadonlyArray<LatencyFigure & { readonly latencies?: number[] }>): LatencyFigure {
  return summarise(
    figures.flatMap((f) => f.latencies ?? []),
    figures[0]?.clients ?? 1,
    figures.reduce((cpu, f) => cpu + f.cpuMsPerCall * f.requests, 0),
  );
}

function summarise(latencies: number[], clients: number, cpuMs: number): LatencyFigure & { readonly latencies?: number[] } {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!);
  const figure = { requests: latencies.length, clients, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: round(latencies[latencies.length - 1]!), cpuMsPerCall: round(cpuMs / latencies.length) };
  // Kept out of the report (not enumerable), for merging rounds.
  return Object.defineProperty(figure, 'latencies', { value: latencies, enumerable: false });
}

/** Runs `work` `requests` times from `clients` concurrent callers; latency of each call. */
async function timed(work: () => Promise<unknown>, requests: number, clients: number): Promise<LatencyFigure & { readonly latencies?: number[] }> {
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  let started = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (started < requests) {
        started += 1;
        const begin = performance.now();
        await work();
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return summarise(latencies, clients, (cpu.user + cpu.system) / 1000);
}

/** Deterministic: 500 KPIs over 12 closed quarters, then 500 restatements of one KPI's last closed return. */
export function generateHistory() {
  let seed = 20240401;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const kpiIds = Array.from({ length: KPIS }, (_, i) => `KPI-${String(i + 1).padStart(3, '0')}`);
  const directorates = ['Adults', 'Children', 'Place', 'Resources', 'Public Health'];
  const script = new EventScript().at('2022-04-01T09:00:00Z');
  let cycle = formatPeriodId('2022/23', 1);
  const years = new Set<string>();
  for (let i = 0; i < CYCLES; i += 1) {
    years.add(cycle.slice(0, 7));
    cycle = nextQuarter(cycle);
  }
  kpiIds.forEach((kpiId, i) => {
    script.kpi(kpiId, { directorate: directorates[i % directorates.length]!, title: `Indicator ${kpiId}` });
    for (const fy of years) script.target(kpiId, fy, RATING_POLICY);
  });
  const day = (offset: number, base: Date) => new Date(base.getTime() + offset * 86_400_000).toISOString();
  cycle = formatPeriodId('2022/23', 1);
  let lastClosedCycle = cycle;
  let opened = new Date(Date.UTC(2022, 6, 1));
  for (let i = 0; i < CYCLES; i += 1) {
    const fy = cycle.slice(0, 7);
    opened = new Date(Date.UTC(2022, 6, 1) + i * 91 * 86_400_000);
    script.at(opened.toISOString()).openCycle(cycle, kpiIds);
    for (const kpiId of kpiIds) {
      const value = (70 + random() * 30).toFixed(1);
      const rating = ratingOf(statusOf(value), fy, RATING_POLICY);
      script.at(day(18, opened)).submit(kpiId, cycle, value, rating, 's.lead', 'Commentary on the quarter.');
      if (random() < 0.2) script.at(day(27, opened)).challenge(kpiId, cycle, 'Please check the denominator').resubmit(kpiId, cycle, value, rating);
      script.at(day(30, opened)).approve(kpiId, cycle, value, rating);
    }
    script.at(day(60, opened)).closeCycle(cycle);
    lastClosedCycle = cycle;
    cycle = nextQuarter(cycle);
  }
  const restatedKpi = kpiIds[0]!;
  const fy = lastClosedCycle.slice(0, 7);
  let middleOfRestatements = '';
  let beforeLastRestatement = '';
  let previous: string | null = null;
  for (let i = 0; i < RESTATEMENTS; i += 1) {
    const at = new Date(opened.getTime() + 70 * 86_400_000 + i * 3_600_000);
    if (i === RESTATEMENTS / 2) middleOfRestatements = new Date(at.getTime() - 1).toISOString();
    if (i === RESTATEMENTS - 1) beforeLastRestatement = new Date(at.getTime() - 1).toISOString();
    const value = (70 + (i % 30)).toFixed(1);
    const rating = ratingOf(statusOf(value), fy, RATING_POLICY);
    previous ??= value;
    script.at(at.toISOString()).restate(restatedKpi, lastClosedCycle, previous, value, rating, 'Late records').approve(restatedKpi, lastClosedCycle, value, rating);
    previous = value;
  }
  return {
    appends: grouped(script.drain()),
    closedCycles: CYCLES,
    restatedKpi,
    /** Restated by the first-read-after-write case. */
    secondKpi: kpiIds[1]!,
    restatedCycle: lastClosedCycle,
    middleOfRestatements,
    beforeLastRestatement,
    lastClosedCycle,
  };
}

function statusOf(value: string): RatingStatus {
  return Number(value) >= 90 ? 'green' : Number(value) >= 80 ? 'amber' : 'red';
}

/** Consecutive events of one stream as one append, in the order they happened. */
function grouped(scripted: readonly ScriptedEvent[]): Array<{ streamId: string; events: NewEvent[] }> {
  const appends: Array<{ streamId: string; events: NewEvent[] }> = [];
  for (const { streamId, event } of scripted) {
    const last = appends[appends.length - 1];
    if (last && last.streamId === streamId) last.events.push(event);
    else appends.push({ streamId, events: [event] });
  }
  return appends;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

if (require.main === module) {
  benchReadQueries(process.env['BENCH_READ_REQUESTS'] ? { requests: Number(process.env['BENCH_READ_REQUESTS']) } : {}).then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
