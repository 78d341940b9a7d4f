import { createHash, randomUUID } from 'node:crypto';
import { Client, Pool, type PoolClient } from 'pg';
import {
  type AppendResult,
  type EventBatchHandler,
  type EventStore,
  EventStoreUnavailableError,
  type EventSubscription,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoredEventRow,
  type SubscribeToAllOptions,
  WrongExpectedRevisionError,
  storedJsonOf,
} from '../event-store.port';
import { assertAppendable, checkExpectedRevision } from '../append-rules';
import { AppendSignal } from '../subscription/append-signal';
import { CatchUpSubscription } from '../subscription/catch-up.subscription';

export interface PostgresEventStoreOptions {
  /** libpq-style URL, e.g. `postgres://postgres@127.0.0.1:54329/quarterly`. */
  readonly connectionString: string;
  /**
   * Schema holding the `events` and `event_streams` tables; created when missing. Tests give
   * each file its own. A plain identifier (letters, digits, underscores).
   * @defaultValue 'public'
   */
  readonly schema?: string;
  /**
   * Connections in the pool. Concurrent appends each hold one for their transaction.
   * @defaultValue 10
   */
  readonly maxConnections?: number;
  /**
   * Longest time a caught-up subscription waits before reading again when no notification
   * arrives (LISTEN/NOTIFY is a hint; polling is the guarantee).
   * @defaultValue 250
   */
  readonly pollIntervalMs?: number;
  /**
   * Test seam: awaited inside every append transaction after its rows are written and before
   * COMMIT, so a test can hold transactions open while later ones commit.
   */
  readonly beforeCommit?: (streamId: string) => Promise<void>;
  /** Told about connections the server dropped; the pool replaces them. @defaultValue ignored */
  readonly onConnectionError?: (error: Error) => void;
  /**
   * Sends the store's statements as named prepared statements, parsed and planned once per
   * connection. `false` sends them unnamed (parsed and planned at every call): only the
   * store-command benchmark's A/B uses it. @defaultValue true
   */
  readonly preparedStatements?: boolean;
  /**
   * Shortest time between two NOTIFYs telling other processes' subscriptions that events were
   * appended: appends within it share one, sent at its end. This process's own subscriptions are
   * woken at once whatever it is; other processes learn of an append at most this much later
   * (and poll anyway). 0 sends one per turn of the event loop, as before the evening of 30 November.
   * @defaultValue 10
   */
  readonly notifyIntervalMs?: number;
  /**
   * Most stream-read queries in flight at once. Stream reads asked for while this many are
   * running wait and go together in the next one (an `unnest` of stream ids and revisions, one
   * round trip), as do reads asked for in the same synchronous run (a command reading its KPI's
   * and its return's streams together). At low load a read goes at once, alone; under load,
   * reads share queries instead of queueing for a connection each. 1 beat 4 in the HTTP
   * benchmark (32 clients: 1,334–1,604 against 1,090–1,124 submissions/s, 0.57–0.64 against
   * 0.74–0.75 ms of the API's CPU each, interleaved). 0 sends every read as its own query, as
   * before 1 December 2026.
   * @defaultValue 1
   */
  readonly streamReadQueries?: number;
  /**
   * Appends (at a known revision or to a new stream) asked for while a group append is running
   * wait and go together in the next one: one statement and one commit for all of them, each
   * claiming its own stream at its own expected revision, so one refused for its revision
   * refuses only itself. One group runs at a time; an append with nobody ahead goes at once,
   * alone. A group that fails other than on revisions (a duplicated event id) is appended again
   * one by one, so only the faulty append fails. `false` sends every append on its own
   * connection, as before 1 December 2026. Appends with `'any'` and the `beforeCommit` seam always
   * go alone. @defaultValue true
   */
  readonly groupAppends?: boolean;
}

/** Most streams one batched stream-read query asks for. */
const MAX_STREAMS_PER_READ = 256;

/** Most appends in one group append. */
const MAX_APPENDS_PER_GROUP = 128;

