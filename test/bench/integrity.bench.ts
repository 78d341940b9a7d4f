import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type EventLogReader,
  type EventStore,
  HashChainingEventStore,
  IntegrityAnchorRecorder,
  type NewEvent,
  newEventId,
  PostgresEventStore,
  SqliteEventStore,
  verifyEventLog,
} from '@quarterly/event-store';
import { PostgresTestDatabase } from '../support/postgres-test-database';

interface Throughput {
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** This process's CPU time (user + system) per operation: what moves least with the machine's load. */
  readonly cpuMicrosPerOperation?: number;
}

/** Appends per second without and with the hash chain, and what hashing costs in per cent. */
interface HashingCost {
  readonly plain: Throughput;
  readonly chained: Throughput;
  readonly slowerPercent: number;
  /**
   * The median over the rounds of each round's own comparison (chained against the plain run
   * beside it): one round disturbed by the shared machine moves it less than the totals.
   */
  readonly slowerPercentMedianOfRounds: number;
  /** How much more CPU time of this process a chained append takes than a plain one, in per cent. */
  readonly moreCpuPercent: number;
}

export interface IntegrityFigures {
  readonly appends: {
    readonly sqlite1: HashingCost;
    readonly sqlite32: HashingCost;
    readonly postgres32: HashingCost;
    /**
     * The same 32 callers with random event ids (version 4), as ids derived from an idempotency
     * key look to a store's index (pages, process managers, timers, API calls with a key); the
     * cases above use time-ordered ids, as the executor makes for a command sent without one.
     */
    readonly sqlite32RandomIds: HashingCost;
    readonly postgres32RandomIds: HashingCost;
    /**
     * Commands, as the engine appends: each of 32 callers reads one of its streams, then appends
     * one event at the revision it read (time-ordered ids), taking its COMMAND_STREAMS streams
     * in turn, so the streams grow from nothing to a return's few dozen events over a round.
     * The chained store appends after its own read, as the executor's append does, without
     * reading again (`HashChainingEventStore` remembers the head it read).
     */
    readonly sqlite32Commands: HashingCost;
    readonly postgres32Commands: HashingCost;
  };
  /** `verify` over VERIFY_EVENTS chained and anchored events in SQLite and in PostgreSQL (goal: >= 100,000 events/s). */
  readonly verify: {
    readonly sqlite: VerifyFigures;
    readonly postgres: VerifyFigures;
  };
  /** The 1-minute load average when the integrity cases started and ended (2 vCPUs here). */
  readonly loadAverage: { readonly start: number; readonly end: number };
}

interface VerifyFigures {
  readonly events: number;
  readonly streams: number;
  readonly anchors: number;
  readonly writeSeconds: number;
  readonly anchorSeconds: number;
  readonly verify: Throughput;
  /**
   * CPU time (user + system) of this process per event verified, and the events per CPU-second
   * it gives: what one otherwise idle core would do, whatever the load on the shared machine
   * (on PostgreSQL the server's own work runs in its processes, outside this figure).
   */
  readonly cpuMicrosPerEvent: number;
  readonly eventsPerCpuSecond: number;
  readonly ok: boolean;
  /**
   * The same pass over the same store read as parsed objects (`readAll`, as stores without
   * stored text are read, and as every store was before `readAllStored`), just after: the A/B of
   * hashing the stored text.
   */
  readonly asObjects: { readonly verify: Throughput; readonly cpuMicrosPerEvent: number; readonly ok: boolean };
}

/** Alternating rounds per case (BENCH_INTEGRITY_ROUNDS), and seconds per round and kind: 18 s per case by default, with the warm-up. */
const ROUNDS = Number(process.env['BENCH_INTEGRITY_ROUNDS'] ?? 8);
const ROUND_SECONDS = 1;
/** One uncounted round of each kind before the counted ones (see `hashingCost`). */
const WARM_UP_SECONDS = 1;
/** Streams each caller of a command case takes in turn (new ones each round). */
const COMMAND_STREAMS = 64;

