/**
 * One side of the store-level command benchmark (store-command.bench.ts), in a process of its own:
 * Emmett's PostgreSQL store sets node-postgres's type parsers for the whole process (int8 to
 * BigInt, its own JSON reviver) when it opens its pool, which would change what our store's
 * driver does if both ran in one process.
 *
 * Environment (set by the parent): STORE_COMMAND_KIND (`quarterly`, `quarterlyChained`,
 * `quarterlyPrevious` or `emmett`), STORE_COMMAND_STREAMS (streams seeded with five events each), DATABASE_URL.
 *
 * Protocol (IPC): the peer sets itself up (a fresh schema, or for Emmett a fresh database on the
 * same server, since Emmett's tables live in `public`), seeds its streams and sends
 * `{ type: 'ready' }`; it answers `{ type: 'round', seconds }` with `{ type: 'round', operations,
 * seconds, cpuMs, latencyMs }` and `{ type: 'stop' }` by dropping what it created and exiting.
 *
 * The command is the same on both sides: read a stream (five or more events), take its current
 * revision, append one event expecting that revision. 32 callers, each on its own streams in
 * turn (caller c takes streams c, c + 32, ...), so there are no conflicts and every stream grows
 * by one event per visit on both sides alike.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { endAllPools } from '@event-driven-io/dumbo';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { HashChainingEventStore, newEventId, PostgresEventStore, type EventStore, type NewEvent } from '@quarterly/event-store';
import { Client, Pool } from 'pg';
import { STORE_COMMAND_CALLERS, type PeerMessage, type PeerRequest, type StoreCommandKind } from './store-command-protocol';

/** Connections each side may open (one per caller). */
const CONNECTIONS = STORE_COMMAND_CALLERS;
const SEED_EVENTS = 5;

/** One side's read + append, whatever its API. */
interface CommandTarget {
  /** Reads the stream and appends one event at the revision read. */
  command(streamId: string, index: number): Promise<void>;
  seed(streamId: string): Promise<void>;
  close(): Promise<void>;
}