/**
 * How many events one append may hold: the low 16 bits of a position number the events of
 * one transaction (see {@link PostgresEventStore}).
 */
export const MAX_EVENTS_PER_APPEND = 65_536;

/** An append larger than {@link MAX_EVENTS_PER_APPEND}; split it across transactions. */
export class AppendTooLargeError extends Error {
  override readonly name = 'AppendTooLargeError';
  constructor(readonly count: number) {
    super(`an append holds at most ${MAX_EVENTS_PER_APPEND} events, got ${count}`);
  }
}

/** A `readStream` waiting for its query (see `streamReadQueries`). */
interface PendingStreamRead {
  readonly streamId: string;
  readonly fromRevision: bigint;
  readonly resolve: (events: RecordedEvent[]) => void;
  readonly reject: (error: unknown) => void;
}

/** An append waiting for the next group append (see `groupAppends`). */
interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: bigint | 'no_stream';
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

interface EventRow {
  position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: RecordedEvent['metadata'];
}

/**
 * The server-mode event store on PostgreSQL.
 *
 * The global order. A sequence is not commit order: a transaction can take position 10, stall,
 * and commit after another one committed 11; a reader that already passed 11 skips 10 for good.
 * So each event carries the id of the transaction that wrote it (`transaction_id`, from
 * `pg_current_xact_id()`), and readers only see rows whose transaction id is below
 * `pg_snapshot_xmin(pg_current_snapshot())`: every transaction below that horizon has ended,
 * and any transaction that has not yet written will get an id at or above it, so the rows
 * below the horizon are final and ordering them by (transaction id, n-th event of the
 * transaction) is an order no later commit can insert into.
 *
 * The port's checkpoint is a single bigint, so `position` *is* that pair:
 * `transaction_id * 65536 + n`. Positions are therefore strictly increasing in read order,
 * sparse, and a checkpoint compares correctly with a plain `position > $after`. The table
 * checks the invariant. See docs/adr/0001-postgres-global-position.md for the alternatives.
 *
 * The price: a long-running transaction anywhere in the cluster holds the horizon back, so
 * readers (projections) wait for it. Appends never wait for each other except on one stream.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly schema: string;
  private readonly events: string;
  private readonly streams: string;
  private readonly channel: string;
  private readonly pollIntervalMs: number;
  private readonly signal = new AppendSignal();
  /** Sent with this instance's NOTIFYs, so that it can tell its own from other processes'. */
  private readonly instanceId = randomUUID();
  private readonly subscriptions = new Set<EventSubscription>();
  private listener: Client | undefined;
  private listening: Promise<void> | undefined;
  private notifyScheduled = false;
  private lastNotifiedAt = Number.NEGATIVE_INFINITY;
  private closed = false;
  private readonly streamReadQueries: number;
  private pendingReads: PendingStreamRead[] = [];
  private readQueriesInFlight = 0;
  private readsScheduled = false;
  private pendingAppends: PendingAppend[] = [];
  private groupInFlight = false;
  private appendsScheduled = false;

  private constructor(private readonly options: PostgresEventStoreOptions) {
    this.schema = options.schema ?? 'public';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(this.schema)) {
      throw new Error(`invalid PostgreSQL schema name: ${JSON.stringify(this.schema)}`);
    }
    this.events = `"${this.schema}".events`;
    this.streams = `"${this.schema}".event_streams`;
    this.channel = `quarterly_events_${this.schema}`.slice(0, 63);
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.streamReadQueries = options.streamReadQueries ?? 1;
    // A bounded wait for a connection: during an outage an append is refused (503) instead of
    // waiting for the operating system's TCP timeout.
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 5_000,
      // Every statement of this store finds its rows by a key (stream id, position), and each is a
      // named prepared statement whose generic plan the connection keeps for its life. Planned
      // while a table was small or not yet analysed (a new schema, a bulk load before autovacuum's
      // ANALYZE), that plan was a sequential scan and a hash join, kept as the table grew: a shared
      // stream read then scanned every event (5 ms instead of 0.1 ms at 130,000 events). Sequential
      // scans priced out, the plan is an index look-up at any size and with no statistics. The pool
      // awaits this before it hands the connection out (a failure ends the connection and fails the
      // checkout); a SET rather than a startup `options`, which a DATABASE_URL's own `options`
      // (search_path) would replace.
      onConnect: (client) => client.query('SET enable_seqscan = off'),
    });
    // A connection the server ended (restart, failover, pg_terminate_backend) emits 'error': on
    // the pool when idle, on the client itself when checked out between two statements of a
    // transaction. Unheard, either would end the process. The pool discards the connection and
    // the next query reconnects; the statement in flight is rejected and mapped by toUnavailable.
    const onConnectionError = (error: Error) => options.onConnectionError?.(error);
    this.pool.on('error', onConnectionError);
    this.pool.on('connect', (client) => {
      client.on('error', onConnectionError);
    });
  }

  /** Connects and creates the schema and tables when missing (idempotent, safe to race). */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    try {
      await store.migrate();
    } catch (error) {
      await store.pool.end();
      throw error;
    }
    return store;
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    assertAppendable(events);
    if (events.length > MAX_EVENTS_PER_APPEND) throw new AppendTooLargeError(events.length);
    const expectedRevision = options.expectedRevision;
    if (this.options.groupAppends === false || expectedRevision === 'any' || this.options.beforeCommit) {
      return this.appendAlone(streamId, events, expectedRevision);
    }
    if (this.closed) throw new EventStoreUnavailableError('the event store is closed');
    return new Promise((resolve, reject) => {
      this.pendingAppends.push({ streamId, events, expectedRevision, resolve, reject });
      this.scheduleAppends();
    });
  }

  /** One append in one statement (its own implicit transaction). */
  private async appendAlone(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const options = { expectedRevision };
    const json = events.map(storedJsonOf);
    const values = [
      streamId,
      events.map((event) => event.id),
      events.map((event) => event.type),
      events.map((event) => event.schemaVersion),
      jsonArray(json.map((text) => text.data)),
      jsonArray(json.map((text) => text.metadata)),
      String(events.length),
      ...(typeof options.expectedRevision === 'bigint' ? [options.expectedRevision.toString()] : []),
    ];
    const text = this.appendStatement(options.expectedRevision);
    const beforeCommit = this.options.beforeCommit;
    let row: { revision: string | null; last_position: string | null } | undefined;
    try {
      // One statement, so one round trip in its own implicit transaction; the test seam wraps
      // the same statement in an explicit transaction to hold it open before COMMIT.
      row = beforeCommit
        ? await this.transaction(async (client) => {
            const result = await client.query<{ revision: string | null; last_position: string | null }>(this.statement(text, values));
            await beforeCommit(streamId);
            return result.rows[0];
          })
        : (await this.query<{ revision: string | null; last_position: string | null }>(text, values)).rows[0];
    } catch (error) {
      throw await this.revisionConflictOr(error, streamId, options.expectedRevision);
    }
    if (row?.revision == null || row.last_position == null) {
      // The stream was not where the appender expected: nothing was written.
      const actual = await this.currentRevision(streamId);
      checkExpectedRevision(streamId, options.expectedRevision, actual);
      // The claim said no and a fresh read says yes: the stream moved in between. Report it as
      // the conflict it is rather than retrying behind the appender's back.
      throw new WrongExpectedRevisionError(streamId, options.expectedRevision, actual);
    }
    const result: AppendResult = { nextExpectedRevision: BigInt(row.revision), lastPosition: BigInt(row.last_position) };
    this.announceAppend();
    return result;
  }

  /**
   * Sends the waiting appends as one group once the current synchronous run is over, unless a
   * group is running: when it ends, what waited meanwhile goes next.
   */
  private scheduleAppends(): void {
    if (this.appendsScheduled || this.groupInFlight) return;
    this.appendsScheduled = true;
    process.nextTick(() => {
      this.appendsScheduled = false;
      if (this.groupInFlight || this.pendingAppends.length === 0) return;
      const group = this.nextGroup();
      this.groupInFlight = true;
      void this.appendGroup(group).finally(() => {
        this.groupInFlight = false;
        if (this.pendingAppends.length > 0) this.scheduleAppends();
      });
    });
  }

  /**
   * The waiting appends, oldest first, that can share a statement: one per stream (a second
   * append to a stream waits for the next group, after the first), at most
   * {@link MAX_APPENDS_PER_GROUP} appends and {@link MAX_EVENTS_PER_APPEND} events.
   */
  private nextGroup(): PendingAppend[] {
    const group: PendingAppend[] = [];
    const rest: PendingAppend[] = [];
    const streams = new Set<string>();
    let events = 0;
    for (const append of this.pendingAppends) {
      if (group.length < MAX_APPENDS_PER_GROUP && !streams.has(append.streamId) && events + append.events.length <= MAX_EVENTS_PER_APPEND) {
        group.push(append);
        streams.add(append.streamId);
        events += append.events.length;
      } else {
        rest.push(append);
      }
    }
    this.pendingAppends = rest;
    return group;
  }

  /**
   * Appends a group in one statement: every append claims its stream at its expected revision
   * (`event_streams`), and the events of those that claimed theirs are inserted, all in one
   * transaction. An append that did not claim its stream wrote nothing and is refused for its
   * revision, as alone. If the statement fails otherwise, nothing was written and each append is
   * tried again alone; if the server cannot be reached, the outcome is unknown and every append
   * is refused as unavailable, as a single append would be.
   */
  private async appendGroup(group: readonly PendingAppend[]): Promise<void> {
    if (group.length === 1) {
      const append = group[0]!;
      await this.appendAlone(append.streamId, append.events, append.expectedRevision).then(append.resolve, append.reject);
      return;
    }
    const eventAppend: number[] = [];
    const eventIndex: number[] = [];
    const ids: string[] = [];
    const types: string[] = [];
    const schemaVersions: number[] = [];
    const data: string[] = [];
    const metadata: string[] = [];
    group.forEach((append, k) => {
      append.events.forEach((event, i) => {
        const json = storedJsonOf(event);
        eventAppend.push(k + 1);
        eventIndex.push(i + 1);
        ids.push(event.id);
        types.push(event.type);
        schemaVersions.push(event.schemaVersion);
        data.push(json.data);
        metadata.push(json.metadata);
      });
    });
    let rows: Array<{ k: number; revision: string; last_position: string }>;
    try {
      rows = (
        await this.query<{ k: number; revision: string; last_position: string }>(this.groupAppendStatement(), [
          group.map((append) => append.streamId),
          group.map((append) => (append.expectedRevision === 'no_stream' ? null : append.expectedRevision.toString())),
          group.map((append) => append.events.length),
          eventAppend,
          eventIndex,
          ids,
          types,
          schemaVersions,
          jsonArray(data),
          jsonArray(metadata),
        ])
      ).rows;
    } catch (error) {
      if (error instanceof EventStoreUnavailableError) {
        for (const append of group) append.reject(error);
        return;
      }
      // Nothing was written: each alone, so that only the faulty one fails.
      await Promise.all(group.map((append) => this.appendAlone(append.streamId, append.events, append.expectedRevision).then(append.resolve, append.reject)));
      return;
    }
    const claimed = new Map(rows.map((row) => [row.k, row]));
    if (claimed.size > 0) this.announceAppend();
    await Promise.all(
      group.map(async (append, index) => {
        const row = claimed.get(index + 1);
        if (row !== undefined) {
          append.resolve({ nextExpectedRevision: BigInt(row.revision), lastPosition: BigInt(row.last_position) });
          return;
        }
        try {
          const actual = await this.currentRevision(append.streamId);
          checkExpectedRevision(append.streamId, append.expectedRevision, actual);
          throw new WrongExpectedRevisionError(append.streamId, append.expectedRevision, actual);
        } catch (error) {
          append.reject(error);
        }
      }),
    );
  }

  /**
   * The group append as one statement: `request` numbers the appends (k); `claimed` moves each
   * stream at its expected revision forward by its event count (or creates it for `no_stream`,
   * a null expected revision) and yields its new last revision; the events of the appends that
   * claimed their stream are inserted, numbered across the group (n) for their positions. Answers
   * one row per claimed append: k, its new revision and its last position.
   */
  private groupAppendStatement(): string {
    return `WITH request AS (
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) WITH ORDINALITY AS r(stream_id, expected, count, k)
      ),
      updated AS (
        UPDATE ${this.streams} AS s SET revision = s.revision + request.count
          FROM request
         WHERE request.expected IS NOT NULL AND s.stream_id = request.stream_id AND s.revision = request.expected
        RETURNING request.k, s.revision
      ),
      created AS (
        INSERT INTO ${this.streams} (stream_id, revision)
        SELECT stream_id, count - 1 FROM request WHERE expected IS NULL
        ON CONFLICT (stream_id) DO NOTHING
        RETURNING stream_id, revision
      ),
      claimed AS (
        SELECT k, revision FROM updated
        UNION ALL
        SELECT request.k, created.revision FROM created JOIN request ON request.stream_id = created.stream_id
      ),
      inserted AS (
        INSERT INTO ${this.events}
          (position, stream_id, revision, event_id, type, schema_version, data, metadata)
        SELECT pg_current_xact_id()::text::bigint * ${MAX_EVENTS_PER_APPEND} + e.n - 1,
               request.stream_id, claimed.revision - request.count + e.i, e.id, e.type, e.schema_version, e.data, e.metadata
          FROM ROWS FROM (unnest($4::integer[], $5::integer[], $6::text[], $7::text[], $8::integer[]),
                          json_array_elements($9::json), json_array_elements($10::json))
                 WITH ORDINALITY AS e(k, i, id, type, schema_version, data, metadata, n)
          JOIN claimed ON claimed.k = e.k
          JOIN request ON request.k = e.k
        RETURNING stream_id, position
      )
      SELECT request.k::integer AS k, claimed.revision::text AS revision,
             (SELECT max(position) FROM inserted WHERE inserted.stream_id = request.stream_id)::text AS last_position
        FROM claimed JOIN request ON request.k = claimed.k`;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const fromRevision = options.fromRevision ?? 0n;
    if (this.streamReadQueries <= 0) return this.readOneStream(streamId, fromRevision);
    if (this.closed) throw new EventStoreUnavailableError('the event store is closed');
    return new Promise((resolve, reject) => {
      this.pendingReads.push({ streamId, fromRevision, resolve, reject });
      this.scheduleReads();
    });
  }

  private async readOneStream(streamId: string, fromRevision: bigint): Promise<RecordedEvent[]> {
    const result = await this.query<EventRow>(
      `SELECT position, stream_id, revision, event_id, type, schema_version, data, metadata
         FROM ${this.events} WHERE stream_id = $1 AND revision >= $2 ORDER BY revision`,
      [streamId, fromRevision.toString()],
    );
    return result.rows.map(toRecordedEvent);
  }

  /**
   * Sends the waiting reads once the current synchronous run is over (so reads asked for together
   * go together), unless `streamReadQueries` queries are already running: the last one to finish
   * sends what waited meanwhile.
   */
  private scheduleReads(): void {
    if (this.readsScheduled || this.readQueriesInFlight >= this.streamReadQueries) return;
    this.readsScheduled = true;
    process.nextTick(() => {
      this.readsScheduled = false;
      while (this.pendingReads.length > 0 && this.readQueriesInFlight < this.streamReadQueries) {
        const batch = this.pendingReads.length <= MAX_STREAMS_PER_READ ? this.pendingReads : this.pendingReads.slice(0, MAX_STREAMS_PER_READ);
        this.pendingReads = batch === this.pendingReads ? [] : this.pendingReads.slice(MAX_STREAMS_PER_READ);
        this.readQueriesInFlight += 1;
        void this.readStreams(batch).finally(() => {
          this.readQueriesInFlight -= 1;
          if (this.pendingReads.length > 0) this.scheduleReads();
        });
      }
    });
  }

  /**
   * Several streams in one query, each from its own revision: the n-th request's rows carry n.
   * Every read in it sees the same snapshot, taken after each of them was asked for, so each
   * sees every append that had completed before it was asked for, as a read of its own would.
   */
  private async readStreams(batch: readonly PendingStreamRead[]): Promise<void> {
    if (batch.length === 1) {
      const read = batch[0]!;
      await this.readOneStream(read.streamId, read.fromRevision).then(read.resolve, read.reject);
      return;
    }
    let rows: Array<EventRow & { n: number }>;
    try {
      rows = (
        await this.query<EventRow & { n: number }>(
          `SELECT r.n::integer AS n, e.position, e.stream_id, e.revision, e.event_id, e.type, e.schema_version, e.data, e.metadata
             FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS r(stream_id, from_revision, n)
             CROSS JOIN LATERAL (
               SELECT position, stream_id, revision, event_id, type, schema_version, data, metadata
                 FROM ${this.events}
                WHERE stream_id = r.stream_id AND revision >= r.from_revision
             ) AS e
            ORDER BY r.n, e.revision`,
          [batch.map((read) => read.streamId), batch.map((read) => read.fromRevision.toString())],
        )
      ).rows;
    } catch (error) {
      for (const read of batch) read.reject(error);
      return;
    }
    const results: RecordedEvent[][] = batch.map(() => []);
    for (const row of rows) results[row.n - 1]!.push(toRecordedEvent(row));
    batch.forEach((read, index) => read.resolve(results[index]!));
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const result = await this.query<EventRow>(this.readAllStatement('data, metadata'), [(options.after ?? -1n).toString(), options.limit]);
    return result.rows.map(toRecordedEvent);
  }

  async readAllStored(options: ReadAllOptions): Promise<StoredEventRow[]> {
    // `json` columns keep the text as written; `::text` hands it over unparsed, rows as arrays.
    const text = this.readAllStatement('data::text, metadata::text');
    let rows: unknown[][];
    try {
      if (this.closed) throw new EventStoreUnavailableError('the event store is closed');
      rows = (await this.pool.query<unknown[]>({ ...this.statement(text, [(options.after ?? -1n).toString(), options.limit]), rowMode: 'array' })).rows;
    } catch (error) {
      throw toUnavailable(error);
    }
    for (const row of rows) {
      row[0] = BigInt(row[0] as string);
      row[2] = BigInt(row[2] as string);
    }
    return rows as StoredEventRow[];
  }

  /**
   * A page of the global order. `position < horizon * 65536` is `transaction_id < horizon`. It
   * filters the page from outside: the planner cannot estimate a bound computed from the
   * snapshot and, inside, would sort everything after the checkpoint instead of walking the
   * primary key. Cutting the page is safe because everything after a row beyond the horizon is
   * beyond it too.
   */
  private readAllStatement(jsonColumns: string): string {
    return `SELECT * FROM (
         SELECT position, stream_id, revision, event_id, type, schema_version, ${jsonColumns}
           FROM ${this.events}
          WHERE position > $1
          ORDER BY position
          LIMIT $2
       ) AS page
       WHERE position < pg_snapshot_xmin(pg_current_snapshot())::text::bigint * ${MAX_EVENTS_PER_APPEND}
       ORDER BY position`;
  }

  subscribeToAll(options: SubscribeToAllOptions, handler: EventBatchHandler): EventSubscription {
    void this.listen();
    const subscription = new CatchUpSubscription(
      { readAll: (page) => this.readAll(page), signal: this.signal, pollIntervalMs: this.pollIntervalMs },
      options,
      handler,
    );
    this.subscriptions.add(subscription);
    void subscription.done.catch(() => undefined).then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1', []);
  }

  /** Stops this store's subscriptions (after their running handlers), then the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  /**
   * The append as one statement. `claimed` moves the stream's revision forward by the number of
   * events ($7) if it is where the appender expects ($8 for a revision) and yields the new last
   * revision, or no row; the events are inserted only if it yielded one. The stream row stays
   * locked until commit, so concurrent appends to one stream queue on it and the losers see the
   * winner's revision. Answers the new revision and the last position, both null on a refusal.
   */
  private appendStatement(expected: ExpectedRevision): string {
    const claim =
      expected === 'any'
        ? `INSERT INTO ${this.streams} AS s (stream_id, revision) VALUES ($1, $7::bigint - 1)
           ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + $7::bigint
           RETURNING revision`
        : expected === 'no_stream'
          ? `INSERT INTO ${this.streams} (stream_id, revision) VALUES ($1, $7::bigint - 1)
             ON CONFLICT (stream_id) DO NOTHING RETURNING revision`
          : `UPDATE ${this.streams} SET revision = revision + $7::bigint
              WHERE stream_id = $1 AND revision = $8::bigint RETURNING revision`;
    return `WITH claimed AS (${claim}),
      inserted AS (
        INSERT INTO ${this.events}
          (position, stream_id, revision, event_id, type, schema_version, data, metadata)
        SELECT pg_current_xact_id()::text::bigint * ${MAX_EVENTS_PER_APPEND} + e.n - 1,
               $1, claimed.revision - $7::bigint + e.n, e.id, e.type, e.schema_version, e.data, e.metadata
          FROM claimed,
               ROWS FROM (unnest($2::text[], $3::text[], $4::integer[]), json_array_elements($5::json), json_array_elements($6::json))
                 WITH ORDINALITY AS e(id, type, schema_version, data, metadata, n)
        RETURNING position
      )
      SELECT (SELECT revision FROM claimed)::text AS revision,
             (SELECT max(position) FROM inserted)::text AS last_position`;
  }

  private statement(text: string, values: unknown[]): { name?: string; text: string; values: unknown[] } {
    return this.options.preparedStatements === false ? { text, values } : { name: preparedName(text), text, values };
  }

  private async currentRevision(streamId: string): Promise<bigint | 'no_stream'> {
    const result = await this.query<{ revision: string }>(
      `SELECT revision FROM ${this.streams} WHERE stream_id = $1`,
      [streamId],
    );
    const row = result.rows[0];
    return row ? BigInt(row.revision) : 'no_stream';
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw toUnavailable(error);
    } finally {
      client.release(broken);
    }
  }

  private async query<R extends object>(text: string, values: unknown[]): Promise<{ rows: R[] }> {
    if (this.closed) throw new EventStoreUnavailableError('the event store is closed');
    try {
      return await this.pool.query<R>(this.statement(text, values));
    } catch (error) {
      throw toUnavailable(error);
    }
  }

  private async connect(): Promise<PoolClient> {
    if (this.closed) throw new EventStoreUnavailableError('the event store is closed');
    try {
      return await this.pool.connect();
    } catch (error) {
      throw toUnavailable(error);
    }
  }

  /**
   * A unique violation on (stream_id, revision) means the stream moved under us (only possible
   * if `event_streams` and `events` disagree, e.g. after a manual repair): a revision conflict.
   * A connection lost during COMMIT leaves the outcome unknown; it is reported as unavailable,
   * and a retry with the same expected revision then fails or succeeds honestly.
   */
  private async revisionConflictOr(error: unknown, streamId: string, expected: ExpectedRevision): Promise<unknown> {
    const pgError = error as { code?: string; constraint?: string };
    if (pgError.code !== '23505' || pgError.constraint !== 'events_stream_id_revision_key') return error;
    const rows = await this.query<{ revision: string }>(
      `SELECT max(revision) AS revision FROM ${this.events} WHERE stream_id = $1`,
      [streamId],
    );
    const revision = rows.rows[0]?.revision;
    return new WrongExpectedRevisionError(streamId, expected, revision == null ? 'no_stream' : BigInt(revision));
  }

  /**
   * Wakes this process's subscriptions now and other processes' with one NOTIFY per
   * `notifyIntervalMs` at most (each NOTIFY is a statement and a commit of its own on the server,
   * which at thousands of appends per second costs the server as much as the appends' reads).
   */
  private announceAppend(): void {
    this.signal.notify();
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    // NOTIFY outside the append transaction: inside it, PostgreSQL serialises the commits of
    // every notifying transaction on one lock, which would undo group commit.
    const notify = () => {
      this.notifyScheduled = false;
      if (this.closed) return;
      this.lastNotifiedAt = performance.now();
      this.pool.query('SELECT pg_notify($1, $2)', [this.channel, this.instanceId]).catch(() => undefined);
    };
    const wait = this.lastNotifiedAt + (this.options.notifyIntervalMs ?? 10) - performance.now();
    if (wait <= 0) setImmediate(notify);
    else setTimeout(notify, wait).unref();
  }

  /** LISTENs on a dedicated connection; on failure subscriptions still poll. */
  private listen(): Promise<void> {
    if (this.listening || this.closed) return this.listening ?? Promise.resolve();
    const client = new Client({ connectionString: this.options.connectionString });
    const forget = () => {
      if (this.listener === client) this.listener = undefined;
      this.listening = undefined;
      void client.end().catch(() => undefined);
    };
    client.on('error', forget);
    client.on('end', forget);
    // This instance's own NOTIFY comes back here too: its subscriptions were woken when it
    // appended, so only other instances' wake them (one wasted `readAll` per NOTIFY otherwise).
    client.on('notification', (message) => {
      if (message.payload !== this.instanceId) this.signal.notify();
    });
    this.listening = client
      .connect()
      .then(() => client.query(`LISTEN "${this.channel}"`))
      .then(() => {
        if (this.closed) forget();
        else this.listener = client;
      })
      .catch(forget);
    return this.listening;
  }

  private async migrate(): Promise<void> {
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      // Two processes starting together must not race on CREATE ... IF NOT EXISTS.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`quarterly-event-store:${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${this.streams} (
          stream_id text PRIMARY KEY,
          revision bigint NOT NULL
        )`);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${this.events} (
          position bigint PRIMARY KEY,
          transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
          stream_id text NOT NULL,
          revision bigint NOT NULL,
          event_id text NOT NULL UNIQUE,
          type text NOT NULL,
          schema_version integer NOT NULL,
          data json NOT NULL,
          metadata json NOT NULL,
          UNIQUE (stream_id, revision),
          CONSTRAINT events_position_from_transaction
            CHECK (position / ${MAX_EVENTS_PER_APPEND} = transaction_id::text::bigint)
        )`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw toUnavailable(error);
    } finally {
      client.release();
    }
  }
}