/** What each caller does: append to its stream at the revision it last appended, or read a stream and append at what it read. */
type Workload = 'appends' | 'commands';
const VERIFY_EVENTS = Number(process.env['BENCH_VERIFY_EVENTS'] ?? 1_000_000);
const STREAM_LENGTH = 100;
const APPEND_BATCH = 50;
/** Concurrent writers while filling the verify case's store (SQLite group-commits them). */
const WRITERS = 16;

/**
 * The cost of tamper evidence: one-event appends per second through the plain adapter and through
 * `HashChainingEventStore` (SQLite with 1 and 32 callers, PostgreSQL with 32, with time-ordered
 * event ids; then SQLite and PostgreSQL with 32 and random ids; then 32 callers' commands, a read
 * and an append each; goal: at most 10 % slower), and
 * `verify` over a million chained, anchored events in SQLite and in PostgreSQL. About 3 minutes.
 */
export async function benchIntegrity(): Promise<IntegrityFigures> {
  const loadAtStart = round(loadavg()[0]!);
  const directory = mkdtempSync(join(tmpdir(), 'quarterly-bench-integrity-'));
  try {
    const sqlite = (name: string) => new SqliteEventStore({ filename: join(directory, `${name}.sqlite`) });
    const sqlite1 = await hashingCost(async () => sqlite(`one-${randomUUID()}`), 1, 'time-ordered');
    const sqlite32 = await hashingCost(async () => sqlite(`many-${randomUUID()}`), 32, 'time-ordered');
    const sqlite32RandomIds = await hashingCost(async () => sqlite(`random-${randomUUID()}`), 32, 'random');
    const sqlite32Commands = await hashingCost(async () => sqlite(`commands-${randomUUID()}`), 32, 'time-ordered', 'commands');
    const postgres = async (ids: EventIds, workload: Workload = 'appends'): Promise<HashingCost> => {
      const database = await PostgresTestDatabase.create('bench_integrity');
      try {
        return await hashingCost(
          () => PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema, maxConnections: 32 }),
          32,
          ids,
          workload,
        );
      } finally {
        await database.drop();
      }
    };
    const postgres32 = await postgres('time-ordered');
    const postgres32RandomIds = await postgres('random');
    const postgres32Commands = await postgres('time-ordered', 'commands');
    const sqliteVerify = await verifyMillion('SQLite', sqlite('verify'));
    const verifyDatabase = await PostgresTestDatabase.create('bench_verify');
    let postgresVerify: VerifyFigures;
    try {
      postgresVerify = await verifyMillion(
        'PostgreSQL',
        await PostgresEventStore.open({ connectionString: verifyDatabase.connectionString, schema: verifyDatabase.schema, maxConnections: WRITERS }),
      );
    } finally {
      await verifyDatabase.drop();
    }
    return {
      appends: { sqlite1, sqlite32, postgres32, sqlite32RandomIds, postgres32RandomIds, sqlite32Commands, postgres32Commands },
      verify: { sqlite: sqliteVerify, postgres: postgresVerify },
      loadAverage: { start: loadAtStart, end: round(loadavg()[0]!) },
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * Plain and chained appends in alternating one-second rounds (plain first in odd rounds, chained
 * first in even ones), summed per kind: the machine's drift, large on a shared host, then falls on
 * both alike instead of on whichever ran second. One warm-up round of each kind comes first and
 * is not counted: without it the first counted round carried V8's compiling of each path at
 * these callers, and it runs on the emptiest file, the fastest round of all, which weighs most in
 * the totals (SQLite, 32 callers, 8 counted rounds, 1 December: 9.5 and 12.2 % slower in the totals in
 * two runs without it, 8.1, 8.6 and 9.5 % in three with it; PostgreSQL moved by more than that
 * between runs either way).
 */
async function hashingCost(open: () => Promise<EventStore>, callers: number, ids: EventIds, workload: Workload = 'appends'): Promise<HashingCost> {
  const store = await open();
  const chainedStore = new HashChainingEventStore(store);
  const measure = (target: EventStore, seconds: number) => appendThroughput(target, callers, seconds, ids, workload);
  try {
    await measure(store, WARM_UP_SECONDS);
    await measure(chainedStore, WARM_UP_SECONDS);
    const plain: Throughput[] = [];
    const chained: Throughput[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      if (round % 2 === 0) {
        plain.push(await measure(store, ROUND_SECONDS));
        chained.push(await measure(chainedStore, ROUND_SECONDS));
      } else {
        chained.push(await measure(chainedStore, ROUND_SECONDS));
        plain.push(await measure(store, ROUND_SECONDS));
      }
    }
    const total = (runs: Throughput[]): Throughput => {
      const operations = runs.reduce((sum, run) => sum + run.operations, 0);
      const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
      const cpuMicros = runs.reduce((sum, run) => sum + run.cpuMicrosPerOperation! * run.operations, 0);
      return { operations, seconds: round(seconds), perSecond: round(operations / seconds), cpuMicrosPerOperation: round(cpuMicros / operations) };
    };
    const p = total(plain);
    const c = total(chained);
    const perRound = plain
      .map((run, index) => ((run.perSecond - chained[index]!.perSecond) / run.perSecond) * 100)
      .sort((a, b) => a - b);
    const middle = perRound.length / 2;
    const median = perRound.length % 2 === 1 ? perRound[Math.floor(middle)]! : (perRound[middle - 1]! + perRound[middle]!) / 2;
    return {
      plain: p,
      chained: c,
      slowerPercent: round(((p.perSecond - c.perSecond) / p.perSecond) * 100),
      slowerPercentMedianOfRounds: round(median),
      moreCpuPercent: round(((c.cpuMicrosPerOperation! - p.cpuMicrosPerOperation!) / p.cpuMicrosPerOperation!) * 100),
    };
  } finally {
    await store.close();
  }
}

async function appendThroughput(store: EventStore, callers: number, seconds: number, ids: EventIds, workload: Workload): Promise<Throughput> {
  const run = randomUUID();
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(seconds * 1e9);
  let operations = 0;
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      if (workload === 'commands') {
        for (let turn = 0; process.hrtime.bigint() < deadline; turn += 1) {
          const stream = `return-CMD${caller}-${turn % COMMAND_STREAMS}-${run}`;
          const events = await store.readStream(stream);
          const expectedRevision = events.length === 0 ? 'no_stream' : events[events.length - 1]!.revision;
          await store.appendToStream(stream, [figureEvent(operations, ids)], { expectedRevision });
          operations += 1;
        }
        return;
      }
      const stream = `return-BENCH${caller}-${run}`;
      let expectedRevision: bigint | 'no_stream' = 'no_stream';
      while (process.hrtime.bigint() < deadline) {
        expectedRevision = (await store.appendToStream(stream, [figureEvent(operations, ids)], { expectedRevision })).nextExpectedRevision;
        operations += 1;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { ...throughput(operations, started), cpuMicrosPerOperation: round((cpu.user + cpu.system) / operations) };
}

/**
 * Writes VERIFY_EVENTS chained events (batches of 50, streams of 100, WRITERS at once taking the
 * streams round-robin so the global order interleaves them, as real traffic does), anchors them,
 * then times `verifyEventLog` over the store as `quarterly verify` reads it.
 */
async function verifyMillion(name: string, raw: EventStore): Promise<VerifyFigures> {
  const store = new HashChainingEventStore(raw);
  try {
    const streams = Math.ceil(VERIFY_EVENTS / STREAM_LENGTH);
    const writeStarted = process.hrtime.bigint();
    let written = 0;
    let lastPosition = 0n;
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let round = 0; round * APPEND_BATCH < STREAM_LENGTH; round += 1) {
          for (let s = writer; s < streams; s += WRITERS) {
            const count = Math.min(APPEND_BATCH, VERIFY_EVENTS - s * STREAM_LENGTH - round * APPEND_BATCH);
            if (count <= 0) continue;
            const events = Array.from({ length: count }, (_, i) => figureEvent(written + i));
            const result = await store.appendToStream(`return-V${s}-2026-27-Q1`, events, { expectedRevision: round === 0 ? 'no_stream' : BigInt(round * APPEND_BATCH - 1) });
            if (result.lastPosition > lastPosition) lastPosition = result.lastPosition;
            written += count;
          }
        }
      }),
    );
    const writeSeconds = Number(process.hrtime.bigint() - writeStarted) / 1e9;
    progress(`integrity: wrote ${written} chained events in ${name} in ${writeSeconds.toFixed(0)} s`);
    // PostgreSQL shows a commit in the global order once the cluster's horizon passes it.
    for (let attempt = 0; attempt < 100 && (await raw.readAll({ after: lastPosition - 1n, limit: 1 })).length === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const anchorStarted = process.hrtime.bigint();
    const anchoring = await new IntegrityAnchorRecorder(store).anchorPending();
    const anchorSeconds = Number(process.hrtime.bigint() - anchorStarted) / 1e9;
    progress(`integrity: ${anchoring.anchors.length} anchors in ${anchorSeconds.toFixed(0)} s`);
    const timed = async (reader: EventLogReader) => {
      const started = process.hrtime.bigint();
      const cpuBefore = process.cpuUsage();
      const report = await verifyEventLog(reader);
      const cpu = process.cpuUsage(cpuBefore);
      return { report, verify: throughput(report.eventsChecked, started), cpuMicrosPerEvent: (cpu.user + cpu.system) / report.eventsChecked };
    };
    const { report, verify, cpuMicrosPerEvent } = await timed(store);
    progress(`integrity: verified ${report.eventsChecked} events in ${name} at ${verify.perSecond}/s, ${cpuMicrosPerEvent.toFixed(1)} µs CPU each (ok: ${report.ok}, load ${loadavg()[0]!.toFixed(1)})`);
    const objects = await timed({ readStream: (streamId) => store.readStream(streamId), readAll: (options) => store.readAll(options) });
    progress(`integrity: read as objects: ${objects.verify.perSecond}/s, ${objects.cpuMicrosPerEvent.toFixed(1)} µs CPU each (ok: ${objects.report.ok}, load ${loadavg()[0]!.toFixed(1)})`);
    return {
      events: VERIFY_EVENTS,
      streams,
      anchors: anchoring.anchors.length,
      writeSeconds: round(writeSeconds),
      anchorSeconds: round(anchorSeconds),
      verify,
      cpuMicrosPerEvent: round(cpuMicrosPerEvent),
      eventsPerCpuSecond: Math.round(1e6 / cpuMicrosPerEvent),
      ok: report.ok,
      asObjects: { verify: objects.verify, cpuMicrosPerEvent: round(objects.cpuMicrosPerEvent), ok: objects.report.ok },
    };
  } finally {
    await store.close();
  }
}

/**
 * How the events' ids are made: `time-ordered` as the command executor makes them for a command
 * sent without an idempotency key (`newEventId`), `random` (version 4) as ids derived from a key
 * look to a store's index.
 */
export type EventIds = 'time-ordered' | 'random';

/** A figure as a return's events carry it: a decimal, a rating, a commentary. */
export function figureEvent(index: number, ids: EventIds = 'time-ordered'): NewEvent {
  const id = ids === 'time-ordered' ? newEventId() : randomUUID();
  return {
    id,
    type: 'ReturnSubmitted',
    schemaVersion: 1,
    data: {
      submittedBy: 's.lead',
      value: `${index % 1000}.5`,
      monthlyValues: [],
      commentary: 'Collections recovered after the depot move; October is back on plan.',
      rating: { status: 'amber', label: 'Amber', policy: { kind: 'thresholds', green: '45.0', amber: '40.0' }, financialYear: '2026/27' },
    },
    metadata: { actor: 's.lead', correlationId: id, causationId: id, recordedAt: '2026-10-14T09:30:00.000Z' },
  };
}

function throughput(operations: number, started: bigint): Throughput {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { operations, seconds: round(seconds), perSecond: round(operations / seconds) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

if (require.main === module) {
  benchIntegrity().then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
