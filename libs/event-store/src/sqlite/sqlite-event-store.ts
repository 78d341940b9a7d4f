import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
import { AppendSignal } from '../subscription/append-signal';
import { CatchUpSubscription } from '../subscription/catch-up.subscription';
import { assertAppendable, checkExpectedRevision } from '../append-rules';

export interface SqliteEventStoreOptions {
  /** Path of the database file; missing parent directories are created. May hold read models too. */
  readonly filename: string;
  /**
   * How long a write waits for another connection (the read-model writer, a second process)
   * to release the file before failing with {@link EventStoreUnavailableError}.
   * @defaultValue 5000
   */
  readonly busyTimeoutMs?: number;
  /**
   * Longest time a caught-up subscription waits before reading again. Appends through this
   * instance wake subscriptions at once; this bounds the delay for appends by other processes.
   * @defaultValue 250
   */
  readonly pollIntervalMs?: number;
  /**
   * Commit the appends that arrive in the same turn of the event loop in one transaction (one
   * fsync), each under its own savepoint so that a failing one fails alone. Off, every append
   * is its own transaction.
   * @defaultValue true
   */
  readonly groupCommit?: boolean;
}

interface EventRow {
  position: bigint;
  stream_id: string;
  revision: bigint;
  event_id: string;
  type: string;
  schema_version: bigint;
  data: string;
  metadata: string;
}