async function main(): Promise<void> {
  const kind = process.env['STORE_COMMAND_KIND'] as StoreCommandKind;
  const streams = Number(process.env['STORE_COMMAND_STREAMS'] ?? '4096');
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set');
  const started = performance.now();
  const target =
    kind === 'emmett'
      ? await emmettTarget(url)
      : await quarterlyTarget(url, { chained: kind === 'quarterlyChained', previous: kind === 'quarterlyPrevious' });
  const run = randomBytes(4).toString('hex');
  const streamIds = Array.from({ length: streams }, (_, index) => `bench-${run}-${index}`);
  await inParallel(streamIds, (streamId) => target.seed(streamId));
  send({ type: 'ready', setupSeconds: (performance.now() - started) / 1000 });

  const cursors = Array.from({ length: STORE_COMMAND_CALLERS }, (_, caller) => caller);
  let eventIndex = 0;
  process.on('message', (message: PeerRequest) => {
    void (async () => {
      if (message.type === 'stop') {
        await target.close();
        process.disconnect();
        return;
      }
      const cpuBefore = process.cpuUsage();
      const roundStarted = process.hrtime.bigint();
      const deadline = roundStarted + BigInt(Math.round(message.seconds * 1e9));
      const latencyMs: number[] = [];
      await Promise.all(
        cursors.map(async (_, caller) => {
          while (process.hrtime.bigint() < deadline) {
            const streamId = streamIds[cursors[caller]! % streams]!;
            cursors[caller] = cursors[caller]! + STORE_COMMAND_CALLERS;
            const sent = process.hrtime.bigint();
            await target.command(streamId, eventIndex++);
            latencyMs.push(Number(process.hrtime.bigint() - sent) / 1e6);
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - roundStarted) / 1e9;
      const cpu = process.cpuUsage(cpuBefore);
      send({ type: 'round', operations: latencyMs.length, seconds, cpuMs: (cpu.user + cpu.system) / 1000, latencyMs });
    })().catch((error: unknown) => {
      process.stderr.write(`store-command peer (${kind}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
  });
}

/** This project's PostgreSQL store in a fresh schema, plain or with its hash chain (as the engine runs it). */
async function quarterlyTarget(url: string, { chained, previous }: { chained: boolean; previous: boolean }): Promise<CommandTarget> {
  const schema = `bench_command_${randomBytes(4).toString('hex')}`;
  await withClient(url, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  const postgres = await PostgresEventStore.open({
    connectionString: url,
    schema,
    maxConnections: CONNECTIONS,
    // As the store was before the evening of 30 November: statements unnamed, one NOTIFY per turn
    // of the event loop, every read and append a query of its own (no shared reads, no group appends).
    ...(previous ? { preparedStatements: false, notifyIntervalMs: 0, streamReadQueries: 0, groupAppends: false } : {}),
  });
  const store: EventStore = chained ? new HashChainingEventStore(postgres) : postgres;
  return {
    async seed(streamId) {
      await store.appendToStream(streamId, Array.from({ length: SEED_EVENTS }, (_, index) => benchEvent(index)), { expectedRevision: 'no_stream' });
    },
    async command(streamId, index) {
      const events = await store.readStream(streamId);
      const revision = events[events.length - 1]!.revision;
      await store.appendToStream(streamId, [benchEvent(index)], { expectedRevision: revision });
    },
    async close() {
      await store.close();
      await withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    },
  };
}

/** Emmett 0.42's PostgreSQL event store in a fresh database on the same server. */
async function emmettTarget(url: string): Promise<CommandTarget> {
  const database = `bench_emmett_${randomBytes(4).toString('hex')}`;
  await withClient(url, (client) => client.query(`CREATE DATABASE "${database}"`));
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${database}`;
  const pool = new Pool({ connectionString: databaseUrl.toString(), max: CONNECTIONS });
  // Emmett's close ends this pool without waiting for it; a connection still closing when the
  // database is dropped reports the drop here, which unheard would end the process.
  pool.on('error', () => undefined);
  const store = getPostgreSQLEventStore(databaseUrl.toString(), { connectionOptions: { connectionString: databaseUrl.toString(), pool } });
  await store.schema.migrate();
  return {
    async seed(streamId) {
      await store.appendToStream(
        streamId,
        Array.from({ length: SEED_EVENTS }, (_, index) => emmettEvent(index)),
        { expectedStreamVersion: STREAM_DOES_NOT_EXIST },
      );
    },
    async command(streamId, index) {
      const { currentStreamVersion } = await store.readStream(streamId);
      await store.appendToStream(streamId, [emmettEvent(index)], { expectedStreamVersion: currentStreamVersion });
    },
    async close() {
      await store.close();
      await pool.end().catch(() => undefined);
      // The schema migration opens a pool of dumbo's own for the connection string: end it too,
      // or dropping the database terminates its idle connections under it.
      await endAllPools();
      await withClient(url, (client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    },
  };
}

/** The event both sides append: a `ReturnSubmitted`-sized figure with the engine's metadata. */
function benchEvent(index: number): NewEvent {
  return {
    // A time-ordered id, as the command executor makes (Emmett makes its own message ids: version 7 too).
    id: newEventId(),
    type: 'FigureRecorded',
    schemaVersion: 1,
    data: eventData(index),
    metadata: eventMetadata(),
  };
}

function emmettEvent(index: number) {
  return { type: 'FigureRecorded', data: eventData(index), metadata: eventMetadata() };
}

function eventData(index: number) {
  return { kpi: 'KPI-042', period: '2025-Q1', value: `${index}.25`, note: 'benchmark' };
}

function eventMetadata() {
  return { actor: 'system:bench', correlationId: randomUUID(), causationId: randomUUID(), recordedAt: '2025-04-01T09:00:00.000Z' };
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: STORE_COMMAND_CALLERS }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function withClient<T>(connectionString: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function send(message: PeerMessage): void {
  process.send!(message);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`store-command peer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
