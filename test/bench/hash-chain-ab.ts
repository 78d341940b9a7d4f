/**
 * What the hash chain's append costs, split, in ONE process: kinds of one-event appends on one
 * store (one SQLite file or one PostgreSQL schema) in alternating one-second rounds (the order
 * rotated every round and reversed every other one), so the machine's drift falls on all alike:
 *
 *   HASH_AB_STORE=sqlite|postgres HASH_AB_KINDS=plain,chained node -r @swc-node/register test/bench/hash-chain-ab.ts
 *
 * (PostgreSQL: DATABASE_URL, as for the tests.)
 *
 * Kinds (HASH_AB_KINDS, comma-separated; the first is the one the others are compared with):
 * - `plain`: the adapter alone; `chained`: `HashChainingEventStore` over it.
 * - `chained-same`, `chained-short`: the chain over a pass-through that copies each event (the
 *   same work in both), the short one cutting `"previousHash":"…",` out of the stored metadata at
 *   its fixed place: the bytes a stored layout without the previous hash would save, and nothing
 *   else (such rows are only written, never read or verified).
 * - `no-store-plain`, `no-store-chained`: an adapter that only takes the JSON text to store
 *   (`storedJsonOf`) and answers: the JavaScript of each path, without any database.
 *
 * HASH_AB_ROUNDS (default 12), HASH_AB_CALLERS (default 32), HASH_AB_IDS (`time-ordered`, the
 * default, or `random`: see `figureEvent`). Prints one line per kind: appends
 * per second, this process's CPU time (user + system) per append, and how much slower than the
 * first kind, over the totals and as the median of each round's own comparison.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  HashChainingEventStore,
  type NewEvent,
  PostgresEventStore,
  type RecordedEvent,
  SqliteEventStore,
  storedJsonOf,
} from '@quarterly/event-store';
import { PostgresTestDatabase } from '../support/postgres-test-database';
import { type EventIds, figureEvent } from './integrity.bench';

const EVENT_IDS: EventIds = process.env['HASH_AB_IDS'] === 'random' ? 'random' : 'time-ordered';

type AppendOnly = Pick<EventStore, 'appendToStream' | 'readStream'>;

/** The integrity member's previous hash and its quotes, colon and comma: 16 + 64 + 2 characters. */
const PREVIOUS_HASH_MEMBER = 82;
/** From the start of `"previousHash"` to the end of the stored metadata: 16 + 64 + 10 + 64 + 3. */
const FROM_PREVIOUS_HASH_TO_END = 157;

/** Copies each chained event on its way to the store; `short` cuts the previous hash out of its stored metadata. */
class StoredMetadataCut implements AppendOnly {
  constructor(
    private readonly inner: EventStore,
    private readonly short: boolean,
  ) {}

  appendToStream(streamId: string, events: readonly NewEvent[], options: { readonly expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    const copied = events.map((event) => {
      const { data, metadata } = storedJsonOf(event);
      const at = metadata.length - FROM_PREVIOUS_HASH_TO_END;
      if (!metadata.startsWith('"previousHash":"', at)) throw new Error('the stored metadata does not end in the integrity member as withIntegrity writes it');
      const stored = metadata.slice(0, at) + metadata.slice(this.short ? at + PREVIOUS_HASH_MEMBER : at);
      return { id: event.id, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata, storedJson: { data, metadata: stored } };
    });
    return this.inner.appendToStream(streamId, copied, options);
  }

  readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId);
  }
}

/** No database: the JSON text an adapter would store is taken, and the append answered. */
class NoStore implements AppendOnly {
  private readonly revisions = new Map<string, bigint>();
  characters = 0;

  async appendToStream(streamId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    let revision = this.revisions.get(streamId) ?? -1n;
    for (const event of events) {
      const json = storedJsonOf(event);
      this.characters += json.data.length + json.metadata.length;
      revision += 1n;
    }
    this.revisions.set(streamId, revision);
    return { nextExpectedRevision: revision, lastPosition: 0n };
  }