const preparedNames = new Map<string, string>();

/**
 * The name of a statement sent as a named prepared statement: each connection parses and plans
 * it once and then only binds and executes it (node-postgres remembers the names per
 * connection), which saves the server a parse and a plan per command — the large append
 * statement above all. The name is a digest of the text, so schemas and variants never share one.
 */
function preparedName(text: string): string {
  let name = preparedNames.get(text);
  if (name === undefined) {
    name = `quarterly_es_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    preparedNames.set(text, name);
  }
  return name;
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
  };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH']);
const CONNECTION_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Cannot use a pool after calling end/i;

/**
 * Wraps errors that mean "the server cannot be used now" in {@link EventStoreUnavailableError}:
 * network errors, SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, starting
 * up), 53300 (too many connections). Everything else is returned unchanged.
 */
function toUnavailable(error: unknown): unknown {
  if (error instanceof WrongExpectedRevisionError || error instanceof EventStoreUnavailableError) return error;
  const code = (error as { code?: unknown }).code;
  const unavailable =
    (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300')) ||
    (error instanceof Error && CONNECTION_MESSAGES.test(error.message));
  if (!unavailable) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new EventStoreUnavailableError(`PostgreSQL event store unavailable: ${reason}`, { cause: error });
}

/**
 * The events' JSON texts as one JSON array, for `json_array_elements`, which hands each element
 * back as the very text written (the stored text is what was hashed). Sent as a PostgreSQL array
 * (`json[]`), every quote and backslash of every text was escaped, in two copies, on the way.
 */
function jsonArray(texts: readonly string[]): string {
  return `[${texts.join(',')}]`;
}