type AppendOutcome = { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: unknown };

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A stream's revision is its last event's, read from the `(stream_id, revision)` index. Until
 * 1 December 2026 a table `event_streams` also kept it, written by every append: one more page of
 * another b-tree dirtied for each stream a commit touched (32 clients submitting over HTTP:
 * 2,625 -> 2,755/s and 0.390 -> 0.374 ms of CPU each without it; docs/performance.md, "Time-ordered
 * event ids, no `event_streams` on SQLite, one checkpoint statement per batch"). A file that has it drops it on
 * opening, so no stale copy of revisions is left for an older version to trust (one would find
 * the table empty and refuse appends to existing streams on the unique index, never write a
 * wrong revision).
 */
const SCHEMA = `
  DROP TABLE IF EXISTS event_streams;
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    UNIQUE (stream_id, revision)
  );
`;

/**
 * The embedded event store: one SQLite file in WAL mode with `synchronous=FULL`, so an append
 * that resolved survives a power cut.
 *
 * SQLite has a single writer and every append runs in an IMMEDIATE transaction, so rowid order
 * is commit order and `position` (the rowid, AUTOINCREMENT so it is never reused) is a gap-free
 * global order across connections and processes.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly signal = new AppendSignal();
  private readonly subscriptions = new Set<EventSubscription>();
  private readonly pollIntervalMs: number;
  private readonly groupCommit: boolean;
  private pending: PendingAppend[] = [];
  private closed = false;
  private readonly statements: {
    streamRevision: Database.Statement<[string], { revision: bigint }>;
    insertEvent: Database.Statement<[string, bigint, string, string, number, string, string]>;
    readStream: Database.Statement<[string], EventRow>;
    readStreamFrom: Database.Statement<[string, bigint], EventRow>;
    readAll: Database.Statement<[bigint, number], EventRow>;
    readAllStored: Database.Statement<[bigint, number], unknown[]>;
    begin: Database.Statement<[]>;
    commit: Database.Statement<[]>;
    rollback: Database.Statement<[]>;
    savepoint: Database.Statement<[]>;
    release: Database.Statement<[]>;
    rollbackToSavepoint: Database.Statement<[]>;
  };

  constructor(options: SqliteEventStoreOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.groupCommit = options.groupCommit ?? true;
    mkdirSync(dirname(options.filename), { recursive: true });
    this.db = withUnavailableMapped(() => new Database(options.filename));
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.defaultSafeIntegers(true);
    this.db.exec(SCHEMA);
    this.statements = {
      streamRevision: this.db.prepare('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
      insertEvent: this.db.prepare(
        'INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      readStream: this.db.prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY revision'),
      readStreamFrom: this.db.prepare('SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision'),
      readAll: this.db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      readAllStored: this.db
        .prepare<[bigint, number], unknown[]>(
          'SELECT position, stream_id, revision, event_id, type, schema_version, data, metadata FROM events ' +
            'WHERE position > ? ORDER BY position LIMIT ?',
        )
        .raw(true),
      // Prepared once: `exec` would parse these again at every append.
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
      savepoint: this.db.prepare('SAVEPOINT append'),
      release: this.db.prepare('RELEASE append'),
      rollbackToSavepoint: this.db.prepare('ROLLBACK TO append'),
    };
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    assertAppendable(events);
    if (this.closed) throw new EventStoreUnavailableError('the event store is closed');
    return new Promise((resolve, reject) => {
      this.pending.push({ streamId, events, expectedRevision: options.expectedRevision, resolve, reject });
      if (!this.groupCommit) this.flush();
      else if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { fromRevision } = options;
    const rows = withUnavailableMapped(() =>
      fromRevision === undefined ? this.statements.readStream.all(streamId) : this.statements.readStreamFrom.all(streamId, fromRevision),
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return withUnavailableMapped(() => this.statements.readAll.all(options.after ?? 0n, options.limit)).map(
      toRecordedEvent,
    );
  }

  async readAllStored(options: ReadAllOptions): Promise<StoredEventRow[]> {
    const rows = withUnavailableMapped(() => this.statements.readAllStored.all(options.after ?? 0n, options.limit));
    // Rows as arrays, changed in place: the schema version from bigint (safe integers) to a number.
    for (const row of rows) row[5] = Number(row[5]);
    return rows as StoredEventRow[];
  }

  subscribeToAll(options: SubscribeToAllOptions, handler: EventBatchHandler): EventSubscription {
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
    withUnavailableMapped(() => this.db.prepare('SELECT 1').get());
  }

  /** Stops this store's subscriptions (after their running handlers) and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.flush();
    this.db.close();
  }

  /**
   * Writes every pending append in one transaction (one fsync). An append refused for its
   * expected revision writes nothing (the check comes first), so the others go on without it.
   * Any other failure part-way through an append (a duplicated event id, a full disk) rolls the
   * whole transaction back, and the batch is written again with each append under its own
   * savepoint, so that only the failing one fails. Savepoints cost two statements per append,
   * which the common case — every append fine or refused for its revision — does without.
   */
  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let outcomes: AppendOutcome[];
    try {
      outcomes = withUnavailableMapped(() => this.writeBatch(batch, false) ?? this.writeBatch(batch, true)!);
    } catch (error) {
      for (const append of batch) append.reject(error);
      return;
    }
    batch.forEach((append, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) append.resolve(outcome.result);
      else append.reject(outcome.error);
    });
    if (outcomes.some((outcome) => outcome.ok)) this.signal.notify();
  }

  /**
   * One transaction over the batch. Without savepoints, returns undefined (after rolling back)
   * when an append failed other than on its expected revision; with them, each append's failure
   * is its own outcome.
   */
  private writeBatch(batch: readonly PendingAppend[], withSavepoints: boolean): AppendOutcome[] | undefined {
    const { begin, commit, rollback, savepoint, release, rollbackToSavepoint } = this.statements;
    const outcomes: AppendOutcome[] = [];
    begin.run();
    try {
      for (const append of batch) {
        if (withSavepoints) savepoint.run();
        try {
          outcomes.push({ ok: true, result: this.write(append) });
          if (withSavepoints) release.run();
        } catch (error) {
          if (withSavepoints) {
            rollbackToSavepoint.run();
            release.run();
          } else if (!(error instanceof WrongExpectedRevisionError)) {
            rollback.run();
            return undefined;
          }
          outcomes.push({ ok: false, error });
        }
      }
      commit.run();
      return outcomes;
    } catch (error) {
      if (this.db.inTransaction) rollback.run();
      throw error;
    }
  }

  private write(append: PendingAppend): AppendResult {
    const row = this.statements.streamRevision.get(append.streamId);
    const actual = row === undefined ? 'no_stream' : row.revision;
    checkExpectedRevision(append.streamId, append.expectedRevision, actual);
    let revision = actual === 'no_stream' ? -1n : actual;
    let lastPosition = 0n;
    for (const event of append.events) {
      revision += 1n;
      const json = storedJsonOf(event);
      const info = this.statements.insertEvent.run(
        append.streamId,
        revision,
        event.id,
        event.type,
        event.schemaVersion,
        json.data,
        json.metadata,
      );
      lastPosition = BigInt(info.lastInsertRowid);
    }
    return { nextExpectedRevision: revision, lastPosition };
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
  };
}

/** SQLite result codes that mean "the file cannot be used now", not "this request is wrong". */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|NOTADB|CORRUPT)/;

function withUnavailableMapped<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) {
      throw new EventStoreUnavailableError(`the SQLite event store is unavailable (${code})`, { cause: error });
    }
    if (error instanceof TypeError && /database connection is not open/.test(error.message)) {
      throw new EventStoreUnavailableError('the event store is closed', { cause: error });
    }
    throw error;
  }
}