  async readStream(): Promise<RecordedEvent[]> {
    return [];
  }
}

interface Round {
  readonly operations: number;
  readonly seconds: number;
  readonly cpuMicros: number;
}

async function main(): Promise<void> {
  const storeKind = process.env['HASH_AB_STORE'] ?? 'sqlite';
  const kinds = (process.env['HASH_AB_KINDS'] ?? 'plain,chained').split(',');
  const rounds = Number(process.env['HASH_AB_ROUNDS'] ?? 12);
  const callers = Number(process.env['HASH_AB_CALLERS'] ?? 32);
  const loadAtStart = loadavg()[0]!;
  const directory = mkdtempSync(join(tmpdir(), 'quarterly-hash-chain-ab-'));
  let database: PostgresTestDatabase | undefined;
  let store: EventStore;
  if (storeKind === 'sqlite') store = new SqliteEventStore({ filename: join(directory, 'events.sqlite') });
  else {
    database = await PostgresTestDatabase.create('hash_chain_ab');
    store = await PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema, maxConnections: callers });
  }
  const noStore = new NoStore();
  const stores: Record<string, AppendOnly> = {
    plain: store,
    chained: new HashChainingEventStore(store),
    'chained-same': new HashChainingEventStore(new StoredMetadataCut(store, false) as unknown as EventStore),
    'chained-short': new HashChainingEventStore(new StoredMetadataCut(store, true) as unknown as EventStore),
    'no-store-plain': noStore,
    'no-store-chained': new HashChainingEventStore(noStore as unknown as EventStore),
  };
  for (const kind of kinds) if (stores[kind] === undefined) throw new Error(`unknown kind ${kind}; one of ${Object.keys(stores).join(', ')}`);
  try {
    const results = new Map<string, Round[]>(kinds.map((kind) => [kind, []]));
    for (let round = 0; round < rounds; round += 1) {
      const order = kinds.map((_, index) => kinds[(index + round) % kinds.length]!);
      if (round % 2 === 1) order.reverse();
      for (const kind of order) results.get(kind)!.push(await appendRound(stores[kind]!, callers));
    }
    const rate = (runs: readonly Round[]) => runs.reduce((sum, run) => sum + run.operations, 0) / runs.reduce((sum, run) => sum + run.seconds, 0);
    const baseline = results.get(kinds[0]!)!;
    for (const [kind, runs] of results) {
      const operations = runs.reduce((sum, run) => sum + run.operations, 0);
      const cpu = runs.reduce((sum, run) => sum + run.cpuMicros, 0) / operations;
      const perRound = runs.map((run, index) => (1 - run.operations / run.seconds / (baseline[index]!.operations / baseline[index]!.seconds)) * 100).sort((a, b) => a - b);
      const median = (perRound[(perRound.length - 1) >> 1]! + perRound[perRound.length >> 1]!) / 2;
      console.log(
        `${storeKind} ${callers} callers ${kind.padEnd(16)} ${rate(runs).toFixed(0).padStart(7)}/s  CPU ${cpu.toFixed(1)} µs/append  ` +
          `slower than ${kinds[0]}: ${((1 - rate(runs) / rate(baseline)) * 100).toFixed(1)} % (median of rounds ${median.toFixed(1)} %)`,
      );
    }
    console.log(`${rounds} rounds, load average ${loadAtStart.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}`);
  } finally {
    await store.close();
    await database?.drop();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function appendRound(store: AppendOnly, callers: number): Promise<Round> {
  const run = randomUUID();
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = started + 1_000_000_000n;
  let operations = 0;
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      const stream = `return-AB${caller}-${run}`;
      let expectedRevision: bigint | 'no_stream' = 'no_stream';
      while (process.hrtime.bigint() < deadline) {
        expectedRevision = (await store.appendToStream(stream, [figureEvent(operations, EVENT_IDS)], { expectedRevision })).nextExpectedRevision;
        operations += 1;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { operations, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuMicros: cpu.user + cpu.system };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
